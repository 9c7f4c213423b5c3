"""``mastery check FILE.docx``: check a Word document and optionally write it back annotated.

Called from :mod:`bot.cli.check_cmd` for files that are Word documents (by name or by
their first bytes). Findings are located by paragraph: in the text output
``FILE.docx:12:5`` is paragraph 12, character 5 (headers, footers, footnotes and table
cells say so); in JSON every finding has a ``location``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from messaging.checker import Checker
    from messaging.docx_reader import DocxReport


def is_word(name: str) -> bool:
    """Whether FILE should be read as a Word document (its name, else its first bytes)."""
    if name == "-":
        return False
    from messaging.docx_reader import looks_like_word

    try:
        with open(name, "rb") as handle:
            head = handle.read(8)
    except OSError:
        head = b""
    return looks_like_word(name, head)


def read_word(name: str) -> bytes:
    """The bytes of FILE, or the CLI's InputProblem with a plain reason."""
    from bot.cli.check_cmd import read_file
    from messaging.docx_reader import MAX_DOCX_BYTES

    return read_file(name, MAX_DOCX_BYTES)


def check_word(name: str, checker: Checker, audience: str | None,
               annotate: Path | None = None, track_changes: bool = False) -> DocxReport:
    """Check a Word file; write the annotated copy when asked. InputProblem when unreadable."""
    from bot.cli.check_cmd import InputProblem
    from messaging.docx_reader import DocxProblem, check_docx

    data = read_word(name)
    try:
        report = check_docx(checker, data, audience=audience)
        annotated = None
        if annotate is not None:
            from messaging.docx_annotate import annotate as write_back

            annotated = write_back(report, track_changes=track_changes)
    except DocxProblem as exc:
        raise InputProblem(str(exc)) from None
    if annotate is not None and annotated is not None:
        from bot.cli.draft_cmd import _write_atomic  # the CLI's one safe writer

        _write_atomic(annotate, annotated, overwrite=True)
    return report


def render(file: str, report: DocxReport) -> list[str]:
    """Compiler-style lines: ``FILE:PARAGRAPH:CHARACTER`` (where it is not the body: said)."""
    from dataclasses import replace

    from bot.cli.check_cmd import render_text
    from messaging.checker import Report

    out: list[str] = []
    for found in report.flags:
        unit = found.unit
        # where it is, beyond the paragraph number: a table cell, a text box, a header …
        extras = []
        if unit.where != "body":
            extras.append(unit.where)
        if unit.table:
            extras.append("table {}, row {}, cell {}".format(*unit.table))
        if unit.text_box:
            extras.append("text box")
        where = f" ({'; '.join(extras)})" if extras else ""
        one = Report([found.flag], None, report.report.audience)
        out.extend(render_text(f"{file}{where}", unit.text, one, show_readability=False))
    summary = replace(report.report, flags=[])
    out.extend(render_text(file, "", summary))
    return out


def is_word_bytes(head: bytes) -> bool:
    """Whether bytes begin like a Word file (a .docx package or an old .doc)."""
    from messaging.docx_reader import OLE_MAGIC, ZIP_MAGIC

    return head.startswith(ZIP_MAGIC) or head[:8] == OLE_MAGIC


def check_options(files: tuple[str, ...], annotate: Path | None, track_changes: bool) -> None:
    """Usage errors of --annotate / --track-changes (exit 2 before anything is read)."""
    from bot.cli.common import fail

    if track_changes and annotate is None:
        fail("--track-changes needs --annotate OUT.docx (the copy to write the changes to)")
    if annotate is None:
        return
    if len(files) != 1 or not is_word(files[0]):
        fail("--annotate works on one Word file: mastery check FILE.docx --annotate OUT.docx")
    if str(annotate) == "-" or annotate.suffix.lower() != ".docx":
        # a Word file under another name would not open (a .txt that is really a .docx)
        fail(f"--annotate writes a Word file: name it .docx, e.g. --annotate "
             f"{annotate.with_suffix('.docx').name if str(annotate) != '-' else 'OUT.docx'}")
    try:
        same = Path(files[0]).resolve() == annotate.resolve()
    except OSError:
        same = False
    if same:
        fail("--annotate would overwrite the file being checked; give another name "
             "(the original is never changed)")
