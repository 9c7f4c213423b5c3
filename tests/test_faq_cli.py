"""`mastery ask`, `mastery myths`, `mastery faq`: text, JSON, JSON Lines, files, bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.cli import cli
from toolkit import Toolkit

MASTERY = Path(sys.executable).with_name("mastery")


def run(*args: str, input: str | bytes | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


# ------------------------------------------------------------------ one question
def test_ask_text_answer() -> None:
    result = run("ask", "how are students graded")
    assert result.exit_code == 0, result.output
    assert "[grading, score" in result.stdout
    assert "Sources:" in result.stdout
    assert "--full" in result.stdout


def test_ask_json_answer(toolkit: Toolkit) -> None:
    result = run("ask", "can kids retake a test", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    for key in ("question", "id", "kind", "score", "answer", "sources", "suggestions"):
        assert key in data
    assert data["id"] == "retakes" and data["kind"] == "faq"
    assert data["answer"] == toolkit.faq["retakes"].short
    assert all({"id", "title", "author", "year"} <= s.keys() for s in data["sources"])


def test_ask_full_and_audience(toolkit: Toolkit) -> None:
    entry = next(e for e in toolkit.faq.values() if e.audience_answers)
    audience_id, text = next(iter(entry.audience_answers.items()))
    data = json.loads(run("ask", entry.question, "--audience", audience_id, "--json").stdout)
    assert data["id"] == entry.id and data["answer"] == text and data["audience"] == audience_id
    full = json.loads(run("ask", entry.question, "--full", "--json").stdout)
    assert full["answer"] == entry.full and full["full"] is True


def test_ask_myth_text() -> None:
    result = run("ask", "isn't this just lowering the bar?")
    assert result.exit_code == 0
    assert result.stdout.startswith("Myth:") and "Fact:" in result.stdout


def test_ask_out_of_scope_says_it_does_not_know() -> None:
    result = run("ask", "what time does the bus come")
    assert result.exit_code == 0
    assert "outside this toolkit" in result.stdout
    data = json.loads(run("ask", "what time does the bus come", "--json").stdout)
    assert data["id"] is None and data["answer"] is None and data["kind"] is None


def test_ask_near_miss_lists_did_you_mean() -> None:
    question = "what do people around here think"  # near, but no entry fits
    data = json.loads(run("ask", question, "--json").stdout)
    assert data["id"] is None and data["reason"] == "low-score"
    assert data["suggestions"] and data["choices"] == []
    text = run("ask", question).stdout
    assert "Did you mean:" in text
    assert f"[{data['suggestions'][0]['id']}," in text


def test_ask_close_entries_are_offered_as_choices() -> None:
    question = "report cards and testing"
    data = json.loads(run("ask", question, "--json").stdout)
    assert data["id"] is None and data["answer"] is None and data["reason"] == "choices"
    ids = [c["id"] for c in data["choices"]]
    assert 2 <= len(ids) <= 3 and "grading" in ids
    assert ids == [s["id"] for s in data["suggestions"]]
    text = run("ask", question).stdout
    assert "Which one did you mean?" in text and "[grading," in text


def test_one_close_topic_is_offered_as_one_not_as_a_few() -> None:
    from bot.cli.ask_cmd import render_text
    from faq.engine import Answer, Suggestion

    one = Suggestion("retakes", "Can students retake tests?", 0.6)
    answer = Answer("redo it?", None, None, None, 0.6, None, suggestions=[one],
                    reason="choices")
    text = render_text(answer, 0.3)
    assert text.startswith("One topic is close") and "[retakes, 0.60]" in text
    two = Answer("redo it?", None, None, None, 0.6, None, reason="choices",
                 suggestions=[one, Suggestion("grading", "How does grading work?", 0.5)])
    assert render_text(two, 0.3).startswith("A few topics are close")


def test_ask_in_spanish_says_english_only() -> None:
    question = "¿Qué significa un 3 en la boleta de calificaciones de mi hijo?"
    data = json.loads(run("ask", question, "--json").stdout)
    assert data["id"] is None and data["reason"] == "other-language"
    text = run("ask", question).stdout
    assert "English only" in text
    assert "closest topics, in English" in text and "[grading-scale-levels," in text


def test_ask_emoji_only_is_the_fallback_not_an_error() -> None:
    result = run("ask", "🙂🙂 ?!")
    assert result.exit_code == 0
    assert "couldn't find any words" in result.stdout
    assert json.loads(run("ask", "🙂🙂 ?!", "--json").stdout)["reason"] == "empty"


def test_ask_explain_shows_how_the_question_was_read() -> None:
    result = run("ask", "can my kid redo a quizz", "--explain")
    assert result.exit_code == 0
    assert "How the question was read:" in result.stdout and "~retake" in result.stdout
    data = json.loads(run("ask", "can my kid redo a test", "--explain", "--json").stdout)
    assert "~retake" in data["explain"]["terms"]
    assert data["explain"]["ranked"][0][0] == data["id"]


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("ask",), "give a question"),
        (("ask", ""), "the question is empty"),
        (("ask", "   "), "the question is empty"),
        (("ask", "x" * 100_000), "characters long"),
        (("ask", "grading", "--audience", "martians"), "There is no audience 'martians'"),
        (("ask", "grading", "--file", "questions.txt"), "only one of"),
        (("ask", "grading", "--id", "grading"), "only one of"),
        (("ask", "--id", "gradng"), "Did you mean 'grading'?"),
    ],
)
def test_ask_bad_input_exits_2_with_a_message(args: tuple[str, ...], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_unknown_audience_lists_the_valid_ones(toolkit: Toolkit) -> None:
    result = run("ask", "grading", "--audience", "martians")
    for audience_id in toolkit.audiences:
        assert audience_id in result.stderr


def test_audience_by_alias_or_name(toolkit: Toolkit) -> None:
    audience = toolkit.audiences["parents"]
    for name in (audience.name, *audience.aliases):
        assert run("ask", "grading", "--audience", name).exit_code == 0


def test_an_entry_is_shown_by_its_id(toolkit: Toolkit) -> None:
    # `mastery faq` lists ids: --id shows one, and a hyphenated id asked alone is that entry
    shown = json.loads(run("ask", "--id", "grading", "--json").stdout)
    assert shown["id"] == "grading" and shown["answer"] == toolkit.faq["grading"].short
    asked = run("ask", "struggling-students")
    assert asked.exit_code == 0 and "[struggling-students, score 1.00]" in asked.stdout
    myth = json.loads(run("ask", "myth-lowers-the-bar?", "--json").stdout)
    assert myth["id"] == "myth-lowers-the-bar" and myth["kind"] == "myth"
    assert myth["question"] == "myth-lowers-the-bar?" and myth["suggestions"]
    assert "mastery ask --id ID" in run("faq").stderr


# ------------------------------------------------------------------ --file
def test_file_error_lines_carry_every_key_of_an_answer(tmp_path: Path) -> None:
    questions = tmp_path / "q.txt"
    questions.write_bytes(b"\xff\xfe\ncan kids retake tests\n")
    rows = [json.loads(line) for line in
            run("ask", "--file", str(questions), "--json").stdout.splitlines()]
    assert rows[0]["error"] and rows[0]["id"] is None
    assert set(rows[0]) == set(rows[1]) | {"error"}


def test_a_file_with_no_questions_exits_2(tmp_path: Path) -> None:
    questions = tmp_path / "q.txt"
    questions.write_text("\n   \n", encoding="utf-8")
    result = run("ask", "--file", str(questions))
    assert result.exit_code == 2 and "has no questions" in result.stderr


def test_file_json_lines_in_order(tmp_path: Path) -> None:
    questions = tmp_path / "q.txt"
    questions.write_text(
        "how are students graded\n\n   \nwhat time is the bus\ncan kids retake tests\n",
        encoding="utf-8",
    )
    result = run("ask", "--file", str(questions), "--json")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["line"] for r in rows] == [1, 4, 5]  # blank lines skipped
    assert [r["id"] for r in rows] == ["grading", None, "retakes"]
    assert rows[1]["question"] == "what time is the bus"


def test_file_with_bad_utf8_line_is_reported_and_exits_1(tmp_path: Path) -> None:
    questions = tmp_path / "q.txt"
    questions.write_bytes(b"How will my child be graded?\ncaf\xe9 \xff\xfe menu\ncan kids retake\n")
    result = run("ask", "--file", str(questions), "--json")
    assert result.exit_code == 1
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["line"] for r in rows] == [1, 2, 3]
    assert rows[1]["id"] is None and "not valid UTF-8" in rows[1]["error"]
    assert rows[2]["id"] == "retakes"


def test_file_long_line_is_reported(tmp_path: Path) -> None:
    questions = tmp_path / "q.txt"
    questions.write_text("grading\n" + "word " * 30_000 + "\n", encoding="utf-8")
    result = run("ask", "--file", str(questions), "--json")
    assert result.exit_code == 1
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert "at most" in rows[1]["error"]


def test_file_text_output(tmp_path: Path) -> None:
    questions = tmp_path / "q.txt"
    questions.write_text("\ufeffHow will my child be graded?\nwhat's for lunch\n", encoding="utf-8")
    result = run("ask", "--file", str(questions))
    assert result.exit_code == 0
    assert "[line 1] How will my child be graded?" in result.stdout
    assert "[line 2] what's for lunch" in result.stdout and "outside this toolkit" in result.stdout


def test_file_from_stdin() -> None:
    result = run("ask", "--file", "-", "--json", input="can kids retake tests\n")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["id"] == "retakes"


@pytest.mark.parametrize("kind", ["binary", "missing", "folder"])
def test_file_unusable_exits_2(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "q.bin"
    if kind == "binary":
        path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    elif kind == "folder":
        path.mkdir()
    result = run("ask", "--file", str(path), "--json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert {"binary": "binary", "missing": "no such file", "folder": "folder"}[kind] in \
        result.stderr


# ------------------------------------------------------------------ listings
def test_myths_lists_myths_with_facts(toolkit: Toolkit) -> None:
    result = run("myths")
    assert result.exit_code == 0
    for myth in toolkit.myths.values():
        assert myth.id in result.stdout
    data = json.loads(run("myths", "--json").stdout)
    assert {m["id"] for m in data["myths"]} == set(toolkit.myths)
    assert all(m["fact"] for m in data["myths"])


def test_faq_lists_topics(toolkit: Toolkit) -> None:
    result = run("faq")
    assert result.exit_code == 0
    for entry in toolkit.faq.values():
        assert entry.id in result.stdout and entry.question in result.stdout
    data = json.loads(run("faq", "--json").stdout)
    assert [e["id"] for e in data["faq"]] == list(toolkit.faq)


def test_commands_are_registered() -> None:
    from bot.cli import COMMANDS
    from bot.cli.ask_cmd import COMMANDS as ASK

    for command in ASK:
        assert command in COMMANDS
        assert command.help


# ------------------------------------------------------------------ real process
@pytest.mark.skipif(not MASTERY.exists(), reason="the mastery console script is not installed")
def test_installed_command_answers_in_a_subprocess(tmp_path: Path) -> None:
    done = subprocess.run([str(MASTERY), "ask", "what about GPA and class rank", "--json"],
                          capture_output=True, text=True, check=False, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["id"] == "gpa-class-rank-honor-roll"
    binary = tmp_path / "b.bin"
    binary.write_bytes(bytes(range(256)))
    done = subprocess.run([str(MASTERY), "ask", "--file", str(binary)],
                          capture_output=True, text=True, check=False, timeout=60)
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_the_english_only_reply_speaks_spanish_only_to_the_latin_alphabet() -> None:
    """A review (session 21): a question in Arabic got "(Solo puedo responder en inglés.)"."""
    from toolkit.words import english_only

    assert english_only("¿Cómo califican a mi hija?").endswith("(Solo puedo responder en inglés.)")
    assert english_only("كيف يتم تقييم ابنتي في المدرسة؟") == "I can answer in English only."
    assert english_only("Как оценивают моего сына?") == "I can answer in English only."


def test_the_closest_topics_heading_speaks_spanish_only_to_the_latin_alphabet() -> None:
    """A review (session 23): a question in Arabic got "The closest topics, in English (temas
    cercanos, en inglés):" under an English-only reply without the Spanish note."""
    arabic = run("ask", "ماذا يعني الرقم 2 في بطاقة تقرير ابني؟")
    assert "I can answer in English only." in arabic.output
    assert "The closest topics, in English:" in arabic.output
    assert "temas" not in arabic.output and "Solo puedo" not in arabic.output
    spanish = run("ask", "¿Qué significa un 2 en la boleta de calificaciones de mi hijo?")
    assert "(Solo puedo responder en inglés.)" in spanish.output
    assert "The closest topics, in English (temas cercanos, en inglés):" in spanish.output


def test_ask_says_the_toolkit_lists_no_states() -> None:
    from click.testing import CliRunner

    from bot.cli import cli

    result = CliRunner().invoke(
        cli, ["ask", "Which states allow credit for mastery instead of seat time?"])
    assert result.exit_code == 0, result.output
    assert "does not list which states" in result.output
    assert "credits-seat-time" in result.output
    assert "answers need" not in result.output


def test_ask_takes_a_long_message_as_the_api_does() -> None:
    from bot.api.schemas import MAX_QUESTION
    from bot.cli.ask_cmd import MAX_QUESTION_CHARS

    assert MAX_QUESTION_CHARS == MAX_QUESTION
    story = ("My daughter is in fourth grade and we moved here from a district with letter "
             "grades. " * 40) + "Why does her report card show numbers instead of letters?"
    assert 2_000 < len(story) < MAX_QUESTION_CHARS
    result = run("ask", story, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["id"] or data["suggestions"]
    too_long = run("ask", "x" * (MAX_QUESTION_CHARS + 1))
    assert too_long.exit_code == 2 and "characters long" in too_long.output
