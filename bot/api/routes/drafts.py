"""Drafts: create, list, read, update (with the base version), delete, history, restore,
export and completeness. Another owner's draft answers exactly like a missing one (404)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from bot.api.deps import OwnerDep, ServicesDep, StoreDep
from bot.api.routes.ask import _audience_id as audience_id
from bot.api.routes.common import check_template, drafting_call, problem_out, to_dict
from bot.api.routes.templates import FILE_RESPONSES, render_document
from bot.api.schemas import (
    CONFLICT,
    ERROR_RESPONSES,
    NOT_FOUND,
    TOO_LARGE,
    CompletenessOut,
    Deleted,
    DraftIn,
    DraftOut,
    DraftSummary,
    DraftUpdate,
    ErrorOut,
    ProblemOut,
    VersionOut,
    draft_out,
    draft_summary,
)
from bot.api.services import Services
from bot.core.drafts import save_step
from bot.store import MAX_VERSION, Draft
from messaging import drafting

router = APIRouter(prefix="/api/drafts", tags=["drafts"],
                   responses={**ERROR_RESPONSES, **NOT_FOUND})
DraftId = Annotated[str, Path(max_length=64, description="the draft's id")]


def _problems(services: Services, draft: Draft) -> list[ProblemOut]:
    """Problems of the draft as it stands ('draft' mode: only what is wrong, not missing)."""
    if draft.template not in services.toolkit.templates:
        return []
    problems = drafting_call(services, drafting.validate, services.toolkit, draft.template,
                             draft.data, "draft", profile=draft.profile)
    return [problem_out(p) for p in problems]


@router.post("", response_model=DraftOut, status_code=201, responses=TOO_LARGE,
             summary="Start a draft")
def create_draft(body: DraftIn, services: ServicesDep, owner: OwnerDep) -> DraftOut:
    check_template(services.toolkit, body.template, body.profile)
    step = drafting_call(services, save_step, services.toolkit, services.store, owner,
                         body.template, body.data, profile=body.profile,
                         title=body.title or None,
                         audience=audience_id(services, body.audience))
    assert step.draft is not None  # the web keeps what was typed: never refused
    return draft_out(step.draft, [problem_out(p) for p in step.problems])


@router.get("", response_model=list[DraftSummary], summary="Your drafts, latest first")
def list_drafts(
    store: StoreDep, owner: OwnerDep,
    template: Annotated[str | None, Query(max_length=80, pattern="^[a-z0-9-]+$")] = None,
) -> list[DraftSummary]:
    return [draft_summary(d) for d in store.draft_summaries(owner, template=template)]


@router.get("/{draft_id}", response_model=DraftOut, summary="One of your drafts")
def get_draft(draft_id: DraftId, services: ServicesDep, owner: OwnerDep) -> DraftOut:
    draft = services.store.get_draft(owner, draft_id)
    return draft_out(draft, _problems(services, draft))


@router.put("/{draft_id}", response_model=DraftOut, responses={**CONFLICT, **TOO_LARGE},
            summary="Save changes made on top of `base_version` (409 if saved elsewhere since)")
def update_draft(
    draft_id: DraftId, body: DraftUpdate, services: ServicesDep, owner: OwnerDep
) -> DraftOut:
    if body.profile is not None:  # (else no read before the save: it finds a missing draft)
        current = services.store.get_draft(owner, draft_id)
        check_template(services.toolkit, current.template, body.profile)
    # audience: left out keeps it, "" goes back to the template's own
    audience = audience_id(services, body.audience) if body.audience else None
    step = drafting_call(
        services, save_step, services.toolkit, services.store, owner, None,
        body.data, draft_id=draft_id, base_version=body.base_version, title=body.title,
        profile=body.profile, audience=audience, keep_audience=body.audience is None,
    )
    assert step.draft is not None  # the web keeps what was typed: never refused
    return draft_out(step.draft, [problem_out(p) for p in step.problems])


@router.delete("/{draft_id}", response_model=Deleted, summary="Delete a draft and its history")
def delete_draft(draft_id: DraftId, store: StoreDep, owner: OwnerDep) -> Deleted:
    store.delete_draft(owner, draft_id)
    return Deleted(deleted=draft_id)


@router.get("/{draft_id}/history", response_model=list[VersionOut],
            summary="Every saved version, newest first")
def history(draft_id: DraftId, store: StoreDep, owner: OwnerDep) -> list[VersionOut]:
    return [
        VersionOut(version=v.version, title=v.title, profile=v.profile, saved_at=v.saved_at,
                   note=v.note, data=v.data, audience=v.audience)
        for v in store.history(owner, draft_id)
    ]


@router.post("/{draft_id}/restore/{version}", response_model=DraftOut, responses=CONFLICT,
             summary="Make an earlier version current again (saved as a new version)")
def restore(
    draft_id: DraftId, version: Annotated[int, Path(ge=1, le=MAX_VERSION)],
    services: ServicesDep, owner: OwnerDep,
    base_version: Annotated[int | None, Query(ge=1, le=MAX_VERSION)] = None,
) -> DraftOut:
    draft = services.store.restore(owner, draft_id, version, base_version=base_version)
    return draft_out(draft, _problems(services, draft))


@router.get("/{draft_id}/export", response_class=Response,
            responses={**FILE_RESPONSES, 422: {"model": ErrorOut, "description":
                       "`mode=final` and the draft is not finished: `details` lists what is "
                       "missing"}},
            summary="Download the draft as Markdown, HTML or Word (a finished document, or "
                    "with mode=draft a copy marked as a draft)")
def export(
    draft_id: DraftId, services: ServicesDep, owner: OwnerDep,
    format: Literal["md", "html", "docx"] = "md",
    mode: Literal["final", "draft"] = "final",
) -> Response:
    draft = services.store.get_draft(owner, draft_id)
    name = draft.title or draft.template
    if mode == "draft":
        name = f"{name} (draft)"
    return render_document(services, draft.template, draft.data, format, draft.profile,
                           mode, name=name, audience=draft.audience, mark_draft=mode == "draft")


@router.get("/{draft_id}/completeness", response_model=CompletenessOut,
            summary="How complete each section is (for the pilot application)")
def completeness(draft_id: DraftId, services: ServicesDep, owner: OwnerDep) -> CompletenessOut:
    draft = services.store.get_draft(owner, draft_id)
    check_template(services.toolkit, draft.template, draft.profile)
    result = drafting_call(services, drafting.completeness, services.toolkit, draft.template,
                           draft.data, profile=draft.profile)
    return CompletenessOut(**to_dict(result))
