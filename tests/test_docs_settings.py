"""Every setting is documented: a description in ``Settings`` and its variable in the README."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from bot import env
from bot.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _cli_docs() -> ModuleType:
    spec = importlib.util.spec_from_file_location("cli_docs", ROOT / "scripts" / "cli_docs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


FIELDS = sorted(Settings.model_fields)


@pytest.mark.parametrize("name", FIELDS)
def test_setting_has_help_text(name: str) -> None:
    description = Settings.model_fields[name].description
    assert description and len(description.split()) >= 3, (
        f"Settings.{name} needs a description (it is the help text in docs/settings.md)")


@pytest.mark.parametrize("name", FIELDS)
def test_setting_is_in_readme(name: str) -> None:
    variable = _cli_docs().setting_env_names(name)[0]
    assert variable.startswith(("MASTERY_", "SLACK_")), variable
    assert f"`{variable}`" in README, f"README.md does not mention {variable} (Settings.{name})"


SAMPLES = {int: ("7", 7), float: ("7", 7.0), bool: ("true", True), str: ("sample", "sample"),
           Path: ("/tmp/sample", Path("/tmp/sample"))}
#: settings that take one of a few words
CHOICES = {"sqlite_synchronous": ("FULL", "FULL")}


@pytest.mark.parametrize("name", FIELDS)
def test_documented_variable_really_sets_the_setting(name: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The variable name the docs show is the one Settings reads (all of them, for aliases)."""
    annotation = Settings.model_fields[name].annotation
    kind = next(k for k in SAMPLES if annotation is k or k in getattr(annotation, "__args__", ()))
    raw, value = CHOICES.get(name, SAMPLES[kind])
    for variable in _cli_docs().setting_env_names(name):
        for other in _cli_docs().setting_env_names(name):
            monkeypatch.delenv(other, raising=False)
        monkeypatch.setenv(variable, raw)
        assert getattr(Settings(), name) == value, variable


def test_fast_path_variable_is_a_documented_setting() -> None:
    assert f"`{env.TOOLKIT_ENV}`" in README
    assert _cli_docs().setting_env_names("toolkit")[0] == env.TOOLKIT_ENV
