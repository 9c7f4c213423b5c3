"""User values are data: never template code, never markup, exact in Word."""

from __future__ import annotations

import copy
import io
import re
import shutil
from pathlib import Path
from typing import Any

import docx
import pytest
from markdown_it import MarkdownIt

from messaging import drafting
from messaging.jinja_env import make_environment, md_escape
from toolkit import Toolkit, default_toolkit_path, load_toolkit

from .test_drafting_render import docx_text, squash, style

NASTY = {
    "district_name": "Lincoln & Jefferson <K-8>",
    "headline": "{{ config }} and {{ ''.__class__.__mro__ }}",
    "subheadline": "{% for x in range(3) %}loop{% endfor %}",
    "lead": "<script>alert('x')</script> <b>bold?</b> <img src=x onerror=alert(1)>",
    "details": "# Not a heading\n- not a list\n1. not numbered\n> not a quote\n---\n"
               "*not em* **not strong** _under_ `code` [link](javascript:alert(1)) "
               "![img](x.png) | pipe | &copy; &#60; \\ backslash",
    "quote": "Tables | break | here?",
    "quote_by": "Ana *the* [Principal]",
}


def nasty_release(tk: Toolkit) -> dict[str, Any]:
    data = copy.deepcopy(drafting.example_data(tk, "press-release"))
    data.update(NASTY)
    return data


def test_template_code_in_values_appears_literally(toolkit: Toolkit) -> None:
    data = nasty_release(toolkit)
    for fmt in ("md", "html", "docx"):
        doc = drafting.render(toolkit, "press-release", data, fmt)
        text = docx_text(doc.content) if fmt == "docx" else doc.content.decode()
        assert "{{ config }}" in text, fmt
        assert "{% for x in range(3) %}loop{% endfor %}" in text, fmt
        assert "looploop" not in text
        assert "<Config" not in text and "jinja2" not in text.lower()


