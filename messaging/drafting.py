"""Fill toolkit templates from declared fields: validate, render, report completeness.

The templates and their field declarations are content (``toolkit/content/templates``);
this module is generic. One template gives three formats: the Jinja2 template
renders Markdown (user values escaped by :func:`messaging.jinja_env.md_escape`),
then markdown-it turns it into HTML or a Word document.

Validation has two modes:

* ``draft`` — saving always succeeds: wrong types are reported (level ``error``),
  missing required fields and length limits are ``warning``\\ s. A draft still
  renders, with a bracketed placeholder where a value is missing or unusable.
* ``final`` — required fields, length limits and list sizes are enforced.

Some values are refused in every mode because they are never safe to keep:
control characters, a value larger than :data:`HARD_MAX_CHARS`, data that is
not a set of ``field: value`` pairs.

Paths name a field the way a person counts: ``action_steps[2].timeline`` is the
timeline of the *second* action step (item numbers start at 1).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import textwrap
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import yaml

from messaging.jinja_env import MdSafe, Placeholder, make_environment
from toolkit.names import UnknownName, require_audience, require_profile, require_template
from toolkit.words import cite

if TYPE_CHECKING:
    from jinja2 import Environment

    from toolkit import Toolkit
    from toolkit.models import Profile, Template, TemplateField

Mode = Literal["draft", "final"]
T = TypeVar("T")
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

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
_PHONE = re.compile(r"^\+?[0-9()\-. /]{7,25}((\s*(ext\.?|x)\s*)[0-9]{1,6})?$", re.IGNORECASE)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INT = re.compile(r"^-?\d{1,3}(,\d{3})+$|^-?\d+$")
_FLOAT = re.compile(r"^-?\d*\.\d+$")
_WORD = re.compile(r"[\w'’-]+")

TYPE_NAMES = {
    "text": "one line of text",
    "longtext": "text, paragraphs allowed",
    "date": "a date written YYYY-MM-DD",
    "email": "an email address",
    "phone": "a phone number",
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


# ============================================================= lookups
class UnknownDraftingName(UnknownName, DraftingError):
    """An unknown template, profile or audience: the one :class:`toolkit.names.UnknownName`
    (the same sentence everywhere), and a :class:`DraftingError` for drafting's callers."""

    def __init__(self, error: UnknownName) -> None:
        UnknownName.__init__(self, error.kind, error.name, error.known)
        self.suggestion = error.suggestion
        self.message = error.message
        self.problems: list[FieldProblem] = []


def _named(lookup: Callable[[Toolkit, str], T], tk: Toolkit, name: str) -> T:
    try:
        return lookup(tk, name)
    except UnknownDraftingName:
        raise
    except UnknownName as exc:
        raise UnknownDraftingName(exc) from None


def get_template(tk: Toolkit, template_id: str) -> Template:
    template = _named(require_template, tk, template_id)
    clash = sorted(CONTEXT_HELPERS & {f.name for f in template.fields})
    if clash:
        raise DraftingError(
            f"Template '{template_id}' declares a field named {', '.join(clash)}, a name "
            f"reserved for the toolkit helpers ({', '.join(sorted(CONTEXT_HELPERS))}); rename it."
        )
    return template


def get_profile(tk: Toolkit, template: Template, profile_id: str | None) -> Profile | None:
    """The profile to use: the one asked for, else ``generic`` for templates that use one."""
    if profile_id:
        profile = _named(require_profile, tk, profile_id)
        if profile.template != template.id:
            raise DraftingError(
                f"Profile '{profile_id}' is for the '{profile.template}' template, "
                f"not '{template.id}'."
            )
        return profile
    if not template.uses_profile:
        return None
    if "generic" in tk.profiles and tk.profiles["generic"].template == template.id:
        return tk.profiles["generic"]
    for profile in tk.profiles.values():
        if profile.template == template.id:
            return profile
    return None


def _did_you_mean(name: str, pool: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(pool), n=1, cutoff=0.6)
    return f" Did you mean '{close[0]}'?" if close else ""


def _choices(tk: Toolkit, f: TemplateField) -> list[str]:
    if f.choices_from == "proof_points":
        return sorted(tk.proof_points)
    if f.choices_from == "audiences":
        return sorted(tk.audiences)
    return list(f.choices)


