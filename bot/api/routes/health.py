"""Liveness and readiness: /healthz, and who am I (/api/me)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from fastapi import APIRouter, Request

from bot.api.deps import ServicesDep, resolve_owner
from bot.api.schemas import Health, Me

router = APIRouter(tags=["health"])


def _version() -> str:
    try:
        return version("mastery-comms")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "0"


@router.get("/healthz", response_model=Health, summary="Is the service up?")
def healthz(services: ServicesDep) -> Health:
    try:
        database = "ok" if services.store.ping() else "unreachable"
    except Exception:
        database = "unreachable"
    tk = services.toolkit
    counts = {
        "faq": len(tk.faq), "myths": len(tk.myths), "rules": len(tk.rules),
        "templates": len(tk.templates), "audiences": len(tk.audiences),
    }
    return Health(
        status="ok" if database == "ok" else "degraded", version=_version(),
        database=database, toolkit=counts, engines=services.engines_available(),
    )


@router.get("/api/me", response_model=Me, summary="Who the workspace thinks you are")
def me(request: Request, services: ServicesDep) -> Me:
    owner = resolve_owner(request, services)
    return Me(owner=owner or "", auth_required=services.auth_required, signed_in=owner is not None)
