"""The gate every HTTP request passes first (a pure ASGI middleware, :class:`Gate`).

In order, for each request:

1. **Host allow-list** (DNS rebinding): a web page on ``attacker.example`` whose name is
   made to resolve to 127.0.0.1 sends ``Host: attacker.example``; only loopback names,
   IP addresses (a rebinding needs a name), the public URL's host, the host the server
   was told to listen on and ``Settings.allowed_hosts`` are answered; others get 400.
2. **Who is asking** (:class:`bot.api.auth.Identity`), from the token or the session
   cookie, kept in the request's state for the routes; too many wrong tokens from one
   address are answered 429 with ``Retry-After``.
3. **Sign-in before bodies**: with sign-in required, a request that carries a body but
   no valid sign-in is answered 401 *before* its body is read; the few addresses that
   take a body from people not signed in (the sign-in form, Slack's events) get a small
   size limit and a cap on how many such bodies are read at once (503 beyond it).
4. **Body read timeout**: a body that has not arrived within ``Settings.body_timeout``
   is answered 408 and the connection closed (header read timeouts live in
   :mod:`bot.api.protocols`, below the application).
5. ``/docs`` and ``/openapi.json`` need a sign-in when sign-in is required.
6. **Security headers on every response** (CSP, nosniff, frame-ancestors/X-Frame-Options,
   Referrer-Policy), unless the route set its own.
"""

from __future__ import annotations

import ipaddress
import json
import math
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import anyio
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.api.auth import SESSION_COOKIE, Identities, Identity, SignInLimiter, is_loopback
from bot.api.errors import error_body

if TYPE_CHECKING:
    from bot.api.services import Services
    from bot.settings import Settings

#: the workspace page's policy, also the default of every other response
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
#: Swagger UI (/docs) starts itself with an inline script; the page shows no user content
DOCS_CSP = CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
)
DOCS_PATHS = ("/docs", "/openapi.json")
DOCS_PREFIXES = ("/docs/", "/static-offline-docs/")
#: addresses that read a body from someone not signed in (they check it themselves)
PUBLIC_BODY_PREFIXES = ("/login", "/logout", "/slack/")
#: the most bytes read from a client that is not signed in
UNAUTHENTICATED_BODY_BYTES = 256_000
BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
SCOPE_KEY = "mastery_identity"


def allowed_hosts(settings: Settings) -> tuple[frozenset[str], tuple[str, ...], bool]:
    """(exact names, ``.suffix`` wildcards, any) the server answers to, besides loopback
    names and IP addresses."""
    names: set[str] = set()
    suffixes: list[str] = []
    if settings.public_url:
        host = urlsplit(settings.public_url).hostname
        if host:
            names.add(host.lower())
    if settings.host and settings.host not in {"0.0.0.0", "::", ""}:
        names.add(settings.host.strip("[]").lower())
    for item in (settings.allowed_hosts or "").split(","):
        item = item.strip().lower()
        if item == "*":
            return frozenset(), (), True
        if item.startswith("*."):
            suffixes.append(item[1:])
        elif item:
            names.add(item)
    return frozenset(names), tuple(suffixes), False


