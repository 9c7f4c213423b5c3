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
from bot.cli.common import CliState

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


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--toolkit",
    "toolkit_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Use this toolkit folder instead of the shipped one (env: MASTERY_TOOLKIT).",
)
@click.version_option(package_name="mastery-comms", prog_name="mastery")
@click.pass_context
def cli(ctx: click.Context, toolkit_path: Path | None) -> None:
    """mastery-comms: answer questions, check wording and fill templates about mastery-based
    learning, from a sourced communications toolkit."""
    ctx.obj = CliState(toolkit_path=toolkit_path)


for _command in COMMANDS:
    cli.add_command(_command)


def main() -> None:
    cli(prog_name="mastery")