# ========================================================== reading data
def read_data(source: bytes | str | Path, name: str = "data") -> dict[str, Any]:
    """Read user data YAML safely: text only (``NO`` and ``01234`` stay text), no
    duplicate keys, UTF-8 only. Raises :class:`DraftingError` with the line."""
    from toolkit.yamlio import YamlProblem, load_yaml

    if isinstance(source, Path):
        name = str(source)
        try:
            size = source.stat().st_size
            if size > MAX_DATA_BYTES:
                raise DraftingError(
                    f"{name} is {size / 1e6:.1f} MB; the most accepted is "
                    f"{MAX_DATA_BYTES / 1e6:.0f} MB."
                )
            source = source.read_bytes()
        except IsADirectoryError:
            raise DraftingError(f"{name} is a folder, not a data file.") from None
        except FileNotFoundError:
            raise DraftingError(f"{name} was not found.") from None
        except OSError as exc:
            raise DraftingError(f"{name} cannot be read: {exc.strerror}.") from None
    if len(source) > MAX_DATA_BYTES:
        raise DraftingError(f"{name} is too large; the most accepted is "
                            f"{MAX_DATA_BYTES / 1e6:.0f} MB.")
    try:
        data = load_yaml(source, name, text_only=True)
    except YamlProblem as exc:
        raise DraftingError(
            f"{name} cannot be read.",
            [FieldProblem("", "data file", exc.message, code="yaml", line=exc.line)],
        ) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise DraftingError(
            f"{name} must hold 'field: value' lines (one per field); it holds "
            f"{_kind(data)}.",
        )
    return data


# ========================================================== conversion
@dataclass
class _Converted:
    values: dict[str, Any]
    problems: list[FieldProblem]


