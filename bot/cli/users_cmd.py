"""``mastery users …``: people who may sign in to the web workspace and API."""

from __future__ import annotations

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


@click.group("users")
def users_group() -> None:
    """Add, list and remove the people who may sign in (needed when serving on a network)."""


@users_group.command("add")
@click.argument("name")
@_db_option
def add(name: str, database_url: str | None) -> None:
    """Create the user NAME and print their API token (shown only once)."""
    from bot.store import StoreError

    store = _store(database_url)
    try:
        user, token = store.add_user(name)
    except StoreError as exc:
        fail(str(exc))
    finally:
        store.close()
    click.echo(f"Created user {user.name!r}. Their API token (shown only this once; keep it "
               "somewhere safe):")
    click.echo(token)
    click.echo("Use it on the workspace's sign-in page, or send it as "
               "'Authorization: Bearer <token>'.", err=True)


@users_group.command("token")
@click.argument("name")
@_db_option
def token(name: str, database_url: str | None) -> None:
    """Issue another API token for NAME (e.g. when one was lost)."""
    from bot.store import StoreError

    store = _store(database_url)
    try:
        click.echo(store.new_token(name))
    except StoreError as exc:
        fail(str(exc))
    finally:
        store.close()


@users_group.command("list")
@_db_option
def list_users(database_url: str | None) -> None:
    """List the users (never their tokens)."""
    store = _store(database_url)
    try:
        users = store.list_users()
    finally:
        store.close()
    if not users:
        click.echo("No users yet. Add one with `mastery users add NAME`.")
    for user in users:
        click.echo(f"{user.name}\tsince {user.created_at:%Y-%m-%d}")


@users_group.command("remove")
@click.argument("name")
@_db_option
def remove(name: str, database_url: str | None) -> None:
    """Remove NAME and their tokens (their drafts stay in the database)."""
    from bot.store import StoreError

    store = _store(database_url)
    try:
        store.remove_user(name)
    except StoreError as exc:
        fail(str(exc))
    finally:
        store.close()
    click.echo(f"Removed user {name!r}.")


COMMANDS: list[click.Command] = [users_group]
