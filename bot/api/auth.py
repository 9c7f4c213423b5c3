"""Who is asking: API tokens, the page's session cookie and signed sign-in links.

* On a loopback address with no configuration the workspace is a single-user local tool:
  every request acts as the owner ``"local"``.
* Anywhere else (or with ``MASTERY_REQUIRE_AUTH=true``) every API call and page needs a
  sign-in: an API token from ``mastery users add NAME`` sent as ``Authorization: Bearer``,
  or the HttpOnly, SameSite=Lax session cookie the page sets after the token was entered
  in its sign-in form.
* Slack users open the workspace through a short-lived signed link
  (:func:`make_login_link`) that signs them in as ``"slack:TEAM:USER"``.

Cookies and links are signed with HMAC-SHA256 using ``Settings.secret_key``, or a key
generated once and kept in the data folder (so the Slack process and the web process,
sharing a data folder, agree on it).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import json
import os
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from bot.settings import Settings

if TYPE_CHECKING:
    from bot.store import DraftStore, User

SESSION_COOKIE = "mastery_session"
CSRF_HEADER = "x-requested-with"
SECRET_FILE = "secret_key"


def is_loopback(host: str) -> bool:
    if host.strip().lower() in {"localhost", "ip6-localhost"}:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def auth_required(settings: Settings) -> bool:
    if settings.require_auth is not None:
        return settings.require_auth
    return not is_loopback(settings.host)


def secret_key(settings: Settings) -> bytes:
    """The signing key: the configured one, or one generated and kept in the data folder."""
    if settings.secret_key:
        return settings.secret_key.encode("utf-8")
    path = Path(settings.data_dir).expanduser() / SECRET_FILE
    try:
        return path.read_text(encoding="ascii").strip().encode("ascii")
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    tmp = path.with_name(f".{SECRET_FILE}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key)
    try:
        os.link(tmp, path)  # atomic; fails if another process won the race
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)
    return path.read_text(encoding="ascii").strip().encode("ascii")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign(payload: dict[str, Any], key: bytes, purpose: str) -> str:
    body = _b64(json.dumps(payload, separators=(",", ":"), sort_keys=True).encode("utf-8"))
    mac = hmac.new(key, f"{purpose}.{body}".encode("ascii"), hashlib.sha256).digest()
    return f"{body}.{_b64(mac)}"


def unsign(
    token: str, key: bytes, purpose: str, *, now: float | None = None
) -> dict[str, Any] | None:
    """The payload of a valid, unexpired signed token, else None."""
    if not token or len(token) > 4000 or token.count(".") != 1:
        return None
    body, mac = token.split(".")
    expected = hmac.new(key, f"{purpose}.{body}".encode("ascii", "replace"), hashlib.sha256)
    try:
        if not hmac.compare_digest(_unb64(mac), expected.digest()):
            return None
        payload = json.loads(_unb64(body))
    except (ValueError, TypeError):
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("o"), str):
        return None
    expires = payload.get("e")
    if not isinstance(expires, int | float) or expires < (now if now is not None else time.time()):
        return None
    return payload


def make_session(
    owner: str, settings: Settings, key: bytes | None = None, session_key: str = ""
) -> str:
    """A signed session for ``owner``; ``session_key`` is the user's current one (a user's
    sessions end when it is replaced)."""
    expires = int(time.time() + settings.session_days * 86400)
    payload: dict[str, Any] = {"o": owner, "e": expires}
    if session_key:
        payload["k"] = session_key
    return sign(payload, key or secret_key(settings), "session")


def read_session(value: str | None, settings: Settings, key: bytes | None = None) -> str | None:
    payload = read_session_payload(value, key or secret_key(settings))
    return payload["o"] if payload else None


def read_session_payload(value: str | None, key: bytes) -> dict[str, Any] | None:
    return unsign(value, key, "session") if value else None


# ------------------------------------------------------------ who is asking
@dataclass(frozen=True)
class Identity:
    """Who a request comes from: ``owner`` (None: nobody signed in) and how they signed
    in (``via``: "token", "session" or "local"); ``bad_token`` when a bearer token was
    sent and is not valid (or malformed)."""

    owner: str | None
    via: str | None = None
    bad_token: str | None = None


BAD_SCHEME = "Send the API token as 'Authorization: Bearer <token>'."
BAD_TOKEN = ("That API token is not valid. Ask the administrator for a new one "
             "(`mastery users add NAME`).")


class Identities:
    """Token and session checks, remembered for ``Settings.auth_cache_seconds`` so that
    most requests do not read the database; thread-safe."""

    MAX_ENTRIES = 10_000

    def __init__(self, store: DraftStore, settings: Settings, secret: bytes) -> None:
        self.store = store
        self.secret = secret
        self.ttl = settings.auth_cache_seconds
        self._tokens: dict[str, tuple[float, User | None]] = {}
        self._users: dict[str, tuple[float, User | None]] = {}
        self._lock = threading.Lock()

    def _cached(self, table: dict[str, tuple[float, User | None]], key: str
                ) -> tuple[bool, User | None]:
        entry = table.get(key)
        if entry is None or entry[0] < time.monotonic():
            return False, None
        return True, entry[1]

    def _remember(self, table: dict[str, tuple[float, User | None]], key: str,
                  user: User | None) -> None:
        if self.ttl <= 0:
            return
        with self._lock:
            if len(table) >= self.MAX_ENTRIES:
                table.clear()
            table[key] = (time.monotonic() + self.ttl, user)

    def peek_token(self, token: str) -> tuple[bool, User | None]:
        """(known, user) from the cache alone: never reads the database."""
        return self._cached(self._tokens, _digest(token))

    def user_for_token(self, token: str) -> User | None:
        digest = _digest(token)
        hit, user = self._cached(self._tokens, digest)
        if not hit:
            user = self.store.authenticate(token)
            self._remember(self._tokens, digest, user)
        return user

    def user_named(self, name: str) -> User | None:
        hit, user = self._cached(self._users, name)
        if not hit:
            user = self.store.get_user(name)
            self._remember(self._users, name, user)
        return user

    def peek_session(self, cookie: str) -> tuple[bool, str | None]:
        """(known, owner) of a session cookie from the signature and the cache alone:
        never reads the database (``known`` is False when that would be needed)."""
        payload = read_session_payload(cookie, self.secret)
        if payload is None:
            return True, None
        owner: str = payload["o"]
        if not owner.startswith("user:"):
            return True, owner
        hit, user = self._cached(self._users, owner[5:])
        if not hit:
            return False, None
        if user is None or payload.get("k", "") != user.session_key:
            return True, None
        return True, owner

    def session_owner(self, cookie: str | None) -> str | None:
        """The owner of a valid session cookie: signed, unexpired and, for a token user,
        carrying the user's current session key (removed users are signed out)."""
        payload = read_session_payload(cookie, self.secret)
        if payload is None:
            return None
        owner: str = payload["o"]
        if owner.startswith("user:"):
            user = self.user_named(owner[5:])
            if user is None or payload.get("k", "") != user.session_key:
                return None
        return owner

    def is_editor(self, owner: str) -> bool:
        if not owner.startswith("user:"):
            return False
        user = self.user_named(owner[5:])
        return user is not None and user.is_editor

    def identify(self, authorization: str, cookie: str | None, local: bool) -> Identity:
        """Bearer token first, then the session cookie, then the local user (if allowed)."""
        if authorization:
            scheme, _, token = authorization.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                return Identity(None, bad_token=BAD_SCHEME)
            user = self.user_for_token(token.strip())
            if user is None:
                return Identity(None, bad_token=BAD_TOKEN)
            return Identity(user.owner, "token")
        owner = self.session_owner(cookie)
        if owner:
            return Identity(owner, "session")
        return Identity("local", "local") if local else Identity(None)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


