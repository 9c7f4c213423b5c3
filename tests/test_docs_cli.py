"""The generated reference docs (docs/cli.md, docs/settings.md) match the code.

They are written by ``scripts/cli_docs.py``; when a test here fails, regenerate them with
``.venv/bin/python scripts/cli_docs.py`` and commit the result.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import click
import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "cli_docs.py"
DOCS = ROOT / "docs"
REGENERATE = "run `.venv/bin/python scripts/cli_docs.py` to regenerate it"


@pytest.fixture(scope="module")
def cli_docs() -> ModuleType:
    spec = importlib.util.spec_from_file_location("cli_docs", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", ["cli.md", "settings.md"])
def test_generated_docs_are_up_to_date(cli_docs: ModuleType, name: str) -> None:
    path = DOCS / name
    assert path.exists(), f"docs/{name} is missing: {REGENERATE}"
    expected = cli_docs.OUTPUTS[name]()
    assert path.read_text(encoding="utf-8") == expected, f"docs/{name} is out of date: {REGENERATE}"


def test_every_command_has_its_help_in_the_docs(cli_docs: ModuleType) -> None:
    from bot.cli import cli

    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    paths = []

    def walk(command: click.Command, path: str) -> None:
        paths.append(path)
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                walk(sub, f"{path} {name}")

    walk(cli, "mastery")
    assert len(paths) >= 15
    for path in paths:
        assert f"\n## {path}\n" in text, f"{path} is not in docs/cli.md: {REGENERATE}"
        assert f"Usage: {path} " in text, path


def test_help_is_rendered_like_the_real_command(cli_docs: ModuleType) -> None:
    """What the docs show is what `mastery toolkit stale --help` prints at that width."""
    from click.testing import CliRunner

    from bot.cli import cli

    result = CliRunner().invoke(cli, ["toolkit", "stale", "--help"], prog_name="mastery",
                                terminal_width=cli_docs.WIDTH)
    assert result.exit_code == 0
    section = (DOCS / "cli.md").read_text(encoding="utf-8").split("## mastery toolkit stale\n")[1]
    assert result.output.rstrip() in section


def test_check_mode_fails_on_stale_docs_and_writes_nothing(tmp_path: Path) -> None:
    def check() -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, str(SCRIPT), "--check", "--docs-dir", str(tmp_path)],
                              capture_output=True, text=True, timeout=120)

    missing = check()
    assert missing.returncode == 1
    assert "scripts/cli_docs.py" in missing.stderr
    assert not list(tmp_path.iterdir())

    written = subprocess.run([sys.executable, str(SCRIPT), "--docs-dir", str(tmp_path)],
                             capture_output=True, text=True, timeout=120)
    assert written.returncode == 0, written.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cli.md", "settings.md"]
    assert check().returncode == 0

    cli_md = tmp_path / "cli.md"
    cli_md.write_text(cli_md.read_text(encoding="utf-8").replace("--help", "--hlep"),
                      encoding="utf-8")
    stale = check()
    assert stale.returncode == 1
    assert "cli.md is out of date" in stale.stderr and "settings.md" not in stale.stderr


def test_readme_links_the_generated_docs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/cli.md)" in readme
    assert "(docs/settings.md)" in readme
