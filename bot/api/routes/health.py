"""Liveness and readiness: /healthz, and who am I (/api/me)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Literal

from fastapi import APIRouter, Request, Response

from bot.api.deps import ServicesDep, identity, resolve_owner
from bot.api.schemas import Health, Me

router = APIRouter(tags=["health"])


def _version() -> str:
    try:
        return version("mastery-comms")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "0"


@router.get("/healthz", response_model=Health, response_model_exclude_none=True,
            summary="Is the service up? (503 when its database is not reachable)",
            responses={503: {"model": Health, "description": "the database is unreachable"}})
def healthz(request: Request, response: Response, services: ServicesDep) -> Health:
    try:
        database = "ok" if services.store.ping() else "unreachable"
    except Exception:
        database = "unreachable"
    status: Literal["ok", "degraded"] = "ok" if database == "ok" else "degraded"
    if status != "ok":
        response.status_code = 503  # a load balancer takes this instance out of rotation
    if identity(request, services).owner is None:
        # a bare liveness check: no version or counts for people not signed in
        return Health(status=status, database=database)
    tk = services.toolkit
    counts = {
        "faq": len(tk.faq), "myths": len(tk.myths), "rules": len(tk.rules),
        "templates": len(tk.templates), "audiences": len(tk.audiences),
    }
    return Health(
        status=status, version=_version(),
        database=database, toolkit=counts, engines=services.engines_available(),
    )


@router.get("/api/me", response_model=Me, summary="Who the workspace thinks you are")
def me(request: Request, services: ServicesDep) -> Me:
    owner = resolve_owner(request, services)
    return Me(owner=owner or "", auth_required=services.auth_required, signed_in=owner is not None)
