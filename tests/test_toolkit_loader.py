"""The toolkit loader and the ``mastery toolkit`` commands, on small toolkits written to disk.

Each broken toolkit differs from a valid one in one place, and the test checks
that the problem is reported as ``file:line: message`` at that place.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from toolkit import Problem, ToolkitError, load_toolkit, validate_toolkit

TODAY = dt.date.today().isoformat()

VALID: dict[str, str] = {
    "sources.yaml": """\
- id: seed-a
  title: A seed document
  author: Someone
  year: 2016
  kind: seed
  seed_file: 000.txt
- id: survey-a
  title: A survey
  author: Pollster
  kind: survey
  cited_in: [seed-a]
  samples:
    - group: parents
      n: 750
      margin_of_error: 3.6
""",
    "findings.yaml": f"""\
- id: finding-a
  category: top-concern
  title: A concern
  summary: People worry about something.
  sources: [survey-a]
  owner: Research team
  reviewed: {TODAY}
""",
    "faq.yaml": f"""\
- id: faq-a
  question: What is it?
  alternatives:
    - What does it mean?
    - Explain it please.
  short: A short answer.
  full: A full answer.
  audiences: [parents]
  related: [myth-a]
  sources: [seed-a]
  owner: Communications team
  reviewed: {TODAY}
- id: faq-old
  question: Is this old?
  alternatives:
    - Is it stale?
    - When was it reviewed?
  short: It is old.
  full: It was reviewed long ago.
  audiences: [parents]
  sources: [seed-a]
  owner: Policy team
  reviewed: 2020-01-15
""",
    "myths.yaml": f"""\
- id: myth-a
  myth: It never works.
  alternatives:
    - It doesn't work.
    - It fails.
  fact: It works in many places.
  evidence: Results from districts.
  concern: finding-a
  sources: [seed-a]
  owner: Communications team
  reviewed: {TODAY}
""",
    "audiences.yaml": f"""\
- id: parents
  name: Parents and families
  aliases: [families, parent]
  description: Parents of students.
  family: true
  readability:
    max_grade: 8
    min_reading_ease: 60
    max_sentence_words: 25
  key_messages:
    - text: Your child gets help.
      sources: [seed-a]
  talking_points:
    - text: Ask the teacher.
      sources: [seed-a]
  concerns: [finding-a]
  owner: Family engagement team
  reviewed: {TODAY}
""",
}


def write_toolkit(root: Path, changes: dict[str, str | None] | None = None) -> Path:
    """Write the valid toolkit to ``root`` with ``changes`` (None deletes a file)."""
    files: dict[str, str | None] = {**VALID, **(changes or {})}
    root.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        if text is not None:
            (root / name).write_text(text, encoding="utf-8")
    return root


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line number of the ``occurrence``-th line containing ``needle``."""
    hits = [n for n, line in enumerate(text.splitlines(), 1) if needle in line]
    assert len(hits) >= occurrence, f"{needle!r} not found {occurrence} time(s)"
    return hits[occurrence - 1]


def problems_for(root: Path) -> list[Problem]:
    problems = validate_toolkit(root)
    assert problems, "expected the toolkit to be invalid"
    return problems


def only_problem(root: Path) -> Problem:
    problems = problems_for(root)
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


# ------------------------------------------------------------------ loading
def test_the_valid_mini_toolkit_loads(tmp_path: Path) -> None:
    tk = load_toolkit(write_toolkit(tmp_path))
    assert set(tk.faq) == {"faq-a", "faq-old"}
    assert tk.myths["myth-a"].concern == "finding-a"
    assert tk.sources["survey-a"].samples[0].n == 750
    assert tk.audience("Families") is tk.audiences["parents"]
    assert tk.where("faq", "faq-old") == f"faq.yaml:{line_of(VALID['faq.yaml'], 'id: faq-old')}"


def test_toolkit_is_read_only(tmp_path: Path) -> None:
    tk = load_toolkit(write_toolkit(tmp_path))
    with pytest.raises(TypeError):
        tk.faq["x"] = tk.faq["faq-a"]  # type: ignore[index]


def test_broken_yaml_names_file_and_line(tmp_path: Path) -> None:
    text = VALID["faq.yaml"].replace("short: A short answer.", 'short: "an unclosed quote')
    problem = only_problem(write_toolkit(tmp_path, {"faq.yaml": text}))
    assert problem.file == "faq.yaml"
    assert "not valid YAML" in problem.message
    # the parser notices the runaway quote at or after the line it starts on
    assert problem.line >= line_of(text, "an unclosed quote")


