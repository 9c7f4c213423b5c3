"""Checking Word documents: text read paragraph by paragraph, findings located, comments and
tracked changes written back with everything else kept."""

from __future__ import annotations

import functools
import io
import json
import re
import tempfile
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from click.testing import CliRunner

from bot.cli import cli
from messaging.checker import Checker
from messaging.docx_annotate import AUTHOR, annotate
from messaging.docx_reader import DocxProblem, check_docx, read_document
from tests import docx_corpus as corpus
from toolkit import Toolkit

EVAL = yaml.safe_load(Path(__file__).with_name("checker_eval.yaml").read_text("utf-8"))
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def checker(toolkit: Toolkit) -> Checker:
    return Checker.from_toolkit(toolkit)


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the rules cache of these tests in the test's own folder."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.delenv("MASTERY_TOOLKIT", raising=False)


@dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str


def mastery(*args: str) -> Ran:
    result = CliRunner().invoke(cli, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback: the test fails
    return Ran(result.exit_code, result.stdout, result.stderr)


# ------------------------------------------------------------------ reading
def test_every_plain_text_finding_is_made_at_the_right_paragraph(checker: Checker) -> None:
    """The labelled set, laid out as Word documents (one per audience) in every shape a
    paragraph takes — body text, headings, list items, table cells, many formatted runs —
    finds what the same text pasted as plain text finds (one paragraph per line block),
    each finding in its paragraph at the same offsets."""
    groups: dict[str | None, list[str]] = {}
    for item in EVAL["sentences"]:
        groups.setdefault(item.get("audience"), []).append(item["text"])
    compared = 0
    for audience, texts in groups.items():
        document = docx.Document()
        cells: list[str] = []
        others: list[str] = []
        table = document.add_table(rows=len(texts), cols=2)  # comes first in the document
        for n, text in enumerate(texts):
            shape = ("plain", "heading", "list", "runs", "cell")[n % 5]
            if shape == "plain":
                document.add_paragraph(text)
            elif shape == "heading":
                document.add_heading(text, 1 + n % 3)
            elif shape == "list":
                document.add_paragraph(text, style="List Bullet")
            elif shape == "runs":
                corpus.add_runs(document.add_paragraph(), corpus.split_in_runs(text, 4))
            else:
                table.cell(n, n % 2).text = text
            (cells if shape == "cell" else others).append(text)
        order = cells + others  # reading order
        report = check_docx(checker, corpus.save(document), audience=audience)
        units = report.document.text_units
        assert [u.text for u in units] == order
        position = {id(u): k for k, u in enumerate(units)}
        got = {(position[id(f.unit)], f.flag.rule, f.flag.start, f.flag.end)
               for f in report.findings}
        pasted = "\n\n".join(order)
        starts = [sum(len(t) + 2 for t in order[:k]) for k in range(len(order))]
        want = set()
        for flag in checker.check(pasted, audience=audience).flags:
            k = max(i for i, s in enumerate(starts) if s <= flag.start)
            want.add((k, flag.rule, flag.start - starts[k], flag.end - starts[k]))
        assert got == want, (audience, sorted(got ^ want)[:5])
        compared += len(want)
    assert compared >= 70


def test_units_cover_body_tables_boxes_headers_footers_and_footnotes() -> None:
    data = corpus.with_footnote(corpus.rich_document(), "Rigorous coursework, 2023.")
    units = read_document(data).units
    texts = {u.text for u in units}
    assert "Our rigorous curriculum prepares students for what comes next." in texts
    assert "Families warmly welcome the change." in texts  # insertion read, deletion not
    assert "Read more on our rigorous page." in texts  # hyperlink text
    assert "Updated May 1; a rigorous course" in texts  # a field's shown result
    assert "A rigorous text box" in texts
    assert "Page 1" in texts and not any("PAGE" in t for t in texts)  # no field codes
    assert not any("Check the date" in t for t in texts)  # comments are not checked
    cell = next(u for u in units if u.text.startswith("Teachers leverage"))
    assert cell.table == (1, 1, 2) and cell.where == "body"
    nested = next(u for u in units if u.text.startswith("Nested"))
    assert nested.table == (2, 1, 1)
    heading = next(u for u in units if u.text == "What changes this fall")
    assert heading.heading and heading.style == "Heading 1"
    assert [u.where for u in units][-3:] == ["header", "footer", "footnote"]
    numbers = [u.index for u in units if u.where == "body"]
    assert numbers == list(range(1, len(numbers) + 1))


def test_headings_and_cells_end_sentences(checker: Checker) -> None:
    document = docx.Document()
    words = " ".join(["word"] * 15)
    document.add_heading(f"A heading of {words}", 1)
    table = document.add_table(rows=1, cols=3)
    for c in range(3):
        table.cell(0, c).text = f"cell {words}"
    document.add_paragraph(f"Then a paragraph of {words}")
    report = check_docx(checker, corpus.save(document))
    assert not [f for f in report.findings if f.flag.rule == "long-sentence"]
    assert report.readability.sentences == 5
    joined = "\n".join([f"A heading of {words}", *[f"cell {words}"] * 3,
                        f"Then a paragraph of {words}"])  # one long run-on when pasted
    assert any(f.rule == "long-sentence" for f in checker.check(joined, markup="text").flags)


def test_json_location_and_text_output_name_the_paragraph(tmp_path: Path) -> None:
    path = tmp_path / "news.docx"
    path.write_bytes(corpus.rich_document())
    result = mastery("check", str(path), "--format", "json")
    assert result.returncode == 1, result.stderr
    findings = json.loads(result.stdout)["findings"]
    cell = next(f for f in findings if f["rule"] == "leverage-relationships")
    assert cell["location"]["paragraph"] == 8 and cell["location"]["table"] == 1
    assert (cell["location"]["row"], cell["location"]["cell"]) == (1, 2)
    assert cell["location"]["excerpt"].startswith("Teachers leverage relationships")
    assert cell["text"] == "leverage relationships" and cell["start"] == 9
    assert cell["line"] == 8 and cell["column"] == 10
    header = next(f for f in findings if f["location"]["part"] == "header")
    assert header["text"] == "rigorous"
    text = mastery("check", str(path))
    assert f"{path}:3:5 warning rigorous" in text.stdout
    assert f"{path} (table 1, row 1, cell 2):8:10 warning leverage-relationships" in text.stdout
    assert "    3 | Our rigorous curriculum" in text.stdout
    assert re.search(r"\d+ warnings, \d+ suggestions in 1 file", text.stdout)


# ------------------------------------------------------------------ writing back
def comments_of(data: bytes) -> list[Any]:
    return list(docx.Document(io.BytesIO(data)).comments)


def anchored_text(data: bytes) -> dict[str, str]:
    """comment id -> the document text between its range start and end."""
    from lxml import etree

    out: dict[str, str] = {}
    open_: dict[str, list[str]] = {}
    texts = corpus.parts(data)
    elements = [el for name in ("word/document.xml", "word/footnotes.xml") if name in texts
                for el in etree.fromstring(texts[name]).iter()]
    for el in elements:
        if el.tag == W + "commentRangeStart":
            open_[el.get(W + "id")] = []
        elif el.tag == W + "commentRangeEnd":
            out[el.get(W + "id")] = "".join(open_.pop(el.get(W + "id"), []))
        elif el.tag in (W + "t", W + "delText") and el.text:
            for parts in open_.values():
                parts.append(el.text)
    return out


def test_comments_anchor_exactly_on_each_phrase(checker: Checker) -> None:
    data = corpus.with_footnote(corpus.rich_document(), "Rigorous coursework, 2023.")
    report = check_docx(checker, data)
    out = annotate(report)
    comments = comments_of(out)
    ours = [c for c in comments if c.author == AUTHOR]
    in_body = [f for f in report.findings if f.unit.where == "body"]
    assert len(ours) == len(report.findings)
    assert [c.author for c in comments].count("Principal") == 1  # the existing one is kept
    anchors = anchored_text(out)
    by_id = {str(c.comment_id): c for c in ours}
    exact = [anchors[i] for i, c in by_id.items() if not c.text.startswith("In the ")]
    assert sorted(exact) == sorted(f.flag.text for f in in_body)
    first = next(c for c in ours if "leverage" in c.text)
    assert first.initials == "MC"
    assert "Warning \u00b7 leverage-relationships" in first.text
    assert "Suggestion:" in first.text and "Why:" in first.text and "Source:" in first.text
    header_note = next(c for c in ours if c.text.startswith("In the header"))
    assert "\u201crigorous\u201d" in header_note.text
    # the annotated copy reads back with the same findings, at the same places
    again = check_docx(checker, out)
    assert [(f.unit.index, f.flag.rule, f.flag.start) for f in again.findings] == \
        [(f.unit.index, f.flag.rule, f.flag.start) for f in report.findings]


def test_a_phrase_across_differently_formatted_runs_keeps_each_pieces_format(
        checker: Checker) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph()
    paragraph.add_run("Our ")
    for piece, bold, italic in (("rig", True, None), ("or", None, True), ("ous", True, True)):
        run = paragraph.add_run(piece)
        run.bold, run.italic = bold, italic
    paragraph.add_run(" program.")
    out = annotate(check_docx(checker, corpus.save(document)))
    runs = docx.Document(io.BytesIO(out)).paragraphs[0].runs
    shown = [(r.text, r.bold, r.italic) for r in runs if r.text]
    assert shown == [("Our ", None, None), ("rig", True, None), ("or", None, True),
                     ("ous", True, True), (" program.", None, None)]
    assert list(anchored_text(out).values()) == ["rigorous"]


def test_a_phrase_inside_one_run_splits_it_and_keeps_its_format(checker: Checker) -> None:
    document = docx.Document()
    run = document.add_paragraph().add_run("A truly rigorous, careful program.")
    run.bold, run.font.size = True, docx.shared.Pt(14)
    out = annotate(check_docx(checker, corpus.save(document)))
    runs = [r for r in docx.Document(io.BytesIO(out)).paragraphs[0].runs if r.text]
    assert [r.text for r in runs] == ["A truly ", "rigorous", ", careful program."]
    assert all(r.bold and r.font.size == docx.shared.Pt(14) for r in runs)


def test_everything_else_is_kept(checker: Checker) -> None:
    data = corpus.with_footnote(corpus.rich_document(), "Rigorous coursework for all.")
    out = annotate(check_docx(checker, data))
    before, after = corpus.parts(data), corpus.parts(out)
    changed = {n for n in before if before[n] != after.get(n)}
    assert changed <= {"word/document.xml", "word/comments.xml", "word/footnotes.xml"}
    assert set(after) == set(before)  # the comments part already existed
    assert any(n.startswith("word/media/") for n in after)  # the picture
    old, new = docx.Document(io.BytesIO(data)), docx.Document(io.BytesIO(out))
    assert [p.text for p in old.paragraphs] == [p.text for p in new.paragraphs]
    assert [p.style.name for p in old.paragraphs] == [p.style.name for p in new.paragraphs]
    assert [c.text for c in old.tables[0]._cells] == [c.text for c in new.tables[0]._cells]
    assert new.sections[0].header.paragraphs[0].text == old.sections[0].header.paragraphs[0].text
    xml = after["word/document.xml"].decode()
    assert 'w:author="Editor"' in xml and "rigorously </w:delText>" in xml  # their changes
    assert "<w:hyperlink" in xml and "DATE" in xml and "txbxContent" in xml


def test_a_document_without_comments_gets_a_comments_part(checker: Checker) -> None:
    data = corpus.from_paragraphs(["Our rigorous plan."])
    data = corpus.replace_part(data, "word/comments.xml", None)  # python-docx may add one
    out = annotate(check_docx(checker, data))
    after = corpus.parts(out)
    assert "word/comments.xml" in after
    assert b"comments+xml" in after["[Content_Types].xml"]
    assert b"relationships/comments" in after["word/_rels/document.xml.rels"]
    assert [c.author for c in comments_of(out)] == [AUTHOR]


def typed(report: Any, text: str) -> Any:
    """The report with its first suggestion typed as a replacement (as the checker does)."""
    findings = [replace(f, flag=replace(f.flag, suggestions=(
        {"text": text, "kind": "replacement"},))) for f in report.findings]
    return replace(report, findings=findings)


def test_replacements_become_tracked_changes_advice_does_not(checker: Checker) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("Our ")
    paragraph.add_run("rigorous").italic = True
    paragraph.add_run(" curriculum.")
    document.add_paragraph("Schools use it in different ways and to different degrees.")
    data = corpus.save(document)
    report = check_docx(checker, data)
    assert [f.flag.rule for f in report.findings] == ["rigorous", "embraced-differently"]
    assert [s.kind for s in report.findings[1].flag.suggestions] == ["advice"]
    plain = annotate(report)  # comments only, unless asked
    assert b"<w:ins " not in corpus.parts(plain)["word/document.xml"]
    out = annotate(report, track_changes=True)
    xml = corpus.parts(out)["word/document.xml"].decode()
    assert len(re.findall(r'<w:del w:id="\d+" w:author="mastery-comms"', xml)) == 1
    assert "<w:delText>rigorous</w:delText>" in xml
    ins = re.search(r"<w:ins [^>]*>(.*?)</w:ins>", xml)
    assert ins and "<w:i/>" in ins.group(1) and "<w:t>challenging</w:t>" in ins.group(1)
    # the text as if every change were accepted; the advice left the text alone
    assert [u.text for u in read_document(out).units] == [
        "Our challenging curriculum.",
        "Schools use it in different ways and to different degrees."]
    assert sorted(anchored_text(out).values()) == ["rigorouschallenging",
                                                    "to different degrees"]


# ------------------------------------------------------------------ bad input
def encrypted_ole(marker: str) -> bytes:
    header = corpus.OLE if hasattr(corpus, "OLE") else b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    return header + b"\x00" * 504 + marker.encode("utf-16-le") + b"\x00" * 600


def zip_with(entries: dict[str, bytes], compress: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compress) as archive:
        for name, body in entries.items():
            archive.writestr(name, body)
    return out.getvalue()


@functools.cache
def bad_files() -> dict[str, tuple[bytes, str]]:
    good = corpus.from_paragraphs(["Our rigorous plan."])
    types = corpus.parts(good)["[Content_Types].xml"]
    xlsx = zip_with({"[Content_Types].xml": types.replace(
        b"wordprocessingml.document.main+xml", b"spreadsheetml.sheet.main+xml"),
        "xl/workbook.xml": b"<workbook/>"})
    docm = corpus.replace_part(corpus.replace_part(good, "[Content_Types].xml", types.replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"application/vnd.ms-word.document.macroEnabled.main+xml")),
        "word/vbaProject.bin", b"\x00macro")
    bomb = zip_with({"[Content_Types].xml": types, "word/document.xml": b"<" * 30_000_000})
    many = zip_with({"[Content_Types].xml": types, **{f"f/{i}": b"" for i in range(3000)}},
                    zipfile.ZIP_STORED)
    empty_doc = corpus.from_paragraphs(["", "   "])
    return {
        "truncated": (good[: len(good) // 2], "damaged or incomplete"),
        "doc": (encrypted_ole("WordDocument"), "old Word 97-2003 document (.doc)"),
        "encrypted": (encrypted_ole("EncryptedPackage"), "password-protected"),
        "docm": (docm, "macro-enabled"),
        "xlsx": (xlsx, "an Excel workbook"),
        "bomb": (bomb, "zip bomb"),
        "many": (many, "zip bomb"),
        "big": (b"PK\x03\x04" + b"\x00" * 50_000_000, "too large"),
        "empty": (empty_doc, "no text to check"),
        "pdf": (b"%PDF-1.7\n" + b"x" * 100, "a PDF file"),
        "bad-xml": (corpus.replace_part(good, "word/document.xml", b"<w:document"),
                    "not valid XML"),
    }


@pytest.mark.parametrize("case", sorted(bad_files()))
def test_bad_files_are_refused_with_a_reason(case: str, checker: Checker) -> None:
    data, reason = bad_files()[case]
    with pytest.raises(DocxProblem) as caught:
        check_docx(checker, data)
    assert reason in str(caught.value)


def test_bad_files_exit_2_with_a_message_and_write_nothing(tmp_path: Path) -> None:
    for case, (data, reason) in bad_files().items():
        path = tmp_path / f"{case}.docx"
        path.write_bytes(data)
        out = tmp_path / f"{case}-checked.docx"
        result = mastery("check", str(path), "--annotate", str(out))
        assert result.returncode == 2, (case, result.stderr)
        assert reason in result.stderr and "Traceback" not in result.stderr, case
        assert not out.exists() and not list(tmp_path.glob("*.tmp")), case


def test_annotate_usage_errors(tmp_path: Path) -> None:
    path = tmp_path / "a.docx"
    path.write_bytes(corpus.from_paragraphs(["Our rigorous plan."]))
    text = tmp_path / "a.md"
    text.write_text("Our rigorous plan.")
    cases = [
        (["check", str(path), "--track-changes"], "needs --annotate"),
        (["check", str(text), "--annotate", str(tmp_path / "o.docx")], "one Word file"),
        (["check", str(path), str(path), "--annotate", str(tmp_path / "o.docx")],
         "one Word file"),
        (["check", str(path), "--annotate", str(path)], "overwrite"),
        # session 21: a Word file named .txt would not open
        (["check", str(path), "--annotate", str(tmp_path / "out.txt")], "name it .docx"),
    ]
    for args, message in cases:
        result = mastery(*args)
        assert result.returncode == 2 and message in result.stderr, (args, result.stderr)
    good = mastery("check", str(path), "--annotate", str(tmp_path / "o.docx"),
                   "--fail-level", "none")
    assert good.returncode == 0, good.stderr
    assert [c.author for c in comments_of((tmp_path / "o.docx").read_bytes())] == [AUTHOR]


def test_fields_are_commented_but_never_rewritten(checker: Checker) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("Our ")
    corpus.inject(paragraph, '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>'
                             ' DOCPROPERTY Motto </w:instrText></w:r><w:r><w:fldChar '
                             'w:fldCharType="separate"/></w:r><w:r><w:t>rigorous</w:t></w:r>'
                             '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
                             '<w:r><w:t xml:space="preserve"> plan and rigorous work.</w:t></w:r>')
    report = typed(check_docx(checker, corpus.save(document)), "challenging")
    assert [f.flag.text for f in report.findings] == ["rigorous", "rigorous"]
    out = annotate(report, track_changes=True)
    xml = corpus.parts(out)["word/document.xml"].decode()
    assert xml.count("<w:delText>") == 1  # only the typed word, not the field's result
    assert read_document(out).units[0].text == "Our rigorous plan and challenging work."
    assert len(comments_of(out)) == 2


def test_entities_are_never_expanded_nor_files_read(checker: Checker, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    good = corpus.from_paragraphs(["Our rigorous plan."])
    xml = corpus.parts(good)["word/document.xml"].decode()
    head, _, rest = xml.partition("?>")
    evil = (f'{head}?><!DOCTYPE w:document [<!ENTITY x SYSTEM "{secret.as_uri()}">'
            '<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
            '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
            + rest.replace("Our rigorous plan.", "Our rigorous plan &x; &c;."))
    report = check_docx(checker, corpus.replace_part(good, "word/document.xml", evil.encode()))
    text = " ".join(u.text for u in report.document.units)
    assert "TOP-SECRET" not in text and "aaaaaaaaaa" not in text
    assert [f.flag.rule for f in report.findings][:1] == ["rigorous"]


def test_a_package_that_inflates_past_the_limit_is_refused_unread(checker: Checker) -> None:
    """The zip directory is checked before anything is inflated: parts that each look
    ordinary (~80:1) but together claim more than the limit are refused, unread."""
    import random
    import struct

    good = corpus.from_paragraphs(["Our rigorous plan."])
    noise = random.Random(7).randbytes(300_000)
    data = bytearray(zip_with({**corpus.parts(good),
                               **{f"word/media/image{i}.png": noise for i in range(10)}},
                              zipfile.ZIP_STORED))
    at = 0
    while (at := data.find(b"PK\x01\x02", at)) != -1:
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46: at + 46 + name_length].startswith(b"word/media/"):
            struct.pack_into("<I", data, at + 24, 25_000_000)  # claimed uncompressed size
        at += 4
    with pytest.raises(DocxProblem) as caught:
        check_docx(checker, bytes(data))
    assert caught.value.kind == "too_large" and "would expand to" in str(caught.value)


def test_damaged_copies_fail_cleanly_or_work(checker: Checker) -> None:
    """Random damage (flipped bytes, truncation, parts cut short): every outcome is a
    report and an annotated copy, or a DocxProblem — never another exception."""
    import random

    good = corpus.with_footnote(corpus.rich_document(), "Rigorous coursework for all.")
    entries = corpus.parts(good)
    outcomes = {"ok": 0, "refused": 0}
    for seed in range(120):
        rnd = random.Random(seed)
        if seed % 3 == 0:
            data = bytearray(good)
            for _ in range(rnd.randint(1, 20)):
                data[rnd.randrange(len(data))] = rnd.randrange(256)
        elif seed % 3 == 1:
            data = bytearray(good[: rnd.randrange(len(good))])
        else:
            name = rnd.choice(sorted(entries))
            body = bytearray(entries[name])
            for _ in range(rnd.randint(1, 5)):
                at = rnd.randrange(max(len(body), 1))
                del body[at: at + rnd.randint(1, 30)]
            data = bytearray(corpus.replace_part(good, name, bytes(body)))
        try:
            annotate(check_docx(checker, bytes(data)), track_changes=True)
            outcomes["ok"] += 1
        except DocxProblem:
            outcomes["refused"] += 1
    assert outcomes["ok"] and outcomes["refused"]


def test_findings_word_cannot_anchor_are_listed_at_the_top_in_order(checker: Checker) -> None:
    data = corpus.with_footnote(corpus.rich_document(), "Rigorous coursework for all.")
    out = annotate(check_docx(checker, data))
    root = docx.Document(io.BytesIO(out)).element.body
    first = root.find(W + "p")
    ids = [el.get(W + "id") for el in first.iter(W + "commentReference")]
    notes = {str(c.comment_id): c.text for c in comments_of(out)}
    tops = [notes[i].split(":")[0] for i in ids if notes[i].startswith("In the ")]
    assert tops == ["In the header paragraph 1", "In the footnote paragraph 1"]


def test_a_heading_or_a_link_gets_advice_not_a_replacement(checker: Checker) -> None:
    """A new user's review (session 21): in a Word file a flagged word in a heading or a
    hyperlink's text was offered as a replacement (and --track-changes rewrote the
    heading); Markdown and HTML give advice there."""
    document = docx.Document(io.BytesIO(corpus.rich_document()))
    document.add_heading("Our rigorous new program", 1)
    buffer = io.BytesIO()
    document.save(buffer)
    report = check_docx(checker, buffer.getvalue(), audience="parents")
    kinds = {}
    for found in report.findings:
        if found.flag.rule == "rigorous":
            kinds[found.unit.text] = {s.kind for s in found.flag.suggestions}
    assert kinds["Our rigorous new program"] == {"advice"}
    assert kinds["Read more on our rigorous page."] == {"advice"}
    assert "replacement" in kinds["Updated May 1; a rigorous course"]  # after the field
    assert "replacement" in kinds[
        "Our rigorous curriculum prepares students for what comes next."]


def test_a_table_of_contents_is_not_checked_twice(checker: Checker) -> None:
    """A review (session 21): each heading's findings were listed twice, once more at its
    entry in the table of contents, with comments anchored inside the contents."""
    document = docx.Document()
    toc = document.styles.add_style("TOC 1", 1)
    document.add_paragraph("Our rigorous program\t2", style=toc)
    document.add_heading("Our rigorous program", 1)
    document.add_paragraph("Students show what they know.")
    report = check_docx(checker, corpus.save(document), audience="parents")
    assert [(f.flag.rule, f.unit.style) for f in report.findings] == [("rigorous", "Heading 1")]


def test_a_finding_in_a_text_box_says_so(tmp_path: Path) -> None:
    """A review (session 21): a finding in a text box was shown as a plain body paragraph,
    hard to find in the document."""
    path = tmp_path / "news.docx"
    path.write_bytes(corpus.rich_document())
    result = mastery("check", str(path), "--audience", "parents", "--fail-level", "none")
    lines = [line for line in result.stdout.splitlines() if "(text box)" in line]
    assert lines and "rigorous" in lines[0].lower()
    units = read_document(path.read_bytes()).units
    boxed = [u for u in units if u.text_box]
    assert [u.text for u in boxed] == ["A rigorous text box"]
    assert boxed[0].describe().endswith("(text box)")
