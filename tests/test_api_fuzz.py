"""Property-based fuzzing of the HTTP API against its own OpenAPI schema (schemathesis).

Every operation in ``/openapi.json`` is called with generated requests — schema-valid
ones and deliberately broken ones (wrong types, missing fields, odd strings, bad path
ids) — on the real app (in-process ASGI) over a fresh SQLite database, and, with
``MASTERY_TEST_POSTGRES_URL`` set, PostgreSQL. Each answer must:

- never be a 5xx (``not_a_server_error``);
- use a documented status code, content type and response body (the ``*_conformance``
  checks), including the JSON error body of every 4xx;
- refuse schema-violating requests with a 4xx (``negative_data_rejection``);
- advertise the right methods in ``Allow`` on a 405.

One built-in check is left out, on purpose: ``positive_data_acceptance``. It expects
every schema-valid request to succeed, but ids such as ``template``, ``profile`` and
``audience`` are data (they come from the toolkit, and an audience may be named by id,
name or alias), so the schema describes their shape, not the list; an unknown one is
answered with a 422 naming the field, which is the behaviour issue #6 asks for.

Bounded and reproducible: a fixed number of examples per operation, derandomized, no
example database, no deadline (the first call of an engine loads it).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode

from bot.store import LOCAL_OWNER
from tests.dbfixtures import BACKENDS, backend_client
from toolkit import Toolkit

#: generated requests per operation and backend (fuzzing phase; the coverage and
#: examples phases add their own handful)
MAX_EXAMPLES = 40


def _openapi() -> dict[str, Any]:
    """The app's OpenAPI document (built at collection: schemathesis makes one test per
    operation from it). The requests then go to the apps of the fixture below."""
    import tempfile
    from pathlib import Path

    from bot.api import create_app
    from bot.settings import Settings
    from toolkit import load_toolkit

    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder), database_url=f"sqlite:///{folder}/openapi.db",
                            secret_key="openapi")
        app = create_app(settings, load_toolkit(), extensions=[])
        try:
            return app.openapi()
        finally:
            app.state.services.store.close()


CONFIG = schemathesis.Config.from_dict({
    "seed": 20261123,
    "checks": {
        "positive_data_acceptance": {"enabled": False},  # see the module docstring
        # a refusal of a schema-violating request may also be a 413 (a generated text of
        # 200,000 escaped characters is over the body limit) or a 405 (a wrong method)
        "negative_data_rejection": {
            "expected-statuses": [400, 401, 403, 404, 405, 406, 413, 422],
        },
    },
})
schema = schemathesis.openapi.from_dict(_openapi(), config=CONFIG)


class Fuzzer:
    """The app under test and what makes generated requests reach deep code: random
    strings are never a known template or draft id, so half of the schema-valid cases
    are pointed at real ones (chosen from a hash of the case, so runs repeat)."""

    def __init__(self, client: Any, toolkit: Toolkit) -> None:
        self.app = client.app
        self.store = client.app.state.services.store
        self.templates = sorted(toolkit.templates)
        self.fields = {t: [f.name for f in toolkit.templates[t].fields] for t in self.templates}
        self.profiles = sorted(toolkit.profiles)
        self.audiences = sorted(toolkit.audiences)

    def realistic(self, case: Any) -> None:
        if case.meta is None or case.meta.generation.mode is not GenerationMode.POSITIVE:
            return  # schema-violating cases stay as generated
        pick = zlib.crc32(repr((case.method, case.path, case.path_parameters, case.query,
                                case.body)).encode())
        if pick % 2:
            return
        template = self.templates[pick // 2 % len(self.templates)]
        params = case.path_parameters or {}
        if "template_id" in params:
            params["template_id"] = template
        if "draft_id" in params:
            data = {"headline": "Fuzz", "body": "x" * (pick % 50)}
            params["draft_id"] = self.store.create_draft(
                LOCAL_OWNER, template, data, title=f"fuzz {pick}").id
        body = case.body
        if isinstance(body, dict):
            if "template" in body:
                body["template"] = template
                if isinstance(body.get("data"), dict):
                    # generated values under the template's real field names
                    values = list(body["data"].values())
                    body["data"] = dict(zip(self.fields[template], values, strict=False))
            if body.get("mode") == "final" and pick % 3 == 0:
                body["mode"] = "draft"  # final mode refuses most generated data
            if isinstance(body.get("profile"), str):
                body["profile"] = self.profiles[pick // 7 % len(self.profiles)]
            if isinstance(body.get("audience"), str):
                body["audience"] = self.audiences[pick // 11 % len(self.audiences)]
        query = case.query
        if isinstance(query, dict) and isinstance(query.get("audience"), str):
            query["audience"] = self.audiences[pick // 11 % len(self.audiences)]


@pytest.fixture(params=BACKENDS, scope="module")
def fuzzer(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
           toolkit: Toolkit) -> Iterator[Fuzzer]:
    """The real app over a fresh database of each backend (local mode: no sign-in)."""
    folder = tmp_path_factory.mktemp(f"fuzz-{request.param}")
    # schemathesis calls the app as host "testserver": let the host allow-list accept it
    with backend_client(request.param, folder, toolkit, allowed_hosts="testserver") as client:
        yield Fuzzer(client, toolkit)


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck), print_blob=True)
def test_api_conforms_to_its_schema(case: Any, fuzzer: Fuzzer) -> None:
    fuzzer.realistic(case)
    case.call_and_validate(app=fuzzer.app)


@pytest.fixture(scope="module")
def signed_out(tmp_path_factory: pytest.TempPathFactory,
               toolkit: Toolkit) -> Iterator[tuple[Any, str]]:
    """The app served on a network address (sign-in required) over SQLite, and the id of
    a draft that belongs to a user."""
    folder = tmp_path_factory.mktemp("fuzz-auth")
    with backend_client("sqlite", folder, toolkit, host="0.0.0.0",
                        allowed_hosts="testserver") as client:
        store = client.app.state.services.store
        ann, _token = store.add_user("ann")
        draft = store.create_draft(ann.owner, "press-release", {"headline": "Ann's"},
                                   title="Ann's")
        yield client.app, draft.id


#: what a caller without a token may use
PUBLIC = {("GET", "/healthz"), ("GET", "/api/me")}


@schema.parametrize()
@settings(max_examples=10, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck), print_blob=True)
def test_api_without_a_token_gives_nothing_away(case: Any, signed_out: tuple[Any, str]) -> None:
    """Signed out, every generated request still gets a documented answer, and none but
    the public ones succeeds: no draft (not even a real one's id), question log or
    toolkit content leaks."""
    app, draft_id = signed_out
    if "draft_id" in (case.path_parameters or {}) and case.meta is not None \
            and case.meta.generation.mode is GenerationMode.POSITIVE:
        case.path_parameters["draft_id"] = draft_id
    response = case.call_and_validate(app=app)
    if (case.method.upper(), case.path) not in PUBLIC:
        assert response.status_code >= 400, (case.method, case.path, response.status_code)
        assert b"Ann's" not in response.content
