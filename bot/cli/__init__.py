"""The ``mastery`` command line.

Exit codes, the same for every command:

* 0 — done; nothing at or above the fail level
* 1 — done, with findings (``check``) or problems (``toolkit validate``)
* 2 — a usage or input error: the message says what to fix

Every command module registers its commands in :data:`COMMANDS`; heavy
imports happen inside the commands so that start-up stays fast.
"""

from __future__ import annotations

from pathlib import Path

import click

from bot.cli import (
    ask_cmd,
    check_cmd,
    draft_cmd,
    report_cmd,
    serve_cmd,
    slack_cmd,
    toolkit_cmd,
    users_cmd,
)
from bot.cli.common import CliState, fail

#: Explicit registration: every command of the CLI, in help order.
COMMANDS: list[click.Command] = [
    *ask_cmd.COMMANDS,
    *check_cmd.COMMANDS,
    *draft_cmd.COMMANDS,
    *report_cmd.COMMANDS,
    *serve_cmd.COMMANDS,
    *slack_cmd.COMMANDS,
    *toolkit_cmd.COMMANDS,
    *users_cmd.COMMANDS,
]


class MasteryGroup(click.Group):
    """The ``mastery`` group: an unknown name (audience, template, profile, entry) from any
    command is one message — the same sentence as the API and Slack — and exit 2."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except LookupError as exc:
            from toolkit.names import UnknownName

            if not isinstance(exc, UnknownName):
                raise
            fail(str(exc))


@click.group(cls=MasteryGroup,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--toolkit",
    "toolkit_path",
    type=click.Path(path_type=str),
    default=None,
    help="Use this toolkit folder instead of the shipped one (env: MASTERY_TOOLKIT).",
)
@click.version_option(package_name="mastery-comms", prog_name="mastery")
@click.pass_context
def cli(ctx: click.Context, toolkit_path: str | None) -> None:
    """mastery-comms: answer questions, check wording and fill templates about mastery-based
    learning, from a sourced communications toolkit."""
    # blank means "not set", as for MASTERY_TOOLKIT (not "the current folder")
    ctx.obj = CliState(toolkit_path=Path(toolkit_path) if toolkit_path and toolkit_path.strip()
                       else None)


for _command in COMMANDS:
    cli.add_command(_command)


def main() -> None:
    try:
        cli(prog_name="mastery")
    except OSError as exc:  # e.g. standard output on a full disk (click handles a closed pipe)
        import os
        import sys

        try:  # the unwritten rest of the output must not fail again at exit
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, AttributeError, ValueError):
            pass
        what = f"cannot use {exc.filename}" if exc.filename else "cannot write the output"
        click.echo(f"mastery: {what}: {exc.strerror or exc}", err=True)
        raise SystemExit(2) from None
