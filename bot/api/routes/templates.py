"""Templates and their fields; render and preview documents."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import APIRouter
from fastapi.responses import Response

from bot.api.deps import OwnerDep, ServicesDep, ToolkitDep
from bot.api.routes.ask import _audience_id as audience_id
from bot.api.routes.common import (
    attachment,
    check_template,
    drafting_call,
    problem_out,
    source_refs,
    to_dict,
)
from bot.api.schemas import (
    ERROR_RESPONSES,
    NOT_FOUND,
    TOO_LARGE,
    FieldOut,
    PreviewFlagOut,
    PreviewIn,
    PreviewOut,
    ProfileOut,
    ProfileSectionOut,
    RenderIn,
    SectionOut,
    TemplateOut,
    TemplateSummary,
)
from messaging import drafting

if TYPE_CHECKING:
    from bot.api.services import Services
    from toolkit import Toolkit
    from toolkit.models import TemplateField

router = APIRouter(prefix="/api", tags=["templates"], responses=ERROR_RESPONSES)

MEDIA_TYPES = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
FILE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "The document as a download",
          "content": {t: {"schema": {"type": "string", "format": "binary"}}
                      for t in MEDIA_TYPES.values()}},
    **TOO_LARGE,
}


def _profiles_for(tk: Toolkit, template_id: str) -> list[str]:
    return [p.id for p in tk.profiles.values() if p.template == template_id]


def _summary(tk: Toolkit, t: Any) -> TemplateSummary:
    return TemplateSummary(id=t.id, title=t.title, description=t.description,
                           audience=t.audience, uses_profile=t.uses_profile,
                           profiles=_profiles_for(tk, t.id))


@router.get("/templates", response_model=list[TemplateSummary], summary="The templates")
def list_templates(tk: ToolkitDep, _owner: OwnerDep) -> list[TemplateSummary]:
    return [_summary(tk, t) for t in tk.templates.values()]


@router.get("/templates/{template_id}", response_model=TemplateOut, responses=NOT_FOUND,
            summary="A template with its sections, fields and state profiles")
def get_template(template_id: str, tk: ToolkitDep, _owner: OwnerDep) -> TemplateOut:
    from toolkit.names import require_template

    t = require_template(tk, template_id)  # unknown: 404 with "did you mean" (bot/api/errors)
    profiles = [
        ProfileOut(id=p.id, name=p.name, description=p.description,
                   sections=[ProfileSectionOut(**s.model_dump(exclude={"sources"}))
                             for s in p.sections])
        for p in tk.profiles.values() if p.template == t.id
    ]
    return TemplateOut(
        **_summary(tk, t).model_dump(),
        sections=[SectionOut(**s.model_dump()) for s in t.sections],
        fields=[FieldOut.model_validate(_describe_field(tk, f)) for f in t.fields],
        profile_details=profiles,
    )


def _describe_field(tk: Toolkit, f: TemplateField) -> dict[str, Any]:
    """The field as the form needs it (choices resolved from the toolkit)."""
    return _with_labels(tk, f, drafting.describe_field(tk, f))


def _with_labels(tk: Toolkit, f: TemplateField, described: dict[str, Any]) -> dict[str, Any]:
    """Choices drawn from the toolkit (proof points, audiences) get their titles."""
    source = f.choices_from
    names: dict[str, str] = {}
    if source == "proof_points":
        names = {k: v.title for k, v in tk.proof_points.items()}
    elif source == "audiences":
        names = {k: v.name for k, v in tk.audiences.items()}
    if names:
        described["choice_labels"] = {c: names[c] for c in described.get("choices", [])
                                      if c in names}
    if source == "proof_points":
        # what each figure says and where it comes from, so a form can show it before it is
        # picked
        described["choice_details"] = {
            c: {"text": tk.proof_points[c].statement, "figure": tk.proof_points[c].figure,
                "sources": [r.model_dump(exclude_none=True)
                            for r in source_refs(tk, tk.proof_points[c].sources)]}
            for c in described.get("choices", []) if c in tk.proof_points
        }
    subs = {s.name: s for s in f.fields}
    described["fields"] = [_with_labels(tk, subs[d["name"]], d) if d.get("name") in subs else d
                           for d in described.get("fields", []) or []]
    return described


def render_document(
    services: Services, template: str, data: dict[str, Any], fmt: str,
    profile: str | None, mode: str, name: str | None = None, audience: str | None = None,
    mark_draft: bool = False,
) -> Response:
    check_template(services.toolkit, template, profile)
    document = drafting_call(services, drafting.render, services.toolkit, template, data, fmt,
                             profile=profile, mode=mode, audience=audience,
                             mark_draft=mark_draft)
    stem = name or document.filename or template
    if stem.endswith(f".{fmt}"):
        stem = stem[: -len(fmt) - 1]
    return Response(
        content=document.content,
        media_type=document.media_type or MEDIA_TYPES[fmt],
        headers={"Content-Disposition": attachment(stem, f".{fmt}"),
                 "X-Content-Type-Options": "nosniff"},
    )


@router.post("/render", response_class=Response, responses=FILE_RESPONSES,
             summary="Fill a template and download it as Markdown, HTML or Word")
def render(body: RenderIn, services: ServicesDep, _owner: OwnerDep) -> Response:
    # a downloaded unfinished copy is marked as a draft, as a saved draft's export is
    return render_document(services, body.template, body.data, body.format, body.profile,
                           body.mode, audience=audience_id(services, body.audience),
                           mark_draft=body.mode == "draft")


def preview_document(
    services: Services, template: str, data: dict[str, Any], profile: str | None, mode: str,
    audience: str | None = None,
) -> PreviewOut:
    check_template(services.toolkit, template, profile)
    problems = drafting_call(services, drafting.validate, services.toolkit, template, data,
                             mode, profile=profile)
    document = drafting_call(services, drafting.render, services.toolkit, template, data, "html",
                             profile=profile, mode="draft", audience=audience)
    report = document.report
    flags = to_dict(report).get("flags", []) if report is not None else []
    texts = drafting.user_texts(data)
    return PreviewOut(
        html=document.content.decode("utf-8", "replace"),
        text=document.text,
        problems=[problem_out(p) for p in problems],
        flags=[PreviewFlagOut.model_validate(
            {**f, "path": drafting.field_of(texts, str(f.get("text", "")))}) for f in flags],
    )


@router.post("/preview", response_model=PreviewOut, responses=TOO_LARGE,
             summary="Preview a filled template as HTML, with its problems and flagged wording")
def preview(body: PreviewIn, services: ServicesDep, _owner: OwnerDep) -> PreviewOut:
    return preview_document(services, body.template, body.data, body.profile, body.mode,
                            audience=audience_id(services, body.audience))
