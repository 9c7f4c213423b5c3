"""Browse the toolkit: audiences, key messages, myths, FAQ, findings, sources."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Query

from bot.api.deps import OwnerDep, ToolkitDep
from bot.api.errors import ApiError
from bot.api.routes.common import source_refs
from bot.api.schemas import (
    ERROR_RESPONSES,
    AudienceOut,
    FaqOut,
    FindingOut,
    MessagesOut,
    MythOut,
    SourcedOut,
    SourceOut,
)

if TYPE_CHECKING:
    from toolkit import Toolkit
    from toolkit.models import Audience

router = APIRouter(prefix="/api", tags=["content"], responses=ERROR_RESPONSES)
AudienceQuery = Annotated[str | None, Query(max_length=80, description="id, name or alias")]


def _audience(tk: Toolkit, name: str | None, *, required: bool = False) -> Audience | None:
    if not name:
        if required:
            raise ApiError(422, "Choose an audience.", path="audience")
        return None
    from toolkit.names import require_audience

    return require_audience(tk, name)


def audience_out(a: Audience) -> AudienceOut:
    return AudienceOut(
        id=a.id, name=a.name, aliases=list(a.aliases), description=a.description,
        family=a.family, readability=a.readability.model_dump(),
    )


@router.get("/audiences", response_model=list[AudienceOut], summary="The audiences")
def audiences(tk: ToolkitDep, _owner: OwnerDep) -> list[AudienceOut]:
    return [audience_out(a) for a in tk.audiences.values()]


@router.get("/messages", response_model=MessagesOut,
            summary="Key messages and talking points for one audience")
def messages(
    tk: ToolkitDep, _owner: OwnerDep,
    audience: Annotated[str, Query(min_length=1, max_length=80,
                                   description="id, name or alias")],
) -> MessagesOut:
    a = _audience(tk, audience, required=True)
    assert a is not None
    concerns = [
        {"id": f.id, "title": f.title, "summary": f.summary}
        for f in (tk.findings.get(c) for c in a.concerns)
        if f is not None
    ]
    return MessagesOut(
        audience=audience_out(a),
        key_messages=[SourcedOut(text=m.text, sources=source_refs(tk, m.sources))
                      for m in a.key_messages],
        talking_points=[SourcedOut(text=m.text, sources=source_refs(tk, m.sources))
                        for m in a.talking_points],
        concerns=concerns,
    )


@router.get("/myths", response_model=list[MythOut], summary="Myths and the facts")
def myths(tk: ToolkitDep, _owner: OwnerDep, audience: AudienceQuery = None) -> list[MythOut]:
    a = _audience(tk, audience)
    out = []
    for m in tk.myths.values():
        answer = m.audience_answers.get(a.id) if a is not None else None
        out.append(MythOut(
            id=m.id, myth=m.myth, fact=m.fact, evidence=m.evidence, concern=m.concern,
            audience_answer=answer, sources=source_refs(tk, m.sources),
        ))
    return out


@router.get("/faq", response_model=list[FaqOut], summary="Frequently asked questions")
def faq(tk: ToolkitDep, _owner: OwnerDep, audience: AudienceQuery = None) -> list[FaqOut]:
    a = _audience(tk, audience)
    return [
        FaqOut(id=e.id, question=e.question, short=e.audience_answers.get(a.id, e.short)
               if a is not None else e.short,
               audiences=list(e.audiences), sources=source_refs(tk, e.sources))
        for e in tk.faq.values()
        if a is None or a.id in e.audiences
    ]


@router.get("/findings", response_model=list[FindingOut], summary="Message-testing findings")
def findings(
    tk: ToolkitDep, _owner: OwnerDep,
    category: Annotated[str | None, Query(max_length=40)] = None,
) -> list[FindingOut]:
    return [
        FindingOut(id=f.id, category=f.category, title=f.title, summary=f.summary,
                   tested_wording=f.tested_wording, rank=f.rank, groups=list(f.groups),
                   sources=source_refs(tk, f.sources), location=f.location,
                   confidence=f.confidence, note=f.note, owner=f.owner, reviewed=str(f.reviewed))
        for f in tk.findings.values()
        if category is None or f.category == category
    ]


@router.get("/sources", response_model=list[SourceOut], summary="The bibliography")
def sources(tk: ToolkitDep, _owner: OwnerDep) -> list[SourceOut]:
    return [
        SourceOut(id=s.id, title=s.title, author=s.author, year=s.year, date=s.date,
                  kind=s.kind, url=s.url)
        for s in tk.sources.values()
    ]
