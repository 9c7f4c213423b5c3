"""The one content validator (bot.core.validate.validate_content) behind `mastery toolkit
validate`, the start-up of `mastery serve` and these tests.

The shipped toolkit passes every check; a copy from `mastery toolkit init` with one
mistake fails `validate` (exit 1) and `serve` (refuses to start) with the same
``file:line: message``.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.core.validate import validate_content
from toolkit import Toolkit

MASTERY = str(Path(sys.executable).with_name("mastery"))


def test_the_shipped_toolkit_passes_every_check(toolkit: Toolkit) -> None:
    report = validate_content(toolkit)
    assert report.problems == [], "\n".join(report.lines())
    assert report.ok


@pytest.fixture(scope="module")
def copy_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One `mastery toolkit init` copy; each test copies it again to break it."""
    root = tmp_path_factory.mktemp("kits") / "shipped-copy"
    result = CliRunner().invoke(cli, ["toolkit", "init", str(root)])
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture()
def kit(copy_root: Path, tmp_path: Path) -> Path:
    import shutil

    root = tmp_path / "kit"
    shutil.copytree(copy_root, root)
    return root


def _replace(path: Path, old: str, new: str) -> int:
    """Replace the first ``old`` in ``path``; the line number where it was."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line


def _validate(root: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(cli, ["toolkit", "validate", str(root)])
    assert "Traceback" not in result.output
    return result.exit_code, [line for line in result.output.splitlines()
                              if re.match(r"^\S+:\d+: ", line)]


def _serve(root: Path) -> subprocess.CompletedProcess[str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return subprocess.run(  # noqa: S603
        [MASTERY, "serve", "--toolkit", str(root), "--port", str(port),
         "--data-dir", str(root.parent / "data")],
        capture_output=True, text=True, timeout=120)


def _first_example_line(root: Path, rule_id: str) -> tuple[int, str]:
    """The line of the first should-flag example of ``rule_id`` in rules.yaml, and its text."""
    lines = (root / "rules.yaml").read_text(encoding="utf-8").splitlines()
    start = lines.index(f"- id: {rule_id}")
    flag = next(i for i in range(start, len(lines)) if lines[i].strip() == "flag:")
    return flag + 2, lines[flag + 1]


def test_a_rule_example_nothing_flags_fails_validate_and_serve(kit: Path) -> None:
    rule_id = re.search(r"^- id: (\S+)", (kit / "rules.yaml").read_text(), re.M)[1]  # type: ignore[index]
    line, text = _first_example_line(kit, rule_id)
    indent = text[: len(text) - len(text.lstrip())]
    _replace(kit / "rules.yaml", text, f"{indent}- The weather was lovely on Tuesday.")

    code, problems = _validate(kit)
    assert code == 1
    expected = (f"rules.yaml:{line}: rule '{rule_id}' does not flag its example "
                "'The weather was lovely on Tuesday.'")
    assert any(p.startswith(expected) for p in problems), problems

    served = _serve(kit)
    assert served.returncode == 2, served.stdout + served.stderr
    assert "Traceback" not in served.stderr
    assert [p for p in problems if p in served.stderr.splitlines()] == problems
    assert "mastery toolkit validate" in served.stderr


def test_a_should_pass_example_that_is_flagged_fails(kit: Path) -> None:
    text = (kit / "rules.yaml").read_text(encoding="utf-8")
    rule_id = re.search(r"^- id: (\S+)", text, re.M)[1]  # type: ignore[index]
    _, flagged = _first_example_line(kit, rule_id)
    sentence = flagged.strip()[2:]
    lines = text.splitlines()
    start = lines.index(f"- id: {rule_id}")
    passing = next(i for i in range(start, len(lines)) if lines[i].strip() == "pass:")
    lines[passing + 1] = lines[passing + 1].split("- ")[0] + "- " + sentence
    (kit / "rules.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")

    code, problems = _validate(kit)
    assert code == 1
    assert f"rules.yaml:{passing + 2}: rule '{rule_id}' flags its should-pass example" in (
        "\n".join(problems))


@pytest.mark.parametrize(("expression", "message"), [
    ("{{ headline_typo }}", "'headline_typo' is not a field of the template 'press-release'"),
    ("{{ headline.nope.deeper }}", "'headline.nope' is undefined: 'headline' is a text field"),
])
def test_a_template_naming_an_unknown_variable_fails_validate_and_serve(
    kit: Path, expression: str, message: str
) -> None:
    line = _replace(kit / "templates" / "press-release.md.j2", "# {{ headline }}",
                    f"# {{{{ headline }}}} {expression}")

    code, problems = _validate(kit)
    assert code == 1
    expected = f"templates/press-release.md.j2:{line}: {message}"
    assert any(p.startswith(expected) for p in problems), problems

    served = _serve(kit)
    assert served.returncode == 2
    assert "Traceback" not in served.stderr
    assert expected in served.stderr


def test_a_nested_name_in_a_loop_is_caught_by_rendering_the_example(kit: Path) -> None:
    """A record's missing sub-field is only seen when the example is rendered."""
    j2 = kit / "templates" / "pilot-application.md.j2"
    source = j2.read_text(encoding="utf-8")
    found = re.search(r"\{% for (\w+) in (\w+) %\}", source)
    assert found is not None
    var = found[1]
    line = _replace(j2, found[0], found[0] + f"{{{{ {var}.nope.deeper }}}}")

    code, problems = _validate(kit)
    assert code == 1
    assert any(p.startswith(f"templates/pilot-application.md.j2:{line}: the example of the "
                            "template 'pilot-application' does not render as md")
               for p in problems), problems


def test_a_declared_field_the_template_never_shows_is_reported(kit: Path) -> None:
    line = _replace(kit / "templates" / "press-release.md.j2", "# {{ headline }}", "# Title")
    code, problems = _validate(kit)
    assert code == 1
    assert any(re.match(r"templates/press-release\.yaml:\d+: field 'headline' is declared "
                        "but the template file", p) for p in problems), problems
    assert not any(p.startswith(f"templates/press-release.md.j2:{line}:") for p in problems)


def test_an_example_that_breaks_its_own_declaration_is_reported(kit: Path) -> None:
    _replace(kit / "templates" / "press-release.yaml", "    max_length: 120\n",
             "    max_length: 3\n")
    code, problems = _validate(kit)
    assert code == 1
    assert any("the example of 'headline' is not valid" in p for p in problems), problems


def test_a_broken_toolkit_is_reported_not_a_traceback(kit: Path) -> None:
    (kit / "faq.yaml").write_text("- id: [unclosed\n", encoding="utf-8")
    code, problems = _validate(kit)
    assert code == 1 and problems and problems[0].startswith("faq.yaml:")
    served = _serve(kit)
    assert served.returncode == 2
    assert "Traceback" not in served.stderr
    assert problems[0] in served.stderr