def test_html_never_contains_markup_from_values(toolkit: Toolkit) -> None:
    page = drafting.render(toolkit, "press-release", nasty_release(toolkit), "html")
    html = page.content.decode()
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(" in html
    assert "Lincoln &amp; Jefferson &lt;K-8&gt;" in html
    assert 'href="javascript' not in html
    # the one link is the template's own, on the contact's checked e-mail address
    data = nasty_release(toolkit)
    assert re.findall(r'<a href="([^"]*)"', html) == [f"mailto:{data['contact_email']}"]
    assert "<em>not em</em>" not in html and "<strong>not strong</strong>" not in html
    assert "<h1>Not a heading" not in html
    assert "<blockquote>" not in html and "<hr" not in html
    assert "&amp;copy;" in html  # the entity is shown as typed, not decoded


def test_markdown_specials_do_not_change_structure(toolkit: Toolkit) -> None:
    doc = drafting.render(toolkit, "press-release", nasty_release(toolkit), "md")
    tokens = MarkdownIt("commonmark").enable("table").parse(doc.text)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert len(headings) == 1  # only the template's own headline
    assert not any(t.type in ("blockquote_open", "hr", "table_open", "code_inline", "fence",
                              "code_block") for t in tokens)
    for line in NASTY["details"].split("\n"):
        assert squash(line) in squash(doc.text.replace("\\", "")) or "\\" in line


def test_word_text_is_exactly_what_was_typed(toolkit: Toolkit) -> None:
    content = drafting.render(toolkit, "press-release", nasty_release(toolkit), "docx").content
    text = docx_text(content)
    assert "Lincoln & Jefferson <K-8>" in text
    assert "<script>alert('x')</script> <b>bold?</b> <img src=x onerror=alert(1)>" in text
    for line in NASTY["details"].split("\n"):
        assert line in text.split("\n"), line
    assert "Tables | break | here?" in text
    assert "Ana *the* [Principal]" in text
    doc = docx.Document(io.BytesIO(content))
    assert [p.text for p in doc.paragraphs if style(p) == "Heading 1"] == \
        [NASTY["headline"]]


def test_values_in_table_cells_stay_in_their_cell(toolkit: Toolkit) -> None:
    data = copy.deepcopy(drafting.example_data(toolkit, "action-plan"))
    data["action_steps"][0]["step"] = "Plan | review\nthen *share* <K-8> & more"
    data["action_steps"][0]["resources"] = "- $500\n- # of books"
    content = drafting.render(toolkit, "action-plan", data, "docx").content
    table = docx.Document(io.BytesIO(content)).tables[0]
    assert len(table.columns) == 7
    cells = [c.text for c in table.rows[1].cells]
    assert cells[0] == "Plan | review then *share* <K-8> & more"
    assert cells[6] == "$500; # of books"  # (session 21) two items stay apart


def test_md_escape_round_trips_through_markdown() -> None:
    samples = ["a*b*c", "_x_", "1986. A good year", "+ plus", "= equals", "#hashtag",
               "# heading", "###### six", "####### seven", "- item", "-5 degrees", "---",
               "===", "- - -", "1) first", "1.5 million", "2.", "+", ">quote", "####",
               "<http://example.org>", "[x](y)", "&amp;", "back\\slash", "`tick`", "~~s~~",
               "    indented", "line one\nline two", "a|b", "!", "trailing  "]
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    for sample in samples:
        tokens = md.parse(md_escape(sample))
        paragraphs = [t for t in tokens if t.type == "inline"]
        shown = " ".join(c.content for p in paragraphs for c in p.children or []
                         if c.type == "text")
        assert squash(shown) == squash(sample), sample
        assert {t.type for t in tokens} <= {"paragraph_open", "inline", "paragraph_close"}


def test_md_escape_leaves_hashtags_and_decimals_as_typed() -> None:
    """A social post is copied from the Markdown as it is: no backslash before a hashtag,
    a negative number or a decimal, which Markdown would not read as markup anyway."""
    assert md_escape("#CedarValleyLearns #MasteryMatters") == "#CedarValleyLearns #MasteryMatters"
    assert md_escape("1.5 million students") == "1.5 million students"
    assert md_escape("-5 degrees") == "-5 degrees"
    assert md_escape("# not a heading").startswith("\\#")


def test_sandbox_blocks_unsafe_template_code() -> None:
    from jinja2 import DictLoader
    from jinja2.exceptions import SecurityError

    env = make_environment(DictLoader({"t": "{{ x.__class__.__mro__ }}"}))
    with pytest.raises(SecurityError):
        env.get_template("t").render(x="")
    env = make_environment(DictLoader({"t": "{{ y }}"}))
    from jinja2 import UndefinedError

    with pytest.raises(UndefinedError):
        env.get_template("t").render()
    html_env = make_environment(DictLoader({"p.html": "<p>{{ v }}</p>"}), "html")
    assert html_env.get_template("p.html").render(v="<b>") == "<p>&lt;b&gt;</p>"


def test_a_broken_or_unsafe_template_is_a_clear_error(tmp_path: Path) -> None:
    root = tmp_path / "kit"
    shutil.copytree(default_toolkit_path(), root)
    (root / "templates" / "email.md.j2").write_text("{{ subject }} {{ toolkit._tk.root }}\n")
    (root / "templates" / "newsletter.md.j2").write_text("{% if headline %}never closed\n")
    (root / "templates" / "action-plan.md.j2").write_text("{{ school_name }} {{ nothing }}\n")
    tk = load_toolkit(root)
    cases = {
        "email": "could not be filled in",
        "newsletter": "has a mistake at line",
        "action-plan": "could not be filled in: 'nothing' is undefined",
    }
    for template_id, words in cases.items():
        with pytest.raises(drafting.DraftingError) as caught:
            drafting.render(tk, template_id, drafting.example_data(tk, template_id), "md")
        assert words in caught.value.message, caught.value.message
        assert "Traceback" not in str(caught.value)