class _Converter:
    def __init__(self, tk: Toolkit, template: Template, mode: Mode) -> None:
        self.tk = tk
        self.template = template
        self.mode = mode
        self.problems: list[FieldProblem] = []

    # level of a problem that final mode enforces and draft mode only reports
    @property
    def strict(self) -> Literal["error", "warning"]:
        return "error" if self.mode == "final" else "warning"

    def add(self, path: str, label: str, message: str, level: Literal["error", "warning"],
            code: str, line: int | None) -> None:
        self.problems.append(FieldProblem(path, label, message, level, code, line))

    def run(self, data: Mapping[str, Any]) -> _Converted:
        values = self.record(self.template.fields, data, prefix="")
        return _Converted(values, self.problems)

    def record(self, fields: Sequence[TemplateField], data: Mapping[str, Any],
               prefix: str) -> dict[str, Any]:
        declared = {f.name: f for f in fields}
        lines = getattr(data, "key_lines", {})
        base_line = getattr(data, "line", None) or None
        for key in data:
            if key not in declared:
                hint = _did_you_mean(str(key), declared)
                self.add(f"{prefix}{key}", str(key),
                         f"this template has no field '{key}'.{hint}", self.strict, "unknown",
                         lines.get(key, base_line))
        values: dict[str, Any] = {}
        for f in fields:
            path = f"{prefix}{f.name}"
            # a missing top-level field has no line; a missing sub-field points at its item
            line = lines.get(f.name, base_line if prefix else None)
            values[f.name] = self.value(f, data.get(f.name), path, line)
        return values

    def value(self, f: TemplateField, raw: Any, path: str, line: int | None) -> Any:
        if _is_empty(raw):
            if f.required:
                self.add(path, f.label, "is required" + (
                    "; please fill it in before the final version" if self.mode == "draft" else ""
                ), self.strict, "missing", line)
                if f.type == "list":
                    return []
                return Placeholder(f"to be completed: {f.label}") if self.mode == "draft" else None
            return [] if f.type == "list" else None
        if f.type == "list":
            return self.list_value(f, raw, path, line)
        return self.scalar(f, raw, path, line)

    def list_value(self, f: TemplateField, raw: Any, path: str, line: int | None) -> list[Any]:
        if not isinstance(raw, list):
            what = "a list of items, each starting with '- '"
            self.add(path, f.label, f"expected {what}, but this is {_kind(raw)}", "error",
                     "type", line)
            return []
        if len(raw) > HARD_MAX_ITEMS:
            self.add(path, f.label, f"has {len(raw)} items; the most accepted is "
                     f"{HARD_MAX_ITEMS}", "error", "too_large", line)
            return []
        if f.min_items is not None and len(raw) < f.min_items:
            self.add(path, f.label, f"needs at least {f.min_items} item(s); it has {len(raw)}",
                     self.strict, "too_few", line)
        if f.max_items is not None and len(raw) > f.max_items:
            self.add(path, f.label, f"holds at most {f.max_items} item(s); it has {len(raw)}",
                     self.strict, "too_many", line)
        item_lines = getattr(raw, "item_lines", [])
        items: list[Any] = []
        for index, item in enumerate(raw):
            item_path = f"{path}[{index + 1}]"
            item_line = item_lines[index] if index < len(item_lines) else line
            label = f"{f.label}, item {index + 1}"
            if f.fields:
                if not isinstance(item, dict):
                    self.add(item_path, label,
                             "expected an item with fields (" + ", ".join(
                                 s.name for s in f.fields[:4]) + f"…), but this is {_kind(item)}",
                             "error", "type", item_line)
                    continue
                items.append(self.record(f.fields, item, prefix=f"{item_path}."))
            else:
                if _is_empty(item):
                    continue
                kind = "choice" if (f.choices or f.choices_from) else "text"
                scalar_field = f.model_copy(update={"type": kind, "label": label})
                items.append(self.scalar(scalar_field, item, item_path, item_line))
        return items

    def scalar(self, f: TemplateField, raw: Any, path: str, line: int | None) -> Any:
        bad = Placeholder(f"check: {f.label}") if self.mode == "draft" else None
        if isinstance(raw, dict | list):
            tip = ("; for several lines, write '|' after the colon and indent the lines below"
                   if f.type in ("text", "longtext") else "")
            self.add(path, f.label, f"expected {TYPE_NAMES[f.type]}, but this is "
                     f"{_kind(raw)}{tip}", "error", "type", line)
            return bad
        if isinstance(raw, bool):
            raw = "yes" if raw else "no"
        if isinstance(raw, dt.date) and f.type == "date":
            return raw
        if isinstance(raw, int | float) and not isinstance(raw, bool) and f.type == "number":
            if isinstance(raw, float) and (raw != raw or raw in (float("inf"), float("-inf"))):
                self.add(path, f.label, "is not a usable number", "error", "type", line)
                return bad
            return bad if self.in_range(f, raw, path, line) is _INVALID else raw
        text = str(raw)
        if len(text) > HARD_MAX_CHARS:
            self.add(path, f.label, f"is {len(text):,} characters long; the most accepted is "
                     f"{HARD_MAX_CHARS:,}", "error", "too_large", line)
            return bad
        control = _CONTROL.search(text)
        if control:
            self.add(path, f.label, f"contains a control character (U+{ord(control.group()):04X}) "
                     f"at character {control.start() + 1}; remove it (it often comes from "
                     "copying out of another program)", "error", "control_chars", line)
            return bad
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ").strip()
        if f.type == "text":
            text = " ".join(text.split())
        if f.max_length is not None and len(text) > f.max_length:
            self.add(path, f.label, f"is {len(text)} characters; keep it to {f.max_length}",
                     self.strict, "too_long", line)
        if f.min_words and f.type in ("text", "longtext"):
            words = len(_WORD.findall(text))
            if words < f.min_words:
                self.add(path, f.label, f"has {words} words; aim for at least {f.min_words}",
                         "warning", "thin", line)
        converted = self.convert(f, text, path, line)
        return bad if converted is _INVALID else converted

    def in_range(self, f: TemplateField, value: float, path: str, line: int | None) -> Any:
        """A number checked against its field's ``decimal``, ``min_value`` and ``max_value``."""
        if not f.decimal and not float(value).is_integer():
            self.add(path, f.label, f"{value:g} is not a whole number", "error", "type", line)
            return _INVALID
        if f.min_value is not None and value < f.min_value:
            self.add(path, f.label, f"{value:g} is too low; the lowest is {f.min_value:g}",
                     "error", "range", line)
            return _INVALID
        if f.max_value is not None and value > f.max_value:
            self.add(path, f.label, f"{value:g} is too high; the highest is {f.max_value:g}",
                     "error", "range", line)
            return _INVALID
        return value

    def convert(self, f: TemplateField, text: str, path: str, line: int | None) -> Any:
        kind = f.type
        if kind in ("text", "longtext"):
            return text
        if kind == "date":
            if _DATE.match(text):
                try:
                    return dt.date.fromisoformat(text)
                except ValueError:
                    pass
            self.add(path, f.label, f"'{_short(text)}' is not a date; write it as YYYY-MM-DD, "
                     "e.g. 2026-09-01", "error", "type", line)
            return _INVALID
        if kind == "email":
            if _EMAIL.match(text) and len(text) <= 254:
                return text
            self.add(path, f.label, f"'{_short(text)}' is not an email address "
                     "(like name@district.org)", "error", "type", line)
            return _INVALID
        if kind == "phone":
            digits = sum(ch.isdigit() for ch in text.split("x")[0].split("ext")[0])
            if _PHONE.match(text) and 7 <= digits <= 15:
                return " ".join(text.split())
            self.add(path, f.label, f"'{_short(text)}' is not a phone number "
                     "(like 555-123-4567)", "error", "type", line)
            return _INVALID
        if kind == "number":
            cleaned = text.replace(" ", "")
            if _INT.match(cleaned):
                return self.in_range(f, int(cleaned.replace(",", "")), path, line)
            if _FLOAT.match(cleaned):
                return self.in_range(f, float(cleaned), path, line)
            self.add(path, f.label, f"'{_short(text)}' is not a number", "error", "type", line)
            return _INVALID
        if kind == "choice":
            choices = _choices(self.tk, f)
            for choice in choices:
                if choice.lower() == text.lower():
                    return choice
            shown = ", ".join(choices[:15]) + (" …" if len(choices) > 15 else "")
            hint = _did_you_mean(text, choices)
            self.add(path, f.label, f"'{_short(text)}' is not one of the choices.{hint} "
                     f"Choose from: {shown}", "error", "type", line)
            return _INVALID
        raise AssertionError(kind)  # pragma: no cover - FieldType is closed


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


