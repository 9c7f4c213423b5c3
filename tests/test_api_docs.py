"""The interactive API docs (/docs) load nothing from outside the server.

FastAPI's default page fetches Swagger UI from a public CDN, which fails offline and behind
firewalls; the app serves the copy shipped in the ``fastapi-offline`` wheel. /redoc is off:
ReDoc's bundle always loads its footer logo from Redocly's CDN.
"""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from tests.dbfixtures import make_client
from toolkit import Toolkit


class _Assets(HTMLParser):
    """Every URL a page makes the browser load: script src, link href, img src, etc."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and name in {"src", "href", "spec-url", "srcset", "data"}:
                self.urls.append(value)


def assets_of(html: str) -> list[str]:
    parser = _Assets()
    parser.feed(html)
    return parser.urls


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, toolkit: Toolkit) -> Iterator[TestClient]:
    folder: Path = tmp_path_factory.mktemp("docs")
    test_client: Any = make_client(f"sqlite:///{folder / 'drafts.db'}", folder, toolkit)
    with test_client:
        yield test_client
    test_client.app.state.services.store.close()


def test_docs_page_loads_only_local_assets(client: TestClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    urls = assets_of(response.text)
    suffixes = {Path(urlsplit(url).path).suffix for url in urls}
    assert {".js", ".css"} <= suffixes, urls  # the page really does load its UI from these
    for url in urls:
        parts = urlsplit(url)
        assert not parts.scheme and not parts.netloc, f"/docs loads {url} from outside"
        assert url.startswith("/"), url
        asset = client.get(url)
        assert asset.status_code == 200, url
        assert asset.content, url
    # nothing else in the page points outside either (inline script, fonts)
    assert "http://" not in response.text and "https://" not in response.text


def test_redoc_is_disabled(client: TestClient) -> None:
    response = client.get("/redoc")
    assert response.status_code == 404
    assert "error" in response.json()


def test_docs_page_reads_this_apps_openapi_schema(client: TestClient) -> None:
    html = client.get("/docs").text
    assert "'/openapi.json'" in html
    assert client.get("/openapi.json").json()["info"]["title"] == "mastery-comms"
