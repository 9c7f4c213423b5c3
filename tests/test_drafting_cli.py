"""``mastery templates`` and ``mastery draft``: the README's workflow, and every bad input."""

from __future__ import annotations

import io
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from bot.cli import COMMANDS, cli
from toolkit import Toolkit

from .test_drafting_render import docx_text, style


def run(args: list[str], env: dict[str, str | None] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, args, env={"MASTERY_TOOLKIT": None, **(env or {})},
                                catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_commands_are_registered() -> None:
    names = {c.name for c in COMMANDS}
    assert {"templates", "draft"} <= names


# ------------------------------------------------------------------ templates
def test_templates_lists_templates_fields_and_profiles(toolkit: Toolkit) -> None:
    code, out, _ = run(["templates"])
    assert code == 0
    for template_id in toolkit.templates:
        assert template_id in out
    assert "district_name*" in out and "generic: Generic state pilot application" in out


def test_templates_json_gives_every_field_and_sub_field(toolkit: Toolkit) -> None:
    code, out, _ = run(["templates", "--json"])
    assert code == 0
    payload = json.loads(out)
    assert {t["id"] for t in payload["templates"]} == set(toolkit.templates)
    assert [p["id"] for p in payload["profiles"]] == sorted(toolkit.profiles)
    pilot = next(t for t in payload["templates"] if t["id"] == "pilot-application")
    for f in pilot["fields"]:
        assert {"name", "type", "required", "help", "label"} <= set(f)
    steps = next(f for f in pilot["fields"] if f["name"] == "action_steps")
    assert [s["name"] for s in steps["fields"]] == [
        "step", "evidence", "timeline", "coordinator", "participants", "external_support",
        "resources"]
    assert all({"name", "type", "required", "help"} <= set(s) for s in steps["fields"])


def test_templates_one_template_in_detail() -> None:
    code, out, _ = run(["templates", "action-plan"])
    assert code == 0
    assert "- action_steps* (list) Action steps" in out
    assert "- timeline (text, max 200 characters) Timeline" in out
    code, out, _ = run(["templates", "action-plan", "--json"])
    assert json.loads(out)["id"] == "action-plan"


def test_templates_unknown_is_exit_2() -> None:
    code, _, err = run(["templates", "press"])
    assert code == 2 and "no template 'press'" in err


# ---------------------------------------------------------- the README workflow
def test_press_release_from_example_to_word(tmp_path: Path) -> None:
    data = tmp_path / "release.yaml"
    code, _, err = run(["draft", "press-release", "--example", "-o", str(data)])
    assert code == 0 and data.exists() and "Wrote" in err
    text = data.read_text()
    assert text.startswith("# Press release: example data.")
    assert "headline: Cedar Valley schools" in text
    text = text.replace("Cedar Valley schools will", "Pine Ridge schools will")
    data.write_text(text)
    out = tmp_path / "release.docx"
    code, _, err = run(["draft", "press-release", "--data", str(data), "-o", str(out)])
    assert code == 0, err
    assert f"Wrote {out}" in err
    assert "Phrase check for Parents and families: 0 error(s), 0 warning(s)" in err
    document = docx.Document(io.BytesIO(out.read_bytes()))
    title = [p.text for p in document.paragraphs if style(p) == "Heading 1"]
    assert title[0].startswith("Pine Ridge schools will")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_example_never_replaces_your_data_by_accident(tmp_path: Path) -> None:
    data = tmp_path / "release.yaml"
    data.write_text("headline: my own work\n")
    code, _, err = run(["draft", "press-release", "--example", "-o", str(data)])
    assert code == 2 and "already exists" in err
    assert data.read_text() == "headline: my own work\n"
    assert run(["draft", "press-release", "--example", "-o", str(data), "--force"])[0] == 0
    assert "headline: Cedar Valley" in data.read_text()


def test_an_agency_profile_from_the_command_line(tmp_path: Path) -> None:
    from .test_drafting_templates import STATE_PROFILE

    kit = tmp_path / "my-toolkit"
    assert run(["toolkit", "init", str(kit)])[0] == 0
    (kit / "profiles" / "state-example.yaml").write_text(STATE_PROFILE)
    assert run(["--toolkit", str(kit), "toolkit", "validate"])[0] == 0
    data = tmp_path / "app.yaml"
    assert run(["draft", "pilot-application", "--example", "-o", str(data)])[0] == 0
    code, out, _ = run(["--toolkit", str(kit), "draft", "pilot-application", "--data", str(data),
                        "--profile", "state-example", "--check"])
    assert code == 1
    assert "profile: state-example" in out
    assert "thin     Sharing lessons learned (required;" in out
    code, out, _ = run(["--toolkit", str(kit), "templates"])
    assert "state-example: Example state pilot application (3 required sections" in out


def test_example_prints_to_stdout_without_o() -> None:
    code, out, _ = run(["draft", "email", "--example"])
    assert code == 0 and "subject: See how your child" in out


def test_pilot_application_check_and_all_formats(tmp_path: Path) -> None:
    data = tmp_path / "app.yaml"
    assert run(["draft", "pilot-application", "--example", "-o", str(data)])[0] == 0
    code, out, _ = run(["draft", "pilot-application", "--data", str(data), "--check"])
    assert code == 0
    assert "Completeness of pilot-application (profile: generic): 100%" in out
    assert re.search(r"\((\d+) done, 0 thin, 0 missing; a thin one counts half\)", out)
    assert re.search(r"done     Plan for schoolwide implementation \(required; 1\d\d words / "
                     r"150 asked\)", out)
    code, out, _ = run(["draft", "pilot-application", "--data", str(data), "--check", "--json"])
    assert json.loads(out)["complete"] is True
    for fmt in ("md", "html", "docx"):
        target = tmp_path / f"app.{fmt}"
        code, _, err = run(["draft", "pilot-application", "--data", str(data), "--format", fmt,
                            "-o", str(target)])
        assert code == 0, err
        assert target.stat().st_size > 1000
    assert "Cedar Valley School District" in docx_text((tmp_path / "app.docx").read_bytes())


def test_check_exits_1_and_explains_what_is_missing(tmp_path: Path) -> None:
    data = tmp_path / "app.yaml"
    data.write_text("district_name: Oak Hill\nimplementation_plan: We start in grade 3.\n")
    code, out, err = run(["draft", "pilot-application", "--data", str(data), "--check"])
    assert code == 1
    assert "thin     Plan for schoolwide implementation (required; 5 words / 150 asked)" in out
    assert "missing  Communications and outreach plan (required" in out
    assert "warning: contact_name (Contact person): is required" in err


def test_default_output_name_and_no_overwrite(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("plan.yaml").write_text(run(["draft", "action-plan", "--example"])[1])
    code, _, err = run(["draft", "action-plan", "--data", "plan.yaml", "--format", "html"])
    assert code == 0 and Path("action-plan.html").exists(), err
    before = Path("action-plan.html").read_bytes()
    code, _, err = run(["draft", "action-plan", "--data", "plan.yaml", "--format", "html"])
    assert code == 2 and "already exists" in err
    assert Path("action-plan.html").read_bytes() == before
    code, _, _ = run(["draft", "action-plan", "--data", "plan.yaml", "--format", "html",
                      "--force"])
    assert code == 0


def test_format_from_the_output_name_and_stdout(tmp_path: Path) -> None:
    data = tmp_path / "d.yaml"
    data.write_text(run(["draft", "newsletter", "--example"])[1])
    code, _, _ = run(["draft", "newsletter", "--data", str(data), "-o", str(tmp_path / "n.html")])
    assert code == 0
    assert (tmp_path / "n.html").read_text().startswith("<!DOCTYPE html>")
    code, out, _ = run(["draft", "newsletter", "--data", str(data), "-o", "-"])
    assert code == 0 and out.startswith("**Cedar Valley Family News**")
    code, _, err = run(["draft", "newsletter", "--data", str(data), "--format", "docx", "-o", "-"])
    assert code == 2 and "cannot be printed" in err


def test_draft_flag_renders_an_incomplete_document(tmp_path: Path) -> None:
    data = tmp_path / "d.yaml"
    data.write_text("headline: Coming soon\n")
    out = tmp_path / "r.md"
    code, _, err = run(["draft", "press-release", "--data", str(data), "-o", str(out)])
    assert code == 2 and not out.exists()
    assert "city (City or town): is required" in err
    code, _, err = run(["draft", "press-release", "--data", str(data), "-o", str(out), "--draft"])
    assert code == 0
    assert "\\[to be completed: Release date\\]" in out.read_text()
    assert "warning: city (City or town): is required" in err


# -------------------------------------------------------------------- bad input
BAD_INPUTS = {
    "malformed": (b"headline: [unclosed\nlead: x\n", "bad.yaml:2:", "not valid YAML"),
    "duplicate": (b"headline: a\nheadline: b\n", "bad.yaml:2:", "duplicate key 'headline'"),
    "list-for-text": (b"headline:\n  - one\n  - two\n", "headline (Headline)",
                      "expected one line of text, but this is a list"),
    "control": (b"headline: \"bell\\a\"\n", "headline (Headline)", "control character"),
    "not-utf8": ("headline: caf\u00e9\n".encode("latin-1"), "bad.yaml:1:", "not UTF-8"),
    "not-a-mapping": (b"- just\n- a list\n", "must hold 'field: value' lines", ""),
    # a headline with a colon, unquoted: the message says what to do
    "colon-in-value": (b"district_name: Harlan\nheadline: Story idea: seniors show it\n",
                       "bad.yaml:2:", 'must be in quotes'),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_data_exits_2_lists_problems_and_writes_nothing(tmp_path: Path, case: str) -> None:
    content, where, words = BAD_INPUTS[case]
    data = tmp_path / "bad.yaml"
    data.write_bytes(content)
    out = tmp_path / "out.docx"
    code, stdout, err = run(["draft", "press-release", "--data", str(data), "-o", str(out)])
    assert code == 2
    assert where in err and words in err
    assert "Traceback" not in err and stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml"]


def test_a_5_mb_field_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "big.yaml"
    data.write_text("headline: Hello\nlead: " + "x" * 5_000_000 + "\n")
    out = tmp_path / "out.md"
    code, _, err = run(["draft", "press-release", "--data", str(data), "-o", str(out), "--draft"])
    assert code == 2
    assert "lead (Opening paragraph): is 5,000,000 characters long" in err
    assert not out.exists()


def test_an_existing_output_survives_a_failed_render(tmp_path: Path) -> None:
    data = tmp_path / "bad.yaml"
    data.write_text("headline: [x]\n")
    out = tmp_path / "keep.md"
    out.write_text("my earlier draft")
    code, _, _ = run(["draft", "press-release", "--data", str(data), "-o", str(out)])
    assert code == 2 and out.read_text() == "my earlier draft"


@pytest.mark.parametrize(("args", "words"), [
    (["draft", "press-releese", "--example"], "Did you mean 'press-release'?"),
    (["draft", "pilot-application", "--data", "x.yaml", "--profile", "utah"],
     "no profile 'utah'"),
    (["draft", "email", "--data", "missing.yaml"], "missing.yaml was not found"),
    (["draft", "email"], "Give the data file with --data FILE"),
    (["draft", "email", "--data", ".", "-o", "x.md"], "is a folder"),
])
def test_usage_errors_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str],
                             words: str) -> None:
    monkeypatch.chdir(tmp_path)
    Path("x.yaml").write_text(run(["draft", "pilot-application", "--example"])[1])
    code, _, err = run(args)
    assert code == 2 and words in err, err
    assert "Traceback" not in err


def test_missing_output_folder_is_exit_2(tmp_path: Path) -> None:
    data = tmp_path / "d.yaml"
    data.write_text(run(["draft", "email", "--example"])[1])
    code, _, err = run(["draft", "email", "--data", str(data), "-o",
                        str(tmp_path / "nowhere" / "e.md")])
    assert code == 2 and "does not exist" in err


def test_as_a_real_process_no_traceback(tmp_path: Path) -> None:
    data = tmp_path / "d.yaml"
    data.write_bytes(b"\xff\xfe not text")
    proc = subprocess.run(
        [sys.executable, "-c", "from bot.cli import main; main()", "draft", "email",
         "--data", str(data)],
        capture_output=True, text=True, cwd=tmp_path, timeout=120, check=False,
    )
    assert proc.returncode == 2
    assert "not UTF-8" in proc.stderr and "Traceback" not in proc.stderr
    assert list(tmp_path.iterdir()) == [data]


# ----------------------------------------------------------------- the README
def readme_commands() -> list[list[str]]:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    block = readme.split("<!-- drafting-commands -->", 1)[1].split("```sh\n", 1)[1]
    block = block.split("```", 1)[0]
    commands = []
    for line in block.splitlines():
        line = line.split("  #", 1)[0].strip()
        if line:
            commands.append(shlex.split(line))
    return commands


def test_the_readme_commands_work_as_written(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    commands = readme_commands()
    assert len(commands) >= 6
    for argv in commands:
        assert argv[0] == "mastery"
        code, _, err = run(argv[1:])
        assert code == 0, (argv, err)
    for name in ("release.yaml", "release.docx", "release.html", "application.yaml",
                 "application.docx"):
        assert (tmp_path / name).stat().st_size > 0, name


def test_the_readme_names_every_shipped_template(toolkit: Toolkit) -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    section = readme.split("## Fill a template", 1)[1].split("\n## ", 1)[0]
    for template_id in toolkit.templates:
        assert f"`{template_id}`" in section, template_id


def test_a_format_that_does_not_match_the_file_name_is_refused(tmp_path: Path) -> None:
    """A review (session 21): `--format md -o mismatch.docx` wrote Markdown into a file Word
    would not open."""
    data = tmp_path / "email.yaml"
    assert run(["draft", "email", "--example", "-o", str(data)])[0] == 0
    out = tmp_path / "mismatch.docx"
    code, _, err = run(["draft", "email", "--data", str(data), "--format", "md", "-o", str(out)])
    assert code == 2 and "does not match the file name" in err and "mismatch.md" in err
    assert not out.exists()
    code, _, _ = run(["draft", "email", "--data", str(data), "--format", "docx",
                      "-o", str(tmp_path / "ok.docx")])
    assert code == 0 and (tmp_path / "ok.docx").read_bytes()[:2] == b"PK"


def test_the_phrase_check_names_the_field_to_fix(tmp_path: Path) -> None:
    """A review (session 21): 'line 3:26 error: rigorous' was a line of the rendered
    document; the data file had the headline on line 2."""
    data = tmp_path / "pr.yaml"
    data.write_text("district_name: Harlan\nheadline: Our rigorous new pilot\n")
    code, _, err = run(["draft", "press-release", "--data", str(data), "--draft",
                        "-o", str(tmp_path / "pr.md")])
    assert code == 0
    assert "  headline, document line " in err and "error: 'rigorous'" in err
