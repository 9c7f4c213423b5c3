"""Slack's state in the shared database: handled events and "Check wording" texts,
against SQLite and PostgreSQL, with two stores (two app instances) on one database."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.store import (
    CHECK_TEXT_KEEP,
    SLACK_EVENT_KEEP,
    CheckTextRow,
    DraftStore,
    SlackEventRow,
    utcnow,
)
from tests.dbfixtures import BACKENDS, database

OWNER = "slack:T0MOCK0001:U0ALICE001"
OTHER = "slack:T0MOCK0001:U0BOB00002"


@pytest.fixture(params=BACKENDS)
def two_stores(request: pytest.FixtureRequest, tmp_path: Path
               ) -> Iterator[tuple[DraftStore, DraftStore]]:
    """Two stores with engines of their own on one database, like two app instances."""
    with database(request.param, tmp_path) as url:
        first, second = DraftStore.open(url), DraftStore.open(url)
        try:
            yield first, second
        finally:
            first.close()
            second.close()


def count(store: DraftStore, row: type) -> int:
    with store.session() as session:
        return int(session.scalar(select(func.count()).select_from(row)) or 0)


def test_an_event_is_claimed_once_across_instances(two_stores) -> None:
    one, two = two_stores
    assert one.claim_event("Ev0PV52K21") is True
    assert two.claim_event("Ev0PV52K21") is False
    assert one.claim_event("Ev0PV52K21") is False
    assert two.claim_event("Ev0OTHER001") is True
    assert count(one, SlackEventRow) == 2


def test_racing_claims_of_one_event_have_exactly_one_winner(two_stores) -> None:
    stores = list(two_stores) * 4
    results: list[bool] = []
    lock = threading.Lock()
    start = threading.Barrier(len(stores))

    def claim(store: DraftStore) -> None:
        start.wait()
        won = store.claim_event("Ev0RACE0001")
        with lock:
            results.append(won)

    threads = [threading.Thread(target=claim, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(results) == [False] * (len(stores) - 1) + [True]


def test_odd_event_ids_are_claimed_safely(two_stores) -> None:
    one, two = two_stores
    long_id = "Ev" + "x" * 5000
    assert one.claim_event(long_id) is True
    assert two.claim_event(long_id) is False
    assert one.claim_event(long_id + "y") is True  # hashed, still distinct
    assert one.claim_event("Ev'; DROP TABLE slack_events; --") is True
    assert one.claim_event("Ev\x00nul") is True
    assert two.claim_event("Ev\x00nul") is False


def test_a_checked_text_is_kept_for_its_owner_only(two_stores) -> None:
    one, two = two_stores
    text = "Our rigorous program — “quotes”, émojis 🎓 and <@U0EVIL> stay as written.\n" * 50
    key = one.save_check_text(OWNER, text)
    assert len(key) == 32
    assert two.get_check_text(OWNER, key) == text  # the other instance sees it
    assert two.get_check_text(OTHER, key) is None  # another person does not
    assert two.get_check_text(OWNER, key[:-1] + ("0" if key[-1] != "0" else "1")) is None
    for odd in ("", "0" * 16, "../../etc/passwd", key.upper(), key + "0", "' OR 1=1 --"):
        assert one.get_check_text(OWNER, odd) is None


def test_a_checked_text_expires(two_stores) -> None:
    one, two = two_stores
    key = one.save_check_text(OWNER, "rigorous")
    later = utcnow() + CHECK_TEXT_KEEP - dt.timedelta(minutes=1)
    assert two.get_check_text(OWNER, key, now=later) == "rigorous"
    expired = utcnow() + CHECK_TEXT_KEEP + dt.timedelta(minutes=1)
    assert two.get_check_text(OWNER, key, now=expired) is None


def test_pruning_forgets_old_events_and_expired_texts_only(two_stores) -> None:
    one, two = two_stores
    now = utcnow()
    old = now - SLACK_EVENT_KEEP - dt.timedelta(minutes=5)
    assert one.claim_event("Ev0OLD00001", now=old) is True
    assert one.claim_event("Ev0NEW00001", now=now) is True
    stale = one.save_check_text(OWNER, "old", now=now - CHECK_TEXT_KEEP - dt.timedelta(hours=1))
    fresh = one.save_check_text(OWNER, "new", now=now)
    assert two.prune_slack_state(now=now) == (1, 1)
    assert count(one, SlackEventRow) == 1 and count(one, CheckTextRow) == 1
    assert one.get_check_text(OWNER, fresh) == "new"
    assert one.get_check_text(OWNER, stale) is None
    assert one.claim_event("Ev0NEW00001") is False  # still remembered
    assert one.claim_event("Ev0OLD00001") is True  # forgotten after a day: a new event
    assert two.prune_slack_state(now=now) == (0, 0)
