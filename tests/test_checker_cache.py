"""The compiled-rules cache gives the same checker, and notices every change."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from messaging import cache
from messaging.checker import Checker
from messaging.readability import get_textstat
from toolkit import Toolkit, load_toolkit

TEXT = "Our rigorous program reorganizes time. Every student gets a laptop. It's seat time."


def _build(root: Path) -> tuple[Checker, dict[str, str | None]]:
    tk = load_toolkit(root)
    return Checker.from_toolkit(tk), {t.id: t.audience for t in tk.templates.values()}


def test_cached_checker_matches_a_fresh_one(tmp_path: Path, toolkit: Toolkit) -> None:
    root = toolkit.root
    calls = []

    def build() -> tuple[Checker, dict[str, str | None]]:
        calls.append(1)
        return _build(root)

    first, templates = cache.load_checker(root, [], build, folder=tmp_path)
    second, templates2 = cache.load_checker(root, [], build, folder=tmp_path)
    assert len(calls) == 1, "the second load should come from the cache"
    assert templates == templates2
    for audience in (None, "parents", "legislators"):
        a = first.check(TEXT, audience=audience).to_dict()
        b = second.check(TEXT, audience=audience).to_dict()
        assert a == b


def test_cache_is_rebuilt_when_rules_change(tmp_path: Path, toolkit: Toolkit) -> None:
    root = tmp_path / "toolkit"
    shutil.copytree(toolkit.root, root)
    folder = tmp_path / "cache"
    folder.mkdir()
    checker, _ = cache.load_checker(root, [], lambda: _build(root), folder=folder)
    assert "rigorous" in {f.rule for f in checker.check(TEXT).flags}
    rules = root / "rules.yaml"
    rules.write_text(rules.read_text().replace("    - rigor~\n", "    - rigour~\n    - rigoro~\n"))
    checker, _ = cache.load_checker(root, [], lambda: _build(root), folder=folder)
    assert "rigorous" not in {f.rule for f in checker.check("A rigor test.").flags}


def test_a_corrupt_cache_file_is_ignored(tmp_path: Path, toolkit: Toolkit) -> None:
    cache.load_checker(toolkit.root, [], lambda: _build(toolkit.root), folder=tmp_path)
    for path in tmp_path.glob("checker-*.json"):
        path.write_text("{not json")
    checker, _ = cache.load_checker(toolkit.root, [], lambda: _build(toolkit.root), folder=tmp_path)
    assert checker.check(TEXT).flags


def test_cache_folder_must_be_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    folder = cache.cache_dir()
    assert folder is not None and folder.stat().st_mode & 0o077 == 0
    folder.chmod(0o777)
    assert cache.cache_dir() is None


def test_primed_hyphenation_counts_the_same_syllables(tmp_path: Path) -> None:
    import pyphen

    words = [
        "personalized",
        "competency",
        "based",
        "learning",
        "helps",
        "every",
        "student",
        "communicate",
    ]
    expected = [pyphen.Pyphen(lang="en_US").positions(w) for w in words]
    saved = dict(pyphen.hdcache)
    try:
        pyphen.hdcache.clear()
        cache.prime_hyphenation(tmp_path)  # parses and saves
        assert list(tmp_path.glob("pyphen-*.json"))
        pyphen.hdcache.clear()
        cache.prime_hyphenation(tmp_path)  # loads the saved patterns
        dic = pyphen.LANGUAGES[pyphen.language_fallback("en_US")]
        primed = pyphen.hdcache[dic]
        assert primed.patterns == pyphen.HyphDict(dic).patterns
        assert [pyphen.Pyphen(lang="en_US").positions(w) for w in words] == expected
    finally:
        pyphen.hdcache.clear()
        pyphen.hdcache.update(saved)


def test_textstat_scores_are_textstats_own() -> None:
    """The per-word syllable memo changes speed, not results."""
    import textstat

    text = (
        "Students move ahead when they show mastery. Teachers help them every day! "
        "Yes. No way. Is it fair? It is, e.g. for Dr. Lee's class - and more... Done."
    )
    ours = get_textstat()
    assert ours.syllable_count(text) == textstat.textstat.syllable_count(text)
    assert ours.sentence_count(text) == textstat.textstat.sentence_count(text)
    assert ours.coleman_liau_index(text) == textstat.coleman_liau_index(text)
    assert ours.flesch_reading_ease(text) == textstat.flesch_reading_ease(text)
    assert ours.flesch_kincaid_grade(text) == textstat.flesch_kincaid_grade(text)


def test_word_cache_round_trip_gives_identical_output(tmp_path: Path) -> None:
    """A cold and a warm word cache (words.json, saved at exit) give the same report."""
    import os
    import subprocess
    import sys

    doc = tmp_path / "doc.md"
    doc.write_text(
        "Our rigorous program reorganizes instructional time. Teachers help each student "
        "take ownership of their learning, with targeted support where they struggle.\n",
        encoding="utf-8",
    )
    env = {**os.environ, "TMPDIR": str(tmp_path / "tmp")}
    (tmp_path / "tmp").mkdir()

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", "from bot.cli import main; main()", "check", str(doc),
             "--format", "json", "--audience", "parents"],
            capture_output=True, text=True, env=env, timeout=120, check=False,
        )

    cold = run()
    saved = list((tmp_path / "tmp").glob("mastery-comms-*/words.json"))
    warm = run()
    assert cold.returncode == warm.returncode == 1, cold.stderr
    assert saved, "the word cache was not saved at exit"
    assert cold.stdout == warm.stdout
    assert '"rule": "rigorous"' in warm.stdout.replace('"rule":"rigorous"', '"rule": "rigorous"')
