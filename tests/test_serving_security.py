"""The holes of issue 14, closed: each test makes the attack and checks the refusal.

The real app over the real database (SQLite and PostgreSQL); the timeouts that need real
sockets are in tests/test_serving_server.py.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from bot.api import auth
from bot.api.security import allowed_hosts, host_name
from bot.settings import Settings
from bot.store import DraftStore
from tests.dbfixtures import BACKENDS, backend_client, database
from toolkit import Toolkit

WEB = {"X-Requested-With": "mastery-web"}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(params=BACKENDS)
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def network(kind: str, tmp_path: Path, toolkit: Toolkit) -> Iterator[Any]:
    """Served on a network address (sign-in required), tokens cached for 0.2 s."""
    with backend_client(kind, tmp_path, toolkit, host="0.0.0.0", auth_cache_seconds=0.2,
                        public_url="https://comms.example.org") as client:
        yield client


@pytest.fixture
def local(tmp_path: Path, toolkit: Toolkit) -> Iterator[Any]:
    """The single-user local tool (loopback, no sign-in), over SQLite."""
    with backend_client("sqlite", tmp_path, toolkit) as client:
        yield client


def users(client: Any) -> DraftStore:
    store: DraftStore = client.app.state.services.store
    return store


# ------------------------------------------------------------- DNS rebinding
@pytest.mark.parametrize("host", ["attacker.example", "attacker.example:8000",
                                  "localhost.attacker.example", "127.0.0.1.nip.io"])
def test_a_rebinding_host_gets_a_clear_400_in_local_mode(local: Any, host: str) -> None:
    response = local.get("/api/drafts", headers={"Host": host})
    assert response.status_code == 400
    message = response.json()["error"]["message"]
    assert host_name(host) in message and "MASTERY_ALLOWED_HOSTS" in message
    assert local.post("/api/drafts", json={"template": "press-release"},
                      headers={"Host": host, **WEB}).status_code == 400
    assert local.get("/api/drafts").json() == []  # nothing was created


@pytest.mark.parametrize("host", ["localhost", "localhost:8000", "127.0.0.1:8000", "[::1]:8000",
                                  "192.168.1.20:8000"])
def test_loopback_names_and_addresses_are_answered(local: Any, host: str) -> None:
    assert local.get("/api/drafts", headers={"Host": host}).status_code == 200


def test_the_public_url_and_configured_names_are_answered(network: Any) -> None:
    assert network.get("/healthz", headers={"Host": "comms.example.org"}).status_code == 200
    assert network.get("/healthz", headers={"Host": "evil.example.org"}).status_code == 400
    names, suffixes, any_host = allowed_hosts(Settings(
        allowed_hosts="intranet.lan, *.corp.example", public_url="https://a.example/x"))
    assert names >= {"intranet.lan", "a.example"} and suffixes == (".corp.example",)
    assert not any_host and allowed_hosts(Settings(allowed_hosts="*"))[2]


# ------------------------------------------------------------ security headers
@pytest.mark.parametrize("path", ["/api/templates", "/healthz", "/nowhere", "/docs",
                                  "/openapi.json", "/static/app.js", "/login"])
def test_every_response_carries_the_security_headers(local: Any, path: str) -> None:
    response = local.get(path)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "same-origin"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_a_refused_host_gets_the_headers_too(local: Any) -> None:
    response = local.get("/docs", headers={"Host": "attacker.example"})
    assert response.status_code == 400 and response.headers["x-frame-options"] == "DENY"


# ------------------------------------------------------- the question log
def test_the_question_log_is_for_editors_only_and_never_names_the_asker(network: Any) -> None:
    store = users(network)
    _, plain = store.add_user("ann")
    _, editor = store.add_user("eve", role="editor")
    asked = network.post("/api/ask", json={"question": "my son Tom at 12 Elm St, qwxyz?"},
                         headers=bearer(plain))
    assert asked.status_code == 200 and asked.json()["logged"] is True
    refused = network.get("/api/unanswered", headers=bearer(plain))
    assert refused.status_code == 403 and "editor" in refused.json()["error"]["message"]
    assert "Elm" not in refused.text
    seen = network.get("/api/unanswered", headers=bearer(editor))
    assert seen.status_code == 200
    entry = next(q for q in seen.json() if "Elm St" in q["question"])
    assert "owner" not in entry and "user:ann" not in seen.text
    # promoted later: the role is read again once the cache entry expires
    store.set_role("ann", "editor")
    time.sleep(0.3)
    assert network.get("/api/unanswered", headers=bearer(plain)).status_code == 200


def test_the_local_owner_reads_the_question_log(local: Any) -> None:
    assert local.get("/api/unanswered").status_code == 200


# ------------------------------------------------------------------ tokens
def test_tokens_are_listed_revoked_and_rotated(network: Any) -> None:
    store = users(network)
    _, first = store.add_user("ann")
    second = store.new_token("ann", keep=True)
    listed = store.list_tokens("ann")
    assert [t.hint for t in listed] == [first[-4:], second[-4:]]
    assert all(first not in repr(t) for t in listed)
    store.revoke_token("ann", listed[0].id)
    time.sleep(0.3)  # the workers' token cache
    assert network.get("/api/drafts", headers=bearer(first)).status_code == 401
    assert network.get("/api/drafts", headers=bearer(second)).status_code == 200
    third = store.new_token("ann")  # replaces every other token
    time.sleep(0.3)
    assert network.get("/api/drafts", headers=bearer(second)).status_code == 401
    assert network.get("/api/drafts", headers=bearer(third)).status_code == 200
    assert len(store.list_tokens("ann")) == 1


def sign_in(client: Any, token: str) -> str:
    response = client.post("/login", data={"token": token}, follow_redirects=False)
    assert response.status_code == 303, response.text
    cookie: str = response.cookies[auth.SESSION_COOKIE]
    client.cookies.clear()
    return cookie


def as_cookie(client: Any, cookie: str, method: str, url: str, **kwargs: Any) -> Any:
    client.cookies.set(auth.SESSION_COOKIE, cookie)
    try:
        return client.request(method, url, **kwargs)
    finally:
        client.cookies.clear()


def test_removing_a_user_ends_their_sessions_for_good(network: Any) -> None:
    store = users(network)
    _, token = store.add_user("ann")
    cookie = sign_in(network, token)
    made = as_cookie(network, cookie, "POST", "/api/drafts", headers=WEB,
                     json={"template": "press-release", "data": {"headline": "Ann's plan"}})
    assert made.status_code == 201
    store.remove_user("ann")
    _, new_token = store.add_user("ann")  # someone else, given the same name
    time.sleep(0.3)
    assert as_cookie(network, cookie, "GET", "/api/drafts").status_code == 401
    assert network.get("/api/drafts", headers=bearer(token)).status_code == 401
    mine = network.get("/api/drafts", headers=bearer(new_token))
    assert mine.status_code == 200 and mine.json() == []
    assert network.get(f"/api/drafts/{made.json()['id']}",
                       headers=bearer(new_token)).status_code == 404


def test_a_new_token_signs_the_user_out_everywhere_unless_kept(network: Any) -> None:
    store = users(network)
    _, token = store.add_user("ann")
    cookie = sign_in(network, token)
    store.new_token("ann", keep=True)
    time.sleep(0.3)
    assert as_cookie(network, cookie, "GET", "/api/drafts").status_code == 200
    store.new_token("ann")
    time.sleep(0.3)
    assert as_cookie(network, cookie, "GET", "/api/drafts").status_code == 401


def test_users_commands_list_revoke_and_rotate(kind: str, tmp_path: Path) -> None:
    from bot.cli import cli

    with database(kind, tmp_path) as url:
        env = {"MASTERY_DATABASE_URL": url, "MASTERY_DATA_DIR": str(tmp_path)}
        runner = CliRunner()

        def run(*args: str) -> Any:
            return runner.invoke(cli, ["users", *args], env=env)

        added = run("add", "eve", "--role", "editor")
        assert added.exit_code == 0, added.output
        assert "eve\teditor" in run("list").output
        kept = run("token", "eve", "--keep")
        listed = run("tokens", "eve").output.splitlines()
        assert len(listed) == 2 and kept.output.strip().splitlines()[0][-4:] in listed[1]
        number = listed[0].split("\t")[0]
        assert run("revoke", "eve", number).exit_code == 0
        assert len(run("tokens", "eve").output.splitlines()) == 1
        wrong = run("revoke", "eve", "999999")
        assert wrong.exit_code != 0 and "no token number" in wrong.output
        replaced = run("token", "eve")
        assert replaced.exit_code == 0 and "revoked" in replaced.output
        assert len(run("tokens", "eve").output.splitlines()) == 1
        assert run("role", "eve", "user").exit_code == 0
        assert "eve\tuser" in run("list").output
        assert run("signout", "eve").exit_code == 0
        assert run("role", "nobody", "editor").exit_code != 0


# ---------------------------------------------------- bodies before sign-in
def test_a_body_without_sign_in_is_refused_before_it_is_read(network: Any) -> None:
    received = []

    def stream() -> Iterator[bytes]:
        for _ in range(50):
            received.append(1)
            yield b"x" * 10_000

    response = network.post("/api/check", content=stream(),
                            headers={"Content-Type": "application/json"})
    assert response.status_code == 401 and "sign in" in response.json()["error"]["message"]
    assert response.headers["www-authenticate"] == "Bearer"
    wrong = network.post("/api/check", json={"text": "x"}, headers=bearer("mst_wrong"))
    assert wrong.status_code == 401 and "not valid" in wrong.json()["error"]["message"]


def test_the_sign_in_form_takes_only_a_small_body(network: Any) -> None:
    big = network.post("/login", content=b"token=" + b"x" * 300_000,
                       headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert big.status_code == 413


# ------------------------------------------------------------------ drafts
def test_draft_size_field_count_and_version_limits(kind: str, tmp_path: Path,
                                                   toolkit: Toolkit) -> None:
    with backend_client(kind, tmp_path, toolkit, max_draft_bytes=5_000, max_draft_fields=50,
                        max_draft_versions=3) as client:
        big = client.post("/api/drafts", json={"template": "press-release",
                                               "data": {"headline": "x" * 6_000}})
        assert big.status_code == 413
        assert "too large" in big.json()["error"]["message"]
        assert "MASTERY_MAX_DRAFT_BYTES" in big.json()["error"]["message"]
        many = client.post("/api/drafts", json={"template": "press-release",
                                                "data": {f"k{i}": i for i in range(51)}})
        assert many.status_code == 422 and "too many fields" in many.json()["error"]["message"]
        nested = client.post("/api/drafts", json={"template": "press-release",
                                                  "data": {"steps": [[1] * 30, [2] * 30]}})
        assert nested.status_code == 422
        draft = client.post("/api/drafts", json={"template": "press-release",
                                                 "data": {"headline": "v1"}}).json()
        url = f"/api/drafts/{draft['id']}"
        for version in range(1, 6):
            saved = client.put(url, json={"base_version": version,
                                          "data": {"headline": f"v{version + 1}"}})
            assert saved.status_code == 200, saved.text
        history = client.get(f"{url}/history").json()
        assert [v["version"] for v in history] == [6, 5, 4]
        assert client.post(f"{url}/restore/1").status_code == 404  # pruned
        assert client.post(f"{url}/restore/4").json()["data"] == {"headline": "v4"}
        listed = client.get("/api/drafts").json()
        assert listed and "data" not in listed[0] and listed[0]["version"] == 7


def test_the_drafts_list_does_not_read_form_data(kind: str, tmp_path: Path) -> None:
    with database(kind, tmp_path) as url:
        store = DraftStore.open(url)
        try:
            store.create_draft("local", "press-release", {"headline": "h" * 1000})
            statements: list[str] = []
            from sqlalchemy import event

            event.listen(store.engine, "before_cursor_execute",
                         lambda *args: statements.append(args[2]))
            [summary] = store.draft_summaries("local")
            assert summary.template == "press-release" and not hasattr(summary, "data")
            assert not any("drafts.data" in s for s in statements), statements
        finally:
            store.close()


def test_base_version_as_a_whole_float_is_an_integer(local: Any) -> None:
    draft = local.post("/api/drafts", json={"template": "press-release", "data": {}}).json()
    url = f"/api/drafts/{draft['id']}"
    saved = local.put(url, json={"base_version": 1.0, "data": {"headline": "ok"}})
    assert saved.status_code == 200 and saved.json()["version"] == 2
    half = local.put(url, json={"base_version": 2.5, "data": {}})
    assert half.status_code == 422


# -------------------------------------------------------- odd JSON bodies
def test_deep_json_and_huge_numbers_get_accurate_messages(local: Any) -> None:
    deep = local.post("/api/check", content=b"[" * 100_000 + b"]" * 100_000,
                      headers={"Content-Type": "application/json"})
    assert deep.status_code in (400, 422)
    assert "nested too deeply" in deep.json()["error"]["message"]
    huge = local.post("/api/drafts", content=b'{"template": "press-release", "data": {"n": '
                      + b"9" * 5000 + b"}}", headers={"Content-Type": "application/json"})
    assert huge.status_code in (400, 422)
    assert "digits" in huge.json()["error"]["message"]
    assert "UTF-8" not in huge.json()["error"]["message"]


# ---------------------------------------------- login CSRF and rate limits
def test_sign_in_and_out_from_another_site_are_refused(network: Any) -> None:
    _, token = users(network).add_user("ann")
    for headers in ({"Origin": "https://evil.example"}, {"Origin": "null"},
                    {"Sec-Fetch-Site": "cross-site"}):
        response = network.post("/login", data={"token": token}, headers=headers,
                                follow_redirects=False)
        assert response.status_code == 403, headers
        assert auth.SESSION_COOKIE not in response.headers.get("set-cookie", "")
        assert network.post("/logout", headers=headers,
                            follow_redirects=False).status_code == 403
    own = network.post("/login", data={"token": token}, follow_redirects=False,
                       headers={"Origin": "https://comms.example.org"})
    assert own.status_code == 303
    network.cookies.clear()


def test_wrong_tokens_are_rate_limited_with_retry_after(kind: str, tmp_path: Path,
                                                        toolkit: Toolkit) -> None:
    with backend_client(kind, tmp_path, toolkit, host="0.0.0.0", sign_in_attempts=3) as client:
        _, token = users(client).add_user("ann")
        for _ in range(3):
            assert client.post("/login", data={"token": "mst_guess"}).status_code == 401
        limited = client.get("/api/drafts", headers=bearer("mst_guess"))
        assert limited.status_code == 429
        assert 1 <= int(limited.headers["retry-after"]) <= 60
        assert "Wait" in limited.json()["error"]["message"]
        assert client.post("/login", data={"token": token}).status_code == 429
    limiter = auth.SignInLimiter(2)
    limiter.failed("a", now=0.0)
    limiter.failed("a", now=1.0)
    assert limiter.retry_after("a", now=2.0) == 58 and limiter.retry_after("b", now=2.0) == 0
    assert limiter.retry_after("a", now=60.5) == 0


# --------------------------------------------- docs, health and cookies
def test_docs_and_detailed_health_need_a_sign_in(network: Any) -> None:
    assert network.get("/openapi.json").status_code == 401
    docs = network.get("/docs", follow_redirects=False)
    assert docs.status_code == 303 and docs.headers["location"] == "/login"
    health = network.get("/healthz")
    assert health.status_code == 200 and health.json() == {"status": "ok", "database": "ok"}
    _, token = users(network).add_user("ann")
    assert network.get("/openapi.json", headers=bearer(token)).status_code == 200
    assert network.get("/docs", headers=bearer(token)).status_code == 200
    detailed = network.get("/healthz", headers=bearer(token)).json()
    assert detailed["version"] and detailed["toolkit"]["faq"] > 0


def test_the_cookie_is_secure_over_https(kind: str, tmp_path: Path, toolkit: Toolkit) -> None:
    with backend_client(kind, tmp_path, toolkit, host="0.0.0.0") as client:
        _, token = users(client).add_user("ann")
        plain = client.post("/login", data={"token": token}, follow_redirects=False)
        assert "secure" not in plain.headers["set-cookie"].lower()
        tls = client.post("https://localhost/login", data={"token": token},
                          follow_redirects=False)
        assert "secure" in tls.headers["set-cookie"].lower()


# ------------------------------------------------ token cache, durability
def test_token_checks_are_cached_briefly(kind: str, tmp_path: Path, toolkit: Toolkit) -> None:
    with backend_client(kind, tmp_path, toolkit, host="0.0.0.0",
                        auth_cache_seconds=3) as client:
        check_cache(client, users(client), 3)


def check_cache(network: Any, store: DraftStore, ttl: float) -> None:
    _, token = store.add_user("ann")
    calls = []
    real = store.authenticate

    def counting(value: str) -> Any:
        calls.append(value)
        return real(value)

    store.authenticate = counting  # type: ignore[method-assign]
    try:
        started = time.monotonic()
        for _ in range(10):
            assert network.get("/api/drafts", headers=bearer(token)).status_code == 200
        assert len(calls) == 1 or time.monotonic() - started > ttl
        time.sleep(ttl + 0.1)
        network.get("/api/drafts", headers=bearer(token))
        assert len(calls) == 2
    finally:
        del store.authenticate  # type: ignore[method-assign]


@pytest.mark.parametrize(("mode", "value"), [("NORMAL", 1), ("FULL", 2)])
def test_sqlite_durability_is_a_setting(tmp_path: Path, mode: str, value: int) -> None:
    settings = Settings(data_dir=tmp_path, sqlite_synchronous=mode.lower())  # type: ignore[arg-type]
    store = DraftStore.open(settings.resolved_database_url(), **settings.store_options())
    try:
        with store.engine.connect() as connection:
            assert connection.execute(text("PRAGMA synchronous")).scalar() == value
    finally:
        store.close()