# ========================================================== validation
def _convert(tk: Toolkit, template: Template, data: Any, mode: Mode) -> _Converted:
    if mode not in ("draft", "final"):
        raise DraftingError(f"Unknown mode '{mode}'; use 'draft' or 'final'.")
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise DraftingError(f"The data must be a set of 'field: value' pairs, not {_kind(data)}.")
    return _Converter(tk, template, mode).run(data)


def validate(tk: Toolkit, template_id: str, data: Mapping[str, Any] | None,
             mode: Mode = "draft", profile: str | None = None) -> list[FieldProblem]:
    """Every problem with ``data`` for ``template_id``, in field order."""
    template = get_template(tk, template_id)
    prof = get_profile(tk, template, profile)
    converted = _convert(tk, template, data, mode)
    problems = list(converted.problems)
    if prof is not None:
        problems.extend(_section_problems(template, prof, converted.values, mode))
    return problems


def _section_problems(template: Template, profile: Profile, values: Mapping[str, Any],
                      mode: Mode) -> list[FieldProblem]:
    problems = []
    for status in _sections(template, profile, values):
        if not status.required:
            continue
        path = status.fields[0] if status.fields else ""
        if status.status == "missing":
            level: Literal["error", "warning"] = "error" if mode == "final" else "warning"
            problems.append(FieldProblem(
                path, status.title,
                f"this section is required by the '{profile.name}' profile and is empty "
                f"(fields: {', '.join(status.fields)})", level, "section_missing"))
        elif status.status == "thin":
            problems.append(FieldProblem(
                path, status.title,
                f"this section has {status.words} words; the '{profile.name}' profile asks for "
                f"at least {status.min_words}", "warning", "section_thin"))
    return problems


# ========================================================== completeness
def _words_in(value: Any) -> int:
    if value is None or isinstance(value, Placeholder):
        return 0
    if isinstance(value, str):
        return len(_WORD.findall(value))
    if isinstance(value, Mapping):
        return sum(_words_in(v) for v in value.values())
    if isinstance(value, list):
        return sum(_words_in(v) for v in value)
    return 0


def _sections(template: Template, profile: Profile | None,
              values: Mapping[str, Any]) -> list[SectionStatus]:
    """Section statuses from the profile (or, without one, the template's own sections)."""
    specs: list[tuple[str, str, bool, int, tuple[str, ...], str]] = []
    if profile is not None:
        for s in profile.sections:
            specs.append((s.id, s.title, s.required, s.min_words, tuple(s.fields), s.guidance))
    else:
        by_section: dict[str | None, list[TemplateField]] = {}
        for f in template.fields:
            by_section.setdefault(f.section, []).append(f)
        titles = {s.id: s.title for s in template.sections}
        for section_id, fields in by_section.items():
            specs.append((
                section_id or "document",
                titles.get(section_id or "", template.title),
                any(f.required for f in fields),
                sum(f.min_words or 0 for f in fields),
                tuple(f.name for f in fields),
                "",
            ))
    statuses = []
    for sid, title, required, min_words, names, guidance in specs:
        words = sum(_words_in(values.get(name)) for name in names)
        filled = any(not _is_empty(values.get(name)) and not isinstance(values.get(name),
                     Placeholder) for name in names)
        if not filled:
            status: Literal["done", "thin", "missing"] = "missing"
        elif words < min_words:
            status = "thin"
        else:
            status = "done"
        statuses.append(SectionStatus(sid, title, required, status, words, min_words, names,
                                      guidance))
    return statuses


