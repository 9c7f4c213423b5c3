"""Route dependencies as named ``Annotated`` aliases (``OwnerDep``, ``StoreDep`` …)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Request

from bot.api import auth
from bot.api.errors import ApiError
from bot.api.security import SCOPE_KEY
from bot.api.services import Services
from bot.settings import Settings
from bot.store import LOCAL_OWNER, DraftStore

if TYPE_CHECKING:
    from toolkit import Toolkit

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


# The dependencies below that only read what the gate or the app already hold are
# ``async``: FastAPI runs a plain ``def`` dependency in the thread pool, a hop (and a
# fight for the interpreter lock) per dependency per request.


async def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


async def get_store(services: ServicesDep) -> DraftStore:
    return services.store


async def get_toolkit(services: ServicesDep) -> Toolkit:
    return services.toolkit


async def get_settings(services: ServicesDep) -> Settings:
    return services.settings


StoreDep = Annotated[DraftStore, Depends(get_store)]
ToolkitDep = Annotated["Toolkit", Depends(get_toolkit)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def _unauthorized(message: str) -> ApiError:
    return ApiError(401, message, headers={"WWW-Authenticate": "Bearer"})


def session_owner(request: Request, services: Services) -> str | None:
    """The owner of a valid session cookie (users removed since are signed out)."""
    owner: str | None = services.identities.session_owner(
        request.cookies.get(auth.SESSION_COOKIE))
    return owner


def identity(request: Request, services: Services) -> auth.Identity:
    """Who is asking, as the gate found out (bot.api.security.Gate)."""
    found = request.scope.get("state", {}).get(SCOPE_KEY)
    if isinstance(found, auth.Identity):
        return found
    ident: auth.Identity = services.identities.identify(
        request.headers.get("authorization", ""), request.cookies.get(auth.SESSION_COOKIE),
        not services.auth_required)
    return ident


def resolve_owner(request: Request, services: Services) -> str | None:
    """Who is asking: bearer token, then session cookie, then the local user (if allowed).

    Raises 401 for a wrong bearer token; returns None when nobody is signed in.
    """
    found = identity(request, services)
    if found.bad_token:
        raise _unauthorized(found.bad_token)
    if found.via == "session" and request.method in UNSAFE_METHODS and not request.headers.get(
            auth.CSRF_HEADER):
        # a cookie rides along on cross-site requests too: changes need a header that
        # only our own page's scripts send (a cross-site form cannot set it)
        raise ApiError(403, "This change was refused because it did not come from the "
                            "workspace page. Reload the page and try again.")
    return found.owner


def signed_in_owner(request: Request, services: Services) -> str:
    """The owner of a signed-in request; 401 when nobody is signed in."""
    owner = resolve_owner(request, services)
    if owner is None:
        raise _unauthorized(
            "Please sign in: send an API token as 'Authorization: Bearer <token>', or sign "
            "in on the workspace page. Tokens come from `mastery users add NAME`."
        )
    return owner


async def current_owner(request: Request, services: ServicesDep) -> str:
    """Who is asking (found by the gate, bot.api.security.Gate, without a database read
    in the usual case)."""
    if not isinstance(request.scope.get("state", {}).get(SCOPE_KEY), auth.Identity):
        # no gate in front (an app assembled by hand): the lookup may read the database
        from starlette.concurrency import run_in_threadpool

        return await run_in_threadpool(signed_in_owner, request, services)
    return signed_in_owner(request, services)


OwnerDep = Annotated[str, Depends(current_owner)]


def current_editor(request: Request, services: ServicesDep) -> str:
    """A content editor: a user given the editor role (`mastery users add NAME --role
    editor`), or the owner of the local single-user workspace."""
    owner = signed_in_owner(request, services)
    if owner == LOCAL_OWNER and not services.auth_required:
        return owner
    if not services.identities.is_editor(owner):
        raise ApiError(403, "Only content editors can read the question log. Ask the "
                            "administrator to run `mastery users role NAME editor`.")
    return owner


EditorDep = Annotated[str, Depends(current_editor)]
