"""Descriptions of templates and fields, JSON-ready, for the CLI, API, web form and Slack."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from messaging.drafting.examples import _plain
from messaging.drafting.lookups import _choices, _named, get_template
from toolkit.names import require_profile

if TYPE_CHECKING:

    from toolkit import Toolkit
    from toolkit.models import TemplateField


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