def completeness(tk: Toolkit, template_id: str, data: Mapping[str, Any] | None,
                 profile: str | None = None) -> Completeness:
    """Which sections are done, thin (fewer words than the profile asks) or missing."""
    template = get_template(tk, template_id)
    prof = get_profile(tk, template, profile)
    converted = _convert(tk, template, data, "draft")
    return Completeness(template.id, prof.id if prof else None,
                        tuple(_sections(template, prof, converted.values)))


# ===================================================== toolkit in templates
class ToolkitView:
    """What a template may read from the toolkit. Every item it hands out carries
    a ``note`` marker (``[1]``); :meth:`notes` lists the cited sources in order."""

    def __init__(self, tk: Toolkit, audience: str | None) -> None:
        self._tk = tk
        self._audience = audience
        self._numbers: dict[str, int] = {}

    def _note(self, source_ids: Iterable[str]) -> str:
        numbers = []
        for sid in source_ids:
            if sid not in self._tk.sources:
                continue
            if sid not in self._numbers:
                self._numbers[sid] = len(self._numbers) + 1
            numbers.append(self._numbers[sid])
        if not numbers:
            return ""
        # our own Markdown: "[1, 2]" with no link definition is shown as written, so it
        # needs no escapes (which the Markdown export would show as \[1, 2\])
        return MdSafe("[" + ", ".join(str(n) for n in sorted(set(numbers))) + "]")

    def _audience_obj(self, audience: str | None) -> Any:
        name = audience or self._audience
        return require_audience(self._tk, name) if name else None

    def _sourced(self, items: Iterable[Any], limit: int | None) -> list[dict[str, str]]:
        out = [{"text": item.text, "note": self._note(item.sources)} for item in items]
        return out[:limit] if limit else out

    def key_messages(self, audience: str | None = None, limit: int | None = None) -> list[dict]:
        found = self._audience_obj(audience)
        return self._sourced(found.key_messages, limit) if found else []

    def talking_points(self, audience: str | None = None, limit: int | None = None) -> list[dict]:
        found = self._audience_obj(audience)
        return self._sourced(found.talking_points, limit) if found else []

    def proof_points(self, ids: Sequence[str] | None = None,
                     limit: int | None = None) -> list[dict[str, str]]:
        chosen = [self._tk.proof_points[i] for i in ids or () if i in self._tk.proof_points]
        # "note" is the citation marker; "location"/"confidence"/"caveat" the evidence
        out = [{"id": p.id, "title": p.title, "statement": p.statement,
                "figure": p.figure or "", "place": p.place or "", "note": self._note(p.sources),
                "location": p.location or "", "confidence": p.confidence or "",
                "caveat": p.note if p.confidence in ("medium", "low") else ""}
               for p in chosen]
        return out[:limit] if limit else out

    def audience_name(self, audience_id: Any) -> Any:
        """The display name of an audience id (placeholders pass through)."""
        found = self._tk.audiences.get(str(audience_id)) if isinstance(audience_id, str) else None
        return found.name if found else audience_id

    def term(self, term_id: str) -> dict[str, str] | None:
        term = self._tk.glossary.get(term_id)
        if term is None:
            return None
        return {"term": term.term, "plain": term.plain, "definition": term.definition,
                "note": self._note(term.sources)}

    def notes(self) -> list[dict[str, Any]]:
        out = []
        for sid, number in self._numbers.items():
            s = self._tk.sources[sid]
            out.append({"number": number, "citation": cite(s),
                        "url": s.url or ""})
        return out


# ================================================================ render
_ENVS: dict[tuple[str, str], Environment] = {}
_CHECKERS: dict[int, tuple[weakref.ref[Any], Any]] = {}


def _environment(tk: Toolkit, output: Literal["markdown", "html"]) -> Environment:
    from jinja2 import ChoiceLoader, FileSystemLoader

    from toolkit import default_toolkit_path

    key = (str(tk.templates_dir), output)
    env = _ENVS.get(key)
    if env is None:
        shipped = default_toolkit_path() / "templates"
        loader = ChoiceLoader([FileSystemLoader(str(tk.templates_dir)),
                               FileSystemLoader(str(shipped))])
        env = make_environment(loader, output)
        _ENVS[key] = env
    return env


