"""Who sees what: tokens, the page's cookie, signed Slack links, and isolation between users."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from bot.api import auth, make_login_link
from bot.settings import Settings
from tests.dbfixtures import BACKENDS, database, make_client
from toolkit import Toolkit

WEB = {"X-Requested-With": "mastery-web"}


@pytest.fixture(params=BACKENDS, scope="module")
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, toolkit: Toolkit
) -> Iterator[tuple[Any, dict[str, str]]]:
    """An app that requires sign-in, with two users: ann and bob."""
    folder = tmp_path_factory.mktemp(f"auth-{request.param}")
    with database(request.param, folder) as url:
        # many wrong tokens are tried below: the rate limit has its own test
        client: Any = make_client(url, folder, toolkit, host="0.0.0.0", sign_in_attempts=10_000)
        store = client.app.state.services.store
        tokens = {name: store.add_user(name)[1] for name in ("ann", "bob")}
        with client:
            yield client, tokens
        store.close()


@contextmanager
def session_cookie(client: Any, value: str) -> Iterator[None]:
    client.cookies.set(auth.SESSION_COOKIE, value)
    try:
        yield
    finally:
        client.cookies.clear()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_serving_on_a_network_address_requires_sign_in() -> None:
    assert auth.auth_required(Settings(host="0.0.0.0")) is True
    assert auth.auth_required(Settings(host="192.168.1.20")) is True
    assert auth.auth_required(Settings(host="127.0.0.1")) is False
    assert auth.auth_required(Settings(host="::1")) is False
    assert auth.auth_required(Settings(host="localhost")) is False
    assert auth.auth_required(Settings(host="127.0.0.1", require_auth=True)) is True


@pytest.mark.parametrize("headers", [
    {}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic YW5uOng="},
    {"Authorization": "Bearer "},
])
def test_missing_or_wrong_token_is_401(served: tuple[Any, dict[str, str]],
                                       headers: dict[str, str]) -> None:
    client, _ = served
    for method, url, body in (("GET", "/api/drafts", None), ("POST", "/api/ask",
                              {"question": "What is mastery?"}), ("GET", "/api/templates", None)):
        response = client.request(method, url, json=body, headers=headers)
        assert response.status_code == 401, (url, response.text)
        assert response.json()["error"]["message"]
        assert response.headers["www-authenticate"] == "Bearer"


def test_page_redirects_to_sign_in(served: tuple[Any, dict[str, str]]) -> None:
    client, _ = served
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert client.get("/healthz").status_code == 200  # health stays open for monitors


def test_users_never_see_each_others_drafts(served: tuple[Any, dict[str, str]]) -> None:
    client, tokens = served
    ann, bob = bearer(tokens["ann"]), bearer(tokens["bob"])
    draft = client.post("/api/drafts", json={"template": "press-release",
                                             "data": {"headline": "Ann's secret"}}, headers=ann)
    assert draft.status_code == 201
    url = f"/api/drafts/{draft.json()['id']}"
    assert client.get(url, headers=ann).status_code == 200
    for method, path, body in (
        ("GET", url, None),
        ("PUT", url, {"base_version": 1, "data": {"headline": "Bob was here"}}),
        ("DELETE", url, None),
        ("GET", f"{url}/history", None),
        ("POST", f"{url}/restore/1", None),
        ("GET", f"{url}/export?format=docx", None),
        ("GET", f"{url}/completeness", None),
    ):
        response = client.request(method, path, json=body, headers=bob)
        assert response.status_code == 404, (method, path, response.text)
        assert "Ann" not in response.text
    assert draft.json()["id"] not in [d["id"] for d in client.get("/api/drafts",
                                                                   headers=bob).json()]
    still = client.get(url, headers=ann).json()
    assert still["data"] == {"headline": "Ann's secret"} and still["version"] == 1


def test_sign_in_form_sets_an_httponly_lax_cookie(served: tuple[Any, dict[str, str]]) -> None:
    client, tokens = served
    wrong = client.post("/login", data={"token": "nope"}, follow_redirects=False)
    assert wrong.status_code == 401 and "not valid" in wrong.text
    response = client.post("/login", data={"token": tokens["ann"]}, follow_redirects=False)
    assert response.status_code == 303
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{auth.SESSION_COOKIE}=")
    assert "HttpOnly" in cookie and "samesite=lax" in cookie.lower()
    assert tokens["ann"] not in cookie
    client.cookies.clear()
    session = cookie.split(";")[0].split("=", 1)[1]
    with session_cookie(client, session):
        page = client.get("/")
        assert page.status_code == 200 and "user:ann" in page.text
        assert client.get("/api/me").json()["owner"] == "user:ann"
        # changes made with the cookie must come from the page's scripts (CSRF defence)
        forged = client.post("/api/drafts", json={"template": "email"})
        assert forged.status_code == 403
        made = client.post("/api/drafts", json={"template": "email"}, headers=WEB)
        assert made.status_code == 201
    tampered = session[:-2] + ("AA" if session[-2:] != "AA" else "BB")
    with session_cookie(client, tampered):
        assert client.get("/api/drafts").status_code == 401
    out = client.post("/logout", follow_redirects=False)
    assert out.status_code == 303 and 'mastery_session=""' in out.headers["set-cookie"]
    client.cookies.clear()


def test_a_known_session_is_checked_without_the_database(
    served: tuple[Any, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page's requests carry the cookie: once its user is in the short-lived cache,
    the signature and the cache answer (no thread, no database read); a tampered
    cookie is still refused."""
    client, tokens = served
    response = client.post("/login", data={"token": tokens["bob"]}, follow_redirects=False)
    session = response.headers["set-cookie"].split(";")[0].split("=", 1)[1]
    client.cookies.clear()
    services = client.app.state.services
    reads: list[str] = []
    slow: list[object] = []
    real_get_user, real_identify = services.store.get_user, services.identities.identify
    monkeypatch.setattr(services.store, "get_user",
                        lambda name: reads.append(name) or real_get_user(name))
    monkeypatch.setattr(services.identities, "identify",
                        lambda *args: slow.append(args) or real_identify(*args))
    with session_cookie(client, session):
        for _ in range(5):
            assert client.get("/api/me").json()["owner"] == "user:bob"
    assert len(reads) <= 1 and len(slow) <= 1  # at most the first, to fill the cache
    tampered = session[:-2] + ("AA" if session[-2:] != "AA" else "BB")
    with session_cookie(client, tampered):
        assert client.get("/api/drafts").status_code == 401


