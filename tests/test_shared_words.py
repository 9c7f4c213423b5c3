"""The shared words (toolkit/words.py): one citation format and one no-answer /
out-of-scope wording in the CLI, the API and web page, Slack and filled documents."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from bot.cli import cli
from bot.slack import blocks, texts
from messaging import drafting
from tests.dbfixtures import backend_client
from toolkit import Toolkit, words


def test_one_citation_format() -> None:
    assert words.citation("Title", "Author", 2020) == "Author, \u201cTitle\u201d (2020)"
    assert words.citation("Title", None, 2020) == "\u201cTitle\u201d (2020)"
    assert words.citation("Title", "Author") == "Author, \u201cTitle\u201d"
    assert words.cite({"id": "x", "title": None, "author": None, "year": None}) == "\u201cx\u201d"


def test_every_interface_cites_and_says_no_answer_the_same(toolkit: Toolkit,
                                                          tmp_path: Path) -> None:
    entry = toolkit.faq[sorted(toolkit.faq)[0]]
    expected = [words.cite(toolkit.sources[s]) for s in entry.sources]

    shown = CliRunner().invoke(cli, ["ask", entry.question]).stdout
    assert all(c in shown for c in expected), shown

    with backend_client("sqlite", tmp_path, toolkit) as client:
        answer = client.post("/api/ask", json={"question": entry.question}).json()
        assert answer["id"] == entry.id
        assert [s["citation"] for s in answer["sources"]] == expected
        page = client.get("/").text
        boot = json.loads(re.search(r'<script[^>]*id="boot"[^>]*>(.*?)</script>', page,
                                    re.S)[1])  # type: ignore[index]
        assert boot["words"] == words.for_web()

    assert blocks.cite([toolkit.sources[s] for s in entry.sources]) == "; ".join(
        blocks.escape(c) for c in expected)
    assert texts.NO_ANSWER.startswith(words.NO_ANSWER)
    assert texts.OUTSIDE_TOOLKIT == words.OUT_OF_SCOPE
    js = (Path(blocks.__file__).parents[1] / "web" / "static" / "app.js").read_text()
    for sentence in (words.NO_ANSWER, words.OUT_OF_SCOPE, *words.SEVERITY_NAMES.values()):
        assert f'"{sentence}"' not in js, f"app.js keeps its own copy of {sentence!r}"

    template = next(t for t in toolkit.templates.values()
                    if "toolkit.notes()" in (toolkit.templates_dir / t.file).read_text())
    doc = drafting.render(toolkit, template.id, drafting.example_data(toolkit, template.id))
    notes = re.findall(r"^\d+\. (.+)$", doc.text, re.M)
    assert notes and all(n.replace("\\", "") in {words.cite(s) for s in toolkit.sources.values()}
                         for n in notes), notes
