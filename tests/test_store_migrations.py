"""Schema migrations on SQLite and PostgreSQL: a fresh database goes to head; a database
at 0001 holding drafts goes to 0002 (Slack's shared state) and loses nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect

from bot.db import current_revision, head_revision, migrate
from bot.store import DraftStore
from tests.dbfixtures import BACKENDS, database

SLACK_TABLES = {"slack_events", "check_texts"}


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with database(request.param, tmp_path) as found:
        yield found


def tables(store: DraftStore) -> set[str]:
    return set(inspect(store.engine).get_table_names())


def test_the_head_is_0003() -> None:
    assert head_revision() == "0003_users_roles_sessions"


def test_a_fresh_database_upgrades_to_head(url: str) -> None:
    store = DraftStore.open(url)
    try:
        assert current_revision(store.engine) == head_revision()
        assert SLACK_TABLES | {"drafts", "draft_versions", "users", "api_tokens",
                               "unanswered_questions"} <= tables(store)
        assert store.claim_event("Ev0FRESH001") is True
    finally:
        store.close()


def test_a_database_at_0001_with_drafts_upgrades_without_losing_them(url: str) -> None:
    old = DraftStore.open(url, migrate_schema=False)
    try:
        migrate(old.engine, "0001_initial")
        assert current_revision(old.engine) == "0001_initial"
        assert not SLACK_TABLES & tables(old)
        draft = old.create_draft("user:ann", "press-release", {"headline": "Our pilot"},
                                 title="Pilot news")
        old.update_draft("user:ann", draft.id, base_version=1,
                         data={"headline": "Our pilot, week 2", "body": "é 🎓"})
        token = add_user_at_0001(old, "ann")
        old.log_question("what is a competency?", channel="slack")
    finally:
        old.close()

    store = DraftStore.open(url)  # what `mastery serve` does on start-up
    try:
        assert current_revision(store.engine) == head_revision()
        assert tables(store) >= SLACK_TABLES
        kept = store.get_draft("user:ann", draft.id)
        assert kept.version == 2 and kept.title == "Pilot news"
        assert kept.data == {"headline": "Our pilot, week 2", "body": "é 🎓"}
        assert [v.version for v in store.history("user:ann", draft.id)] == [2, 1]
        user = store.authenticate(token)
        assert user is not None and user.role == "user" and not user.is_editor
        assert [q.question for q in store.unanswered()] == ["what is a competency?"]
        # the new tables work, and a later save still works on the upgraded schema
        assert store.claim_event("Ev0UPGRADED") is True
        key = store.save_check_text("slack:T:U", "rigorous")
        assert store.get_check_text("slack:T:U", key) == "rigorous"
        store.update_draft("user:ann", draft.id, base_version=2, data={"headline": "v3"})
    finally:
        store.close()


def test_0002_downgrades_to_0001_keeping_drafts(url: str) -> None:
    store = DraftStore.open(url)
    try:
        draft = store.create_draft("local", "press-release", {"headline": "Kept"})
        store.claim_event("Ev0DOWN0001")
        migrate_down(store, "0001_initial")
        assert current_revision(store.engine) == "0001_initial"
        assert not SLACK_TABLES & tables(store)
        assert store.get_draft("local", draft.id).data == {"headline": "Kept"}
        migrate(store.engine)  # and up again
        assert store.claim_event("Ev0DOWN0001") is True  # a new, empty table
    finally:
        store.close()


def add_user_at_0001(store: DraftStore, name: str) -> str:
    """A user and token written the way 0001's code wrote them (today's ORM has more
    columns)."""
    from sqlalchemy import text

    from bot.store import hash_token, new_token, utcnow

    token = new_token()
    with store.engine.begin() as connection:
        user_id = connection.execute(
            text("INSERT INTO users (name, created_at) VALUES (:n, :t) RETURNING id"),
            {"n": name, "t": utcnow()}).scalar_one()
        connection.execute(
            text("INSERT INTO api_tokens (user_id, token_hash, created_at) VALUES (:u, :h, :t)"),
            {"u": user_id, "h": hash_token(token), "t": utcnow()})
    return token


def test_0003_keeps_users_and_their_sign_ins_and_downgrades(url: str) -> None:
    from bot.api import auth
    from bot.settings import Settings

    store = DraftStore.open(url, migrate_schema=False)
    try:
        migrate(store.engine, "0002_slack_state")
        token = add_user_at_0001(store, "ann")
        migrate(store.engine)
        assert current_revision(store.engine) == "0003_users_roles_sessions"
        user = store.authenticate(token)
        assert user is not None and user.session_key == ""
        # a web session issued before the upgrade (no session key) is still good ...
        settings = Settings(secret_key="k")
        identities = auth.Identities(store, settings, b"k")
        cookie = auth.make_session("user:ann", settings, b"k")
        assert identities.session_owner(cookie) == "user:ann"
        # ... until the user is signed out everywhere
        store.sign_out_everywhere("ann")
        assert auth.Identities(store, settings, b"k").session_owner(cookie) is None
        assert [t.hint for t in store.list_tokens("ann")] == [""]
        migrate_down(store, "0002_slack_state")
        assert "role" not in {c["name"] for c in inspect(store.engine).get_columns("users")}
    finally:
        store.close()


def migrate_down(store: DraftStore, revision: str) -> None:
    from alembic import command

    from bot.db import alembic_config

    config = alembic_config(store.engine)
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
