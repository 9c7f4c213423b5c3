"""``mastery check --fix`` / ``--write``: replacements applied, advice never; bad input refused
with a clear message and nothing half-written."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from click.testing import CliRunner

from bot.cli import cli

TEXT = ("Our rigorous standards help every child.\n"
        "Teachers know their students well.\n"
        "> A parent said: “rigorous is scary.”\n\n"
        "Learning will be student-driven, anywhere and anytime.\n")


def run(*args: str, stdin: str | None = None) -> object:
    return CliRunner().invoke(cli, ["check", *args], input=stdin)


def test_fix_prints_the_text_with_replacements_applied(tmp_path: Path) -> None:
    doc = tmp_path / "letter.md"
    doc.write_text(TEXT, encoding="utf-8")
    result = run("--fix", str(doc), "--audience", "parents")
    out = result.stdout  # type: ignore[attr-defined]
    assert out.startswith("Our challenging standards help every child.\n")
    assert "Teachers understand each student's background, strengths and needs.\n" in out
    assert "“rigorous is scary.”" in out  # inside a quotation: advice, not applied
    assert "student-driven, anywhere and anytime" in out  # advice only: left as written
    assert doc.read_text(encoding="utf-8") == TEXT  # --fix alone never writes
    assert "2 replacements applied" in result.stderr  # type: ignore[attr-defined]
    assert "findings need your own wording" in result.stderr  # type: ignore[attr-defined]
    assert result.exit_code == 1  # the findings left still fail the check


def test_write_changes_the_file_in_place_keeping_its_mode(tmp_path: Path) -> None:
    doc = tmp_path / "letter.md"
    doc.write_text(TEXT, encoding="utf-8")
    os.chmod(doc, 0o640)
    result = run("--write", str(doc), "--audience", "parents")
    assert result.exit_code == 1, result.output  # type: ignore[attr-defined]
    written = doc.read_text(encoding="utf-8")
    assert written.startswith("Our challenging standards")
    assert written.endswith("anywhere and anytime.\n")
    assert stat.S_IMODE(doc.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["letter.md"]  # no temporary file left


def test_write_through_a_symbolic_link_keeps_the_link(tmp_path: Path) -> None:
    doc = tmp_path / "letter.md"
    doc.write_text(TEXT, encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(doc)
    result = run("--write", str(link), "--audience", "parents")
    assert result.exit_code == 1, result.output  # type: ignore[attr-defined]
    assert link.is_symlink()
    assert doc.read_text(encoding="utf-8").startswith("Our challenging standards")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["letter.md", "link.md"]


def test_one_finding_left_needs_your_own_wording() -> None:
    result = run("--fix", "-", "--audience", "parents",
                 stdin="Teachers leverage relationships to elicit performance.\n")
    assert "1 finding needs your own wording" in result.stderr  # type: ignore[attr-defined]


def test_write_refuses_standard_input() -> None:
    result = run("--write", "-", stdin="Our rigorous standards.")
    assert result.exit_code == 2
    assert "standard input has no file to write" in result.stderr  # type: ignore[attr-defined]


def test_fix_refuses_several_files(tmp_path: Path) -> None:
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    a.write_text("Rigorous.", encoding="utf-8")
    b.write_text("Rigorous.", encoding="utf-8")
    result = run("--fix", str(a), str(b))
    assert result.exit_code == 2 and "one file at a time" in result.stderr  # type: ignore


def test_write_refuses_a_read_only_file_and_changes_nothing(tmp_path: Path) -> None:
    doc = tmp_path / "letter.md"
    doc.write_text("Our rigorous standards.\n", encoding="utf-8")
    os.chmod(doc, 0o444)
    result = run("--write", str(doc))
    assert result.exit_code == 2 and "read-only" in result.stderr  # type: ignore
    assert doc.read_text(encoding="utf-8") == "Our rigorous standards.\n"


def test_fix_refuses_binary_input(tmp_path: Path) -> None:
    doc = tmp_path / "photo.md"
    doc.write_bytes(b"\x89PNG\x00\x00 rigorous")
    result = run("--write", str(doc))
    assert result.exit_code == 2 and "binary" in result.stderr  # type: ignore[attr-defined]
    assert doc.read_bytes() == b"\x89PNG\x00\x00 rigorous"


def test_fix_on_standard_input_prints_the_fixed_text() -> None:
    result = run("--fix", "-", stdin="Our rigorous standards.\n")
    assert result.stdout == "Our challenging standards.\n"  # type: ignore[attr-defined]
    assert result.exit_code == 0
