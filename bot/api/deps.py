"""Route dependencies as named ``Annotated`` aliases (``OwnerDep``, ``StoreDep`` …)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Request

from bot.api import auth
from bot.api.errors import ApiError
from bot.api.services import Services
from bot.settings import Settings
from bot.store import LOCAL_OWNER, DraftStore

if TYPE_CHECKING:
    from toolkit import Toolkit

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


def get_store(services: ServicesDep) -> DraftStore:
    return services.store


def get_toolkit(services: ServicesDep) -> Toolkit:
    return services.toolkit


def get_settings(services: ServicesDep) -> Settings:
    return services.settings


StoreDep = Annotated[DraftStore, Depends(get_store)]
ToolkitDep = Annotated["Toolkit", Depends(get_toolkit)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def _unauthorized(message: str) -> ApiError:
    return ApiError(401, message, headers={"WWW-Authenticate": "Bearer"})


def session_owner(request: Request, services: Services) -> str | None:
    """The owner of a valid session cookie (users removed since are signed out)."""
    owner = auth.read_session(
        request.cookies.get(auth.SESSION_COOKIE), services.settings, services.secret
    )
    if owner and owner.startswith("user:") and services.store.get_user(owner[5:]) is None:
        return None
    return owner


def resolve_owner(request: Request, services: Services) -> str | None:
    """Who is asking: bearer token, then session cookie, then the local user (if allowed).

    Raises 401 for a wrong bearer token; returns None when nobody is signed in.
    """
    header = request.headers.get("authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise _unauthorized("Send the API token as 'Authorization: Bearer <token>'.")
        user = services.store.authenticate(token.strip())
        if user is None:
            raise _unauthorized(
                "That API token is not valid. Ask the administrator for a new one "
                "(`mastery users add NAME`)."
            )
        return user.owner
    owner = session_owner(request, services)
    if owner:
        # a cookie rides along on cross-site requests too: changes need a header that
        # only our own page's scripts send (a cross-site form cannot set it)
        if request.method in UNSAFE_METHODS and not request.headers.get(auth.CSRF_HEADER):
            raise ApiError(403, "This change was refused because it did not come from the "
                                "workspace page. Reload the page and try again.")
        return owner
    if not services.auth_required:
        return LOCAL_OWNER
    return None


def current_owner(request: Request, services: ServicesDep) -> str:
    owner = resolve_owner(request, services)
    if owner is None:
        raise _unauthorized(
            "Please sign in: send an API token as 'Authorization: Bearer <token>', or sign "
            "in on the workspace page. Tokens come from `mastery users add NAME`."
        )
    return owner


OwnerDep = Annotated[str, Depends(current_owner)]
