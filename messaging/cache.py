"""A cache of compiled phrase rules, so ``mastery check`` starts in a blink.

Loading and validating the whole toolkit (pydantic models, every YAML file)
takes longer than checking a 10,000-word document. The checker only needs
four files (sources, findings, audiences, rules) plus the templates' audience
and any user rule files, so the compiled checker is saved as JSON, keyed by
the size and modification time of exactly those files and of the engine
itself. A hit skips the toolkit; a miss (any of those files changed) loads and
validates the toolkit as usual and rewrites the cache.

The cache lives in a private folder in the system's temporary directory
(``mastery-comms-<uid>``, mode 700). It holds only JSON (never code); if the
folder is not ours or not private, or anything goes wrong, the cache is
simply not used.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from messaging import matching
from messaging.checker import Checker

CACHE_FORMAT = 2
CHECKER_FILES = ("sources.yaml", "findings.yaml", "audiences.yaml", "rules.yaml")
_ENGINE_FILES = ("checker.py", "matching.py", "cache.py", "readability.py", "markup.py")

Templates = dict[str, str | None]


def packaged_toolkit_path() -> Path:
    """The shipped toolkit folder, found without importing (and validating) the toolkit package."""
    spec = importlib.util.find_spec("toolkit")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover - broken install
        raise RuntimeError("the toolkit package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "content"


def cache_dir() -> Path | None:
    """Our private cache folder, or None when there is no safe place for it."""
    try:
        uid = os.getuid() if hasattr(os, "getuid") else None
        folder = Path(tempfile.gettempdir()) / f"mastery-comms-{uid if uid is not None else 'user'}"
        folder.mkdir(mode=0o700, exist_ok=True)
        info = folder.stat()
        if uid is not None and (info.st_uid != uid or info.st_mode & 0o077):
            return None
        return folder
    except OSError:
        return None


def _stat(path: Path) -> list[Any]:
    try:
        info = path.stat()
    except OSError:
        return [str(path), None]
    return [str(path), info.st_size, info.st_mtime_ns]


def fingerprint(root: Path, rule_files: Iterable[Path]) -> str:
    here = Path(__file__).parent
    parts: list[Any] = [CACHE_FORMAT, str(root.resolve())]
    parts += [_stat(here / name) for name in _ENGINE_FILES]
    parts += [_stat(root / name) for name in CHECKER_FILES]
    templates = root / "templates"
    if templates.is_dir():
        parts += [_stat(p) for p in sorted(templates.glob("*.yaml"))]
    parts += [_stat(Path(p).resolve()) for p in rule_files]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def load_checker(
    root: Path,
    rule_files: Iterable[Path],
    build: Callable[[], tuple[Checker, Templates]],
    folder: Path | None = None,
) -> tuple[Checker, Templates]:
    """The checker for ``root`` + ``rule_files``: from the cache, or from ``build()`` (then cached).

    ``build`` loads the toolkit and compiles it; its errors propagate unchanged.
    Returns the checker and a map of template id -> the template's audience.
    """
    files = [Path(p) for p in rule_files]
    key = fingerprint(root, files)
    folder = folder if folder is not None else cache_dir()
    path = None
    if folder is not None:
        name = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
        path = folder / f"checker-{name}.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("key") == key:
                for word, stem in data.get("stems", {}).items():
                    matching._STEMS.setdefault(word, stem)
                return Checker.from_data(data["checker"]), dict(data.get("templates", {}))
        except (OSError, ValueError, KeyError, TypeError):
            pass
    checker, templates = build()
    if path is not None:
        payload = {
            "key": key,
            "checker": checker.to_data(),
            "templates": templates,
            "stems": dict(matching._STEMS),
        }
        try:
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".checker-", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(payload, out, ensure_ascii=False)
            os.replace(tmp, path)
        except OSError:
            pass
    return checker, templates


# ------------------------------------------------------------ hyphenation
def prime_hyphenation(folder: Path | None = None, lang: str = "en_US") -> None:
    """Let textstat's syllable counter (Pyphen) start without re-parsing its dictionary.

    Pyphen parses its ~5,000 hyphenation patterns (80 ms) each time a process
    starts. The first run saves the parsed patterns — Pyphen's own result —
    as JSON beside the rules cache; later runs hand them back to Pyphen, so
    syllable counts are identical. Any mismatch (another Pyphen version, an
    unexpected internal layout) falls back to Pyphen's normal parsing.
    """
    folder = folder if folder is not None else cache_dir()
    if folder is None:
        return
    try:
        import pyphen
    except ImportError:  # pragma: no cover - pyphen is a textstat dependency
        return
    try:
        dic = pyphen.LANGUAGES[pyphen.language_fallback(lang)]
        if dic in pyphen.hdcache:
            return
        version = getattr(pyphen, "__version__", "?")
        path = folder / f"pyphen-{version}-{Path(str(dic)).name}.json"
        stamp = _stat(Path(str(dic)))[1:]
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = None
        if isinstance(data, dict) and data.get("stamp") == stamp:
            hd = pyphen.HyphDict.__new__(pyphen.HyphDict)
            hd.patterns = {k: (v[0], tuple(v[1])) for k, v in data["patterns"].items()}
            hd.cache = {}
            hd.maxlen = data["maxlen"]
            pyphen.hdcache[dic] = hd
            return
        hd = pyphen.HyphDict(dic)
        pyphen.hdcache[dic] = hd
        patterns = hd.patterns
        if any(type(x) is not int for _, values in patterns.values() for x in values):
            return  # non-standard hyphenation data: not plain JSON, leave it to Pyphen
        payload = {
            "stamp": stamp,
            "maxlen": hd.maxlen,
            "patterns": {k: [start, list(values)] for k, (start, values) in patterns.items()},
        }
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".pyphen-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(payload, out, ensure_ascii=False)
        os.replace(tmp, path)
    except (OSError, AttributeError, KeyError, TypeError, ValueError):
        return
