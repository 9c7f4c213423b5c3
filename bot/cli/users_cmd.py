"""``mastery users …``: people who may sign in to the web workspace and API."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click

from bot.cli.common import fail, load_settings

if TYPE_CHECKING:
    from bot.store import DraftStore

_db_option = click.option(
    "--database-url", default=None,
    help="SQLAlchemy database URL (env: MASTERY_DATABASE_URL; default: SQLite in the data "
         "folder).",
)


def _store(database_url: str | None) -> DraftStore:
    from bot.db import DatabaseError
    from bot.store import DraftStore

    settings = load_settings(database_url=database_url)
    try:
        return DraftStore.open(settings.resolved_database_url())
    except DatabaseError as exc:
        fail(str(exc))


@contextmanager
def _using(database_url: str | None) -> Iterator[DraftStore]:
    """The store, closed afterwards; a store error (no such user …) is a clear exit 1."""
    from bot.store import StoreError

    store = _store(database_url)
    try:
        yield store
    except StoreError as exc:
        fail(str(exc))
    finally:
        store.close()


@click.group("users")
def users_group() -> None:
    """Add, list and remove the people who may sign in (needed when serving on a network)."""


_role_option = click.option(
    "--role", type=click.Choice(["user", "editor"]), default="user", show_default=True,
    help="'editor': may also read the unanswered-question log (GET /api/unanswered).")


@users_group.command("add")
@click.argument("name")
@_role_option
@_db_option
def add(name: str, role: str, database_url: str | None) -> None:
    """Create the user NAME and print their API token (shown only once)."""
    with _using(database_url) as store:
        user, token = store.add_user(name, role=role)
    click.echo(f"Created user {user.name!r}. Their API token (shown only this once; keep it "
               "somewhere safe):")
    click.echo(token)
    click.echo("Use it on the workspace's sign-in page, or send it as "
               "'Authorization: Bearer <token>'.", err=True)


@users_group.command("token")
@click.argument("name")
@click.option("--keep", is_flag=True,
              help="Keep NAME's other tokens and web sign-ins (default: the new token "
                   "replaces them all).")
@_db_option
def token(name: str, keep: bool, database_url: str | None) -> None:
    """Issue a new API token for NAME. It replaces their other tokens and signs them out
    of the web page everywhere (for a lost or leaked token), unless --keep."""
    with _using(database_url) as store:
        click.echo(store.new_token(name, keep=keep))
    if not keep:
        click.echo(f"{name}'s other tokens are revoked and their web sign-ins ended (within "
                   "a few seconds on running servers).", err=True)


@users_group.command("tokens")
@click.argument("name")
@_db_option
def tokens(name: str, database_url: str | None) -> None:
    """List NAME's tokens: number, last characters, created, last used."""
    with _using(database_url) as store:
        found = store.list_tokens(name)
    if not found:
        click.echo(f"{name} has no tokens. Issue one with `mastery users token {name}`.")
    for item in found:
        used = f"{item.last_used_at:%Y-%m-%d %H:%M}" if item.last_used_at else "never"
        click.echo(f"{item.id}\t…{item.hint or '????'}\tcreated {item.created_at:%Y-%m-%d}"
                   f"\tlast used {used}")


@users_group.command("revoke")
@click.argument("name")
@click.argument("number", type=int)
@_db_option
def revoke(name: str, number: int, database_url: str | None) -> None:
    """Revoke one of NAME's tokens (NUMBER as `mastery users tokens NAME` lists it)."""
    with _using(database_url) as store:
        store.revoke_token(name, number)
    click.echo(f"Revoked token {number} of {name!r}.")


@users_group.command("role")
@click.argument("name")
@click.argument("role", type=click.Choice(["user", "editor"]))
@_db_option
def role(name: str, role: str, database_url: str | None) -> None:
    """Make NAME a plain user or a content editor (who may read the question log)."""
    with _using(database_url) as store:
        store.set_role(name, role)
    click.echo(f"{name} is now: {role}.")


@users_group.command("signout")
@click.argument("name")
@_db_option
def signout(name: str, database_url: str | None) -> None:
    """End NAME's web sign-ins on every device (their API tokens keep working)."""
    with _using(database_url) as store:
        store.sign_out_everywhere(name)
    click.echo(f"Signed {name!r} out of the web page everywhere.")


@users_group.command("list")
@_db_option
def list_users(database_url: str | None) -> None:
    """List the users (never their tokens)."""
    with _using(database_url) as store:
        users = store.list_users()
    if not users:
        click.echo("No users yet. Add one with `mastery users add NAME`.")
    for user in users:
        click.echo(f"{user.name}\t{user.role}\tsince {user.created_at:%Y-%m-%d}")


@users_group.command("remove")
@click.argument("name")
@_db_option
def remove(name: str, database_url: str | None) -> None:
    """Remove NAME, their tokens and web sign-ins for good. Their drafts stay in the
    database but nobody can open them, not even a new user given the same name."""
    with _using(database_url) as store:
        store.remove_user(name)
    click.echo(f"Removed user {name!r}.")


COMMANDS: list[click.Command] = [users_group]
