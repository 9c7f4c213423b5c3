"""Every template renders from its example data into Markdown, HTML and Word, and
the values (and the toolkit content it pulls in, with sources) appear."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from typing import Any

import docx
import pytest

from messaging import drafting
from messaging.jinja_env import md_escape
from toolkit import Toolkit, load_toolkit

TEMPLATE_IDS = sorted(load_toolkit().templates)
EXPECTED_TEMPLATES = {"press-release", "newsletter", "email", "reporter-pitch", "social-posts",
                      "pilot-application", "action-plan"}


def squash(text: str) -> str:
    return " ".join(text.split())


def docx_text(content: bytes) -> str:
    """All the text a person sees in the Word file: paragraphs and table cells."""
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def style(paragraph: Any) -> str:
    return paragraph.style.name if paragraph.style is not None else ""


def html_text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def expected_strings(tk: Toolkit, template_id: str, data: dict[str, Any]) -> list[str]:
    """How each example value should read in the finished document."""
    template = tk.templates[template_id]
    out: list[str] = []

    def add(field: Any, value: Any, in_list: bool) -> None:
        if value is None:
            return
        if field.type == "date":
            d = dt.date.fromisoformat(value)
            out.append(f"{d:%B} {d.day}, {d.year}")
        elif field.type == "number":
            out.append(f"{int(value):,}")
        elif field.type == "choice":
            if field.choices_from == "audiences":
                out.append(tk.audiences[value].name)
            elif in_list:  # top-level choices are switches, not printed values
                out.append(value)
        elif field.type == "list":
            for item in value:
                if field.fields:
                    for sub in field.fields:
                        add(sub, item.get(sub.name), True)
                elif field.choices_from == "proof_points":
                    out.append(squash(tk.proof_points[item].statement))
                else:
                    out.append(item)
        elif field.name == "reporter_name":  # a pitch's greeting: "Hi Sam,"
            out.append(f"Hi {str(value).split()[0]},")
        else:
            out.extend(line for line in str(value).split("\n") if line.strip())

    for f in template.fields:
        add(f, data.get(f.name), False)
    return [squash(s) for s in out]


def test_every_expected_template_ships(toolkit: Toolkit) -> None:
    assert set(toolkit.templates) >= EXPECTED_TEMPLATES


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_example_renders_in_every_format_with_its_values(toolkit: Toolkit,
                                                         template_id: str) -> None:
    data = drafting.example_data(toolkit, template_id)
    assert data, f"{template_id} has no example values"
    expected = expected_strings(toolkit, template_id, data)
    assert expected

    md = drafting.render(toolkit, template_id, data, "md")
    assert md.media_type.startswith("text/markdown")
    assert md.content.decode("utf-8") == md.text
    assert md.filename == f"{template_id}.md"
    # a figure whose evidence is of medium confidence is a note to the writer, nothing else
    assert [p for p in md.problems if p.code != "check_figure"] == []

    page = drafting.render(toolkit, template_id, data, "html")
    assert page.media_type.startswith("text/html")
    page_html = page.content.decode("utf-8")
    assert page_html.startswith("<!DOCTYPE html>")
    assert f"<title>{html.escape(page.title, quote=False)}</title>" in page_html
    seen_html = squash(html_text(page_html))

    word = drafting.render(toolkit, template_id, data, "docx")
    assert word.media_type.endswith("wordprocessingml.document")
    seen_docx = squash(docx_text(word.content))

    for value in expected:
        value = value.rstrip(".")  # a quote's closing full stop becomes a comma before "said"
        assert value in seen_html, f"{template_id}: {value!r} missing from the HTML"
        assert value in seen_docx, f"{template_id}: {value!r} missing from the Word file"


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_template_text_has_no_warning_level_finding(toolkit: Toolkit, template_id: str) -> None:
    doc = drafting.render(toolkit, template_id, drafting.example_data(toolkit, template_id), "md")
    assert doc.report is not None
    bad = [(f.rule, f.text, f.line) for f in doc.report.flags
           if f.severity in ("error", "warning") and not f.quoted]
    assert bad == [], f"{template_id}: {bad}"


def test_weak_wording_in_the_quote_the_writer_drafts_counts(toolkit: Toolkit) -> None:
    # the release quotes the superintendent, but the communicator writes those words: the
    # check after rendering counts them (mastery check on another's text lists them apart)
    data = drafting.example_data(toolkit, "press-release")
    data["quote"] = "This rigorous program gives every student the help they need."
    doc = drafting.render(toolkit, "press-release", data, "md")
    assert doc.report is not None
    assert "This rigorous program" in doc.text
    rigorous = [f for f in doc.report.counted if f.rule == "rigorous"]
    assert [f.text for f in rigorous] == ["rigorous"] and not rigorous[0].quoted


def test_docx_has_headings_and_a_real_action_plan_table(toolkit: Toolkit) -> None:
    data = drafting.example_data(toolkit, "action-plan")
    doc = docx.Document(io.BytesIO(drafting.render(toolkit, "action-plan", data, "docx").content))
    headings = [(style(p), p.text) for p in doc.paragraphs if style(p).startswith("Head")]
    assert headings[0] == ("Heading 1", f"Action plan: {data['school_name']}")
    assert ("Heading 2", "Action steps") in headings
    assert len(doc.tables) == 1
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == [
        "Action step", "Evidence", "Timeline", "Coordinator", "Participants",
        "External support", "Resources"]
    assert len(table.rows) == 1 + len(data["action_steps"])
    # the wide table gets a landscape page, with its heading
    from docx.enum.section import WD_ORIENT

    assert [sec.orientation for sec in doc.sections] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE]
    body = list(doc.element.body.iterchildren())
    table_at = next(i for i, el in enumerate(body) if el.tag.endswith("}tbl"))
    assert "".join(t.text or "" for t in body[table_at - 1].iter()
                   if t.tag.endswith("}t")) == "Action steps"
    first = data["action_steps"][0]
    assert [c.text for c in table.rows[1].cells] == [
        squash(first.get(k, "")) for k in ("step", "evidence", "timeline", "coordinator",
                                           "participants", "external_support", "resources")]


def test_pilot_application_docx_sections_follow_the_template(toolkit: Toolkit) -> None:
    data = drafting.example_data(toolkit, "pilot-application")
    content = drafting.render(toolkit, "pilot-application", data, "docx").content
    doc = docx.Document(io.BytesIO(content))
    h2 = [p.text for p in doc.paragraphs if style(p) == "Heading 2"]
    template = toolkit.templates["pilot-application"]
    profile = toolkit.profiles["generic"]
    titles = {s.id: s.title for s in template.sections}
    titles.update({s.id: s.title for s in profile.sections if s.id in titles})
    assert h2 == [titles[s.id] for s in template.sections]
    assert doc.core_properties.title.startswith("Mastery-based learning pilot application")
    # schools, goals, milestones, support, outreach and action steps are real tables
    assert len(doc.tables) == 6


def test_docx_lists_are_word_lists(toolkit: Toolkit) -> None:
    data = drafting.example_data(toolkit, "newsletter")
    doc = docx.Document(io.BytesIO(drafting.render(toolkit, "newsletter", data, "docx").content))
    bullets = [p.text for p in doc.paragraphs if style(p) == "List Bullet"]
    for question in data["family_questions"]:
        assert question in bullets
    numbered = [p for p in doc.paragraphs if style(p) == "List Number"]
    assert numbered, "the sources list is a Word numbered list"
    assert all(p._p.pPr.numPr is not None and not re.match(r"^\d+\. ", p.text)
               for p in numbered)


def test_press_release_pulls_key_messages_and_proof_points_with_sources(toolkit: Toolkit) -> None:
    data = drafting.example_data(toolkit, "press-release")
    doc = drafting.render(toolkit, "press-release", data, "md", audience="parents")
    text = squash(doc.text)
    parents = toolkit.audiences["parents"]
    for message in parents.key_messages:  # told about families in a release
        assert squash(md_escape(message.third_person or message.text)) in text
    for pid in data["proof_points"]:
        assert squash(md_escape(toolkit.proof_points[pid].statement)) in text
    cited = {s for m in parents.key_messages for s in m.sources}
    cited |= {s for pid in data["proof_points"] for s in toolkit.proof_points[pid].sources}
    assert "**Sources**" in doc.text
    for source_id in cited:
        assert toolkit.sources[source_id].title in doc.text.replace("\\", "")


def test_audience_switches_key_messages_and_checker_audience(toolkit: Toolkit) -> None:
    data = drafting.example_data(toolkit, "email")
    doc = drafting.render(toolkit, "email", data, "md", audience="teachers")
    assert doc.report.audience == "teachers"
    first = toolkit.audiences["teachers"].key_messages[0].text
    assert squash(md_escape(first)) in squash(doc.text)
    assert squash(md_escape(toolkit.audiences["parents"].key_messages[0].text)) \
        not in squash(doc.text)
    # aliases work the same as ids
    assert drafting.render(toolkit, "email", data, "md", audience="Teacher").report.audience \
        == "teachers"


def test_key_messages_can_be_switched_off(toolkit: Toolkit) -> None:
    data = {**drafting.example_data(toolkit, "email"), "key_messages": "no"}
    doc = drafting.render(toolkit, "email", data, "md")
    assert squash(md_escape(toolkit.audiences["parents"].key_messages[0].text)) \
        not in squash(doc.text)
    assert "Sources" not in doc.text


def test_draft_mode_renders_placeholders_for_missing_required_values(toolkit: Toolkit) -> None:
    doc = drafting.render(toolkit, "pilot-application", {"district_name": "Oak Hill"}, "docx",
                          mode="draft")
    text = docx_text(doc.content)
    assert "[to be completed: Contact person]" in text
    assert "[to be completed: Plan for schoolwide implementation]" in text
    assert any(p.code == "missing" and p.level == "warning" for p in doc.problems)


def test_draft_mode_shows_a_check_placeholder_for_a_bad_value(toolkit: Toolkit) -> None:
    data = {**drafting.example_data(toolkit, "press-release"), "release_date": "soon"}
    doc = drafting.render(toolkit, "press-release", data, "md", mode="draft")
    assert "\\[check: Release date\\]" in doc.text
    with pytest.raises(drafting.DraftingError):
        drafting.render(toolkit, "press-release", data, "md", mode="final")


def test_html_page_is_printable_and_self_contained(toolkit: Toolkit) -> None:
    data = drafting.example_data(toolkit, "pilot-application")
    page = drafting.render(toolkit, "pilot-application", data, "html").content.decode()
    assert "@media print" in page
    assert "<table>" in page and "<th>Action step</th>" in page
    assert "http://" not in page and "https://" not in page.split("<main>")[0]


def test_unknown_format_is_a_clear_error(toolkit: Toolkit) -> None:
    with pytest.raises(drafting.DraftingError, match="Unknown format 'pdf'"):
        drafting.render(toolkit, "email", drafting.example_data(toolkit, "email"), "pdf")


def test_unknown_audience_is_a_clear_error(toolkit: Toolkit) -> None:
    with pytest.raises(drafting.DraftingError, match="no audience 'martians'"):
        drafting.render(toolkit, "email", drafting.example_data(toolkit, "email"), "md",
                        audience="martians")


def test_newsletter_pulls_audience_talking_points(toolkit: Toolkit) -> None:
    data = drafting.example_data(toolkit, "newsletter")
    text = squash(drafting.render(toolkit, "newsletter", data, "md").text)
    points = toolkit.audiences["parents"].talking_points[:3]
    for point in points:
        assert squash(md_escape(point.text)) in text
    off = squash(drafting.render(toolkit, "newsletter", {**data, "talking_points": "no"},
                                 "md").text)
    assert squash(md_escape(points[0].text)) not in off


@pytest.mark.parametrize(("name", "greeting"), [
    ("Sam Ortiz", "Hi Sam,"), ("Dr. Ana Lee", "Hi Dr. Lee,"), ("Cher", "Hi Cher,"),
    ("Ms. Rivera", "Hi Ms. Rivera,"),
])
def test_a_pitch_greets_the_reporter_by_first_name(toolkit: Toolkit, name: str,
                                                   greeting: str) -> None:
    """A new user's review (session 21): a pitch opened "Hi Priya Shah,"."""
    data = {**drafting.example_data(toolkit, "reporter-pitch"), "reporter_name": name}
    text = drafting.render(toolkit, "reporter-pitch", data, "md").text
    assert f"\n{greeting}\n" in text


