"""The one content validator: every check of a toolkit, in one function.

:func:`validate_content` runs, in order:

1. the loader (:func:`toolkit.load_toolkit`): YAML, schema, ids, every reference;
2. the phrase rules (:func:`messaging.content_checks.rule_problems`): patterns compile,
   each rule flags its should-flag examples and none of its should-pass ones;
3. the templates (:func:`messaging.content_checks.template_problems`): every file
   compiles, names only declared fields (nested ``{{ headline.nope.deeper }}`` too), shows
   every field, and renders its example in every format.

It is used by ``mastery toolkit validate``, at start-up by ``mastery serve`` and
``mastery slack`` (which refuse to start with the same ``file:line: message`` lines), and
by the tests (``tests/test_content_validator.py``) — no copy of these checks elsewhere.
A ``--rules`` file gets the same example test from the checker's loader
(:func:`messaging.checker.example_problems`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from toolkit import Problem, Toolkit, ToolkitError, load_toolkit

_LOCATED = re.compile(r"^(?P<file>[^\n]*?):(?P<line>\d+): (?P<message>.*)$", re.DOTALL)


def as_problem(text: str) -> Problem:
    """A ``file:line: message`` string as a :class:`Problem`."""
    found = _LOCATED.match(text)
    if found is None:
        return Problem("toolkit", 1, text)
    return Problem(found["file"], int(found["line"]), found["message"])


@dataclass(frozen=True)
class ContentReport:
    """The toolkit (None if it could not be loaded) and every problem, sorted."""

    toolkit: Toolkit | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.toolkit is not None and not self.problems

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


def validate_content(source: Path | str | Toolkit | None = None) -> ContentReport:
    """Every problem of the toolkit at ``source`` (a folder, or a loaded toolkit;
    default: the shipped one). Never raises for a broken toolkit."""
    if isinstance(source, Toolkit):
        tk = source
    else:
        try:
            tk = load_toolkit(source)
        except ToolkitError as exc:
            return ContentReport(None, list(exc.problems))
    from messaging.content_checks import rule_problems, template_problems

    found: Iterable[str] = [*rule_problems(tk), *template_problems(tk)]
    problems = sorted(dict.fromkeys(as_problem(p) for p in found))
    return ContentReport(tk, problems)


def load_valid_toolkit(source: Path | str | None = None) -> Toolkit:
    """The toolkit at ``source`` if every check passes; else :class:`ToolkitError`."""
    report = validate_content(source)
    if report.toolkit is None or report.problems:
        raise ToolkitError(report.problems)
    return report.toolkit


__all__ = ["ContentReport", "as_problem", "load_valid_toolkit", "validate_content"]
