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
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bot.settings import Settings

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


def make_session(owner: str, settings: Settings, key: bytes | None = None) -> str:
    expires = int(time.time() + settings.session_days * 86400)
    return sign({"o": owner, "e": expires}, key or secret_key(settings), "session")


def read_session(value: str | None, settings: Settings, key: bytes | None = None) -> str | None:
    if not value:
        return None
    payload = unsign(value, key or secret_key(settings), "session")
    return payload["o"] if payload else None


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
