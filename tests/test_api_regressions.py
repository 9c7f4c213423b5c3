"""Regressions for bugs found by fuzzing the API against its OpenAPI schema
(tests/test_api_fuzz.py), each pinned with the smallest request that showed it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bot import store as st
from tests.dbfixtures import BACKENDS, backend_client
from toolkit import Toolkit

HUGE = 2**63  # does not fit a 64-bit integer, let alone a 32-bit INTEGER column


@pytest.fixture(params=BACKENDS, scope="module")
def client(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
           toolkit: Toolkit) -> Iterator[TestClient]:
    folder = tmp_path_factory.mktemp(f"regressions-{request.param}")
    with backend_client(request.param, folder, toolkit) as test_client:
        yield test_client


@pytest.fixture
def draft(client: TestClient) -> dict[str, Any]:
    response = client.post("/api/drafts", json={"template": "press-release",
                                                "data": {"headline": "Kept"}})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture(scope="module")
def openapi(client: TestClient) -> dict[str, Any]:
    spec: dict[str, Any] = client.get("/openapi.json").json()
    return spec


def error_of(response: Any, status: int, path: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    error: dict[str, Any] = response.json()["error"]
    assert error["message"] and "Traceback" not in error["message"]
    if path is not None:
        assert error.get("path") == path, error
    return error


# ------------------------------------------------- huge version numbers (was: 500)
def test_a_version_too_large_for_the_database_is_a_422_not_a_500(
    client: TestClient, draft: dict[str, Any]
) -> None:
    url = f"/api/drafts/{draft['id']}"
    put = client.put(url, json={"base_version": HUGE, "data": {"headline": "Lost?"}})
    assert "at most" in error_of(put, 422, "base_version")["message"]
    error_of(client.post(f"{url}/restore/{HUGE}"), 422, "version")
    error_of(client.post(f"{url}/restore/1", params={"base_version": HUGE}), 422,
             "base_version")
    # nothing was written
    after = client.get(url).json()
    assert after["version"] == 1 and after["data"] == {"headline": "Kept"}
    assert len(client.get(f"{url}/history").json()) == 1


def test_the_store_treats_an_impossible_version_as_stale_or_missing(
    client: TestClient, draft: dict[str, Any]
) -> None:
    """The Slack transport calls the store directly, without the API's bounds."""
    store: st.DraftStore = client.app.state.services.store  # type: ignore[attr-defined]
    with pytest.raises(st.StaleVersion):
        store.update_draft(st.LOCAL_OWNER, draft["id"], base_version=HUGE, data={})
    with pytest.raises(st.StaleVersion):
        store.update_draft(st.LOCAL_OWNER, draft["id"], base_version=0, data={})
    with pytest.raises(st.VersionNotFound):
        store.get_version(st.LOCAL_OWNER, draft["id"], HUGE)
    with pytest.raises(st.VersionNotFound):
        store.restore(st.LOCAL_OWNER, draft["id"], -HUGE)
    assert store.get_draft(st.LOCAL_OWNER, draft["id"]).version == 1


def test_the_version_bounds_are_documented(openapi: dict[str, Any]) -> None:
    restore = openapi["paths"]["/api/drafts/{draft_id}/restore/{version}"]["post"]
    params = {p["name"]: p["schema"] for p in restore["parameters"]}
    assert params["version"]["maximum"] == st.MAX_VERSION
    assert params["base_version"]["anyOf"][0]["maximum"] == st.MAX_VERSION
    update = openapi["components"]["schemas"]["DraftUpdate"]["properties"]["base_version"]
    assert update["maximum"] == st.MAX_VERSION


# -------------------------------------- NUL in a feedback answer id (was: 500 on PostgreSQL)
def test_feedback_with_a_nul_in_the_answer_id_is_recorded_cleaned(client: TestClient) -> None:
    response = client.post("/api/feedback", json={
        "question": "regression: nul answer id", "answer_id": "grad\x00ing", "helpful": False,
    })
    assert response.status_code == 200, response.text
    logged = [q for q in client.get("/api/unanswered").json()
              if q["question"] == "regression: nul answer id"]
    assert [q["answer_id"] for q in logged] == ["grading"]


def test_the_store_cleans_a_nul_in_the_answer_id(client: TestClient) -> None:
    store: st.DraftStore = client.app.state.services.store  # type: ignore[attr-defined]
    store.log_question("regression: store nul", channel="slack", answer_id="a\x00b")
    logged = [q for q in store.unanswered(channel="slack") if q.question == "regression: store nul"]
    assert [q.answer_id for q in logged] == ["ab"]


# ------------------------------------------ wrong JSON types were silently coerced
@pytest.mark.parametrize(("url", "body", "path"), [
    ("/api/feedback", {"question": "q", "helpful": 0}, "helpful"),
    ("/api/feedback", {"question": "q", "helpful": "no"}, "helpful"),
    ("/api/ask", {"question": "grades", "full": "yes"}, "full"),
    ("/api/ask", {"question": "grades", "full": 1}, "full"),
    ("/api/check", {"text": 5}, "text"),
])
def test_wrong_json_types_are_refused_not_coerced(
    client: TestClient, url: str, body: dict[str, Any], path: str
) -> None:
    error_of(client.post(url, json=body), 422, path)


