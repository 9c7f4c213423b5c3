"""``mastery check``: output formats, exit codes, controls and bad input."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.cli import cli

LETTER = """\
# Back to school

Our rigorous program helps every child.
Parents told us "reorganizes time" was confusing.

Credits will no longer depend on seat time.
"""


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the rules cache of these tests in the test's own folder."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.delenv("MASTERY_TOOLKIT", raising=False)


def run(*args: str, input: str | bytes | None = None) -> Result:
    return CliRunner().invoke(cli, ["check", *args], input=input)


@pytest.fixture
def letter(tmp_path: Path) -> Path:
    path = tmp_path / "letter.md"
    path.write_text(LETTER, encoding="utf-8")
    return path


def test_text_output_reads_like_a_compiler(letter: Path) -> None:
    result = run(str(letter), "--audience", "parents")
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    first = lines[0]
    assert first.startswith(f"{letter}:3:5 error rigorous ")
    assert lines[1].strip().startswith("suggestion: Challenging") is False  # lower-case original
    assert lines[1].strip().startswith("suggestion: challenging")
    assert lines[2].strip().startswith("evidence: The word")
    assert lines[3].endswith("Our rigorous program helps every child.")
    assert lines[4].endswith("^^^^^^^^")
    assert f"{letter}:4:" in result.output and "quoted reorganizes-time" in result.output
    assert f"{letter}:6:34 warning family-jargon" in result.output
    assert "readability for parents" in result.output
    assert lines[-1] == "1 error, 1 warning, 0 suggestions, 1 quoted (not counted) in 1 file."


@pytest.mark.parametrize(
    ("fail_level", "code"), [("none", 0), ("error", 1), ("warning", 1), ("suggestion", 1)]
)
def test_fail_levels(letter: Path, fail_level: str, code: int) -> None:
    assert run(str(letter), "--audience", "parents", "--fail-level", fail_level).exit_code == code


def test_warnings_do_not_fail_at_error_level(tmp_path: Path) -> None:
    path = tmp_path / "memo.md"
    path.write_text("Our rigorous program helps.\n")
    assert run(str(path), "--fail-level", "error").exit_code == 0  # warning with no audience
    assert run(str(path), "--fail-level", "warning").exit_code == 1


def test_quoted_phrases_do_not_fail(tmp_path: Path) -> None:
    path = tmp_path / "quote.md"
    path.write_text('Parents found "rigorous" confusing.\n')
    result = run(str(path), "--audience", "parents")
    assert result.exit_code == 0, result.output
    assert "quoted rigorous" in result.output


def test_json_output(letter: Path) -> None:
    result = run(str(letter), "--audience", "parents", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert set(data) == {"findings", "quoted", "readability", "errors", "summary"}
    text = letter.read_text()
    # a match inside a quotation is someone else's words: listed apart, never a finding
    assert all(not f["quoted"] for f in data["findings"])
    assert [(f["rule"], f["quoted"]) for f in data["quoted"]] == [("reorganizes-time", True)]
    assert len(data["findings"]) == 2
    required = {
        "file",
        "rule",
        "severity",
        "line",
        "column",
        "start",
        "end",
        "text",
        "message",
        "suggestions",
        "finding",
        "source",
        "quoted",
    }
    for finding in data["findings"] + data["quoted"]:
        assert required <= set(finding)
        assert text[finding["start"] : finding["end"]] == finding["text"]
        assert finding["file"] == str(letter)
    rigorous = next(f for f in data["findings"] if f["rule"] == "rigorous")
    assert rigorous["finding"]["id"] == "rigorous-confusing"
    assert rigorous["source"]["title"]
    assert rigorous["suggestions"][0] == {"text": "challenging", "kind": "replacement"}
    readability = data["readability"][str(letter)]
    assert readability["target"]["audience"] == "parents"
    assert {"flesch_reading_ease", "flesch_kincaid_grade", "coleman_liau_index", "advice"} <= set(
        readability
    )
    assert data["summary"] == {
        "files": 1,
        "audience": "parents",
        "fail_level": "warning",
        "error": 1,
        "warning": 1,
        "suggestion": 0,
        "quoted": 1,
        "capped": [],
    }


def test_bad_inputs_are_reported_and_other_files_still_checked(
    tmp_path: Path, letter: Path
) -> None:
    empty = tmp_path / "empty.md"
    empty.write_text("  \n")
    binary = tmp_path / "logo.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00rigorous")
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Caf\xe9 rigorous".encode("latin-1"))
    big = tmp_path / "big.md"
    with big.open("wb") as handle:
        handle.truncate(20_000_000)
    folder = tmp_path / "folder"
    folder.mkdir()
    missing = tmp_path / "missing.md"
    args = [str(p) for p in (empty, binary, latin, big, folder, missing, letter)]
    result = CliRunner().invoke(cli, ["check", *args, "--format", "json"])
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    messages = {e["file"]: e["message"] for e in data["errors"]}
    assert "empty" in messages[str(empty)]
    assert "binary" in messages[str(binary)]
    assert "not UTF-8" in messages[str(latin)]
    assert "too large (20.0 MB)" in messages[str(big)]
    assert "folder" in messages[str(folder)]
    assert "not found" in messages[str(missing)]
    assert {f["file"] for f in data["findings"]} == {str(letter)}
    assert data["summary"]["files"] == 1
    assert f"mastery: {missing}: file not found" in result.stderr


def test_standard_input(letter: Path) -> None:
    result = run("-", "--format", "json", input=LETTER)
    data = json.loads(result.output)
    assert "<stdin>" in data["readability"]
    assert {f["file"] for f in data["findings"]} == {"<stdin>"}


def test_template_sets_the_audience(letter: Path) -> None:
    result = run(str(letter), "--template", "newsletter", "--format", "json")
    assert json.loads(result.output)["summary"]["audience"] == "parents"
    assert run(str(letter), "--template", "nope").exit_code == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--audience", "martians"], "There is no audience 'martians'"),
        (["--disable", "no-such-rule"], "unknown rule(s): no-such-rule"),
        (["--config", "missing.yaml"], "config file not found"),
        (["--rules", "missing-rules.yaml"], "rule file not found"),
    ],
)
def test_usage_errors_exit_2(letter: Path, args: list[str], message: str) -> None:
    result = run(str(letter), *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_malformed_user_rule_file_says_file_and_line(tmp_path: Path, letter: Path) -> None:
    rules = tmp_path / "ours.yaml"
    rules.write_text("- id: ours\n  message: m\n  finding: rigorous-confusing\n  severity: loud\n")
    result = run(str(letter), "--rules", str(rules))
    assert result.exit_code == 2
    assert f"{rules}:4: severity" in result.stderr
    assert f"{rules}:1: missing field 'patterns'" in result.stderr


def test_config_file_and_inline_controls(tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text(
        "Rigorous standards-based academic content is what the survey tested.\n"
        "<!-- mastery-disable-next-line technology-focus -->\n"
        "Every student gets a laptop.\n"
        "Our new approach reorganizes time.\n"
    )
    config = tmp_path / "mastery.yaml"
    config.write_text(
        "allow: [rigorous standards-based academic content]\ndisable: [fad-framing]\n"
    )
    result = run(str(doc), "--config", str(config), "--format", "json")
    assert [f["rule"] for f in json.loads(result.output)["findings"]] == ["reorganizes-time"]
    only = run(str(doc), "--only", "rigorous", "--format", "json")
    assert [f["rule"] for f in json.loads(only.output)["findings"]] == ["rigorous"]


def test_user_rules_merge_with_shipped(tmp_path: Path) -> None:
    rules = tmp_path / "ours.yaml"
    rules.write_text(
        "- id: synergy\n  message: Say what you mean.\n  finding: takeaway-clear-language\n"
        "  severity: error\n  patterns: [synergy~]\n  suggestions: [working together]\n"
        "  examples: {flag: [synergy], pass: [energy]}\n"
    )
    doc = tmp_path / "doc.md"
    doc.write_text("Synergies and rigor.\n")
    result = run(str(doc), "--rules", str(rules), "--format", "json")
    found = {f["rule"]: f for f in json.loads(result.output)["findings"]}
    assert set(found) == {"synergy", "rigorous"}
    assert found["synergy"]["suggestions"] == [{"text": "Working together", "kind": "advice"}]


def test_user_rule_examples_must_behave(tmp_path: Path) -> None:
    rules = tmp_path / "ours.yaml"
    rules.write_text(
        "- id: synergy\n  message: Say what you mean.\n  finding: takeaway-clear-language\n"
        "  severity: error\n  patterns: [synerg~]\n  suggestions: [working together]\n"
        "  examples: {flag: [synergies], pass: [energy]}\n"
    )
    doc = rules.with_name("doc.md")
    doc.write_text("Synergies.\n")
    result = run(str(doc), "--rules", str(rules))
    assert result.exit_code == 2
    assert f"{rules}:7: rule 'synergy' does not flag its example 'synergies'" in result.stderr


def test_readme_documents_the_real_options() -> None:
    """Docs cannot drift: every option the README's check section names exists, and vice versa."""
    import re

    from bot.cli.check_cmd import check

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Checking wording", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"(--[a-z][a-z-]+)", section))
    real = {o for p in check.params for o in getattr(p, "opts", []) if o.startswith("--")}
    assert documented <= real, documented - real
    assert real <= documented, real - documented


