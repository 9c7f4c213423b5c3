"""The drafter's vocabulary: modes, limits, problems, documents and completeness results."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Mode = Literal["draft", "final"]
Format = Literal["md", "html", "docx"]
FORMATS: tuple[str, ...] = ("md", "html", "docx")
MEDIA_TYPES = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}

#: the largest single value accepted, in characters (refused in every mode)
HARD_MAX_CHARS = 50_000
#: the most items a list may hold (refused in every mode)
HARD_MAX_ITEMS = 500
#: the largest data file read, in bytes
MAX_DATA_BYTES = 10_000_000
#: names the render context provides besides the declared fields
CONTEXT_HELPERS = frozenset({"toolkit", "audience", "profile", "sections", "template"})
#: the page around an HTML document, looked up in the toolkit's templates folder
PAGE_LAYOUT = "layout/page.html.j2"

_WORD = re.compile(r"[\w'’-]+")

TYPE_NAMES = {
    "text": "one line of text",
    "longtext": "text, paragraphs allowed",
    "date": "a date written YYYY-MM-DD",
    "email": "an email address",
    "phone": "a phone number",
    "url": "a web address (https://…)",
    "number": "a number",
    "choice": "one of the listed choices",
    "list": "a list",
}


# ===================================================================== results
@dataclass(frozen=True)
class FieldProblem:
    """One problem with one field. ``path`` is ``''`` for the data as a whole."""

    path: str
    label: str
    message: str
    level: Literal["error", "warning"] = "error"
    code: str = "invalid"
    line: int | None = None

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        name = f"{self.path} ({self.label})" if self.path else self.label
        return f"{where}{name}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


Problem = FieldProblem


class DraftingError(Exception):
    """The request cannot be rendered; ``problems`` lists everything that is wrong."""

    def __init__(self, message: str, problems: Sequence[FieldProblem] = ()) -> None:
        self.message = message
        self.problems = list(problems)
        lines = [message, *(f"  - {p}" for p in self.problems)]
        super().__init__("\n".join(lines))

    def to_dict(self) -> dict[str, Any]:
        return {"message": self.message, "problems": [p.to_dict() for p in self.problems]}


@dataclass
class Document:
    content: bytes
    media_type: str
    filename: str
    text: str
    title: str
    report: Any
    problems: list[FieldProblem] = field(default_factory=list)


@dataclass(frozen=True)
class SectionStatus:
    id: str
    title: str
    required: bool
    status: Literal["done", "thin", "missing"]
    words: int
    min_words: int
    fields: tuple[str, ...]
    guidance: str = ""
    #: error-level problems in the section's fields (too long, not a date …): a "done"
    #: section with errors is written but cannot be exported as final yet
    errors: int = 0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["fields"] = list(self.fields)
        return data


@dataclass(frozen=True)
class Completeness:
    template: str
    profile: str | None
    sections: tuple[SectionStatus, ...]

    @property
    def required(self) -> list[SectionStatus]:
        return [s for s in self.sections if s.required]

    @property
    def percent(self) -> int:
        """Share of required sections that are done (thin ones count half)."""
        required = self.required
        if not required:
            return 100
        score = sum(1.0 if s.status == "done" else 0.5 if s.status == "thin" else 0.0
                    for s in required)
        return round(100 * score / len(required))

    @property
    def complete(self) -> bool:
        return all(s.status == "done" for s in self.required)

    def to_dict(self) -> dict[str, Any]:
        return {
            "template": self.template,
            "profile": self.profile,
            "percent": self.percent,
            "complete": self.complete,
            "sections": [s.to_dict() for s in self.sections],
        }


_INVALID = object()


def _is_empty(raw: Any) -> bool:
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    return isinstance(raw, list | dict) and not raw


def _kind(raw: Any) -> str:
    if isinstance(raw, dict):
        return "a group of fields (key: value)"
    if isinstance(raw, list):
        return "a list"
    return "a single value"


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


