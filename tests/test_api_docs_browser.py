"""/docs renders in a real Chromium with every request outside the server blocked.

This is what a person behind an agency firewall (or with no network) sees: the Swagger UI
lists the API's operations, and nothing is fetched from a CDN. (There is no /redoc: ReDoc's
bundle always loads its footer logo from Redocly's CDN.)
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.test_browser_workspace import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    TIMEOUT_MS,
    axe_source,
    free_port,
    running,
)
from toolkit import Toolkit

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory, toolkit: Toolkit) -> Iterator[str]:
    from bot.api import create_app
    from bot.settings import Settings

    folder = tmp_path_factory.mktemp("docs-browser")
    port = free_port()
    settings = Settings(data_dir=folder, database_url=f"sqlite:///{folder / 'drafts.db'}",
                        port=port, secret_key="browser")
    app = create_app(settings, toolkit, extensions=[])
    try:
        with running(app, port) as base:
            yield base
    finally:
        app.state.services.store.close()


@pytest.fixture
def offline_page(base_url: str) -> Iterator[tuple[Any, list[str], list[str]]]:
    """A tab where any request not to the test server is blocked and recorded."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium")
    server = urlsplit(base_url).netloc
    outside: list[str] = []
    errors: list[str] = []

    def guard(route: Any) -> None:
        url = route.request.url
        if urlsplit(url).netloc == server or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page(viewport={"width": 1280, "height": 900})
            tab.set_default_timeout(TIMEOUT_MS)
            tab.on("pageerror", lambda exc: errors.append(str(exc)))
            tab.route("**/*", guard)
            yield tab, outside, errors
        finally:
            browser.close()


def test_swagger_ui_works_offline(base_url: str,
                                  offline_page: tuple[Any, list[str], list[str]]) -> None:
    tab, outside, errors = offline_page
    tab.goto(f"{base_url}/docs")
    tab.wait_for_selector(".opblock-summary-path")  # operations rendered from /openapi.json
    paths = tab.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/ask" in path for path in paths), paths
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / "api-docs-swagger.png"))
    # an accessible page: a language, and no serious or critical axe violation, also with
    # an operation opened
    assert tab.evaluate("document.documentElement.lang") == "en"
    assert serious_violations(tab) == []
    tab.locator(".opblock-summary").first.click()
    tab.locator(".opblock-body").first.wait_for()
    assert serious_violations(tab) == []
    assert not outside, f"/docs tried to load from outside the server: {outside}"
    assert not errors, errors


def serious_violations(tab: Any) -> list[str]:
    tab.evaluate(axe_source())
    found: list[str] = tab.evaluate("""() => axe.run(document).then(r => r.violations
        .filter(v => v.impact === 'serious' || v.impact === 'critical')
        .map(v => v.id + ': ' + v.nodes.slice(0, 2).map(n => n.target.join(' ')).join(' | ')))""")
    return found