def test_bad_indentation_names_the_line(tmp_path: Path) -> None:
    text = VALID["myths.yaml"].replace("  fact: It works", " fact: It works")
    problem = only_problem(write_toolkit(tmp_path, {"myths.yaml": text}))
    assert problem.file == "myths.yaml"
    assert problem.line == line_of(text, "fact: It works")


def test_missing_field_names_file_and_entry_line(tmp_path: Path) -> None:
    text = VALID["faq.yaml"].replace("  short: It is old.\n", "")
    problem = only_problem(write_toolkit(tmp_path, {"faq.yaml": text}))
    assert (problem.file, problem.line) == ("faq.yaml", line_of(text, "id: faq-old"))
    assert "missing field 'short'" in problem.message


def test_empty_field_is_reported(tmp_path: Path) -> None:
    text = VALID["myths.yaml"].replace("fact: It works in many places.", 'fact: ""')
    problem = only_problem(write_toolkit(tmp_path, {"myths.yaml": text}))
    assert (problem.file, problem.line) == ("myths.yaml", line_of(text, 'fact: ""'))
    assert "fact" in problem.message


def test_duplicate_id_names_both_places(tmp_path: Path) -> None:
    text = VALID["faq.yaml"].replace("id: faq-old", "id: faq-a")
    problem = only_problem(write_toolkit(tmp_path, {"faq.yaml": text}))
    first, second = line_of(text, "id: faq-a"), line_of(text, "id: faq-a", 2)
    assert (problem.file, problem.line) == ("faq.yaml", second)
    assert "duplicate id 'faq-a'" in problem.message
    assert f"faq.yaml:{first}" in problem.message


def test_duplicate_yaml_key_names_the_second_key(tmp_path: Path) -> None:
    text = VALID["faq.yaml"].replace(
        "  full: It was reviewed long ago.\n",
        "  full: It was reviewed long ago.\n  short: A second short answer.\n",
    )
    problem = only_problem(write_toolkit(tmp_path, {"faq.yaml": text}))
    assert (problem.file, problem.line) == ("faq.yaml", line_of(text, "A second short answer"))
    assert "duplicate key 'short'" in problem.message
    assert f"line {line_of(text, 'short: It is old.')}" in problem.message


@pytest.mark.parametrize(
    ("file", "old", "new", "needle", "words"),
    [
        ("faq.yaml", "related: [myth-a]", "related: [myth-a, no-such-entry]",
         "no-such-entry", ["related entry", "no-such-entry"]),
        ("faq.yaml", "  sources: [seed-a]\n  owner: Policy team",
         "  sources:\n    - seed-a\n    - seed-missing\n  owner: Policy team",
         "- seed-missing", ["source", "seed-missing"]),
        ("myths.yaml", "concern: finding-a", "concern: finding-gone",
         "concern: finding-gone", ["finding", "finding-gone"]),
        ("audiences.yaml", "concerns: [finding-a]", "concerns: [finding-zzz]",
         "finding-zzz", ["finding", "finding-zzz"]),
        ("audiences.yaml", "    - text: Ask the teacher.\n      sources: [seed-a]",
         "    - text: Ask the teacher.\n      sources: [seed-b]",
         "sources: [seed-b]", ["source", "seed-b"]),
        ("findings.yaml", "sources: [survey-a]", "sources: [survey-b]",
         "survey-b", ["source", "survey-b"]),
        ("faq.yaml", "audiences: [parents]\n  related", "audiences: [voters]\n  related",
         "audiences: [voters]", ["audience", "voters"]),
    ],
)
def test_dangling_reference_names_the_referring_line(
    tmp_path: Path, file: str, old: str, new: str, needle: str, words: list[str]
) -> None:
    assert old in VALID[file]
    text = VALID[file].replace(old, new, 1)
    problem = only_problem(write_toolkit(tmp_path, {file: text}))
    assert (problem.file, problem.line) == (file, line_of(text, needle))
    for word in words:
        assert word in problem.message
    assert "does not exist" in problem.message


