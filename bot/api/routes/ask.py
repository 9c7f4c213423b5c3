"""Ask a question (FAQ and myths); record unanswered and unhelpful questions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool

from bot.api.deps import EditorDep, OwnerDep, ServicesDep, StoreDep
from bot.api.errors import ApiError
from bot.api.routes.common import to_dict
from bot.api.schemas import (
    ERROR_RESPONSES,
    NOT_FOUND,
    AskIn,
    AskOut,
    FeedbackIn,
    FeedbackOut,
    UnansweredOut,
)
from bot.api.services import Services

router = APIRouter(prefix="/api", tags=["ask"], responses=ERROR_RESPONSES)
#: questions up to this long are answered on the event loop itself
INLINE_QUESTION_CHARS = 300


def _audience_id(services: ServicesDep, name: str | None) -> str | None:
    """The audience's id; an unknown name is toolkit.names.UnknownName (one handler)."""
    from toolkit.names import audience_id

    return audience_id(services.toolkit, name)


@router.post("/ask", response_model=AskOut, responses=NOT_FOUND,
             summary="Answer a question from the FAQ and myths")
async def ask(body: AskIn, services: ServicesDep, owner: OwnerDep) -> AskOut:
    # a usual question (a sentence or two) is answered in about a millisecond: on the
    # event loop, as a thread hop would cost more; only the database write of an
    # unanswered question goes to the thread pool. A long one (up to 2,000 characters
    # can take 25 ms) goes to the thread pool whole, so it holds up no one else.
    if len(body.question) > INLINE_QUESTION_CHARS or not services.ready("faq"):
        return await run_in_threadpool(_ask, body, services, owner)
    out = _answer(body, services)
    if out.logged:
        await run_in_threadpool(_log, body, services, owner, out)
    return out


def _ask(body: AskIn, services: Services, owner: str) -> AskOut:
    out = _answer(body, services)
    if out.logged:
        _log(body, services, owner, out)
    return out


def _answer(body: AskIn, services: Services) -> AskOut:
    """The answer; ``logged`` set when the question is to be logged as unanswered."""
    audience = _audience_id(services, body.audience)
    engine = services.faq()
    if body.id:
        # a chosen entry (a related topic, "Show full answer"): full and audience apply too
        answer = engine.lookup(body.id, audience=audience, full=body.full)
        if answer.id is None:
            raise ApiError(404, f"There is no FAQ entry or myth with id {body.id!r}.", path="id")
    else:
        if not body.question.strip():
            raise ApiError(422, "The question is empty: type a question, or give an entry's id.",
                           path="question")
        answer = engine.answer(body.question, audience=audience, full=body.full)
    out = AskOut(**to_dict(answer))
    # a question with no words to go on (emoji, punctuation) is not one for content editors
    out.logged = not body.id and out.id is None and answer.reason != "empty"
    return out


def _log(body: AskIn, services: Services, owner: str, out: AskOut) -> None:
    services.store.log_question(
        body.question, channel="web", audience=_audience_id(services, body.audience),
        helpful=None, score=out.score, owner=owner,
    )


@router.post("/feedback", response_model=FeedbackOut, responses=NOT_FOUND,
             summary="Helpful / not helpful: unhelpful answers are logged for content editors")
def feedback(body: FeedbackIn, services: ServicesDep, owner: OwnerDep) -> FeedbackOut:
    if body.answer_id and services.faq().lookup(body.answer_id).id is None:
        # a mistyped or stale id would log feedback no content editor can act on
        raise ApiError(404, f"There is no FAQ entry or myth with id {body.answer_id!r}.",
                       path="answer_id")
    if not body.helpful and not body.question.strip():
        raise ApiError(422, "Say which question the answer was to.", path="question")
    if body.helpful:
        return FeedbackOut(recorded=False)
    services.store.log_question(
        body.question, channel="web", audience=_audience_id(services, body.audience),
        helpful=False, answer_id=body.answer_id, owner=owner,
    )
    return FeedbackOut(recorded=True)


@router.get("/unanswered", response_model=list[UnansweredOut],
            summary="Questions the FAQ could not answer, or whose answer was unhelpful "
                    "(content editors only; who asked is never shown)")
def unanswered(
    store: StoreDep, _editor: EditorDep,
    limit: Annotated[int, Query(ge=1, le=5000)] = 200,
    channel: Annotated[str | None, Query(pattern="^(web|slack|cli)$")] = None,
) -> list[UnansweredOut]:
    return [
        UnansweredOut(id=q.id, question=q.question, audience=q.audience, channel=q.channel,
                      helpful=q.helpful, answer_id=q.answer_id, score=q.score,
                      created_at=q.created_at)
        for q in store.unanswered(limit=limit, channel=channel)
    ]
