"""Drafts through the HTTP API, on SQLite and PostgreSQL: the real app, the real database."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.dbfixtures import BACKENDS, backend_client
from toolkit import Toolkit


@pytest.fixture(params=BACKENDS, scope="module")
def client(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, toolkit: Toolkit
) -> Iterator[TestClient]:
    folder = tmp_path_factory.mktemp(f"api-{request.param}")
    with backend_client(request.param, folder, toolkit) as test_client:
        yield test_client


def example(toolkit: Toolkit, template_id: str) -> dict[str, Any]:
    from messaging.drafting import example_data

    return example_data(toolkit, template_id)


def test_create_read_update_list_delete(client: TestClient, toolkit: Toolkit) -> None:
    created = client.post("/api/drafts", json={"template": "press-release"})
    assert created.status_code == 201, created.text
    draft = created.json()
    assert draft["version"] == 1 and draft["title"] == "Press release" and draft["data"] == {}
    # an empty draft is fine; required fields are warnings until the final version
    assert all(p["level"] == "warning" for p in draft["problems"])

    data = {"headline": "Cedar Valley students move on when they are ready",
            "district_name": "Cedar Valley"}
    saved = client.put(f"/api/drafts/{draft['id']}",
                       json={"base_version": 1, "data": data, "title": "Fall news"})
    assert saved.status_code == 200, saved.text
    assert saved.json()["version"] == 2 and saved.json()["title"] == "Fall news"

    got = client.get(f"/api/drafts/{draft['id']}").json()
    assert got["data"] == data and got["version"] == 2
    listed = client.get("/api/drafts").json()
    assert draft["id"] in [d["id"] for d in listed]
    assert "data" not in listed[0]

    assert client.delete(f"/api/drafts/{draft['id']}").json() == {"deleted": draft["id"]}
    assert client.get(f"/api/drafts/{draft['id']}").status_code == 404


def test_stale_update_gets_409_and_nothing_is_lost(client: TestClient) -> None:
    draft = client.post("/api/drafts", json={"template": "press-release"}).json()
    url = f"/api/drafts/{draft['id']}"
    first = client.put(url, json={"base_version": 1, "data": {"headline": "From laptop"}})
    assert first.status_code == 200
    stale = client.put(url, json={"base_version": 1, "data": {"headline": "From phone"}})
    assert stale.status_code == 409
    error = stale.json()["error"]
    assert error["current_version"] == 2 and error["path"] == "base_version"
    assert error["current"]["data"] == {"headline": "From laptop"}
    assert "Nothing was overwritten" in error["message"]
    assert client.get(url).json()["data"] == {"headline": "From laptop"}
    assert len(client.get(f"{url}/history").json()) == 2
    # the person decides to keep theirs: save on top of the version they now know
    again = client.put(url, json={"base_version": 2, "data": {"headline": "From phone"}})
    assert again.status_code == 200 and again.json()["version"] == 3


def test_history_and_restore(client: TestClient) -> None:
    draft = client.post("/api/drafts", json={"template": "email", "data": {"subject": "v1"}})
    assert draft.status_code == 201, draft.text
    url = f"/api/drafts/{draft.json()['id']}"
    client.put(url, json={"base_version": 1, "data": {"subject": "v2"}})
    history = client.get(f"{url}/history").json()
    assert [(v["version"], v["data"]["subject"]) for v in history] == [(2, "v2"), (1, "v1")]
    restored = client.post(f"{url}/restore/1", params={"base_version": 2})
    assert restored.status_code == 200
    assert restored.json()["version"] == 3 and restored.json()["data"] == {"subject": "v1"}
    stale = client.post(f"{url}/restore/1", params={"base_version": 2})
    assert stale.status_code == 409
    assert client.post(f"{url}/restore/42").status_code == 404


def test_an_exported_file_name_keeps_accented_letters_base(client: TestClient,
                                                           toolkit: Toolkit) -> None:
    data = example(toolkit, "press-release")
    draft = client.post("/api/drafts", json={"template": "press-release", "data": data,
                                             "title": "Señora Núñez visita"}).json()
    md = client.get(f"/api/drafts/{draft['id']}/export", params={"format": "md"})
    header = md.headers["content-disposition"]
    assert 'filename="Senora-Nunez-visita.md"' in header
    # and its own name for browsers that read it (RFC 6266): "Señora-Núñez-visita.md"
    assert "filename*=UTF-8''Se%C3%B1ora-N%C3%BA%C3%B1ez-visita.md" in header
    plain = client.post("/api/drafts", json={"template": "press-release", "data": data,
                                              "title": "Open evenings"}).json()
    header = client.get(f"/api/drafts/{plain['id']}/export",
                        params={"format": "md"}).headers["content-disposition"]
    assert header == 'attachment; filename="Open-evenings.md"'  # nothing to add


def test_export_in_every_format(client: TestClient, toolkit: Toolkit) -> None:
    data = example(toolkit, "press-release")
    draft = client.post("/api/drafts", json={"template": "press-release", "data": data,
                                             "title": "Open house / news"}).json()
    url = f"/api/drafts/{draft['id']}/export"
    md = client.get(url, params={"format": "md"})
    assert md.status_code == 200, md.text
    assert data["headline"] in md.text
    assert 'filename="Open-house-news.md"' in md.headers["content-disposition"]
    html = client.get(url, params={"format": "html"})
    assert html.headers["content-type"].startswith("text/html") and "<h1" in html.text
    docx = client.get(url, params={"format": "docx"})
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert data["headline"] in text


def test_completeness_moves_as_a_section_is_filled(client: TestClient, toolkit: Toolkit) -> None:
    draft = client.post("/api/drafts", json={"template": "pilot-application",
                                             "profile": "generic"}).json()
    url = f"/api/drafts/{draft['id']}"
    before = client.get(f"{url}/completeness").json()
    example_data = example(toolkit, "pilot-application")
    section = next(s for s in before["sections"] if s["required"] and s["status"] == "missing")
    filled = {name: example_data[name] for name in section["fields"] if name in example_data}
    assert filled
    client.put(url, json={"base_version": 1, "data": filled})
    after = client.get(f"{url}/completeness").json()
    status = {s["id"]: s["status"] for s in after["sections"]}
    assert status[section["id"]] in {"done", "thin"}
    assert after["percent"] > before["percent"]


def test_unknown_template_and_profile_are_422_with_the_field(client: TestClient) -> None:
    response = client.post("/api/drafts", json={"template": "press-releases"})
    assert response.status_code == 422
    assert response.json()["error"]["path"] == "template"
    assert "press-release" in response.json()["error"]["message"]
    response = client.post("/api/drafts", json={"template": "pilot-application",
                                                "profile": "atlantis"})
    assert response.status_code == 422 and response.json()["error"]["path"] == "profile"


def test_no_partial_write_when_a_request_is_refused(client: TestClient) -> None:
    before = len(client.get("/api/drafts").json())
    bad = client.post("/api/drafts", json={"template": "press-release", "data": ["not", "a",
                                                                             "dict"]})
    assert bad.status_code == 422
    assert len(client.get("/api/drafts").json()) == before


def test_a_draft_keeps_its_audience(client: TestClient) -> None:
    draft = client.post("/api/drafts", json={"template": "email", "audience": "teachers"}).json()
    assert draft["audience"] == "teachers"
    url = f"/api/drafts/{draft['id']}"
    kept = client.put(url, json={"base_version": 1, "data": {"subject": "Hi"}}).json()
    assert kept["audience"] == "teachers"  # left out: unchanged
    reset = client.put(url, json={"base_version": 2, "data": {}, "audience": ""}).json()
    assert reset["audience"] is None  # "": the template's own again
    wrong = client.put(url, json={"base_version": 3, "data": {}, "audience": "martians"})
    assert wrong.status_code == 422 and wrong.json()["error"]["path"] == "audience"
    assert [v["audience"] for v in client.get(f"{url}/history").json()] == [
        None, "teachers", "teachers"]


def test_an_unfinished_draft_exports_only_as_a_marked_draft(client: TestClient) -> None:
    draft = client.post("/api/drafts", json={"template": "press-release",
                                             "data": {"headline": "Open evenings"}}).json()
    url = f"/api/drafts/{draft['id']}/export"
    refused = client.get(url, params={"format": "md"})
    assert refused.status_code == 422
    assert any(d["path"] == "lead" for d in refused.json()["error"]["details"])
    copy = client.get(url, params={"format": "md", "mode": "draft"})
    assert copy.status_code == 200 and copy.text.startswith("> **DRAFT: not finished.**")
    assert "Opening paragraph" in copy.text.splitlines()[0]
    assert "-draft.md" in copy.headers["content-disposition"]
