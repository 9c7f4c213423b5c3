"""The one bounded reader and the one atomic writer (every layer may import ``toolkit``).

* :func:`read_bounded` reads a file, or standard input, and never more than ``limit`` + 1
  bytes: a huge file, ``/dev/zero`` or an endless pipe costs at most that much memory.
  Too much raises :class:`TooLarge`; everything else is the usual ``OSError``
  (``FileNotFoundError``, ``IsADirectoryError``, ``PermissionError``…) for the caller to
  word for its users.
* :func:`write_atomic` writes a file through a temporary file in the same folder, synced
  and then renamed over the target: a reader sees the old file or the new one, never half
  of one. :func:`atomic_target` does the same for anything made at a temporary path (a
  folder copied in full, a cache file written by ``json.dump``).
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


class TooLarge(ValueError):
    """More than ``limit`` bytes; ``size`` is the file's size when it is known."""

    def __init__(self, name: str, limit: int, size: int | None = None) -> None:
        self.name, self.limit, self.size = name, limit, size
        shown = f" ({size / 1_000_000:.1f} MB)" if size is not None else ""
        super().__init__(f"{name} is larger than {limit / 1_000_000:g} MB{shown}")


def read_bounded(source: str | Path | BinaryIO | None, limit: int) -> bytes:
    """At most ``limit`` bytes of ``source``: a path (``"-"`` or ``None`` is standard input)
    or an open binary file. Raises :class:`TooLarge` past ``limit``, ``OSError`` if it
    cannot be read (``OSError`` too when there is no standard input)."""
    name = "<stdin>"
    if source is None or (isinstance(source, str) and source == "-"):
        if sys.stdin is None:
            raise OSError(0, "standard input is closed")
        data = sys.stdin.buffer.read(limit + 1)
    elif isinstance(source, str | Path):
        path = Path(source)
        name = str(path)
        if path.is_dir():
            raise IsADirectoryError(21, "Is a directory", name)
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > limit:  # a regular file says its size: refuse without reading
                raise TooLarge(name, limit, size)
            data = handle.read(limit + 1)
    else:
        name = str(getattr(source, "name", "input"))
        data = source.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(name, limit)
    return data


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


@contextmanager
def atomic_target(target: Path, *, folder: bool = False,
                  mode: int | None = None) -> Iterator[Path]:
    """A temporary path next to ``target`` (a file, or an empty folder with
    ``folder=True``) to make the new content at; renamed over ``target`` when the block
    ends, removed if it raises; a symbolic link stays, and the file it points to is
    replaced. A file keeps the mode of the one it replaces (a new one
    gets the usual ``0o666 & ~umask``); a folder gets ``0o777 & ~umask``; ``mode`` says
    otherwise (``0o600`` for a private cache)."""
    import shutil

    if not folder and target.is_symlink():
        # a link is kept and the file it points to gets the new content (as editors do)
        target = Path(os.path.realpath(target))
    parent = target.parent if str(target.parent) else Path(".")
    if folder:
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=parent))
    else:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent)
        os.close(fd)
        tmp = Path(name)
    try:
        yield tmp
        if mode is not None:
            tmp.chmod(mode)
        elif folder:
            tmp.chmod(0o777 & ~_umask())
        else:
            keep = (target.stat().st_mode & 0o7777 if target.is_file()
                    else 0o666 & ~_umask())
            tmp.chmod(keep)
        os.replace(tmp, target)
    except BaseException:
        if folder:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            tmp.unlink(missing_ok=True)
        raise


def write_atomic(target: Path, content: bytes | str, *, encoding: str = "utf-8",
                 mode: int | None = None) -> None:
    """Write ``content`` to ``target`` in one step (see :func:`atomic_target`): synced to
    disk before the rename. Text is written as given (no newline translation).
    Raises ``OSError``; on any failure ``target`` is as it was."""
    data = content.encode(encoding) if isinstance(content, str) else content
    with atomic_target(target, mode=mode) as tmp, tmp.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


__all__ = ["TooLarge", "atomic_target", "read_bounded", "write_atomic"]
