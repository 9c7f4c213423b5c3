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

import atexit
import contextlib
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
from toolkit.fileio import write_atomic

CACHE_FORMAT = 4  # 3: typed suggestions, explained terms, questions; 4: key from declared inputs
#: what the cache holds is compiled from: the kinds of content the checker declares it
#: reads, plus the templates (their audiences are saved beside it)
CACHE_INPUTS = (*Checker.INPUTS, "templates")

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
    """The cache key: derived from the files of the checker's declared inputs
    (:data:`CACHE_INPUTS`, located by ``toolkit/layout.py``), the engine's own code
    (every module of this package) and the user's rule files — no list kept by hand."""
    from toolkit.layout import input_files

    here = Path(__file__).parent
    parts: list[Any] = [CACHE_FORMAT, str(root.resolve())]
    parts += [_stat(p) for p in sorted(here.glob("*.py"))]
    parts += [_stat(p) for p in input_files(root, CACHE_INPUTS)]
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
        with contextlib.suppress(OSError):
            write_atomic(path, json.dumps(payload, ensure_ascii=False), mode=0o600)
    return checker, templates


# ------------------------------------------------------------ hyphenation
#: the word cache (syllables and stems of words met in earlier runs) holds at most this
MAX_SAVED_WORDS = 50_000


def prime_hyphenation(folder: Path | None = None, lang: str = "en_US") -> None:
    """Let textstat's syllable counter (Pyphen) start without re-parsing its dictionary.

    Pyphen parses its ~5,000 hyphenation patterns (80 ms) each time a process
    starts. The first run saves the parsed patterns — Pyphen's own result —
    as JSON beside the rules cache; later runs hand Pyphen a dictionary that
    reads them back only if a word's syllables are not already known, so
    syllable counts are identical. Any mismatch (another Pyphen version, an
    unexpected internal layout) falls back to Pyphen's normal parsing.

    It also loads the word cache (see :func:`prime_words`).
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
        if dic not in pyphen.hdcache:
            _prime_dictionary(pyphen, dic, folder)
    except (OSError, AttributeError, KeyError, TypeError, ValueError):
        pass
    prime_words(folder)


def _prime_dictionary(pyphen: Any, dic: Any, folder: Path) -> None:
    version = getattr(pyphen, "__version__", "?")
    stamp = _stat(Path(str(dic)))[1:]
    # the stamp is in the name too, so a changed dictionary is parsed (and saved) afresh
    label = hashlib.sha256(json.dumps(stamp).encode()).hexdigest()[:8]
    path = folder / f"pyphen-{version}-{Path(str(dic)).name}-{label}.json"
    if path.is_file():
        pyphen.hdcache[dic] = _lazy_dictionary(pyphen, dic, path, stamp)
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
    write_atomic(path, json.dumps(payload, ensure_ascii=False), mode=0o600)


def _lazy_dictionary(pyphen: Any, dic: Any, path: Path, stamp: list[Any]) -> Any:
    """A Pyphen dictionary whose patterns are read (from ``path``) when first needed."""

    class LazyHyphDict(pyphen.HyphDict):  # type: ignore[misc,name-defined]
        def __init__(self) -> None:  # noqa: D107 - Pyphen's parsing is deferred
            self.cache: dict[str, Any] = {}

        def __getattr__(self, name: str) -> Any:
            if name not in ("patterns", "maxlen"):
                raise AttributeError(name)
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                if data.get("stamp") != stamp:
                    raise ValueError("stale")
                self.patterns = {k: (v[0], tuple(v[1])) for k, v in data["patterns"].items()}
                self.maxlen = data["maxlen"]
            except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
                parsed = pyphen.HyphDict(dic)  # Pyphen's own parsing, as without a cache
                self.patterns, self.maxlen = parsed.patterns, parsed.maxlen
            return self.__dict__[name]

    return LazyHyphDict()


def _word_stamp() -> list[Any]:
    """What per-word syllables and stems depend on: Pyphen, its dictionary, Snowball."""
    import pyphen

    stems = importlib.util.find_spec("snowballstemmer")
    dic = pyphen.LANGUAGES[pyphen.language_fallback("en_US")]
    origin = stems.origin if stems is not None and stems.origin else ""
    return [
        CACHE_FORMAT,
        getattr(pyphen, "__version__", "?"),
        _stat(Path(str(dic)))[1:],
        _stat(Path(origin).parent / "english_stemmer.py")[1:],
        _stat(Path(__file__).parent / "readability.py")[1:],
    ]


def prime_words(folder: Path | None = None) -> None:
    """Load the syllables and stems of words met in earlier runs; save new ones at exit.

    A short-lived ``mastery check`` process would otherwise hyphenate (Pyphen,
    ~40 µs a word) and stem every distinct word of the text again. The cache
    holds Pyphen's and Snowball's own results, keyed by their versions, so
    counts and matches are identical; at most :data:`MAX_SAVED_WORDS` words.
    """
    from messaging.readability import SYLLABLES

    folder = folder if folder is not None else cache_dir()
    if folder is None:
        return
    path = folder / "words.json"
    try:
        stamp = _word_stamp()
    except (OSError, AttributeError, KeyError, TypeError, ValueError):
        return
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and data.get("stamp") == stamp:
            syllables, stems = data["syllables"], data["stems"]
            if all(type(v) is int for v in syllables.values()) and all(
                type(v) is str for v in stems.values()
            ):
                for word, count in syllables.items():
                    SYLLABLES.setdefault(word, count)
                for word, stem in stems.items():
                    matching._STEMS.setdefault(word, stem)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    known = (len(SYLLABLES), len(matching._STEMS))
    atexit.register(_save_words, path, stamp, known)


def _save_words(path: Path, stamp: list[Any], known: tuple[int, int]) -> None:
    from messaging.readability import SYLLABLES

    if (len(SYLLABLES), len(matching._STEMS)) == known:
        return  # nothing new
    half = MAX_SAVED_WORDS // 2
    payload = {
        "stamp": stamp,
        "syllables": dict(list(SYLLABLES.items())[:half]),
        "stems": dict(list(matching._STEMS.items())[:half]),
    }
    with contextlib.suppress(OSError):
        write_atomic(path, json.dumps(payload, ensure_ascii=False), mode=0o600)
