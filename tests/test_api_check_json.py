"""``POST /api/check`` writes its JSON without building the response models
(bot/api/reports.py): it must be exactly what the models would have written."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bot.api.reports import check_json
from bot.api.schemas import CheckOut
from tests.dbfixtures import database, make_client
from toolkit import Toolkit

WORDS = ["students", "learn", "at", "their", "own", "pace", "and", "show", "what", "they",
         "know", "when", "ready", "teachers", "give", "feedback", "on", "each", "skill",
         "grades", "report", "progress", "toward", "clear", "goals", "rigorous", "innovative",
         "paradigm", "seat", "time", "competency", "mastery", "learning", "pilot"]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, toolkit: Toolkit) -> Iterator[TestClient]:
    folder = tmp_path_factory.mktemp("check-json")
    with database("sqlite", folder) as url:
        test_client: Any = make_client(url, folder, toolkit)
        with test_client:
            yield test_client
        test_client.app.state.services.store.close()


def texts(toolkit: Toolkit) -> list[str]:
    """Texts that raise many kinds of flags: the wording the findings tested, quoted and
    not, in Markdown and HTML, and random runs of the words above."""
    rng = random.Random(3)
    tested = [f.tested_wording for f in toolkit.findings.values() if f.tested_wording]
    assert tested, "the toolkit's findings carry tested wording"
    out = [" ".join(tested[i:i + 5]) for i in range(0, len(tested), 5)]
    out += [f'They said "{t}" and we {t.lower()}' for t in tested[:10]]
    out += [" ".join(rng.choice(WORDS) for _ in range(n)) + "." for n in (1, 30, 300, 900)]
    out += ["# Heading\n\n* " + "\n* ".join(tested[:8]), "<p>" + "</p><p>".join(tested[:8])]
    return out


def test_the_answer_is_what_the_models_write(client: TestClient, toolkit: Toolkit) -> None:
    checker = client.app.state.services.checker()  # type: ignore[attr-defined]
    flagged = quoted = 0
    for text in texts(toolkit):
        for audience in (None, "parents"):
            response = client.post("/api/check", json={"text": text, "audience": audience})
            assert response.status_code == 200, response.text
            report = checker.check(text, audience=audience).to_dict()
            expected = CheckOut(**report).model_dump(mode="json")
            assert response.json() == expected
            flagged += len(expected["flags"])
            quoted += len(expected["quoted"])
            # matches inside quotations are listed apart from what counts
            assert not any(f["quoted"] for f in expected["flags"])
            assert all(f["quoted"] for f in expected["quoted"])
    assert flagged > 50  # the comparison covered flags with suggestions and sources
    assert quoted > 0  # and quoted matches


def test_values_the_short_cut_does_not_expect_are_written_by_the_models() -> None:
    odd: dict[str, Any] = {
        "flags": [{"rule": "r", "severity": "warning", "start": 0, "end": 1, "text": "x",
                   "message": "m", "suggestions": [{"text": "y"}],
                   "sources": [{"id": "s", "year": "2020"}]}],  # a year as text
        "readability": {"flesch_reading_ease": float("nan")},
    }
    written = json.loads(check_json(odd))
    assert written == CheckOut(**odd).model_dump(mode="json")
    assert written["flags"][0]["sources"][0]["year"] == 2020
    assert written["flags"][0]["suggestions"][0]["kind"] == "advice"
    assert written["readability"]["flesch_reading_ease"] is None