def test_a_rule_stopped_at_its_limit_is_said_in_text_and_json() -> None:
    from messaging.checker import MAX_FLAGS_PER_RULE

    text = "Our rigorous program. " * (MAX_FLAGS_PER_RULE + 50)
    result = run("-", "--audience", "parents", input=text)
    assert f"{MAX_FLAGS_PER_RULE} errors" in result.output
    assert "These counts are short: rigorous stopped at" in result.output
    data = json.loads(run("-", "--audience", "parents", "--format", "json", input=text).output)
    assert data["summary"]["capped"] == ["rigorous"]
    small = json.loads(run("-", "--audience", "parents", "--format", "json",
                           input="Our rigorous program.").output)
    assert small["summary"]["capped"] == []
    assert "counts are short" not in run("-", "--audience", "parents",
                                         input="Our rigorous program.").output


def test_a_word_file_stopped_at_a_rules_limit_says_so_too(tmp_path: Path) -> None:
    """A new user's review (session 21): a Word file's counts stopped at a rule's limit
    without the note a text file gets."""
    import docx

    from messaging.checker import MAX_FLAGS_PER_RULE

    document = docx.Document()
    for _ in range(MAX_FLAGS_PER_RULE + 20):
        document.add_paragraph("Our rigorous program.")
    path = tmp_path / "long.docx"
    document.save(str(path))
    result = run(str(path), "--audience", "parents")
    assert "These counts are short: rigorous stopped at" in result.output
    data = json.loads(run(str(path), "--audience", "parents", "--format", "json").output)
    assert data["summary"]["capped"] == ["rigorous"]


def test_a_word_file_piped_in_is_told_to_give_its_name(tmp_path: Path) -> None:
    """A review (session 21): `mastery check - < letter.docx` said "save it as plain UTF-8
    text"; a Word file can be checked, by its name."""
    import docx

    document = docx.Document()
    document.add_paragraph("Our rigorous program.")
    path = tmp_path / "letter.docx"
    document.save(str(path))
    result = run("-", "--audience", "parents", input=path.read_bytes())
    assert result.exit_code == 2
    assert "looks like a Word file" in result.output and "mastery check FILE.docx" in result.output
