"""Check wording against the message-testing findings, with readability.

Where the work is done, by the text's length:

* up to :data:`INLINE_CHECK_CHARS` (about 850 words, a millisecond or two): right here,
  on the event loop. Handing so little work to the thread pool cost more than the check
  (a thread hop each way), and eight threads fighting for the interpreter lock made the
  slowest answers ten times slower than the typical one.
* up to :data:`bot.api.work.HEAVY_CHECK_CHARS`: in the thread pool.
* larger (with a work pool, as ``mastery serve`` runs): in a separate process, which
  also writes the JSON, so the server's own process spends no time on it.
"""

from __future__ import annotations

from fastapi import APIRouter, Response
from starlette.concurrency import run_in_threadpool

from bot.api.deps import OwnerDep, ServicesDep
from bot.api.errors import ApiError
from bot.api.reports import check_json
from bot.api.routes.ask import _audience_id
from bot.api.routes.common import to_dict
from bot.api.schemas import ERROR_RESPONSES, TOO_LARGE, CheckIn, CheckOut
from bot.api.services import Services
from bot.api.work import HEAVY_CHECK_CHARS, WorkTimeout

router = APIRouter(prefix="/api", tags=["check"], responses={**ERROR_RESPONSES, **TOO_LARGE})

#: texts up to this many characters are checked on the event loop itself
INLINE_CHECK_CHARS = 5_000


def _check(services: Services, text: str, audience: str | None, markup: str) -> bytes:
    report = services.checker().check(text, audience=audience, markup=markup)
    return check_json(to_dict(report))


@router.post("/check", response_model=CheckOut,
             summary="Flag weak phrases and rate readability for an audience")
async def check(body: CheckIn, services: ServicesDep, _owner: OwnerDep) -> Response:
    audience = _audience_id(services, body.audience)
    size = len(body.text)
    if services.work is not None and size > HEAVY_CHECK_CHARS:
        # a large text: checked in another process, so small requests are not held up
        try:
            payload = await run_in_threadpool(
                services.work.check_json, body.text, audience, body.markup)
        except WorkTimeout:
            raise ApiError(503, "This text took too long to check. Check it in parts "
                                "(a few pages at a time).", headers={"Retry-After": "5"}
                           ) from None
    elif size <= INLINE_CHECK_CHARS and services.ready("checker"):
        payload = _check(services, body.text, audience, body.markup)
    else:
        payload = await run_in_threadpool(_check, services, body.text, audience, body.markup)
    return Response(payload, media_type="application/json")
