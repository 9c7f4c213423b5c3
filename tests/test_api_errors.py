"""Bad input gets the right 4xx with a clear JSON message — never a 500, never a partial write."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.dbfixtures import BACKENDS, backend_client
from toolkit import Toolkit

TEN_MB = 10 * 1024 * 1024


@pytest.fixture(params=BACKENDS, scope="module")
def client(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
           toolkit: Toolkit) -> Iterator[TestClient]:
    folder = tmp_path_factory.mktemp(f"errors-{request.param}")
    with backend_client(request.param, folder, toolkit) as test_client:
        yield test_client


@pytest.fixture
def draft_url(client: TestClient) -> str:
    draft = client.post("/api/drafts", json={"template": "press-release"}).json()
    return f"/api/drafts/{draft['id']}"


def error_of(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    error: dict[str, Any] = response.json()["error"]
    assert error["message"] and "Traceback" not in error["message"]
    return error


def test_malformed_json(client: TestClient) -> None:
    for url in ("/api/drafts", "/api/check", "/api/ask", "/api/render"):
        response = client.post(url, content=b'{"template": "press-release",',
                               headers={"Content-Type": "application/json"})
        assert "not valid JSON" in error_of(response, 422)["message"]


@pytest.mark.parametrize(("url", "body", "path"), [
    ("/api/drafts", {"template": 42}, "template"),
    ("/api/drafts", {"template": "press-release", "data": "headline"}, "data"),
    ("/api/drafts", {"template": "press-release", "surprise": 1}, "surprise"),
    ("/api/drafts", [1, 2], None),
    ("/api/check", {"text": ["a"]}, "text"),
    ("/api/check", {"text": "x", "markup": "pdf"}, "markup"),
    ("/api/ask", {"question": None}, "question"),
    ("/api/ask", {"question": "x" * 10_001}, "question"),
    ("/api/render", {"template": "press-release", "format": "exe"}, "format"),
    ("/api/render", {"template": "../../etc/passwd"}, "template"),
])
def test_wrong_types_name_the_field(client: TestClient, url: str, body: Any,
                                    path: str | None) -> None:
    error = error_of(client.post(url, json=body), 422)
    assert error.get("path") == path


def test_wrong_types_on_update(client: TestClient, draft_url: str) -> None:
    error = error_of(client.put(draft_url, json={"base_version": "one", "data": {}}), 422)
    assert error["path"] == "base_version"
    error = error_of(client.put(draft_url, json={"base_version": 1}), 422)
    assert error["path"] == "data" and "required" in error["message"]
    assert client.get(draft_url).json()["version"] == 1  # nothing written


def test_unknown_template_ids(client: TestClient) -> None:
    assert "press-release" in error_of(client.get("/api/templates/press-relase"), 404)["message"]
    error = error_of(client.post("/api/render", json={"template": "memo"}), 422)
    assert error["path"] == "template"
    error = error_of(client.post("/api/preview", json={"template": "memo"}), 422)
    assert error["path"] == "template"


def test_unknown_audience(client: TestClient) -> None:
    error = error_of(client.post("/api/check", json={"text": "Hi", "audience": "martians"}), 422)
    assert error["path"] == "audience" and "parents" in error["message"]
    assert error_of(client.get("/api/messages"), 422)["path"] == "audience"


def test_ten_megabyte_body_is_413(client: TestClient) -> None:
    body = b'{"text": "' + b"a" * TEN_MB + b'"}'
    response = client.post("/api/check", content=body,
                           headers={"Content-Type": "application/json"})
    assert "too large" in error_of(response, 413)["message"]


def test_ten_megabyte_streamed_body_without_length_is_413(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"template": "press-release", "data": {"lead": "'
        for _ in range(10):
            yield b"a" * (1024 * 1024)
        yield b'"}}'

    before = len(client.get("/api/drafts").json())
    response = client.post("/api/drafts", content=chunks(),
                           headers={"Content-Type": "application/json"})
    assert "content-length" not in {k.lower() for k in response.request.headers}
    error_of(response, 413)
    assert len(client.get("/api/drafts").json()) == before  # no partial write


def test_stale_version_is_409(client: TestClient, draft_url: str) -> None:
    assert client.put(draft_url, json={"base_version": 1, "data": {}}).status_code == 200
    error = error_of(client.put(draft_url, json={"base_version": 1, "data": {"x": 1}}), 409)
    assert error["current_version"] == 2


@pytest.mark.parametrize("path", [
    "/api/drafts/..%2F..%2Fetc%2Fpasswd",
    "/api/drafts/../../etc/passwd",
    "/api/drafts/%2e%2e/%2e%2e/secret_key",
    "/api/templates/..%2F..%2Fbot%2Fsettings.py",
    "/api/templates/%2e%2e%2f%2e%2e%2fpyproject.toml",
    "/static/../../bot/settings.py",
    "/static/%2e%2e/%2e%2e/bot/settings.py",
    "/api/drafts/" + "a" * 65,
])
def test_path_traversal_finds_nothing(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code in {404, 422}, response.text
    assert "BaseSettings" not in response.text and "[project]" not in response.text


def test_export_format_is_checked(client: TestClient, draft_url: str) -> None:
    error = error_of(client.get(f"{draft_url}/export", params={"format": "../../x"}), 422)
    assert error["path"] == "format"


def test_other_methods_and_addresses_are_json_too(client: TestClient) -> None:
    assert error_of(client.get("/api/nothing-here"), 404)
    assert error_of(client.patch("/api/drafts"), 405)


def test_odd_but_valid_text_never_breaks_the_engines(client: TestClient) -> None:
    for text in ("", " ", "🙂" * 500, "\x00\x01", "<script>alert(1)</script>", "a" * 150_000):
        for url, body in (("/api/check", {"text": text}), ("/api/ask", {"question": text[:2000]})):
            response = client.post(url, json=body)
            assert response.status_code in {200, 422}, (url, text[:20], response.text)


def test_every_api_endpoint_documents_its_response(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    operations = [(path, method, op) for path, ops in schema["paths"].items()
                  for method, op in ops.items()]
    assert len(operations) >= 20
    for path, method, op in operations:
        ok = op["responses"].get("200") or op["responses"].get("201")
        assert ok and ok.get("content"), (method, path)
        content = next(iter(ok["content"].values()))
        assert content.get("schema"), (method, path)
    for path in ("/api/ask", "/api/check", "/api/drafts/{draft_id}", "/healthz",
                 "/api/drafts/{draft_id}/export", "/api/unanswered", "/api/render"):
        assert path in schema["paths"], path
    assert client.get("/docs").status_code == 200


@pytest.mark.parametrize(("url", "raw", "statuses"), [
    ("/api/drafts", rb'{"template": "press-release", "title": "a\u0000b", "data": {"x": "\u0000"}}',
     {201}),
    ("/api/drafts", rb'{"template": "press-release", "data": {"x": "\ud800"}}', {201}),
    ("/api/drafts", rb'{"template": "press-release", "data": {"x": NaN}}', {422}),
    ("/api/drafts", rb'{"template": "press-release", "data": {"x": 1e999}}', {422}),
    ("/api/drafts", b'{"template": "press-release", "data": ' + b"[" * 5000 + b"]" * 5000 + b"}",
     {400, 422}),
    ("/api/ask", rb'{"question": "what\u0000 is \ud800 this"}', {422}),
    ("/api/check", rb'{"text": "rigorous\u0000 \ud800"}', {422}),
    ("/api/feedback", rb'{"question": "a\u0000", "helpful": false}', {200}),
])
def test_nul_characters_surrogates_and_odd_numbers(client: TestClient, url: str, raw: bytes,
                                                   statuses: set[int]) -> None:
    response = client.post(url, content=raw, headers={"Content-Type": "application/json"})
    assert response.status_code in statuses, response.text
    if response.status_code >= 400:
        error_of(response, response.status_code)


def test_sign_in_form_with_odd_tokens(client: TestClient) -> None:
    for token in ("\x00", "é" * 50, "x" * 299):
        response = client.post("/login", data={"token": token}, follow_redirects=False)
        assert response.status_code == 401
    assert client.post("/login", data={"token": "x" * 400}).status_code == 422
    assert client.get("/api/drafts", params={"template": "\x00"}).status_code == 422
