"""Check wording against the message-testing findings, with readability."""

from __future__ import annotations

from fastapi import APIRouter

from bot.api.deps import OwnerDep, ServicesDep
from bot.api.routes.ask import _audience_id
from bot.api.routes.common import to_dict
from bot.api.schemas import ERROR_RESPONSES, TOO_LARGE, CheckIn, CheckOut

router = APIRouter(prefix="/api", tags=["check"], responses={**ERROR_RESPONSES, **TOO_LARGE})


@router.post("/check", response_model=CheckOut,
             summary="Flag weak phrases and rate readability for an audience")
def check(body: CheckIn, services: ServicesDep, _owner: OwnerDep) -> CheckOut:
    audience = _audience_id(services, body.audience)
    report = services.checker().check(body.text, audience=audience, markup=body.markup)
    return CheckOut(**to_dict(report))
