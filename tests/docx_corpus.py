"""Real-shaped Word documents made by the tests (python-docx plus hand-written WordprocessingML).

Each builder returns .docx bytes. Together they cover what documents people send contain:
styles and headings, lists, tables (merged cells, nested), headers and footers, footnotes,
pictures, existing comments, tracked changes by another author, fields (page numbers,
dates), hyperlinks, text boxes and text split across many differently formatted runs.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterable

import docx
from docx.oxml import parse_xml
from docx.shared import Inches, Pt, RGBColor

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def png(width: int = 4, height: int = 3) -> bytes:
    """A tiny valid PNG (solid colour) made here, so no image file is needed."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
    rows = b"".join(b"\x00" + b"\x20\x80\xc0" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                             0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def save(document: docx.document.Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def from_paragraphs(paragraphs: Iterable[str]) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    return save(document)


def add_runs(paragraph: docx.text.paragraph.Paragraph, pieces: Iterable[str]) -> None:
    """Add ``pieces`` as runs with varied formatting (bold, italic, colour, size)."""
    for n, piece in enumerate(pieces):
        run = paragraph.add_run(piece)
        run.bold = n % 3 == 1 or None
        run.italic = n % 4 == 2 or None
        if n % 5 == 3:
            run.font.color.rgb = RGBColor(0xC0, 0x20, 0x20)
        if n % 2:
            run.font.size = Pt(11 + n % 3)


def split_in_runs(text: str, size: int = 3) -> list[str]:
    return [text[i:i + size] for i in range(0, len(text), size)]


def inject(paragraph: docx.text.paragraph.Paragraph, xml: str) -> None:
    """Append raw run-level XML to a paragraph (declares w: and r:)."""
    holder = parse_xml(f"<w:p {W} {R}>{xml}</w:p>")
    for child in list(holder):
        paragraph._p.append(child)


def rich_document() -> bytes:
    """A newsletter-shaped document with every feature the reader must handle."""
    document = docx.Document()
    document.core_properties.author = "District office"
    section = document.sections[0]
    section.header.paragraphs[0].text = "Lincoln Unified \u2014 rigorous news for families"
    footer = section.footer.paragraphs[0]
    footer.add_run("Page ")
    inject(footer, '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                   '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
                   '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>'
                   '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    document.add_heading("Rigorous learning, explained", 0)
    document.add_heading("What changes this fall", 1)
    intro = document.add_paragraph()
    add_runs(intro, ["Our ", "rig", "or", "ous", " curriculum prepares students for what "
                     "comes next."])
    document.add_paragraph("Students show what they know before they move on.",
                           style="List Bullet")
    document.add_paragraph("Mastery-based learning reorganizes time around each student.",
                           style="List Number")
    picture = document.add_paragraph()
    picture.add_run().add_picture(io.BytesIO(png()), width=Inches(1))
    picture.add_run(" A photo of the science fair.")
    table = document.add_table(rows=2, cols=3)
    table.style = "Table Grid"
    table.cell(0, 0).text = "Rigorous work"
    table.cell(0, 1).text = "Teachers leverage relationships with students to raise achievement"
    table.cell(0, 2).text = "Plain cell"
    merged = table.cell(1, 0).merge(table.cell(1, 1))
    merged.text = "A merged cell about rigor"
    inner = table.cell(1, 2).add_table(rows=1, cols=1)
    inner.cell(0, 0).text = "Nested: schools use it in different ways and to different degrees"
    linked = document.add_paragraph("Read more on ")
    inject(linked, '<w:hyperlink r:id="rIdX" w:history="1"><w:r><w:rPr><w:rStyle '
                   'w:val="Hyperlink"/></w:rPr><w:t xml:space="preserve">our rigorous '
                   '</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>page</w:t></w:r></w:hyperlink>'
                   '<w:r><w:t>.</w:t></w:r>')
    document.part.rels.get_or_add_ext_rel(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink",
        "https://example.org/news")
    rid = next(r for r, rel in document.part.rels.items() if rel.is_external)
    linked._p.xpath(".//w:hyperlink")[0].set(
        "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id", rid)
    tracked = document.add_paragraph("Families ")
    inject(tracked, '<w:del w:id="901" w:author="Editor" w:date="2024-05-01T10:00:00Z"><w:r>'
                    '<w:delText>rigorously </w:delText></w:r></w:del>'
                    '<w:ins w:id="902" w:author="Editor" w:date="2024-05-01T10:00:00Z"><w:r>'
                    '<w:t xml:space="preserve">warmly </w:t></w:r></w:ins>'
                    '<w:r><w:t>welcome the change.</w:t></w:r>')
    commented = document.add_paragraph("The board voted on the plan in May.")
    document.add_comment(commented.runs, text="Check the date", author="Principal",
                         initials="PR")
    dated = document.add_paragraph("Updated ")
    inject(dated, '<w:fldSimple w:instr=" DATE \\@ &quot;MMMM d&quot; "><w:r><w:t>May 1'
                  '</w:t></w:r></w:fldSimple><w:r><w:t xml:space="preserve">; a rigorous '
                  'course</w:t></w:r>')
    boxed = document.add_paragraph("Before the box.")
    inject(boxed, '<w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml" '
                  'style="width:200pt;height:40pt"><v:textbox><w:txbxContent><w:p><w:r><w:t>'
                  'A rigorous text box</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape>'
                  '</w:pict></w:r>')
    long_runs = document.add_paragraph()
    add_runs(long_runs, split_in_runs("We will reorganize class time so students can get "
                                      "help, and every lesson stays rigorous.", 2))
    document.add_paragraph("Questions? Call the main office.", style="Quote")
    return save(document)


def with_footnote(data: bytes, text: str) -> bytes:
    """Add a footnotes part holding one footnote with ``text`` (referenced from the body)."""
    fn_xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes {W}>'
              '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
              '</w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
              '<w:continuationSeparator/></w:r></w:p></w:footnote>'
              f'<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space='
              f'"preserve"> {text}</w:t></w:r></w:p></w:footnote></w:footnotes>')
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "[Content_Types].xml":
                body = body.replace(b"</Types>", b'<Override PartName="/word/footnotes.xml" '
                                    b'ContentType="application/vnd.openxmlformats-'
                                    b'officedocument.wordprocessingml.footnotes+xml"/></Types>')
            elif info.filename == "word/_rels/document.xml.rels":
                body = body.replace(b"</Relationships>", b'<Relationship Id="rIdFn1" Type="'
                                    b'http://schemas.openxmlformats.org/officeDocument/2006/'
                                    b'relationships/footnotes" Target="footnotes.xml"/>'
                                    b"</Relationships>")
            elif info.filename == "word/document.xml":
                body = body.replace(b"</w:p>", b'<w:r><w:rPr><w:vertAlign w:val="superscript"'
                                    b'/></w:rPr><w:footnoteReference w:id="1"/></w:r></w:p>', 1)
            dst.writestr(info, body)
        dst.writestr("word/footnotes.xml", fn_xml)
    return out.getvalue()


def replace_part(data: bytes, name: str, body: bytes | None) -> bytes:
    """A copy of the package with part ``name`` replaced (None: removed)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename == name:
                if body is not None:
                    dst.writestr(info, body)
                continue
            dst.writestr(info, src.read(info))
        if name not in src.namelist() and body is not None:
            dst.writestr(name, body)
    return out.getvalue()


def parts(data: bytes) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {name: archive.read(name) for name in archive.namelist()}
