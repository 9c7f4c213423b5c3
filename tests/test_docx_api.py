"""``POST /api/check/docx``: a Word upload checked through the real app (multipart)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import docx
import pytest

from tests import docx_corpus as corpus
from tests.dbfixtures import backend_client
from tests.test_docx_check import bad_files
from toolkit import Toolkit

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, toolkit: Toolkit) -> Iterator[Any]:
    with backend_client("sqlite", tmp_path_factory.mktemp("docx"), toolkit,
                        max_body_bytes=60_000_000) as test_client:
        yield test_client


def upload(client: Any, data: bytes, name: str = "news.docx", **form: str) -> Any:
    return client.post("/api/check/docx", files={"file": (name, data, DOCX)}, data=form)


def test_json_report_locates_findings_by_paragraph(client: Any) -> None:
    response = upload(client, corpus.rich_document(), audience="parents")
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["audience"] == "parents" and report["filename"] == "news.docx"
    cell = next(f for f in report["flags"] if f["rule"] == "leverage-relationships")
    assert cell["location"] | {"excerpt": ""} == {
        "part": "body", "paragraph": 8, "table": 1, "row": 1, "cell": 2, "style": None,
        "heading": False, "section": "What changes this fall", "text_box": False,
        "start": 9, "end": 31, "excerpt": ""}
    box = next(f for f in report["flags"] if f["location"]["text_box"])
    assert box["text"] == "rigorous" or box["text"] == "Rigorous"  # a call-out, named as one
    assert cell["text"] == "leverage relationships" and cell["sources"]
    assert sum(report["counts"].values()) == len(report["flags"]) and report["counts"]["error"]
    assert report["readability"]["words"] > 50


def test_annotated_file_comes_back_with_comments(client: Any) -> None:
    response = upload(client, corpus.rich_document(), annotate="true")
    assert response.status_code == 200
    assert response.headers["content-type"] == DOCX
    assert 'filename="news-checked.docx"' in response.headers["content-disposition"]
    comments = list(docx.Document(io.BytesIO(response.content)).comments)
    ours = [c for c in comments if c.author == "mastery-comms"]
    assert len(ours) == int(response.headers["x-mastery-findings"]) > 5


def test_tracked_changes_without_the_annotated_copy_is_refused(client: Any) -> None:
    """A review (session 21): track_changes=true alone was ignored silently (the CLI refuses
    the same combination)."""
    response = upload(client, corpus.rich_document(), track_changes="true")
    assert response.status_code == 422
    assert "needs annotate=true" in response.json()["error"]["message"]
    both = upload(client, corpus.rich_document(), annotate="true", track_changes="true")
    assert both.status_code == 200 and both.headers["content-type"] == DOCX


@pytest.mark.parametrize("case,status", [
    ("doc", 415), ("encrypted", 415), ("docm", 415), ("xlsx", 415), ("truncated", 422),
    ("empty", 422), ("bomb", 413), ("many", 413), ("big", 413), ("bad-xml", 422),
])
def test_bad_uploads_get_a_4xx_with_a_reason(client: Any, case: str, status: int) -> None:
    data, reason = bad_files()[case]
    response = upload(client, data, annotate="true")
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert reason.lower() in error["message"].lower() and error["path"] == "file"


def test_missing_file_and_unknown_audience(client: Any) -> None:
    assert client.post("/api/check/docx", data={"audience": "parents"}).status_code == 422
    response = upload(client, corpus.from_paragraphs(["Our rigorous plan."]), audience="nobody")
    assert response.status_code == 422 and response.json()["error"]["path"] == "audience"


def test_documented_in_openapi(client: Any) -> None:
    schema = client.get("/openapi.json").json()
    operation = schema["paths"]["/api/check/docx"]["post"]
    body = operation["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert {"415", "413", "422", "200"} <= set(operation["responses"])
    assert DOCX in operation["responses"]["200"]["content"]
    assert body  # a $ref to the form's fields


def test_a_word_file_over_the_body_limit_gets_advice_for_word_files(
    tmp_path: Any, toolkit: Toolkit
) -> None:
    # a Word file is mostly its pictures: "split the text" would be the wrong advice
    with backend_client("sqlite", tmp_path, toolkit, max_body_bytes=100_000) as small:
        response = upload(small, corpus.rich_document() + b"\0" * 200_000)
        text = small.post("/api/check", json={"text": "word " * 30_000})
    assert response.status_code == 413
    message = response.json()["error"]["message"]
    assert "Word file is too large" in message and "mastery check FILE.docx" in message
    assert text.status_code == 413 and "Split the text" in text.json()["error"]["message"]
