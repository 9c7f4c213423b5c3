"""Annotated Word documents open in a real office suite: LibreOffice (headless) loads them,
converts them to ODF, PDF and text, and the comments and tracked changes are there.

``python3 tasks.py test`` installs Debian's libreoffice-writer-nogui when it is missing.
Each run uses a private LibreOffice profile (a temporary folder) and a timeout.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pypdf
import pytest

from messaging.checker import Checker
from messaging.docx_annotate import AUTHOR, annotate
from messaging.docx_reader import check_docx
from tests import docx_corpus as corpus
from toolkit import Toolkit

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDF_WITH_NOTES = 'pdf:writer_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"}}'


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Any:
    assert SOFFICE, "LibreOffice is not installed: run `python3 tasks.py test` as root, or " \
                    "apt-get install libreoffice-writer-nogui"
    profile = tmp_path_factory.mktemp("lo-profile")

    def convert(files: list[Path], fmt: str, out: Path) -> None:
        subprocess.run(
            [str(SOFFICE), f"-env:UserInstallation={profile.as_uri()}", "--headless",
             "--norestore", "--convert-to", fmt, "--outdir", str(out), *map(str, files)],
            check=True, capture_output=True, timeout=240,
        )

    return convert


@pytest.fixture(scope="module")
def documents(toolkit: Toolkit, tmp_path_factory: pytest.TempPathFactory
              ) -> dict[str, tuple[Path, Any]]:
    checker = Checker.from_toolkit(toolkit)
    folder = tmp_path_factory.mktemp("annotated")
    rich = corpus.with_footnote(corpus.rich_document(), "Rigorous coursework, 2023.")
    many_runs = corpus.from_paragraphs([])
    import docx

    doc = docx.Document(io.BytesIO(many_runs))
    for text in ("Our rigorous program reorganizes time around each student.",
                 "Teachers leverage relationships with students to raise achievement."):
        corpus.add_runs(doc.add_paragraph(), corpus.split_in_runs(text, 2))
    out: dict[str, tuple[Path, Any]] = {}
    for name, data, tracked in (("comments", rich, False), ("tracked", rich, True),
                                ("runs", corpus.save(doc), True)):
        report = check_docx(checker, data)
        path = folder / f"{name}.docx"
        path.write_bytes(annotate(report, track_changes=tracked))
        out[name] = (path, report)
    return out


def test_libreoffice_loads_them_with_every_comment_and_change(
        office: Any, documents: dict[str, tuple[Path, Any]], tmp_path: Path) -> None:
    paths = [p for p, _ in documents.values()]
    office(paths, "odt", tmp_path)
    for name, (path, report) in documents.items():
        odt = tmp_path / f"{path.stem}.odt"
        assert odt.exists(), f"LibreOffice could not load {name}"
        package = zipfile.ZipFile(odt)
        # the body is in content.xml; page headers and footers (and their changes) in styles.xml
        content = "".join(package.read(n).decode("utf-8") for n in ("content.xml", "styles.xml"))
        creators = re.findall(r"<office:annotation\b.*?<dc:creator>(.*?)</dc:creator>", content)
        assert creators.count(AUTHOR) == len(report.findings), name
        changes = re.findall(r"<text:changed-region\b.*?</text:changed-region>", content, re.S)
        ours = [c for c in changes if f"<dc:creator>{AUTHOR}</dc:creator>" in c]
        if name == "comments":
            assert not ours and len(changes) == 2  # the document's own two changes, kept
            assert creators.count("Principal") == 1
        else:
            # a deletion and an insertion per replaced phrase, as written in the .docx
            written = sum(len(re.findall(rb'<w:ins w:id="\d+" w:author="mastery-comms"', body))
                          for part, body in corpus.parts(path.read_bytes()).items()
                          if part.startswith("word/"))
            # (a phrase in a heading or a link's text is left as it is: advice there)
            # (six in the rich document: "rigorous" before a word "challenging" does not fit,
            # "rigorous news", "a rigorous text box", is advice, not a tracked change)
            assert written >= (6 if name == "tracked" else 1) and len(ours) == 2 * written, name
            assert any("<text:deletion>" in c for c in ours)
            assert any("<text:insertion>" in c for c in ours)


def test_pdf_and_text_show_the_comments_and_changes(
        office: Any, documents: dict[str, tuple[Path, Any]], tmp_path: Path) -> None:
    path, report = documents["tracked"]
    office([path], PDF_WITH_NOTES, tmp_path)
    office([path], "txt:Text", tmp_path)
    pdf = pypdf.PdfReader(tmp_path / "tracked.pdf")
    notes = [a.get_object().get("/Contents") for page in pdf.pages
             for a in (page.get("/Annots") or []) if a.get_object().get("/Subtype") == "/Text"]
    ours = [n for n in notes if str(n).startswith(("Warning", "Error", "Suggestion", "In the"))]
    assert len(ours) == len(report.findings) and len(notes) == len(ours) + 1  # + their own
    assert any("Why:" in n and "Source:" in n for n in notes)
    text = (tmp_path / "tracked.txt").read_text(encoding="utf-8-sig")
    # shown with changes: the deleted word and its replacement, side by side
    assert "Our rigorouschallenging curriculum" in text
    assert "Teachers leverage relationships with" in text  # advice only: text untouched
    assert "A photo of the science fair." in text and "Families rigorouslywarmly" in text


def test_an_exported_draft_shows_real_headings_and_numbered_sources(
        office: Any, toolkit: Toolkit, tmp_path: Path) -> None:
    from messaging import drafting

    data = drafting.example_data(toolkit, "press-release")
    path = tmp_path / "release.docx"
    path.write_bytes(drafting.render(toolkit, "press-release", data, "docx").content)
    office([path], "txt:Text", tmp_path)
    office([path], "odt", tmp_path)
    text = (tmp_path / "release.txt").read_text(encoding="utf-8-sig")
    first_source = next(line for line in text.splitlines() if "Bowen" in line)
    assert first_source.strip().startswith("1. ")  # numbered by Word, not typed
    content = zipfile.ZipFile(tmp_path / "release.odt").read("content.xml").decode()
    assert re.search(r'<text:h [^>]*text:outline-level="2"[^>]*>Sources</text:h>', content)
    assert re.search(r'<text:h [^>]*text:outline-level="2"[^>]*>By the numbers</text:h>',
                     content)


def test_right_to_left_text_stays_right_to_left_in_the_office_suite(
        office: Any, tmp_path: Path) -> None:
    """A newsletter paragraph written in Arabic or Hebrew reads right to left when opened:
    LibreOffice gives it a right-to-left paragraph style; English paragraphs stay left to
    right."""
    from messaging.docx_writer import markdown_to_docx

    markdown = ("# Family update\n\nReport cards now show each skill.\n\n"
                "بطاقات التقارير تعرض الآن كل مهارة.\n\n"
                "| Language | Note |\n| --- | --- |\n| עברית | כרטיס הציונים החדש |\n")
    path = tmp_path / "letter.docx"
    path.write_bytes(markdown_to_docx(markdown, title="Family update"))
    office([path], "odt", tmp_path)
    content = zipfile.ZipFile(tmp_path / "letter.odt").read("content.xml").decode()
    right_styles = set(re.findall(
        r'<style:style style:name="([^"]+)"[^>]*>(?:(?!</style:style>).)*'
        r'style:writing-mode="rl-tb"', content, re.S))

    def style_of(words: str) -> str:
        match = re.search(r'<text:p text:style-name="([^"]+)"[^>]*>(?:<[^>]+>)*'
                          + re.escape(words), content)
        assert match, words
        return match.group(1)

    assert style_of("بطاقات التقارير") in right_styles
    assert style_of("כרטיס הציונים") in right_styles
    assert style_of("Report cards now show") not in right_styles