def template_problems(tk: Toolkit) -> list[str]:
    """``file:line: message`` for every Jinja2 file of the toolkit that does not compile."""
    from jinja2 import TemplateSyntaxError

    problems: list[str] = []
    root = tk.templates_dir
    if not root.is_dir():
        return problems
    for path in sorted(root.rglob("*.j2")):
        name = path.relative_to(root).as_posix()
        display = f"templates/{name}"
        env = _environment(tk, "html" if name.endswith(".html.j2") else "markdown")
        try:
            env.get_template(name)
        except TemplateSyntaxError as exc:
            problems.append(f"{display}:{exc.lineno}: template mistake: {exc.message}")
        except UnicodeDecodeError as exc:
            problems.append(f"{display}:1: the file is not UTF-8 text ({exc.reason})")
        except Exception as exc:  # unreadable file and the like
            problems.append(f"{display}:1: cannot read the template: {exc}")
    problems.extend(_unknown_names(tk))
    return problems


def _unknown_names(tk: Toolkit) -> list[str]:
    """Names a template's own file uses that are neither its fields nor the context
    (rendering would stop with "... is undefined")."""
    from jinja2 import TemplateError, meta, nodes

    env = _environment(tk, "markdown")
    context = {"toolkit", "audience", "profile", "sections", "template", *env.globals}
    problems: list[str] = []
    for template in tk.templates.values():
        path = tk.templates_dir / template.file
        try:
            tree = env.parse(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, TemplateError):
            continue  # reported above, or by the loader
        unknown = meta.find_undeclared_variables(tree) - context - {
            f.name for f in template.fields}
        seen: set[str] = set()
        for node in tree.find_all(nodes.Name):
            if node.name in unknown and node.name not in seen:
                seen.add(node.name)
                problems.append(f"templates/{template.file}:{node.lineno}: '{node.name}' is "
                                f"not a field of the template '{template.id}' (see "
                                f"templates/{template.id}.yaml)")
    return problems


def share_checker(tk: Toolkit, checker: Any) -> None:
    """Check ``tk``'s documents with ``checker``, already built (bot.core.engines.Core)."""
    _CHECKERS[id(tk)] = (weakref.ref(tk), checker)


def _checker(tk: Toolkit) -> Any:
    cached = _CHECKERS.get(id(tk))
    if cached is not None and cached[0]() is tk:
        return cached[1]
    from messaging.checker import Checker

    checker = Checker.from_toolkit(tk)
    _CHECKERS[id(tk)] = (weakref.ref(tk), checker)
    return checker


def check_text(tk: Toolkit, text: str, audience: str | None) -> Any:
    """The phrase-check and readability report of a rendered document."""
    from messaging.checker import RuleFileError

    try:
        checker = _checker(tk)
    except RuleFileError as exc:  # e.g. a rules.yaml pattern with an unclosed '('
        raise DraftingError("The toolkit's phrase rules have problems; fix them (see "
                            "`mastery toolkit validate`): " + "; ".join(exc.problems)) from None
    return checker.check(text, audience=audience, markup="markdown")


def _context(tk: Toolkit, template: Template, profile: Profile | None,
             values: Mapping[str, Any], audience_id: str | None) -> dict[str, Any]:
    sections = {s.id: s.title for s in template.sections}
    if profile is not None:
        sections.update({s.id: s.title for s in profile.sections if s.id in sections})
    audience = tk.audiences.get(audience_id) if audience_id else None
    ctx: dict[str, Any] = dict(values)
    ctx.update(
        toolkit=ToolkitView(tk, audience_id),
        audience={"id": audience.id, "name": audience.name} if audience else None,
        profile=None if profile is None else {
            "id": profile.id, "name": profile.name, "description": profile.description,
            "sections": [{"id": s.id, "title": s.title, "required": s.required,
                          "min_words": s.min_words, "guidance": s.guidance}
                         for s in profile.sections],
        },
        sections=sections,
        template={"id": template.id, "title": template.title},
    )
    return ctx


def _first_heading(markdown: str) -> str | None:
    """The text of the document's first heading (its title for HTML and Word)."""
    from messaging.docx_writer import md_parser

    tokens = md_parser().parse(markdown)
    for i, tok in enumerate(tokens[:-1]):
        if tok.type == "heading_open":
            return "".join(c.content for c in tokens[i + 1].children or []
                           if c.type in ("text", "code_inline"))
    return None