def host_name(value: str) -> str:
    """The name part of a Host header: no port, no IPv6 brackets, lower case."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:value.find("]")] if "]" in value else value[1:]
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


class Gate:
    def __init__(self, app: ASGIApp, services: Services, router: Any = None) -> None:
        self.app = app
        self.services = services
        #: the app's router: a request no route takes is left to it (404/405)
        self.router = router
        settings = services.settings
        self.names, self.suffixes, self.any_host = allowed_hosts(settings)
        self.identities: Identities = services.identities
        self.limiter: SignInLimiter = services.limiter
        self.body_timeout = settings.body_timeout
        self.max_body = settings.max_body_bytes
        self.unauthenticated = 0
        self.max_unauthenticated = settings.max_unauthenticated_bodies

    # ------------------------------------------------------------ checks
    def host_ok(self, host: str) -> bool:
        if self.any_host or not host:
            return True
        name = host_name(host).rstrip(".")
        return (is_loopback(name) or _is_ip(name) or name in self.names
                or any(name.endswith(s) for s in self.suffixes))

    def routed(self, scope: Scope) -> bool:
        """Whether a route takes this method at this path (else the router answers 404 or
        405 without reading the body)."""
        if self.router is None:
            return True
        from starlette.routing import Match

        return any(route.matches(scope)[0] is Match.FULL for route in self.router.routes)

    async def identify(self, headers: dict[bytes, bytes]) -> Identity:
        authorization = headers.get(b"authorization", b"").decode("latin-1")
        cookie = _cookie(headers.get(b"cookie", b"").decode("latin-1"), SESSION_COOKIE)
        local = not self.services.auth_required
        if authorization:
            scheme, _, token = authorization.partition(" ")
            if scheme.lower() == "bearer" and token.strip():
                known, user = self.identities.peek_token(token.strip())
                if known:  # the usual case under load: no thread, no database
                    return (Identity(user.owner, "token") if user else
                            self.identities.identify(authorization, None, local))
        else:
            if cookie:  # the page's requests: usually known without a database read
                known, owner = self.identities.peek_session(cookie)
                if not known:
                    return await anyio.to_thread.run_sync(
                        self.identities.identify, authorization, cookie, local)
                if owner:
                    return Identity(owner, "session")
            return Identity("local", "local") if local else Identity(None)
        return await anyio.to_thread.run_sync(
            self.identities.identify, authorization, cookie, local)

    # ------------------------------------------------------------ the gate
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        docs = path in DOCS_PATHS or path.startswith(DOCS_PREFIXES)
        send = _with_security_headers(send, DOCS_CSP if docs else CSP)
        headers = dict(scope.get("headers", []))
        host = headers.get(b"host", b"").decode("latin-1")
        if not self.host_ok(host):
            await reply(send, 400, (
                f"This server does not answer to the address {host_name(host)!r}. Open it "
                "at its own address (e.g. http://127.0.0.1:PORT/), or add the name to "
                "MASTERY_ALLOWED_HOSTS (or MASTERY_PUBLIC_URL)."), close=True)
            return
        address = (scope.get("client") or ("unknown", 0))[0]
        wait = self.limiter.retry_after(address)
        if wait and (b"authorization" in headers or path == "/login"):
            await reply(send, 429, (
                f"Too many wrong tokens were tried from your address. Wait {wait} seconds "
                "and try again, with the token from `mastery users add` or "
                "`mastery users token`."), headers={"Retry-After": str(wait)}, close=True)
            return
        identity = await self.identify(headers)
        if identity.bad_token:
            self.limiter.failed(address)
        scope.setdefault("state", {})[SCOPE_KEY] = identity
        signed_in = identity.owner is not None
        if docs and not signed_in:
            if path == "/docs":
                await reply_redirect(send, "/login")
            else:
                await reply(send, 401, "Please sign in to read the API documentation.",
                            headers={"WWW-Authenticate": "Bearer"})
            return

        method = scope.get("method", "GET")
        limit = self.max_body
        counted = False
        if method in BODY_METHODS and not signed_in:
            if not path.startswith(PUBLIC_BODY_PREFIXES) and self.routed(scope):
                message = identity.bad_token or (
                    "Please sign in: send an API token as 'Authorization: Bearer <token>', "
                    "or sign in on the workspace page. Tokens come from "
                    "`mastery users add NAME`.")
                await reply(send, 401, message, headers={"WWW-Authenticate": "Bearer"},
                            close=True)
                return
            if self.unauthenticated >= self.max_unauthenticated:
                await reply(send, 503, "The server is busy. Try again in a moment.",
                            headers={"Retry-After": "1"}, close=True)
                return
            limit = min(limit, UNAUTHENTICATED_BODY_BYTES)
            if _declared_length(headers) > limit:
                from bot.api.errors import body_too_large_message

                await reply(send, 413, body_too_large_message(limit), close=True)
                return
            self.unauthenticated += 1
            counted = True
        started = False

        async def tracking(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, _timed_receive(receive, self.body_timeout, limit,
                                                 str(scope.get("path", ""))), tracking)
        except HTTPException as exc:  # a body limit hit outside the routes' error handling
            if started:
                raise
            await reply(send, exc.status_code, str(exc.detail), close=True)
        finally:
            if counted:
                self.unauthenticated -= 1


def _timed_receive(receive: Receive, timeout: float, limit: int, path: str = "") -> Receive:
    """``receive`` with a deadline for the whole body and a cap on its size; after the
    body, messages (a disconnect) pass through untouched."""
    deadline: float | None = None
    received = 0
    done = False

    async def timed() -> Message:
        nonlocal deadline, received, done
        if done:
            return await receive()
        now = anyio.current_time()
        if deadline is None:
            deadline = now + timeout
        try:
            with anyio.fail_after(max(0.0, deadline - now)):
                message = await receive()
        except TimeoutError:
            raise HTTPException(408, (
                f"The request body did not arrive within {timeout:g} seconds. Check the "
                "connection and send it again."), headers={"Connection": "close"}) from None
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                from bot.api.errors import BodyTooLarge

                raise BodyTooLarge(limit, path)
            done = not message.get("more_body", False)
        else:
            done = True
        return message

    return timed


def _with_security_headers(send: Send, csp: str) -> Send:
    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            present = {name.lower() for name, _ in headers}
            extra = [(n, v) for n, v in SECURITY_HEADERS if n not in present]
            if b"content-security-policy" not in present:
                extra.append((b"content-security-policy", csp.encode("latin-1")))
            message = {**message, "headers": headers + extra}
        await send(message)

    return sending


def _declared_length(headers: dict[bytes, bytes]) -> int:
    try:
        return int(headers.get(b"content-length", b"0"))
    except ValueError:
        return 0


def _cookie(header: str, name: str) -> str | None:
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value.strip('"') or None
    return None


async def reply(send: Send, status: int, message: str, *, headers: dict[str, str] | None = None,
                close: bool = False) -> None:
    payload = json.dumps(error_body(message)).encode("utf-8")
    raw = [(b"content-type", b"application/json"),
           (b"content-length", str(len(payload)).encode())]
    raw += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in (headers or {}).items()]
    if close:
        raw.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": payload})


async def reply_redirect(send: Send, location: str) -> None:
    await send({"type": "http.response.start", "status": 303,
                "headers": [(b"location", location.encode()), (b"content-length", b"0")]})
    await send({"type": "http.response.body", "body": b""})


def same_origin(scope_headers: dict[str, str], scheme: str, public_url: str | None) -> bool:
    """Whether a form post comes from our own page (login CSRF): an ``Origin`` header, when
    sent, must be this server's own origin (or the public URL's); without one, a browser's
    ``Sec-Fetch-Site`` must not say cross-site. Clients that send neither (scripts) pass."""
    origin = scope_headers.get("origin")
    if origin is not None:
        own = {f"{scheme}://{scope_headers.get('host', '')}".lower()}
        if public_url:
            parts = urlsplit(public_url)
            own.add(f"{parts.scheme}://{parts.netloc}".lower())
        return origin.strip().lower() in own
    return scope_headers.get("sec-fetch-site", "same-origin") in {"same-origin", "none"}


def retry_seconds(value: float) -> str:
    return str(max(1, math.ceil(value)))


__all__: list[Any] = ["Gate", "allowed_hosts", "same_origin", "CSP"]
