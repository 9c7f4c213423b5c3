"""Schema migrations on SQLite and PostgreSQL: a fresh database goes to head; a database
at 0001 holding drafts goes to 0002 (Slack's shared state) and loses nothing."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from bot.db import current_revision, head_revision, migrate
from bot.store import DraftStore
from tests.dbfixtures import BACKENDS, database

SLACK_TABLES = {"slack_events", "check_texts"}


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with database(request.param, tmp_path) as found:
        yield found


class OldDraft:
    def __init__(self, draft_id: str) -> None:
        self.id = draft_id


def old_draft(store: DraftStore, owner: str, template: str, title: str,
              versions: list[dict[str, object]]) -> OldDraft:
    """A draft with its versions written in SQL, as an old schema holds it."""
    draft_id = "0a" * 16
    stamp = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with store.engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO drafts (id, owner, template, profile, title, data, version, "
            "created_at, updated_at) VALUES (:id, :owner, :template, NULL, :title, :data, "
            ":version, :stamp, :stamp)"),
            {"id": draft_id, "owner": owner, "template": template, "title": title,
             "data": json.dumps(versions[-1]), "version": len(versions), "stamp": stamp})
        for number, data in enumerate(versions, start=1):
            connection.execute(text(
                "INSERT INTO draft_versions (draft_id, version, profile, title, data, "
                "saved_at, note) VALUES (:id, :version, NULL, :title, :data, :stamp, '')"),
                {"id": draft_id, "version": number, "title": title, "data": json.dumps(data),
                 "stamp": stamp})
    return OldDraft(draft_id)


def tables(store: DraftStore) -> set[str]:
    return set(inspect(store.engine).get_table_names())


def test_the_head_is_0004() -> None:
    assert head_revision() == "0004_users_roles_sessions"


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
        # drafts as the 0001 schema saved them (today's store code knows later columns)
        draft = old_draft(old, "user:ann", "press-release", "Pilot news",
                          [{"headline": "Our pilot"},
                           {"headline": "Our pilot, week 2", "body": "é 🎓"}])
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
        with store.engine.connect() as connection:
            data = connection.execute(text("SELECT data FROM drafts WHERE id = :id"),
                                      {"id": draft.id}).scalar_one()
        assert (json.loads(data) if isinstance(data, str) else data) == {"headline": "Kept"}
        migrate(store.engine)  # and up again
        assert store.claim_event("Ev0DOWN0001") is True  # a new, empty table
    finally:
        store.close()


def migrate_down(store: DraftStore, revision: str) -> None:
    from alembic import command

    from bot.db import alembic_config

    config = alembic_config(store.engine)
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def test_0003_adds_the_draft_audience_keeping_drafts(url: str) -> None:
    old = DraftStore.open(url, migrate_schema=False)
    try:
        migrate(old.engine, "0002_slack_state")
        columns = {c["name"] for c in inspect(old.engine).get_columns("drafts")}
        assert "audience" not in columns
        draft = old_draft(old, "local", "email", "Old", [{"subject": "Kept"}])
    finally:
        old.close()
    store = DraftStore.open(url)
    try:
        kept = store.get_draft("local", draft.id)
        assert kept.data == {"subject": "Kept"} and kept.audience is None
        store.update_draft("local", draft.id, base_version=1, data={}, audience="teachers",
                           keep_audience=False)
        assert store.get_draft("local", draft.id).audience == "teachers"
        migrate_down(store, "0002_slack_state")
        assert "audience" not in {c["name"] for c in inspect(store.engine).get_columns("drafts")}
        migrate(store.engine)
    finally:
        store.close()


def add_user_at_0001(store: DraftStore, name: str) -> str:
    """A user and token written the way 0001's code wrote them (today's store code knows
    later columns)."""
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


def test_0004_keeps_users_and_their_sign_ins_and_downgrades(url: str) -> None:
    from bot.api import auth
    from bot.settings import Settings

    store = DraftStore.open(url, migrate_schema=False)
    try:
        migrate(store.engine, "0003_draft_audience")
        token = add_user_at_0001(store, "ann")
        migrate(store.engine)
        assert current_revision(store.engine) == "0004_users_roles_sessions"
        user = store.authenticate(token)
        assert user is not None and user.session_key == ""
        # a web session issued before the upgrade (no session key) is still good ...
        settings = Settings(secret_key="k")
        cookie = auth.make_session("user:ann", settings, b"k")
        assert auth.Identities(store, settings, b"k").session_owner(cookie) == "user:ann"
        # ... until the user is signed out everywhere
        store.sign_out_everywhere("ann")
        assert auth.Identities(store, settings, b"k").session_owner(cookie) is None
        assert [t.hint for t in store.list_tokens("ann")] == [""]
        migrate_down(store, "0003_draft_audience")
        assert "role" not in {c["name"] for c in inspect(store.engine).get_columns("users")}
        migrate(store.engine)
    finally:
        store.close()