def render_markdown(tk: Toolkit, template_id: str, data: Mapping[str, Any] | None,
                    profile: str | None = None, mode: Mode = "final",
                    audience: str | None = None) -> tuple[str, list[FieldProblem], str | None]:
    """The Markdown text, the problems found (none at error level in final mode),
    and the audience id used."""
    from jinja2 import TemplateError, TemplateSyntaxError

    template = get_template(tk, template_id)
    prof = get_profile(tk, template, profile)
    audience_id = template.audience
    if audience:
        audience_id = _named(require_audience, tk, audience).id
    converted = _convert(tk, template, data, mode)
    problems = list(converted.problems)
    if prof is not None:
        problems.extend(_section_problems(template, prof, converted.values, mode))
    refused = [p for p in problems if p.level == "error"
               and (mode == "final" or p.code in ("too_large", "control_chars"))]
    if refused:
        raise DraftingError(
            f"The data for '{template.id}' has {len(refused)} problem(s) to fix first.",
            refused)
    ctx = _context(tk, template, prof, converted.values, audience_id)
    try:
        text = _environment(tk, "markdown").get_template(template.file).render(ctx)
    except TemplateSyntaxError as exc:
        raise DraftingError(f"The template file '{exc.name or template.file}' has a mistake "
                            f"at line {exc.lineno}: {(exc.message or '').rstrip('.')}. "
                            "Fix the template.") from None
    except Exception as exc:  # the template is the toolkit's code: any mistake, e.g. 1/0
        detail = exc if isinstance(exc, TemplateError | ValueError | TypeError) else (
            f"{type(exc).__name__}: {exc}")
        raise DraftingError(f"The template '{template.id}' could not be filled in: {detail}. "
                            "Fix the template file.") from None
    text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
    return text, problems, audience_id


def draft_notice(problems: list[FieldProblem], limit: int = 12) -> str:
    """A line that marks an unfinished document as a draft, naming what is still missing."""
    labels = list(dict.fromkeys(p.label for p in problems if p.label))
    notice = "> **DRAFT: not finished.**"
    if labels:
        more = f" and {len(labels) - limit} more" if len(labels) > limit else ""
        notice += f" Still to complete or check: {'; '.join(labels[:limit])}{more}."
    return notice + "\n\n"


def render(tk: Toolkit, template_id: str, data: Mapping[str, Any] | None, fmt: str = "md",
           profile: str | None = None, mode: Mode = "final",
           audience: str | None = None, mark_draft: bool = False) -> Document:
    """Render a template into Markdown, HTML or Word, with the phrase-check report.
    ``mark_draft`` (draft mode) opens the document with a notice that it is a draft."""
    if fmt not in FORMATS:
        raise DraftingError(f"Unknown format '{fmt}'; choose one of: {', '.join(FORMATS)}.")
    text, problems, audience_id = render_markdown(tk, template_id, data, profile, mode, audience)
    if mark_draft and mode == "draft":
        text = draft_notice(problems) + text
    template = get_template(tk, template_id)
    title = _first_heading(text) or template.title
    if fmt == "md":
        content = text.encode("utf-8")
    elif fmt == "html":
        content = render_html_page(tk, text, title).encode("utf-8")
    else:
        from messaging.docx_writer import markdown_to_docx

        content = markdown_to_docx(text, title)
    report = check_text(tk, text, audience_id)
    return Document(content=content, media_type=MEDIA_TYPES[fmt],
                    filename=f"{template.id}.{fmt}", text=text, title=title, report=report,
                    problems=problems)


def render_html_page(tk: Toolkit, markdown: str, title: str) -> str:
    """A clean, printable HTML page around the Markdown's HTML."""
    from jinja2 import TemplateSyntaxError
    from markupsafe import Markup

    from messaging.docx_writer import markdown_to_html

    body = Markup(markdown_to_html(markdown))  # noqa: S704 - markdown-it, raw HTML disabled
    try:
        page = _environment(tk, "html").get_template(PAGE_LAYOUT)
        return page.render(title=title, body=body)
    except TemplateSyntaxError as exc:
        raise DraftingError(f"The template file '{exc.name or PAGE_LAYOUT}' has a mistake "
                            f"at line {exc.lineno}: {(exc.message or '').rstrip('.')}. "
                            "Fix the template.") from None
    except Exception as exc:  # the layout is the toolkit's code too
        raise DraftingError(f"The page layout '{PAGE_LAYOUT}' could not be filled in: "
                            f"{type(exc).__name__}: {exc}. Fix the template file.") from None


# ================================================================ examples
def example_data(tk: Toolkit, template_id: str) -> dict[str, Any]:
    """A filled example, from the ``example`` values in the field declarations."""
    template = get_template(tk, template_id)
    return {f.name: _plain(f.example) for f in template.fields if f.example is not None}


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return str(value)
    return value


class _ExampleDumper(yaml.SafeDumper):
    """Writes every value as plain text where it can: data files are read as text,
    so ``410`` and ``2026-09-01`` need no quotes. Multi-line text uses ``|``."""


_ExampleDumper.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers
            if tag not in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
                           "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null",
                           "tag:yaml.org,2002:timestamp")]
    for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()
}


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_ExampleDumper.add_representer(str, _represent_str)