def test_a_base_version_sent_as_text_is_refused_and_nothing_is_saved(
    client: TestClient, draft: dict[str, Any]
) -> None:
    url = f"/api/drafts/{draft['id']}"
    # (1.0 is a JSON Schema integer and accepted: see tests/test_serving_security.py)
    for base in ("1", 1.5, True):
        response = client.put(url, json={"base_version": base, "data": {"headline": "New"}})
        error_of(response, 422, "base_version")
    assert client.get(url).json()["data"] == {"headline": "Kept"}


# --------------------------------------- what the schema promised, the app now does
def test_an_empty_question_is_refused_as_the_schema_says(
    client: TestClient, openapi: dict[str, Any]
) -> None:
    error = error_of(client.post("/api/ask", json={"question": ""}), 422, "question")
    assert "empty" in error["message"]
    # the schema says so: the question may be left out only with an entry's id
    question = openapi["components"]["schemas"]["AskIn"]["properties"]["question"]
    assert "minLength" not in question and "`id`" in question["description"]
    assert client.post("/api/ask", json={"question": "", "id": "retakes"}).status_code == 200


def test_key_messages_need_an_audience_as_the_schema_says(
    client: TestClient, openapi: dict[str, Any]
) -> None:
    error_of(client.get("/api/messages"), 422, "audience")
    error_of(client.get("/api/messages", params={"audience": ""}), 422, "audience")
    params = openapi["paths"]["/api/messages"]["get"]["parameters"]
    assert [p["required"] for p in params if p["name"] == "audience"] == [True]


def test_an_unknown_entry_id_is_a_documented_404(
    client: TestClient, openapi: dict[str, Any]
) -> None:
    error_of(client.post("/api/ask", json={"question": "x", "id": "no-such-entry"}), 404, "id")
    assert "404" in openapi["paths"]["/api/ask"]["post"]["responses"]


def test_a_body_that_is_not_utf8_is_a_documented_400(
    client: TestClient, draft: dict[str, Any], openapi: dict[str, Any]
) -> None:
    url = f"/api/drafts/{draft['id']}"
    response = client.put(url, content=b"\xff\xfe{", headers={"Content-Type": "application/json"})
    assert "UTF-8" in error_of(response, 400)["message"]
    assert client.get(url).json()["version"] == 1
    for path, operations in openapi["paths"].items():
        for method, operation in operations.items():
            if "requestBody" in operation:
                assert "400" in operation["responses"], (method, path)


@pytest.mark.parametrize(("method", "url", "allow"), [
    ("OPTIONS", "/api/drafts", "GET, POST"),
    ("PATCH", "/api/drafts/abc", "GET, PUT, DELETE"),
    ("GET", "/api/ask", "POST"),
    ("DELETE", "/healthz", "GET"),
])
def test_a_405_lists_every_method_the_address_accepts(
    client: TestClient, method: str, url: str, allow: str
) -> None:
    """GET and POST on one address are two routes; Starlette named only the first."""
    response = client.request(method, url)
    error_of(response, 405)
    assert response.headers["allow"] == allow


@pytest.mark.parametrize(("headers", "said"), [
    ({"Content-Type": "text/plain"}, "not 'text/plain'"),
    ({"Content-Type": "application/x-www-form-urlencoded"}, "not 'application/x-www-form"),
    ({}, "it had none"),
])
def test_a_json_body_without_the_json_content_type_says_so(
    client: TestClient, headers: dict[str, str], said: str
) -> None:
    """It used to say 'must be a JSON object' about a body that was one (and answer 422)."""
    response = client.post("/api/check", content=b'{"text": "rigorous"}', headers=headers)
    message = error_of(response, 415)["message"]
    assert "Content-Type: application/json" in message and said in message
    # a JSON body that is not an object keeps the plain message
    wrong = client.post("/api/check", json=["rigorous"])
    assert error_of(wrong, 422)["message"] == "The request body must be a JSON object."


def test_ask_outside_the_toolkit_carries_a_redirect(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """An everyday school question gets no answer and says who to ask instead."""
    from fastapi.testclient import TestClient

    from bot.api.app import create_app
    from bot.settings import Settings

    app = create_app(Settings(data_dir=tmp_path))
    with TestClient(app, base_url="http://localhost") as client:
        out = client.post("/api/ask", json={"question": "what time does the bus come tomorrow"})
        assert out.status_code == 200
        body = out.json()
        assert body["id"] is None
        assert body["redirect"] and "transportation" in body["redirect"]
        # in the toolkit's topic despite "report cards": answered, or grading among the first
        # two choices, never the help-line redirect
        answered = client.post("/api/ask", json={"question": "will report cards look different"})
        reply = answered.json()
        assert reply["redirect"] is None and reply["reason"] in (None, "choices")
        assert reply["id"] == "grading" or "grading" in [c["id"] for c in reply["choices"][:2]]


def test_an_optional_short_text_is_measured_as_sent(client: TestClient) -> None:
    """The schema says answer_id and audience have at most 80 characters: 100 NUL
    characters and a letter are refused, not cleaned down to one letter and accepted."""
    padded = "\x00" * 100 + "a"
    out = client.post("/api/feedback", json={"question": "q", "helpful": False,
                                             "answer_id": padded})
    assert out.status_code == 422
    out = client.post("/api/ask", json={"question": "how are students graded",
                                        "audience": padded})
    assert out.status_code == 422
    ok = client.post("/api/feedback", json={"question": "q", "helpful": True,
                                            "answer_id": "grading"})
    assert ok.status_code == 200
