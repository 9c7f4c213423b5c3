"""How the bot keeps Slack's state: in the database, pruned in the background, and in
this process only when there is no store or the database fails (never a lost reply)."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from bot.slack.services import Services
from bot.store import SLACK_EVENT_KEEP, DraftStore, utcnow

OWNER = "slack:T0MOCK0001:U0ALICE001"


def services(toolkit: Any, store: DraftStore | None) -> Services:
    from bot.settings import Settings

    # the engines are not used here: stand-ins keep the test quick
    return Services.build(Settings(secret_key="k"), toolkit, store, faq=object(),
                          checker=object(), login_link=lambda owner, draft_id=None: "")


@pytest.fixture()
def store(tmp_path: Path):
    opened = DraftStore.open(f"sqlite:///{tmp_path / 'state.db'}")
    yield opened
    opened.close()


def test_without_a_store_state_is_kept_in_this_process(toolkit) -> None:
    svc = services(toolkit, None)

    async def go() -> None:
        assert await svc.claim_event("Ev1") is True
        assert await svc.claim_event("Ev1") is False
        key = await svc.remember_text(OWNER, "rigorous")
        assert await svc.recall_text(OWNER, key) == "rigorous"
        assert await svc.recall_text("slack:T:OTHER", key) is None
        assert await svc.recall_text(OWNER, "f" * 32) is None

    asyncio.run(go())


def test_state_goes_to_the_database(toolkit, store: DraftStore) -> None:
    svc = services(toolkit, store)

    async def go() -> str:
        assert await svc.claim_event("Ev2") is True
        assert await svc.claim_event("Ev2") is False
        return await svc.remember_text(OWNER, "rigorous")

    key = asyncio.run(go())
    assert svc.seen_events.get("Ev2") is None and svc.texts.get(key) is None
    assert store.claim_event("Ev2") is False
    assert store.get_check_text(OWNER, key) == "rigorous"


def test_a_failing_database_falls_back_to_this_process(toolkit, store: DraftStore,
                                                       caplog) -> None:
    with store.engine.begin() as connection:  # the database breaks under the bot
        connection.execute(text("DROP TABLE slack_events"))
        connection.execute(text("DROP TABLE check_texts"))
    svc = services(toolkit, store)

    async def go() -> None:
        assert await svc.claim_event("Ev3") is True  # still answered …
        assert await svc.claim_event("Ev3") is False  # … and once, on this instance
        key = await svc.remember_text(OWNER, "rigorous")
        assert await svc.recall_text(OWNER, key) == "rigorous"

    asyncio.run(go())
    assert "de-duplicating in this process only" in caplog.text


def test_old_events_are_pruned_in_the_background(toolkit, store: DraftStore) -> None:
    old = utcnow() - SLACK_EVENT_KEEP - dt.timedelta(hours=1)
    store.claim_event("Ev0ANCIENT", now=old)
    expired = store.save_check_text(OWNER, "old", keep=dt.timedelta(seconds=-1))
    svc = services(toolkit, store)

    async def go() -> None:
        assert await svc.claim_event("Ev0NEW") is True
        await asyncio.gather(*svc._background)  # the pruning started by that claim

    asyncio.run(go())
    assert store.claim_event("Ev0ANCIENT") is True  # forgotten, so new again
    assert store.claim_event("Ev0NEW") is False
    with store.engine.connect() as connection:
        left = connection.execute(text("SELECT id FROM check_texts")).scalars().all()
    assert expired not in left