@pytest.mark.parametrize(
    ("file", "old", "new", "field"),
    [
        ("faq.yaml", "reviewed: 2020-01-15", "reviewed: last spring", "reviewed"),
        ("faq.yaml", "  alternatives:\n    - Is it stale?\n    - When was it reviewed?",
         "  alternatives: Is it stale?", "alternatives"),
        ("sources.yaml", "n: 750", "n: many", "n"),
        ("audiences.yaml", "family: true", "family: [yes]", "family"),
    ],
)
def test_wrong_type_names_the_field_line(
    tmp_path: Path, file: str, old: str, new: str, field: str
) -> None:
    assert old in VALID[file]
    text = VALID[file].replace(old, new, 1)
    problem = only_problem(write_toolkit(tmp_path, {file: text}))
    first_new_line = new.splitlines()[0].strip()
    assert (problem.file, problem.line) == (file, line_of(text, first_new_line))
    assert field in problem.message


def test_unknown_field_is_reported_with_its_line(tmp_path: Path) -> None:
    text = VALID["myths.yaml"].replace("  evidence:", "  evidense: typo\n  evidence:")
    problems = problems_for(write_toolkit(tmp_path, {"myths.yaml": text}))
    assert any(
        p.line == line_of(text, "evidense") and "unknown field 'evidense'" in p.message
        for p in problems
    ), [str(p) for p in problems]


def test_overlong_short_answer_is_reported(tmp_path: Path) -> None:
    long_answer = " ".join(["word"] * 61)
    text = VALID["faq.yaml"].replace("short: A short answer.", f"short: {long_answer}")
    problem = only_problem(write_toolkit(tmp_path, {"faq.yaml": text}))
    assert problem.line == line_of(text, long_answer)
    assert "61 words" in problem.message


def test_not_a_list_and_missing_file(tmp_path: Path) -> None:
    root = write_toolkit(
        tmp_path, {"findings.yaml": "id: finding-a\ntitle: x\n", "myths.yaml": None}
    )
    messages = {(p.file, p.line): p.message for p in problems_for(root)}
    assert "expected a list" in messages[("findings.yaml", 1)]
    assert "required file is missing" in messages[("myths.yaml", 1)]


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    faq = VALID["faq.yaml"].replace("related: [myth-a]", "related: [nope]")
    myths = VALID["myths.yaml"].replace("  fact: It works in many places.\n", "")
    problems = problems_for(write_toolkit(tmp_path, {"faq.yaml": faq, "myths.yaml": myths}))
    assert {p.file for p in problems} == {"faq.yaml", "myths.yaml"}


def test_not_utf8_is_a_clear_problem(tmp_path: Path) -> None:
    root = write_toolkit(tmp_path)
    (root / "glossary.yaml").write_bytes(b"- id: caf\xe9\n")
    problem = only_problem(root)
    assert problem.file == "glossary.yaml" and "UTF-8" in problem.message


def test_missing_folder_raises_toolkit_error(tmp_path: Path) -> None:
    with pytest.raises(ToolkitError) as info:
        load_toolkit(tmp_path / "nowhere")
    assert "toolkit folder not found" in str(info.value)


def test_stale_lists_items_reviewed_before_the_cutoff(tmp_path: Path) -> None:
    tk = load_toolkit(write_toolkit(tmp_path))
    due = tk.stale(30)
    assert [(kind, item_id) for kind, item_id, _ in due] == [("faq", "faq-old")]
    assert tk.stale(30, today=dt.date(2020, 1, 20)) == []


def test_stale_lists_never_reviewed_items_first(tmp_path: Path) -> None:
    faq = VALID["faq.yaml"].replace(f"reviewed: {TODAY}", "reviewed: not yet reviewed by a person")
    findings = VALID["findings.yaml"].replace(f"  owner: Research team\n  reviewed: {TODAY}\n", "")
    tk = load_toolkit(write_toolkit(tmp_path, {"faq.yaml": faq, "findings.yaml": findings}))
    due = [(kind, item_id, item.review_date) for kind, item_id, item in tk.stale(30)]
    assert due == [("faq", "faq-a", None), ("finding", "finding-a", None),
                   ("faq", "faq-old", dt.date(2020, 1, 15))]
    assert tk.findings["finding-a"].owner is None
    code, out, err = run(["--toolkit", str(tmp_path), "toolkit", "stale"])
    assert code == 0
    assert out.splitlines()[0].startswith("never reviewed  faq")
    assert "finding-a" in out and "owner: (none)" in out
    assert "3 item(s) due for review (2 never reviewed by a person)" in err


def test_a_review_date_must_be_a_date_or_say_it_was_never_reviewed(tmp_path: Path) -> None:
    faq = VALID["faq.yaml"].replace(f"reviewed: {TODAY}", "reviewed: soon")
    problems = validate_toolkit(write_toolkit(tmp_path, {"faq.yaml": faq}))
    assert problems and all("reviewed" in p.message for p in problems)


