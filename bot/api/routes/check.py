"""Check wording against the message-testing findings, with readability."""

from __future__ import annotations

from fastapi import APIRouter

from bot.api.deps import OwnerDep, ServicesDep
from bot.api.errors import ApiError
from bot.api.routes.ask import _audience_id
from bot.api.routes.common import to_dict
from bot.api.schemas import ERROR_RESPONSES, TOO_LARGE, CheckIn, CheckOut
from bot.api.work import HEAVY_CHECK_CHARS, WorkTimeout

router = APIRouter(prefix="/api", tags=["check"], responses={**ERROR_RESPONSES, **TOO_LARGE})


@router.post("/check", response_model=CheckOut,
             summary="Flag weak phrases and rate readability for an audience")
def check(body: CheckIn, services: ServicesDep, _owner: OwnerDep) -> CheckOut:
    audience = _audience_id(services, body.audience)
    if services.work is not None and len(body.text) > HEAVY_CHECK_CHARS:
        # a large text: checked in another process, so small requests are not held up
        try:
            return CheckOut(**services.work.check(body.text, audience, body.markup))
        except WorkTimeout:
            raise ApiError(503, "This text took too long to check. Check it in parts "
                                "(a few pages at a time).", headers={"Retry-After": "5"}
                           ) from None
    report = services.checker().check(body.text, audience=audience, markup=body.markup)
    return CheckOut(**to_dict(report))
