"""The import layers, read from the source with ``ast`` (every import, also those inside
functions and under ``TYPE_CHECKING``)::

    bot (interfaces)  ->  bot.core  ->  faq, messaging  ->  toolkit

``toolkit`` imports none of the others; ``faq`` and ``messaging`` import only ``toolkit``
(never each other); ``bot.core`` (the one core the interfaces share) imports no interface
module of ``bot``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("toolkit", "faq", "messaging", "bot")
#: package -> the project packages it may import (besides itself)
ALLOWED: dict[str, set[str]] = {
    "toolkit": set(),
    "faq": {"toolkit"},
    "messaging": {"toolkit"},
    "bot": {"toolkit", "faq", "messaging"},
}


def imports(path: Path, package: str) -> list[tuple[int, str]]:
    """(line, top-level project package) of every import in ``path``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [package if node.level else (node.module or "")]
        else:
            continue
        found += [(node.lineno, name.split(".")[0]) for name in names
                  if name.split(".")[0] in PACKAGES]
    return found


def test_every_package_is_in_the_layers() -> None:
    on_disk = {p.parent.name for p in ROOT.glob("*/__init__.py")} - {"tests", "benchmarks"}
    assert on_disk <= set(PACKAGES), on_disk - set(PACKAGES)


@pytest.mark.parametrize("package", PACKAGES)
def test_imports_point_down_only(package: str) -> None:
    files = sorted((ROOT / package).rglob("*.py"))
    assert files
    wrong = [f"{path.relative_to(ROOT)}:{line}: imports {target}"
             for path in files for line, target in imports(path, package)
             if target != package and target not in ALLOWED[package]]
    assert not wrong, "\n".join(wrong)


def test_the_core_imports_no_interface() -> None:
    files = sorted((ROOT / "bot" / "core").rglob("*.py"))
    assert files
    wrong = []
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.ImportFrom) and node.level:
                module = ("bot.core." if node.level == 1 else "bot.") + (node.module or "")
            elif isinstance(node, ast.ImportFrom):
                module = node.module or ""
            elif isinstance(node, ast.Import):
                module = node.names[0].name
            else:
                continue
            if module.startswith("bot.") and not module.startswith("bot.core"):
                wrong.append(f"{path.relative_to(ROOT)}:{node.lineno}: imports {module}")
    assert not wrong, "\n".join(wrong)


def test_the_check_sees_a_wrong_import(tmp_path: Path) -> None:
    bad = tmp_path / "x.py"
    bad.write_text("def f():\n    from messaging import checker\n", encoding="utf-8")
    assert imports(bad, "faq") == [(2, "messaging")]