# ---------------------------------------------------------------------- CLI
def run(args: list[str], env: dict[str, str | None] | None = None) -> tuple[int, str, str]:
    """Run the real CLI; MASTERY_TOOLKIT is unset unless ``env`` sets it."""
    result = CliRunner().invoke(
        cli, args, env={"MASTERY_TOOLKIT": None, **(env or {})}, catch_exceptions=False
    )
    return result.exit_code, result.stdout, result.stderr


def test_cli_validate_broken_toolkit_exits_1_with_file_line(tmp_path: Path) -> None:
    faq = VALID["faq.yaml"].replace("related: [myth-a]", "related: [nope]")
    root = write_toolkit(tmp_path, {"faq.yaml": faq})
    code, out, err = run(["toolkit", "validate", str(root)])
    assert code == 1
    assert f"faq.yaml:{line_of(faq, 'related: [nope]')}: 'faq-a': related entry 'nope'" in out
    assert "1 problem(s) found" in err


def test_cli_validate_as_a_real_process_prints_no_traceback(tmp_path: Path) -> None:
    text = VALID["faq.yaml"].replace("short: A short answer.", "short: [unclosed")
    root = write_toolkit(tmp_path, {"faq.yaml": text})
    proc = subprocess.run(
        [sys.executable, "-c", "from bot.cli import main; main()",
         "toolkit", "validate", str(root)],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    lines = [line for line in proc.stdout.splitlines() if line]
    assert lines and all(line.startswith("faq.yaml:") for line in lines), proc.stdout


def test_cli_validate_shipped_toolkit_exits_0() -> None:
    code, out, _ = run(["toolkit", "validate"])
    assert code == 0, out
    assert out.startswith("OK:")


def test_cli_stale_lists_old_items(tmp_path: Path) -> None:
    root = write_toolkit(tmp_path)
    code, out, err = run(["--toolkit", str(root), "toolkit", "stale", "--days", "30"])
    assert code == 0
    assert "faq-old" in out and "2020-01-15" in out and "Policy team" in out
    assert f"faq.yaml:{line_of(VALID['faq.yaml'], 'id: faq-old')}" in out
    assert "faq-a" not in out
    assert "1 item(s) due" in err
    code, out, _ = run(["--toolkit", str(root), "toolkit", "stale", "--days", "100000"])
    assert code == 0 and "Nothing is due" in out


def test_cli_stale_rejects_negative_days(tmp_path: Path) -> None:
    root = write_toolkit(tmp_path)
    code, _, err = run(["--toolkit", str(root), "toolkit", "stale", "--days", "-1"])
    assert code == 2 and "Traceback" not in err


def test_cli_init_copies_a_toolkit_that_validates(tmp_path: Path) -> None:
    target = tmp_path / "my-state"
    code, out, _ = run(["toolkit", "init", str(target)])
    assert code == 0 and str(target) in out
    assert (target / "faq.yaml").is_file()
    code, out, _ = run(["toolkit", "validate", str(target)])
    assert code == 0 and str(target) in out
    # a second init into the same, now non-empty, folder is refused
    code, _, err = run(["toolkit", "init", str(target)])
    assert code == 2 and "not empty" in err


def test_toolkit_option_and_environment_variable_choose_the_folder(tmp_path: Path) -> None:
    good = write_toolkit(tmp_path / "good")
    broken = write_toolkit(tmp_path / "broken", {"myths.yaml": "- id: [oops\n"})
    code, out, _ = run(["--toolkit", str(good), "toolkit", "validate"])
    assert code == 0 and str(good) in out and "2 FAQ entries" in out
    code, out, _ = run(["toolkit", "validate"], env={"MASTERY_TOOLKIT": str(good)})
    assert code == 0 and str(good) in out
    code, out, _ = run(["toolkit", "validate"], env={"MASTERY_TOOLKIT": str(broken)})
    assert code == 1 and "myths.yaml:" in out
    # --toolkit wins over the environment variable
    code, out, _ = run(["--toolkit", str(good), "toolkit", "validate"],
                       env={"MASTERY_TOOLKIT": str(broken)})
    assert code == 0
    # commands that need the toolkit stop with exit 2 and point at validate
    code, _, err = run(["--toolkit", str(broken), "toolkit", "stale"])
    assert code == 2 and "myths.yaml:" in err and "toolkit validate" in err
