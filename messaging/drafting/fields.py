"""Fields and validation: read a data file, convert each value by its type, report problems.

Paths name a field the way a person counts: ``action_steps[2].timeline`` is the
timeline of the *second* action step (item numbers start at 1)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from messaging.drafting.completeness import _section_problems
from messaging.drafting.lookups import (
    PLATFORM_LIMITS,
    X_LINK,
    _choices,
    _did_you_mean,
    get_profile,
    get_template,
)
from messaging.drafting.model import (
    _INVALID,
    _WORD,
    HARD_MAX_CHARS,
    HARD_MAX_ITEMS,
    MAX_DATA_BYTES,
    TYPE_NAMES,
    DraftingError,
    FieldProblem,
    Mode,
    _is_empty,
    _kind,
    _short,
)
from messaging.jinja_env import Placeholder

if TYPE_CHECKING:

    from toolkit import Toolkit
    from toolkit.models import Template, TemplateField


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
#: a web address: a scheme (http or https) or "www.", then a host with a dot, and no spaces
_URL = re.compile(r"^(?:https?://|www\.)[^\s/.]+(?:\.[^\s/.]+)+(?:[/?#]\S*)?$", re.IGNORECASE)
#: field types whose value must have a shape: (pattern, longest value, what it is not)
_SHAPED: dict[str, tuple[re.Pattern[str], int, str]] = {
    "email": (_EMAIL, 254, "an email address (like name@district.org)"),
    "url": (_URL, 2000, "a web address (like https://www.district.org/learning)"),
}
_PHONE = re.compile(r"^\+?[0-9()\-. /]{7,25}((\s*(ext\.?|x)\s*)[0-9]{1,6})?$", re.IGNORECASE)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INT = re.compile(r"^-?\d{1,3}(,\d{3})+$|^-?\d+$")
_FLOAT = re.compile(r"^-?\d*\.\d+$")


def read_data(source: bytes | str | Path, name: str = "data") -> dict[str, Any]:
    """Read user data YAML safely: text only (``NO`` and ``01234`` stay text), no
    duplicate keys, UTF-8 only. Raises :class:`DraftingError` with the line."""
    from toolkit.fileio import TooLarge, read_bounded
    from toolkit.yamlio import YamlProblem, load_yaml

    if isinstance(source, Path):
        name = str(source)
        try:
            source = read_bounded(source, MAX_DATA_BYTES)
        except TooLarge as exc:
            size = f"{exc.size / 1e6:.1f} MB" if exc.size is not None else "too large"
            raise DraftingError(f"{name} is {size}; the most accepted is "
                                f"{MAX_DATA_BYTES / 1e6:.0f} MB.") from None
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
        for f in self.template.fields:
            for sub in f.fields:
                if sub.post is not None and isinstance(values.get(f.name), list):
                    self.whole_posts(f, sub, values)
        return _Converted(values, self.problems)

    def whole_posts(self, f: TemplateField, sub: TemplateField,
                    values: Mapping[str, Any]) -> None:
        """Each post as published (its text, then the link and hashtags) against its
        platform's limit: the text alone may fit while the post does not."""
        assert sub.post is not None
        for k, item in enumerate(values[f.name], start=1):
            if not isinstance(item, Mapping):
                continue
            text, platform = item.get(sub.name), item.get(sub.post.platform)
            limit = PLATFORM_LIMITS.get(str(platform)) if isinstance(platform, str) else None
            if not isinstance(text, str) or limit is None:
                continue
            extras = [values.get(name) for name in sub.post.with_]
            length = len(" ".join(text.split()))
            for name, extra in zip(sub.post.with_, extras, strict=True):
                if isinstance(extra, str) and extra.strip():
                    kind = next((x.type for x in self.template.fields if x.name == name), "")
                    counted = (min(len(extra.strip()), X_LINK) if kind == "url" and platform == "X"
                               else len(extra.strip()))
                    length += 1 + counted
            if length > limit:
                added = " and ".join(next((x.label.lower() for x in self.template.fields
                                           if x.name == n), n) for n in sub.post.with_)
                self.add(f"{f.name}[{k}].{sub.name}", sub.label,
                         f"with the {added} this {platform} post has {length} characters; "
                         f"{platform} allows {limit}: shorten it by {length - limit}",
                         self.strict, "too_long", None)

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
                    # a draft shows where the list goes: one row saying what is to come
                    # (not a table of headings alone, or nothing at all)
                    return self.missing_rows(f) if self.mode == "draft" else []
                return Placeholder(f"to be completed: {f.label}") if self.mode == "draft" else None
            return [] if f.type == "list" else None
        if f.type == "list":
            return self.list_value(f, raw, path, line)
        return self.scalar(f, raw, path, line)

    @staticmethod
    def missing_rows(f: TemplateField) -> list[Any]:
        """A required list not yet written, in a draft: one item whose first value says so."""
        mark = Placeholder(f"to be completed: {f.label}")
        if not f.fields:
            return [mark]
        return [{sub.name: mark if k == 0 else None for k, sub in enumerate(f.fields)}]

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
                if f.choices_from == "proof_points":
                    self.caveat(items[-1], item_path, label, item_line)
        return items

    def caveat(self, chosen: Any, path: str, label: str, line: int | None) -> None:
        """A figure whose evidence is of medium or low confidence: a note for the writer
        (never printed in the document, which goes to readers)."""
        point = self.tk.proof_points.get(chosen) if isinstance(chosen, str) else None
        if point is not None and point.confidence in ("medium", "low") and point.note:
            self.add(path, label, f"check before quoting \"{point.title}\": {point.note}",
                     "warning", "check_figure", line)

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
                    # the right shape, but no such day ("2026-02-30")
                    self.add(path, f.label, f"'{_short(text)}' is not a day in the calendar: "
                             "check the month and the day", "error", "type", line)
                    return _INVALID
            self.add(path, f.label, f"'{_short(text)}' is not a date; write it as YYYY-MM-DD, "
                     "e.g. 2026-09-01", "error", "type", line)
            return _INVALID
        if kind in _SHAPED:
            # a value of a set shape, kept as written (the length is checked first)
            shape, longest, what = _SHAPED[kind]
            if len(text) <= longest and shape.match(text):
                return text
            self.add(path, f.label, f"'{_short(text)}' is not {what}", "error", "type", line)
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
            point = (self.tk.proof_points.get(text) if f.choices_from == "proof_points"
                     else None)
            if point is not None and point.id not in choices:
                self.add(path, f.label, f"\"{point.title}\" cannot be quoted in a document: "
                         f"{point.note or 'its evidence is of low confidence'}", "error",
                         "check_figure", line)
                return _INVALID
            for choice in choices:
                if choice.lower() == text.lower():
                    return choice
            if f.choices_from == "audiences":
                # the name shown for it ("School boards and district leaders") or an alias
                # ("school leaders", "School board") is the same audience
                found = self.tk.audience(text)
                if found is not None:
                    return found.id
            shown = ", ".join(choices[:15]) + (" …" if len(choices) > 15 else "")
            hint = _did_you_mean(text, choices)
            self.add(path, f.label, f"'{_short(text)}' is not one of the choices.{hint} "
                     f"Choose from: {shown}", "error", "type", line)
            return _INVALID
        raise AssertionError(kind)  # pragma: no cover - FieldType is closed


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
        problems.extend(_section_problems(template, prof, converted.values, mode,
                                          converted.problems))
    return problems