def example_yaml(tk: Toolkit, template_id: str) -> str:
    """The example as a commented YAML data file to start from."""
    template = get_template(tk, template_id)
    data = example_data(tk, template_id)
    prof = get_profile(tk, template, None)
    out = [f"# {template.title}: example data. Edit the values, then run:",
           f"#   mastery draft {template.id} --data THIS_FILE.yaml --format docx -o "
           f"{template.id}.docx",
           "# Long text: write '|' after the colon and put each paragraph on its own",
           "# indented line below. Dates: YYYY-MM-DD. '*' marks a required field.", ""]
    if prof is not None:
        out[4:4] = [f"# Required sections come from the '{prof.id}' profile ({prof.name}).",
                    f"# Check them with: mastery draft {template.id} --data THIS_FILE.yaml --check"]
    current_section: str | None = None
    titles = {s.id: s.title for s in template.sections}
    for f in template.fields:
        if f.section != current_section and f.section:
            current_section = f.section
            out.append(f"# ===== {titles.get(f.section, f.section)} =====")
        star = " *" if f.required else ""
        about = f"{f.label}{star} ({_type_label(tk, f)}){': ' + f.help if f.help else ''}"
        out.extend(textwrap.wrap(about, width=90, initial_indent="# ",
                                 subsequent_indent="#   ", break_on_hyphens=False))
        for sub in f.fields:
            sub_star = " *" if sub.required else ""
            out.append(f"#   - {sub.name}: {sub.label}{sub_star} ({_type_label(tk, sub)})")
        if f.name in data:
            dumped = yaml.dump({f.name: data[f.name]}, Dumper=_ExampleDumper, sort_keys=False,
                               allow_unicode=True, default_flow_style=False,
                               width=88 if f.type == "longtext" else 4096)
            out.append(dumped.rstrip("\n"))
        else:
            out.append(f"{f.name}:")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _type_label(tk: Toolkit, f: TemplateField) -> str:
    if f.type == "choice" or (f.type == "list" and not f.fields and (f.choices or f.choices_from)):
        choices = _choices(tk, f)
        shown = ", ".join(choices[:10]) + (" …" if len(choices) > 10 else "")
        prefix = "list of: " if f.type == "list" else "one of: "
        return prefix + shown
    if f.type == "list":
        return "list" if not f.fields else "list of items"
    label = TYPE_NAMES[f.type]
    if f.max_length:
        label += f", at most {f.max_length} characters"
    return label


# ================================================================ describe
def describe_field(tk: Toolkit, f: TemplateField) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": f.name, "label": f.label, "type": f.type, "required": f.required,
        "help": f.help, "section": f.section, "max_length": f.max_length,
        "min_words": f.min_words,
    }
    if f.type == "choice" or f.choices or f.choices_from:
        data["choices"] = _choices(tk, f)
    if f.choices_from == "proof_points":
        data["choice_titles"] = {p.id: p.title for p in tk.proof_points.values()}
    elif f.choices_from == "audiences":
        data["choice_titles"] = {a.id: a.name for a in tk.audiences.values()}
    if f.type == "number":
        data.update(min_value=f.min_value, max_value=f.max_value, decimal=f.decimal)
    if f.type == "list":
        data.update(min_items=f.min_items, max_items=f.max_items,
                    fields=[describe_field(tk, sub) for sub in f.fields])
    data["example"] = _plain(f.example)
    return data


def describe_template(tk: Toolkit, template_id: str) -> dict[str, Any]:
    """A JSON-ready description of a template and every field (for CLI, API and forms)."""
    t = get_template(tk, template_id)
    return {
        "id": t.id, "title": t.title, "description": t.description, "audience": t.audience,
        "uses_profile": t.uses_profile,
        "profiles": sorted(p.id for p in tk.profiles.values() if p.template == t.id),
        "sections": [{"id": s.id, "title": s.title, "help": s.help} for s in t.sections],
        "fields": [describe_field(tk, f) for f in t.fields],
    }


def describe_profile(tk: Toolkit, profile_id: str) -> dict[str, Any]:
    return _named(require_profile, tk, profile_id).model_dump(mode="json")


__all__ = [
    "CONTEXT_HELPERS",
    "Completeness",
    "Document",
    "DraftingError",
    "FieldProblem",
    "MdSafe",
    "Problem",
    "SectionStatus",
    "ToolkitView",
    "completeness",
    "describe_template",
    "example_data",
    "example_yaml",
    "get_profile",
    "get_template",
    "read_data",
    "render",
    "render_markdown",
    "validate",
]
