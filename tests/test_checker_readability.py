"""Readability: scores from textstat with a bundled syllable source, targets per audience,
advice in words — and no network, ever."""

from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from messaging.checker import Checker
from messaging.readability import SYLLABLE_SOURCE, readability
from toolkit import Toolkit

HARD = (
    "The implementation of competency-based educational methodologies necessitates "
    "comprehensive organizational transformation, considerable professional development "
    "investment, and sophisticated infrastructural modernization across institutional "
    "contexts, notwithstanding considerable heterogeneity in stakeholder expectations and "
    "preexisting administrative capacity. Consequently, administrators must systematically "
    "operationalize evaluation frameworks."
)
EASY = (
    "Your child moves ahead when they show they know the work. If they get stuck, the "
    "teacher helps right away. They get another chance to show what they know. You can "
    "see what your child has learned at any time. Ask us if you have a question."
)


def test_textstat_version_uses_pyphen() -> None:
    # 0.7.4+ count syllables with CMUdict, which recent releases download through NLTK
    assert importlib.metadata.version("textstat") == "0.7.3"
    assert "pyphen" in SYLLABLE_SOURCE


def test_scores_and_target_for_parents(toolkit: Toolkit) -> None:
    parents = toolkit.audiences["parents"]
    hard = readability(HARD, parents)
    easy = readability(EASY, parents)
    assert hard is not None and easy is not None
    assert hard.flesch_kincaid_grade > parents.readability.max_grade
    assert hard.flesch_reading_ease < easy.flesch_reading_ease
    assert easy.flesch_kincaid_grade <= parents.readability.max_grade
    assert easy.meets_target and not hard.meets_target
    assert hard.coleman_liau_index > easy.coleman_liau_index
    advice = " ".join(hard.advice)
    assert "grade 8" in advice and "target" in advice and "parents" in advice.lower()
    assert easy.advice[0].startswith("Meets")
    assert hard.to_dict()["target"]["max_grade"] == parents.readability.max_grade


def test_long_sentences_are_flagged_with_positions(toolkit: Toolkit) -> None:
    checker = Checker.from_toolkit(toolkit)
    long = " ".join(["Students"] + ["learn"] * 30) + "."
    text = f"Short one.\n\n{long} Another short one."
    report = checker.check(text, audience="parents")
    flags = [f for f in report.flags if f.rule == "long-sentence"]
    assert len(flags) == 1
    flag = flags[0]
    assert (flag.line, flag.column) == (3, 1)
    assert text[flag.start : flag.end] == long
    assert "31 words" in flag.message
    assert report.readability is not None
    assert report.readability.long_sentences[0].words == 31
    assert any("Split sentences over 25 words" in a for a in report.readability.advice)

    # the limit is the audience's: 28 words is too long for parents (25), not legislators (30)
    medium = " ".join(["Students"] + ["learn"] * 27) + "."

    def long_flags(audience: str) -> list[str]:
        report = checker.check(medium, audience=audience)
        return [f.rule for f in report.flags if f.rule == "long-sentence"]

    assert long_flags("parents") == ["long-sentence"]
    assert long_flags("legislators") == []


def test_sentence_splitting_ignores_decimals_and_abbreviations() -> None:
    summary = readability("The margin was 3.6 points, e.g. in Utah. Dr. Lee agreed. Done!")
    assert summary is not None and summary.sentences == 3


def test_no_words_no_summary() -> None:
    assert readability("") is None
    assert readability("```\ncode only\n```") is None


SITE = textwrap.dedent(
    """\
    import socket

    def _blocked(*args, **kwargs):
        raise OSError("network is unreachable (blocked by the test)")

    socket.socket.connect = _blocked
    socket.socket.connect_ex = _blocked
    socket.create_connection = _blocked
    socket.getaddrinfo = _blocked
    """
)

PROBE = textwrap.dedent(
    """\
    import json, socket, sys
    try:
        socket.create_connection(("pypi.org", 443), timeout=2)
        blocked = False
    except OSError:
        blocked = True
    from messaging.readability import readability
    r = readability(sys.argv[1])
    print(json.dumps({
        "blocked": blocked,
        "grade": r.flesch_kincaid_grade,
        "ease": r.flesch_reading_ease,
        "nltk": "nltk" in sys.modules,
        "source": r.syllable_source,
    }))
    """
)


def _offline_env(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "sitecustomize.py").write_text(SITE)
    (tmp_path / "home").mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MASTERY_", "NLTK"))}
    env.update(
        PYTHONPATH=os.pathsep.join([str(tmp_path / "site"), str(Path(__file__).parent.parent)]),
        HOME=str(tmp_path / "home"),
        NLTK_DATA=str(tmp_path / "home" / "nltk_data"),
        TMPDIR=str(tmp_path),
    )
    return env


def test_readability_works_with_the_network_unreachable(tmp_path: Path) -> None:
    env = _offline_env(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", PROBE, EASY], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["blocked"], "the socket block did not take effect"
    assert result["nltk"] is False
    assert 0 < result["grade"] < 8 and result["ease"] > 60
    assert not (tmp_path / "home" / "nltk_data").exists()


@pytest.mark.parametrize("runs", [2])
def test_cli_check_works_with_the_network_unreachable(tmp_path: Path, runs: int) -> None:
    env = _offline_env(tmp_path)
    doc = tmp_path / "letter.md"
    doc.write_text(EASY + " Our rigorous program helps.\n")
    mastery = Path(sys.executable).parent / "mastery"
    for _ in range(runs):  # the second run uses the rules cache
        done = subprocess.run(
            [str(mastery), "check", str(doc), "--audience", "parents", "--format", "json"],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
        assert done.returncode == 1, done.stderr
        data = json.loads(done.stdout)
        assert [f["rule"] for f in data["findings"]] == ["rigorous"]
        assert data["readability"][str(doc)]["flesch_kincaid_grade"] < 8
