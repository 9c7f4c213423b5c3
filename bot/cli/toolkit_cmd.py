"""``mastery toolkit …``: validate, list stale content, copy the toolkit to adapt it."""

from __future__ import annotations

import shutil
from pathlib import Path

import click

from bot.cli.common import EXIT_FINDINGS, fail, state


@click.group("toolkit")
def toolkit_group() -> None:
    """Check and adapt the toolkit content."""


@toolkit_group.command("validate")
@click.argument("path", required=False, type=click.Path(path_type=Path))
def validate(path: Path | None) -> None:
    """Check every toolkit file and cross-reference; print each problem as file:line.

    PATH defaults to the toolkit in use (--toolkit, MASTERY_TOOLKIT, or the shipped one).
    Exits 1 when there are problems.
    """
    from toolkit import load_toolkit
    from toolkit.loader import ToolkitError

    target = path or state().resolved_toolkit_path()
    try:
        tk = load_toolkit(target)
    except ToolkitError as exc:
        for problem in exc.problems:
            click.echo(str(problem))
        click.echo(f"{len(exc.problems)} problem(s) found.", err=True)
        raise SystemExit(EXIT_FINDINGS) from None
    counts = ", ".join(
        f"{len(getattr(tk, attr))} {label}"
        for attr, label in (
            ("faq", "FAQ entries"),
            ("myths", "myths"),
            ("audiences", "audiences"),
            ("findings", "findings"),
            ("rules", "phrase rules"),
            ("sources", "sources"),
            ("templates", "templates"),
            ("profiles", "profiles"),
        )
    )
    click.echo(f"OK: {tk.root} ({counts})")


@toolkit_group.command("stale")
@click.option("--days", type=click.IntRange(min=0), default=365, show_default=True,
              help="Content reviewed longer ago than this is due.")
def stale(days: int) -> None:
    """List FAQ entries and myths due for review, oldest first."""
    tk = state().toolkit
    due = tk.stale(days)
    if not due:
        click.echo(f"Nothing is due: everything was reviewed in the last {days} days.")
        return
    for kind, item_id, item in due:
        click.echo(f"{item.reviewed.isoformat()}  {kind:<4}  {item_id:<34} owner: {item.owner}"
                   f"  ({tk.where(kind if kind == 'faq' else 'myths', item_id)})")
    click.echo(f"{len(due)} item(s) due for review.", err=True)


@toolkit_group.command("init")
@click.argument("destination", type=click.Path(path_type=Path))
def init(destination: Path) -> None:
    """Copy the shipped toolkit to DESTINATION so an agency can adapt it.

    Then run any command with --toolkit DESTINATION (or set MASTERY_TOOLKIT).
    """
    from toolkit import default_toolkit_path

    if destination.exists() and any(destination.iterdir()):
        fail(f"{destination} already exists and is not empty; choose a new folder.")
    shutil.copytree(default_toolkit_path(), destination, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__"))
    click.echo(f"Copied the toolkit to {destination}. Edit the YAML files, then run:\n"
               f"  mastery --toolkit {destination} toolkit validate")


COMMANDS: list[click.Command] = [toolkit_group]
