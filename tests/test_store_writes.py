"""Writers to one SQLite database take turns through bot.store.WriteLock (threads of one
process, and processes: here two stores on one file, which lock like two processes)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from bot.store import DraftStore, WriteLock


def test_a_writer_waits_for_the_one_in_another_process(tmp_path: Path) -> None:
    path = str(tmp_path / "drafts.db")
    first, second = WriteLock(path), WriteLock(path)  # two open files: two "processes"
    inside = threading.Event()
    release = threading.Event()
    order: list[str] = []

    def hold() -> None:
        with first():
            order.append("first in")
            inside.set()
            release.wait(10)
            order.append("first out")

    holder = threading.Thread(target=hold)
    holder.start()
    assert inside.wait(10)

    def enter() -> None:
        with second():
            order.append("second in")

    waiter = threading.Thread(target=enter)
    waiter.start()
    time.sleep(0.2)
    assert order == ["first in"]  # still waiting
    release.set()
    holder.join(10)
    waiter.join(10)
    assert order == ["first in", "first out", "second in"]
    first.close()
    second.close()


def test_a_write_inside_a_write_does_not_wait_for_itself(tmp_path: Path) -> None:
    lock = WriteLock(str(tmp_path / "drafts.db"))
    with lock(), lock():
        pass
    with lock():  # and the file lock was given back
        pass
    lock.close()


def test_concurrent_saves_from_two_stores_all_land(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'drafts.db'}"
    stores = [DraftStore.open(url), DraftStore.open(url, migrate_schema=False)]
    drafts = [stores[0].create_draft("local", "press-release", {"n": 0}) for _ in range(4)]
    errors: list[BaseException] = []

    def save(store: DraftStore, draft_id: str) -> None:
        try:
            version = 1
            for n in range(1, 26):
                version = store.update_draft("local", draft_id, base_version=version,
                                             data={"n": n}).version
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=save, args=(stores[i % 2], d.id))
               for i, d in enumerate(drafts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    for draft in drafts:
        saved = stores[1].get_draft("local", draft.id)
        assert saved.version == 26 and saved.data == {"n": 25}
        assert [v.version for v in stores[0].history("local", draft.id)] == list(range(26, 0, -1))
    for store in stores:
        store.close()


def test_an_in_memory_database_needs_no_lock_file(tmp_path: Path) -> None:
    store = DraftStore.open("sqlite://")
    assert store.create_draft("local", "press-release", {}).version == 1
    store.close()
    assert not list(tmp_path.iterdir())