def test_a_quote_of_several_paragraphs_keeps_them_in_every_format(toolkit: Toolkit) -> None:
    """A review (session 23): a press-release quote with a second paragraph in Hebrew was run
    into one left-to-right paragraph. Each paragraph is its own now, AP style: each opens with
    a quotation mark and only the last closes, before "said"; one in Hebrew reads right to
    left in HTML and Word."""
    data = drafting.example_data(toolkit, "press-release")
    data["quote"] = ("Our teachers already help each student.\nNo one is moved along.\n\n"
                     "משפחות יראו בדיוק מה הילד למד.")
    md = drafting.render(toolkit, "press-release", data, "md").content
    text = md.decode() if isinstance(md, bytes) else md
    assert "“Our teachers already help each student. No one is moved along.\n\n“משפחות" in text
    assert "למד,” said Dana Whitfield" in text
    html = drafting.render(toolkit, "press-release", data, "html").content
    page = html.decode() if isinstance(html, bytes) else html
    assert '<p dir="rtl">“משפחות' in page
    word = docx.Document(io.BytesIO(drafting.render(toolkit, "press-release", data,
                                                    "docx").content))
    hebrew = next(p for p in word.paragraphs if "משפחות" in p.text)
    assert hebrew._p.pPr is not None and hebrew._p.pPr.xpath("./w:bidi")
