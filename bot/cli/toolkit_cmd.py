"""``mastery toolkit …``: validate, list stale content, copy the toolkit to adapt it."""

from __future__ import annotations

import shutil
from pathlib import Path

import click

from bot.cli.common import EXIT_FINDINGS, EXIT_USAGE, fail, state


@click.group("toolkit")
def toolkit_group() -> None:
    """Check and adapt the toolkit content."""


@toolkit_group.command("validate")
@click.argument("path", required=False, type=click.Path(path_type=Path))
def validate(path: Path | None) -> None:
    """Check every toolkit file, cross-reference, rule example and template; print each
    problem as file:line.

    PATH defaults to the toolkit in use (--toolkit, MASTERY_TOOLKIT, or the shipped one).
    Exits 1 when there are problems.
    """
    from bot.core.validate import validate_content

    report = validate_content(path or state().resolved_toolkit_path())
    if report.toolkit is None or report.problems:
        for line in report.lines():
            click.echo(line)
        click.echo(f"{len(report.problems)} problem(s) found.", err=True)
        raise SystemExit(EXIT_FINDINGS)
    tk = report.toolkit
    counts = ", ".join(f"{len(items)} {label}" for items, label in (
        (tk.faq, "FAQ entries"),
        (tk.myths, "myths"),
        (tk.audiences, "audiences"),
        (tk.findings, "findings"),
        (tk.rules, "phrase rules"),
        (tk.sources, "sources"),
        (tk.templates, "templates"),
        (tk.profiles, "profiles"),
    ))
    click.echo(f"OK: {tk.root} ({counts})")


@toolkit_group.command("stale")
@click.option("--days", type=click.IntRange(min=0), default=365, show_default=True,
              help="Content reviewed longer ago than this is due.")
def stale(days: int) -> None:
    """List content due for review: never reviewed by a person, or reviewed too long ago.

    Covers FAQ entries, myths, proof points, findings, audiences' messages and glossary terms.
    """
    tk = state().toolkit
    due = tk.stale(days)
    if not due:
        click.echo(f"Nothing is due: everything was reviewed in the last {days} days.")
        return
    files = {"faq": "faq", "myth": "myths", "proof point": "proof_points",
             "finding": "findings", "audience": "audiences", "glossary": "glossary"}
    for kind, item_id, item in due:
        when = item.review_date.isoformat() if item.review_date else "never reviewed"
        click.echo(f"{when:<14}  {kind:<11}  {item_id:<34} owner: {item.owner or '(none)'}"
                   f"  ({tk.where(files[kind], item_id)})")
    never = sum(1 for row in due if row[2].review_date is None)
    click.echo(f"{len(due)} item(s) due for review ({never} never reviewed by a person).",
               err=True)


@toolkit_group.command("verify")
@click.option("--sources", "sources_dir", required=True, type=click.Path(path_type=Path),
              help="Folder with the source documents (text, Markdown, PDF or .docx) that "
                   "sources.yaml names in `file:` (or `seed_file:`).")
def verify_cmd(sources_dir: Path) -> None:
    """Check that every figure the toolkit quotes appears in a source it cites.

    Prints file:line: id: figure "39%" not found in cited source … for each one.
    Exits 1 when a figure is not found, 2 when the folder or a document cannot be read.
    """
    from toolkit.verify import VerifyInputError, summary, verify

    tk = state().toolkit
    try:
        result = verify(tk, sources_dir)
    except VerifyInputError as exc:
        for line in str(exc).splitlines():
            click.echo(f"verify: {line}", err=True)
        raise SystemExit(EXIT_USAGE) from None
    for mismatch in result.mismatches:
        click.echo(str(mismatch))
    if result.mismatches:
        click.echo(f"{len(result.mismatches)} figure(s) not found; {summary(result)}.", err=True)
        raise SystemExit(EXIT_FINDINGS)
    click.echo(f"OK: {summary(result)}; every figure was found in a cited source.")


@toolkit_group.command("init")
@click.argument("destination", type=click.Path(path_type=Path))
def init(destination: Path) -> None:
    """Copy the shipped toolkit to DESTINATION so an agency can adapt it.

    Then run any command with --toolkit DESTINATION (or set MASTERY_TOOLKIT).
    """
    from toolkit import default_toolkit_path
    from toolkit.fileio import atomic_target

    if destination.exists() and not destination.is_dir():
        fail(f"{destination} is a file; choose a new folder.")
    if destination.exists() and any(destination.iterdir()):
        fail(f"{destination} already exists and is not empty; choose a new folder.")
    parent = destination.absolute().parent
    # copy into a hidden folder next to it, then rename: never half a toolkit
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = ("a file is in the way (a folder is needed)"
                  if isinstance(exc, FileExistsError | NotADirectoryError)
                  else exc.strerror or str(exc))
        fail(f"cannot create {destination}: {reason}.")
    try:
        with atomic_target(destination, folder=True) as staging:
            shutil.copytree(default_toolkit_path(), staging, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("__pycache__"))
    except OSError as exc:
        fail(f"cannot create {destination}: {exc.strerror or exc}.")
    click.echo(f"Copied the toolkit to {destination}. Edit the YAML files, then run:\n"
               f"  mastery --toolkit {destination} toolkit validate")


COMMANDS: list[click.Command] = [toolkit_group]
