"""Descriptions of templates and fields, JSON-ready, for the CLI, API, web form and Slack."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NotRequired, TypedDict, cast

from messaging.drafting.examples import _plain
from messaging.drafting.lookups import PLATFORM_LIMITS, X_LINK, _choices, _named, get_template
from toolkit.names import require_profile

if TYPE_CHECKING:
    from toolkit import Toolkit
    from toolkit.models import TemplateField


class FieldDescription(TypedDict):
    """A field as forms show it (the web form, the Slack modal, ``mastery templates``)."""

    name: str
    label: str
    type: str
    required: bool
    help: str
    section: str | None
    max_length: int | None
    min_words: int | None
    #: the declared example (always there; last, after the type's own keys)
    example: NotRequired[Any]
    #: a choice field, or a list of choices
    choices: NotRequired[list[str]]
    #: the title of each choice that has one (proof points, audiences)
    choice_titles: NotRequired[dict[str, str]]
    #: a number
    min_value: NotRequired[float | None]
    max_value: NotRequired[float | None]
    decimal: NotRequired[bool]
    #: a list; ``fields`` are the sub-fields of a repeating group
    min_items: NotRequired[int | None]
    max_items: NotRequired[int | None]
    fields: NotRequired[list[FieldDescription]]
    #: a social post's text: the sibling field naming the platform, the top-level fields
    #: published with it, each platform's limit and how long X counts a link
    post: NotRequired[dict[str, Any]]


class SectionDescription(TypedDict):
    id: str
    title: str
    help: str


class TemplateDescription(TypedDict):
    """A template and every field, JSON-ready (:func:`describe_template`)."""

    id: str
    title: str
    description: str
    audience: str | None
    uses_profile: bool
    profiles: list[str]
    sections: list[SectionDescription]
    fields: list[FieldDescription]


def field_description(tk: Toolkit, f: TemplateField) -> FieldDescription:
    data: FieldDescription = {
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
        data["min_value"], data["max_value"] = f.min_value, f.max_value
        data["decimal"] = f.decimal
    if f.type == "list":
        data["min_items"], data["max_items"] = f.min_items, f.max_items
        data["fields"] = [field_description(tk, sub) for sub in f.fields]
    if f.post is not None:
        data["post"] = {"platform": f.post.platform, "with": list(f.post.with_),
                        "limits": dict(PLATFORM_LIMITS), "x_link": X_LINK}
    data["example"] = _plain(f.example)
    return data


def describe_field(tk: Toolkit, f: TemplateField) -> dict[str, Any]:
    """:func:`field_description` as a plain dict (for callers that add keys of their own)."""
    return cast("dict[str, Any]", field_description(tk, f))


def describe_template(tk: Toolkit, template_id: str) -> TemplateDescription:
    """A JSON-ready description of a template and every field (for CLI, API and forms)."""
    t = get_template(tk, template_id)
    return {
        "id": t.id, "title": t.title, "description": t.description, "audience": t.audience,
        "uses_profile": t.uses_profile,
        "profiles": sorted(p.id for p in tk.profiles.values() if p.template == t.id),
        "sections": [{"id": s.id, "title": s.title, "help": s.help} for s in t.sections],
        "fields": [field_description(tk, f) for f in t.fields],
    }


def describe_profile(tk: Toolkit, profile_id: str) -> dict[str, Any]:
    return _named(require_profile, tk, profile_id).model_dump(mode="json")


