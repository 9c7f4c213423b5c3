"""The drafts store against real databases: SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text

from bot.db import current_revision, head_revision, migrate
from bot.store import (
    DraftNotFound,
    DraftStore,
    InvalidInput,
    StaleVersion,
    TokenRow,
    UserExists,
    VersionNotFound,
    hash_token,
)
from tests.dbfixtures import BACKENDS, database


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DraftStore]:
    with database(request.param, tmp_path) as url:
        opened = DraftStore.open(url)
        try:
            yield opened
        finally:
            opened.close()


def test_fresh_database_is_migrated_to_head(store: DraftStore) -> None:
    assert current_revision(store.engine) == head_revision() is not None
    tables = set(inspect(store.engine).get_table_names())
    assert {"drafts", "draft_versions", "users", "api_tokens", "unanswered_questions",
            "alembic_version"} <= tables
    migrate(store.engine)  # applying again is a no-op
    assert current_revision(store.engine) == head_revision()


def test_create_get_list(store: DraftStore) -> None:
    draft = store.create_draft("local", "press-release", {"headline": "Hi"}, title="  My  news ")
    assert draft.version == 1 and draft.title == "My news" and draft.data == {"headline": "Hi"}
    assert store.get_draft("local", draft.id) == draft
    other = store.create_draft("local", "pilot-application", {}, profile="generic")
    listed = store.list_drafts("local")
    assert {d.id for d in listed} == {draft.id, other.id}
    assert [d.id for d in store.list_drafts("local", template="pilot-application")] == [other.id]
    assert store.get_draft("local", other.id).profile == "generic"


def test_updates_keep_every_version_and_restore_adds_one(store: DraftStore) -> None:
    draft = store.create_draft("local", "press-release", {"headline": "one"})
    two = store.update_draft("local", draft.id, base_version=1, data={"headline": "two"})
    three = store.update_draft("local", draft.id, base_version=2, data={"headline": "three"},
                               title="Renamed")
    assert (two.version, three.version, three.title) == (2, 3, "Renamed")
    history = store.history("local", draft.id)
    assert [(v.version, v.data["headline"]) for v in history] == [
        (3, "three"), (2, "two"), (1, "one")]
    restored = store.restore("local", draft.id, 1)
    assert restored.version == 4 and restored.data == {"headline": "one"}
    assert store.history("local", draft.id)[0].note == "restored version 1"
    with pytest.raises(VersionNotFound):
        store.restore("local", draft.id, 99)


def test_stale_update_is_refused_and_loses_nothing(store: DraftStore) -> None:
    draft = store.create_draft("local", "press-release", {"headline": "one"})
    store.update_draft("local", draft.id, base_version=1, data={"headline": "theirs"})
    with pytest.raises(StaleVersion) as caught:
        store.update_draft("local", draft.id, base_version=1, data={"headline": "mine"})
    assert caught.value.current.version == 2
    assert caught.value.current.data == {"headline": "theirs"}
    assert "Nothing was overwritten" in str(caught.value)
    assert store.get_draft("local", draft.id).data == {"headline": "theirs"}
    # a version that does not exist yet is not "saved elsewhere"
    with pytest.raises(StaleVersion) as ahead:
        store.update_draft("local", draft.id, base_version=9, data={"headline": "mine"})
    assert "has no version 9 yet" in str(ahead.value) and "elsewhere" not in str(ahead.value)
    assert len(store.history("local", draft.id)) == 2
    saved = store.update_draft("local", draft.id, base_version=2, data={"headline": "mine"})
    assert saved.version == 3


def test_concurrent_saves_on_one_version_exactly_one_wins(store: DraftStore) -> None:
    draft = store.create_draft("local", "press-release", {"n": 0})
    results: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(6)

    def writer(n: int) -> None:
        barrier.wait(timeout=30)
        try:
            store.update_draft("local", draft.id, base_version=1, data={"n": n})
            outcome = "saved"
        except StaleVersion:
            outcome = "stale"
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
        assert not t.is_alive(), "a save is stuck waiting on the database"
    assert sorted(results) == ["saved"] + ["stale"] * 5
    assert store.get_draft("local", draft.id).version == 2
    assert len(store.history("local", draft.id)) == 2


def test_owners_never_see_each_others_drafts(store: DraftStore) -> None:
    mine = store.create_draft("user:ann", "press-release", {"headline": "secret"})
    theirs = "slack:T1:U2"
    assert store.list_drafts(theirs) == []
    for attempt in (
        lambda: store.get_draft(theirs, mine.id),
        lambda: store.update_draft(theirs, mine.id, base_version=1, data={}),
        lambda: store.delete_draft(theirs, mine.id),
        lambda: store.history(theirs, mine.id),
        lambda: store.restore(theirs, mine.id, 1),
    ):
        with pytest.raises(DraftNotFound):
            attempt()
    assert store.get_draft("user:ann", mine.id).data == {"headline": "secret"}


def test_delete_removes_the_draft_and_its_history(store: DraftStore) -> None:
    draft = store.create_draft("local", "press-release", {})
    store.update_draft("local", draft.id, base_version=1, data={"a": 1})
    store.delete_draft("local", draft.id)
    with pytest.raises(DraftNotFound):
        store.get_draft("local", draft.id)
    with store.engine.connect() as connection:
        left = connection.execute(text("SELECT count(*) FROM draft_versions")).scalar()
    assert left == 0
    with pytest.raises(DraftNotFound):
        store.delete_draft("local", draft.id)


@pytest.mark.parametrize("bad_id", ["", "../../etc/passwd", "x" * 500, "DROP TABLE drafts", "1"])
def test_odd_ids_are_simply_not_found(store: DraftStore, bad_id: str) -> None:
    with pytest.raises(DraftNotFound):
        store.get_draft("local", bad_id)


def test_users_and_tokens_are_stored_hashed(store: DraftStore) -> None:
    user, token = store.add_user("ann")
    assert user.owner == "user:ann" and len(token) > 40
    assert store.authenticate(token) == user
    assert store.authenticate(token + "x") is None
    assert store.authenticate("") is None
    with store.session() as session:
        hashes = list(session.scalars(select(TokenRow.token_hash)))
    assert hashes == [hash_token(token)] and token not in hashes
    with pytest.raises(UserExists):
        store.add_user("ann")
    with pytest.raises(InvalidInput):
        store.add_user("../evil")
    second = store.new_token("ann")
    assert store.authenticate(second) == user
    store.remove_user("ann")
    assert store.authenticate(token) is None and store.authenticate(second) is None
    assert store.list_users() == []


def test_unanswered_log(store: DraftStore) -> None:
    first = store.log_question("Do kids get summers off?", channel="web", audience="parents")
    store.log_question("What about band?", channel="slack", helpful=False, answer_id="grades")
    store.mark_helpful(first, False)
    logged = store.unanswered()
    assert [q.question for q in logged] == ["What about band?", "Do kids get summers off?"]
    assert logged[1].helpful is False and logged[1].audience == "parents"
    assert [q.channel for q in store.unanswered(channel="slack")] == ["slack"]
    assert store.count_unanswered() == 2
    with pytest.raises(InvalidInput):
        store.log_question("x", channel="fax")


def test_sqlite_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    opened = DraftStore.open(f"sqlite:///{tmp_path / 'sub' / 'x.db'}")
    try:
        with opened.engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        opened.close()
