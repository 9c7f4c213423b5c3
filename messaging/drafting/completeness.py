"""Completeness: which sections of a draft are done, thin or missing (by profile or template)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Literal

from messaging.drafting.lookups import get_profile, get_template
from messaging.drafting.model import (
    _WORD,
    Completeness,
    FieldProblem,
    Mode,
    SectionStatus,
)
from messaging.jinja_env import Placeholder

if TYPE_CHECKING:

    from toolkit import Toolkit
    from toolkit.models import Profile, Template, TemplateField


def _section_problems(template: Template, profile: Profile, values: Mapping[str, Any],
                      mode: Mode, fields: Sequence[FieldProblem] = ()) -> list[FieldProblem]:
    """The profile's sections that are required and missing or thin. A missing section
    whose fields are already reported as missing (``fields``) is not reported again: the
    list says each thing once ("Goal: is required", not also "this section … is empty")."""
    problems = []
    reported = {p.path.split("[", 1)[0].split(".", 1)[0] for p in fields if p.code == "missing"}
    for status in _sections(template, profile, values):
        if not status.required:
            continue
        path = status.fields[0] if status.fields else ""
        if status.status == "missing" and reported.intersection(status.fields):
            continue
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


def _has_content(value: Any) -> bool:
    """Whether anything was written: a list whose items are all empty (the form's first,
    untouched row) is not."""
    if value is None or isinstance(value, Placeholder):
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, Mapping):
        return any(_has_content(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_content(v) for v in value)
    return True  # a number, a date, yes / no


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
        filled = any(_has_content(values.get(name)) for name in names)
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
    from messaging.drafting.fields import _convert  # fields checks sections with this module

    converted = _convert(tk, template, data, "final")
    errors: dict[str, int] = {}
    for problem in converted.problems:
        if problem.level == "error" and problem.code != "missing":
            name = problem.path.split("[", 1)[0].split(".", 1)[0]
            errors[name] = errors.get(name, 0) + 1
    sections = tuple(
        replace(s, errors=sum(errors.get(name, 0) for name in s.fields))
        for s in _sections(template, prof, converted.values))
    return Completeness(template.id, prof.id if prof else None, sections)


