"""The web workspace page, and signing in and out (token form, signed Slack links)."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from bot.api import auth
from bot.api.deps import ServicesDep, resolve_owner, session_owner
from bot.api.schemas import MAX_TEXT
from bot.api.security import CSP, same_origin
from bot.api.services import Services
from messaging.checker import MAX_FLAGS_PER_RULE
from toolkit import words

router = APIRouter(include_in_schema=False)

PAGE_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


@lru_cache(maxsize=1)
def page_env() -> Environment:
    """The Jinja2 environment of the page templates (interface, not content)."""
    folder = str(resources.files("bot").joinpath("web", "templates"))
    return Environment(loader=FileSystemLoader(folder), autoescape=select_autoescape(["html"]),
                       trim_blocks=True, lstrip_blocks=True)


def _page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    html = page_env().get_template(name).render(**context)
    return HTMLResponse(html, status_code=status, headers=PAGE_HEADERS)


def _boot(services: Services, owner: str) -> str:
    tk = services.toolkit
    data = {
        "owner": owner,
        "authRequired": services.auth_required,
        "audiences": [{"id": a.id, "name": a.name} for a in tk.audiences.values()],
        "templates": [{"id": t.id, "title": t.title, "description": t.description}
                      for t in tk.templates.values()],
        "maxBodyBytes": services.settings.max_body_bytes,
        "maxCheckChars": MAX_TEXT,
        "maxFlagsPerRule": MAX_FLAGS_PER_RULE,
        "words": words.for_web(),  # no-answer, out-of-scope, severity names (toolkit.words)
    }
    # safe inside <script type="application/json">: no '</' can close the element
    return json.dumps(data).replace("</", "<\\/")


@router.api_route("/", methods=["GET", "HEAD"], response_class=HTMLResponse)
def index(request: Request, services: ServicesDep) -> Response:
    owner = resolve_owner(request, services)
    if owner is None:
        return RedirectResponse("/login", status_code=303)
    return _page("index.html", owner=owner, auth_required=services.auth_required,
                 boot=_boot(services, owner), signed_in=session_owner(request, services)
                 is not None)


@router.get("/login", response_class=HTMLResponse)
def login_form(services: ServicesDep) -> Response:
    return _page("login.html", message=None, auth_required=services.auth_required)


def _signed_in(request: Request, services: Services, owner: str, target: str = "/",
               session_key: str = "") -> Response:
    response = RedirectResponse(target, status_code=303)
    # Secure whenever the page is reached over https: directly, behind a trusted proxy
    # (X-Forwarded-Proto, see MASTERY_TRUSTED_PROXIES) or at an https public URL
    secure = (request.url.scheme == "https"
              or (services.settings.public_url or "").startswith("https://"))
    response.set_cookie(
        auth.SESSION_COOKIE,
        auth.make_session(owner, services.settings, services.secret, session_key),
        max_age=services.settings.session_days * 86400, httponly=True, samesite="lax",
        secure=secure, path="/",
    )
    return response


def _cross_site(request: Request, services: Services) -> Response | None:
    """A 403 page for a sign-in or sign-out posted from another site (login CSRF)."""
    if same_origin(dict(request.headers), request.url.scheme, services.settings.public_url):
        return None
    return _page("login.html", status=403, auth_required=services.auth_required,
                 message="This sign-in did not come from this workspace's own page. Open "
                         "the workspace's address and sign in there.")


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, services: ServicesDep,
          token: Annotated[str, Form(max_length=300)] = "") -> Response:
    refused = _cross_site(request, services)
    if refused is not None:
        return refused
    user = services.identities.user_for_token(token.strip()) if token.strip() else None
    if user is None:
        services.limiter.failed(request.client.host if request.client else "unknown")
        return _page("login.html", status=401, auth_required=services.auth_required,
                     message="That token is not valid. Check it, or ask the administrator "
                             "for a new one (mastery users add NAME).")
    return _signed_in(request, services, user.owner, session_key=user.session_key)


@router.get("/login/link", response_class=HTMLResponse)
def login_link(request: Request, services: ServicesDep,
               t: Annotated[str, Query(max_length=4000)] = "") -> Response:
    payload = auth.read_login_link(t, services.settings, services.secret)
    if payload is None:
        return _page("login.html", status=401, auth_required=services.auth_required,
                     message="This sign-in link has expired or is not valid. Ask the Slack "
                             "bot for a new one.")
    draft = payload.get("d")
    target = f"/?draft={draft}#draft" if isinstance(draft, str) and draft.isalnum() else "/"
    return _signed_in(request, services, payload["o"], target)


@router.post("/logout")
def logout(request: Request, services: ServicesDep) -> Response:
    refused = _cross_site(request, services)
    if refused is not None:
        return refused
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(auth.SESSION_COOKIE, path="/")
    return response


SEVERITY_ICONS = {"error": "\u2716", "warning": "\u25b2", "suggestion": "\u25cf"}


@router.get("/help", response_class=HTMLResponse)
def help_page(services: ServicesDep) -> Response:
    """How to use each tab, and what the flags mean: the findings the rules rest on."""
    tk = services.toolkit
    findings = []
    for finding in tk.findings.values():
        rules = [r for r in tk.rules.values() if r.finding == finding.id]
        if rules:
            findings.append({"id": finding.id, "title": finding.title, "summary": finding.summary,
                             "rules": rules, "sources": tk.cite(finding.sources)})
    return _page("help.html", findings=findings, icons=SEVERITY_ICONS)


@router.get("/docs", response_class=HTMLResponse)
def api_docs() -> Response:
    """The API reference: Swagger UI (from fastapi-offline, no CDN) on an accessible page."""
    headers = {**PAGE_HEADERS, "Cache-Control": "no-cache"}
    return HTMLResponse(page_env().get_template("docs.html").render(), headers=headers)


@router.get("/favicon.ico")
def favicon() -> Response:
    icon = resources.files("bot").joinpath("web", "static", "favicon.svg").read_bytes()
    return Response(icon, media_type="image/svg+xml",
                    headers={"Cache-Control": "public, max-age=86400"})


def wants_html(request: Request) -> bool:
    """A browser opening an address (not a script calling the API) gets pages, not JSON."""
    accept = request.headers.get("accept", "")
    return "text/html" in accept and not request.url.path.startswith("/api/")


def not_found_page() -> HTMLResponse:
    return _page("not_found.html", status=404, auth_required=False)
