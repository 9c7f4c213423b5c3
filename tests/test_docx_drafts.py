"""The product's own Word exports: real headings and numbered lists, no Markdown escapes,
and a round trip — export a draft, edit it in Word (python-docx), check it: each phrase is
found in the section it was written in."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pytest

from messaging import drafting
from messaging.checker import Checker
from messaging.docx_reader import check_docx, read_document
from toolkit import Toolkit

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def export(toolkit: Toolkit, template: str, fmt: str = "docx", **kw: str) -> drafting.Any:
    return drafting.render(toolkit, template, drafting.example_data(toolkit, template), fmt,
                           **kw)


def headings(document: docx.document.Document) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in document.paragraphs
            if p.style.name.startswith(("Heading", "Title"))]


def test_every_section_title_is_a_real_heading(toolkit: Toolkit) -> None:
    release = docx.Document(io.BytesIO(export(toolkit, "press-release").content))
    found = headings(release)
    assert found[0][0] == "Heading 1"
    assert ("Heading 2", "By the numbers") in found and ("Heading 2", "Sources") in found
    assert any(text.startswith("What this means") for _, text in found)
    # a bold lead-in with text after it stays a paragraph
    assert any(p.text.startswith("Media contact:") and p.style.name == "Normal"
               for p in release.paragraphs)
    newsletter = docx.Document(io.BytesIO(export(toolkit, "newsletter").content))
    assert ("Heading 2", "Sources") in headings(newsletter)


def test_sources_are_a_real_numbered_list_restarting_at_one(toolkit: Toolkit) -> None:
    document = docx.Document(io.BytesIO(export(toolkit, "press-release").content))
    paragraphs = document.paragraphs
    at = next(i for i, p in enumerate(paragraphs) if p.text == "Sources")
    sources = [p for p in paragraphs[at + 1:] if p.text]
    assert sources and all(p.style.name == "List Number" for p in sources)
    assert not any(re.match(r"\d+\. ", p.text) for p in sources)  # Word numbers them
    ids = {p._p.pPr.numPr.numId.val for p in sources}
    assert len(ids) == 1
    numbering = document.part.numbering_part.element
    (only,) = ids
    num = next(n for n in numbering.num_lst if n.numId == only)
    assert num.xpath("./w:lvlOverride/w:startOverride/@w:val") == ["1"]


def test_markdown_export_has_no_escapes_of_our_own(toolkit: Toolkit) -> None:
    for template in ("press-release", "newsletter", "email", "reporter-pitch"):
        text = export(toolkit, template, "md").text
        assert not re.search(r"\\[\[\]#]", text), (template, re.findall(r".{20}\\[\[\]#]", text))
    release = export(toolkit, "press-release", "md").text
    assert re.search(r"\[\d+(, \d+)*\]", release)  # the citation markers, as written
    assert "*###*" in release


@pytest.fixture(scope="module")
def checker(toolkit: Toolkit) -> Checker:
    return Checker.from_toolkit(toolkit)


def test_an_exported_draft_edited_in_word_is_checked_section_by_section(
        toolkit: Toolkit, checker: Checker) -> None:
    document = docx.Document(io.BytesIO(export(toolkit, "press-release").content))
    paragraphs = document.paragraphs
    numbers = next(i for i, p in enumerate(paragraphs) if p.text == "By the numbers")
    paragraphs[numbers + 1].insert_paragraph_before(
        "Our rigorous program lifted scores.", style="List Bullet")
    sources = next(p for p in paragraphs if p.text == "Sources")
    contact = next(p for p in paragraphs if p.text.startswith("Media contact:"))
    contact.add_run(" Teachers leverage relationships with students.").bold = True
    buffer = io.BytesIO()
    document.save(buffer)
    report = check_docx(checker, buffer.getvalue())
    placed = {(f.flag.rule, f.unit.section) for f in report.findings
              if f.flag.severity in ("error", "warning")}
    assert ("rigorous", "By the numbers") in placed
    last_heading = [h for h in headings(document) if h[1] != "Sources"][-1][1]
    assert ("leverage-relationships", last_heading) in placed
    assert not any(f.unit.section == sources.text for f in report.findings
                   if f.flag.severity in ("error", "warning"))


def test_an_action_plan_table_cell_edit_is_found_in_its_cell(toolkit: Toolkit,
                                                             checker: Checker) -> None:
    document = docx.Document(io.BytesIO(export(toolkit, "action-plan").content))
    table = document.tables[0]
    table.cell(1, 0).paragraphs[0].add_run(" We will reorganize class time.")
    buffer = io.BytesIO()
    document.save(buffer)
    report = check_docx(checker, buffer.getvalue())
    found = next(f for f in report.findings if f.flag.rule == "reorganizes-time")
    assert found.unit.table == (1, 2, 1) and found.unit.section == "Action steps"
    units = read_document(buffer.getvalue()).units
    assert found.unit.index == next(u.index for u in units if u.text == found.unit.text)


def test_web_and_email_addresses_are_links_in_word_and_html(toolkit: Toolkit) -> None:
    """A review (session 21): an email's link and the addresses in every template were plain
    text in the HTML and Word exports."""
    import zipfile

    data = drafting.example_data(toolkit, "email")
    content = drafting.render(toolkit, "email", data, "docx").content
    package = zipfile.ZipFile(io.BytesIO(content))
    body = package.read("word/document.xml").decode()
    rels = package.read("word/_rels/document.xml.rels").decode()
    targets = set(re.findall(r'Target="([^"]+)" TargetMode="External"', rels))
    assert data["link"] in targets and f"mailto:{data['sender_email']}" in targets
    assert body.count("<w:hyperlink") >= 2
    # the address is the link's text: not repeated after it
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)
    assert f"({data['link']})" not in text and text.count(data["link"]) == 1
    html = drafting.render(toolkit, "email", data, "html").content.decode()
    assert f'<a href="{data["link"]}">' in html
    assert f'<a href="mailto:{data["sender_email"]}">' in html


def test_a_word_export_is_new_numbered_and_an_unfinished_one_says_so_on_every_page(
        toolkit: Toolkit, tmp_path: Path) -> None:
    """A review (session 21): every export said it was made on 2013-12-23 and carried a
    blank-page preview; pages had no numbers; an unfinished pilot application from the CLI
    (`--draft`) and from `/api/render` was not marked as a draft at all."""
    import datetime as dt
    import zipfile

    from click.testing import CliRunner

    from bot.cli import cli

    content = drafting.render(toolkit, "press-release",
                              drafting.example_data(toolkit, "press-release"), "docx").content
    document = docx.Document(io.BytesIO(content))
    created = document.core_properties.created
    assert created is not None and created.year >= 2026
    assert abs((dt.datetime.now(dt.UTC) - created.replace(tzinfo=dt.UTC)).days) <= 1
    names = zipfile.ZipFile(io.BytesIO(content)).namelist()
    assert not any("thumbnail" in n for n in names)
    footer = document.sections[0].footer._element.xml
    assert "PAGE" in footer and "Page " in document.sections[0].footer.paragraphs[0].text
    assert not document.sections[0].header.paragraphs[0].text  # a finished copy: no mark
    data = tmp_path / "part.yaml"
    data.write_text("district_name: Harlan Creek\n")
    out = tmp_path / "part.docx"
    result = CliRunner().invoke(cli, ["draft", "pilot-application", "--data", str(data),
                                      "--draft", "-o", str(out)])
    assert result.exit_code == 0, result.output
    unfinished = docx.Document(str(out))
    assert unfinished.sections[0].header.paragraphs[0].text == "DRAFT: not finished"
    assert unfinished.paragraphs[0].text.startswith("DRAFT: not finished.")


def test_a_long_action_plan_gets_columns_that_fit_its_text(toolkit: Toolkit) -> None:
    """A review (session 21): seven equal columns put each long step in a narrow column
    (15 steps ran to 28 pages); two lines in a cell ran together."""
    data = drafting.example_data(toolkit, "action-plan")
    data["action_steps"][0]["step"] = " ".join(["Teachers write and review scales."] * 12)
    data["action_steps"][0]["participants"] = "Grade 6-8 teachers\nInstructional coaches"
    content = drafting.render(toolkit, "action-plan", data, "docx").content
    table = docx.Document(io.BytesIO(content)).tables[0]
    widths = [column.width for column in table.columns]
    assert widths[0] == max(widths) and widths[0] > 2 * min(widths)
    header = [cell.text for cell in table.rows[0].cells]
    assert table.cell(1, header.index("Participants")).text == (
        "Grade 6-8 teachers; Instructional coaches")
