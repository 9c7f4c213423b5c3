"""The one bounded reader and the one atomic writer (toolkit.fileio), used by the CLI,
the caches and the drafter."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from toolkit.fileio import TooLarge, atomic_target, read_bounded, write_atomic


def test_reads_up_to_the_limit_and_refuses_more(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * 10)
    assert read_bounded(path, 10) == b"x" * 10
    with pytest.raises(TooLarge) as caught:
        read_bounded(path, 9)
    assert caught.value.size == 10 and caught.value.limit == 9


def test_an_endless_source_costs_at_most_the_limit() -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero here")
    with pytest.raises(TooLarge) as caught:
        read_bounded("/dev/zero", 1000)  # a character device: no size to go by
    assert caught.value.size is None
    stream = io.BytesIO(b"y" * 5000)
    with pytest.raises(TooLarge):
        read_bounded(stream, 1000)
    assert stream.tell() == 1001  # read no further than one byte past the limit


def test_a_folder_or_a_missing_file_is_an_oserror(tmp_path: Path) -> None:
    with pytest.raises(IsADirectoryError):
        read_bounded(tmp_path, 10)
    with pytest.raises(FileNotFoundError):
        read_bounded(tmp_path / "nope", 10)


def test_write_atomic_keeps_the_mode_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    write_atomic(target, "new\r\n")
    assert target.read_bytes() == b"new\r\n"
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["out.md"]
    write_atomic(tmp_path / "cache.json", b"{}", mode=0o600)
    assert (tmp_path / "cache.json").stat().st_mode & 0o777 == 0o600


def test_a_failure_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_target(target) as tmp:
        tmp.write_text("half", encoding="utf-8")
        raise RuntimeError("disk full")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.md"]


def test_a_folder_is_made_whole_or_not_at_all(tmp_path: Path) -> None:
    target = tmp_path / "copy"
    with atomic_target(target, folder=True) as tmp:
        (tmp / "a.yaml").write_text("a: 1\n", encoding="utf-8")
    assert (target / "a.yaml").is_file()
    assert target.stat().st_mode & 0o777 == 0o777 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