def test_signed_slack_link_opens_the_workspace_as_that_owner(
    served: tuple[Any, dict[str, str]],
) -> None:
    client, _ = served
    settings = client.app.state.services.settings
    owner = "slack:T123:U456"
    store = client.app.state.services.store
    draft = store.create_draft(owner, "pilot-application", {}, profile="generic")
    link = make_login_link(owner, draft_id=draft.id, settings=settings)
    assert link.startswith(auth.base_url(settings) + "/login/link?t=")
    path = link[len(auth.base_url(settings)):]
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/?draft={draft.id}#draft"
    client.cookies.clear()
    session = response.headers["set-cookie"].split(";")[0].split("=", 1)[1]
    with session_cookie(client, session):
        assert client.get("/api/me").json()["owner"] == owner
        assert client.get(f"/api/drafts/{draft.id}").status_code == 200


def test_expired_or_forged_links_are_refused(served: tuple[Any, dict[str, str]]) -> None:
    client, _ = served
    services = client.app.state.services
    expired = auth.sign({"o": "slack:T:U", "e": int(time.time()) - 1}, services.secret,
                        "login-link")
    other_key = auth.sign({"o": "slack:T:U", "e": int(time.time()) + 600}, b"other-key",
                          "login-link")
    wrong_purpose = auth.sign({"o": "slack:T:U", "e": int(time.time()) + 600}, services.secret,
                              "session")
    for token in (expired, other_key, wrong_purpose, "garbage", ""):
        response = client.get("/login/link", params={"t": token}, follow_redirects=False)
        assert response.status_code == 401, token
        assert "set-cookie" not in response.headers


def test_local_loopback_tool_needs_no_sign_in(tmp_path: Path, toolkit: Toolkit) -> None:
    client: Any = make_client(f"sqlite:///{tmp_path / 'x.db'}", tmp_path, toolkit)
    with client:
        assert client.get("/api/me").json() == {"owner": "local", "auth_required": False,
                                                "signed_in": True}
        assert client.post("/api/drafts", json={"template": "email"}).status_code == 201
        assert client.get("/").status_code == 200
    client.app.state.services.store.close()


def test_secret_key_is_generated_once_and_kept(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    first = auth.secret_key(settings)
    assert first == auth.secret_key(settings) and len(first) >= 48
    assert ((tmp_path / "data" / auth.SECRET_FILE).stat().st_mode & 0o777) == 0o600