class SignInLimiter:
    """Wrong tokens per client address in a sliding minute; past the limit the address is
    answered 429 until its oldest failure is a minute old. Per process."""

    WINDOW = 60.0
    MAX_ADDRESSES = 10_000

    def __init__(self, attempts: int) -> None:
        self.attempts = attempts
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, address: str, now: float | None = None) -> int:
        """Seconds until ``address`` may try again (0: it may now)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            times = self._failures.get(address)
            if not times:
                return 0
            while times and times[0] <= now - self.WINDOW:
                times.popleft()
            if len(times) < self.attempts:
                return 0
            return max(1, int(times[0] + self.WINDOW - now + 0.999))

    def failed(self, address: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            if len(self._failures) >= self.MAX_ADDRESSES and address not in self._failures:
                cutoff = now - self.WINDOW
                for key in [k for k, v in self._failures.items() if not v or v[-1] <= cutoff]:
                    del self._failures[key]
                if len(self._failures) >= self.MAX_ADDRESSES:
                    self._failures.clear()
            self._failures.setdefault(address, deque(maxlen=self.attempts)).append(now)


def base_url(settings: Settings) -> str:
    if settings.public_url:
        return settings.public_url.rstrip("/")
    host = settings.host
    if host in {"0.0.0.0", "::", ""}:
        host = "127.0.0.1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{settings.port}"


def make_login_link(
    owner: str,
    *,
    draft_id: str | None = None,
    settings: Settings | None = None,
    minutes: int | None = None,
) -> str:
    """A short-lived link that opens the web workspace signed in as ``owner``.

    For the Slack bot: ``make_login_link(f"slack:{team_id}:{user_id}", draft_id=...)``.
    The link works once the page is served at ``Settings.public_url`` (or host:port).
    """
    settings = settings or Settings()
    ttl = (minutes or settings.login_link_minutes) * 60
    payload: dict[str, Any] = {"o": owner, "e": int(time.time() + ttl), "n": secrets.token_hex(4)}
    if draft_id:
        payload["d"] = draft_id
    token = sign(payload, secret_key(settings), "login-link")
    return f"{base_url(settings)}/login/link?{urlencode({'t': token})}"


def read_login_link(
    token: str, settings: Settings, key: bytes | None = None
) -> dict[str, Any] | None:
    return unsign(token, key or secret_key(settings), "login-link")
