"""Read the text of a Word document (.docx) safely, paragraph by paragraph.

:func:`open_docx` checks the bytes before anything is inflated — the file's magic
(old binary Word, a password-protected file, a PDF…), the zip directory (entry count,
uncompressed sizes: a zip bomb is refused unread), the package's content types (an
Excel workbook renamed .docx, a macro-enabled .docm) — and raises :class:`DocxProblem`
with a message written for the author. Nothing in the file is ever run: macros are
refused, fields are read as their last shown result, external links are not followed,
and XML entities are not expanded.

:func:`read_units` returns the document's text as :class:`Unit` s, one per paragraph,
in reading order: the body (headings, lists, table cells, text boxes), then the headers
and footers, then footnotes and endnotes. Comments are notes *about* the text and are
not checked; deleted text (tracked deletions) and field codes are not read; tracked
insertions are read as part of the text (the document as it would be if every change
were accepted). Each unit knows the XML nodes its characters come from, so a finding
can be located — and annotated — exactly.

:func:`check_docx` joins the units with blank lines (each paragraph, heading and table
cell ends a sentence), checks them with a :class:`~messaging.checker.Checker` and maps
every finding back to its paragraph.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from lxml import etree

from messaging.checker import Suggestion

if TYPE_CHECKING:
    from messaging.checker import Checker, Flag, Report

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_STRICT_NS = "http://purl.oclc.org/ooxml/wordprocessingml/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
XML_NS = "http://www.w3.org/XML/1998/namespace"
REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MAIN_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
}
MACRO_TYPES = {
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
}
OTHER_OFFICE = (
    ("spreadsheetml", "an Excel workbook (.xlsx)"),
    ("ms-excel", "an Excel workbook"),
    ("presentationml", "a PowerPoint presentation (.pptx)"),
    ("ms-powerpoint", "a PowerPoint presentation"),
    ("visio", "a Visio drawing"),
)

#: A newsletter with photos is a few megabytes; larger files are refused unread.
MAX_DOCX_BYTES = 25_000_000
#: Real documents hold tens of parts (hundreds with many images).
MAX_ENTRIES = 2_000
#: Everything in the package, inflated (images included).
MAX_TOTAL_UNCOMPRESSED = 200_000_000
#: One XML part we parse (a 300-page document.xml is ~30 MB).
MAX_XML_PART = 60_000_000
#: Deflate reaches ~1000:1 on degenerate data; XML rarely passes 100:1.
MAX_RATIO = 400

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


class DocxProblem(Exception):
    """A file that cannot be read as a Word document; the message says why, plainly.

    ``kind``: ``unsupported`` (not a .docx: .doc, encrypted, macros, a workbook…),
    ``too_large`` (over a size limit, a zip bomb), ``damaged`` or ``empty`` (no text).
    """

    def __init__(self, message: str, kind: str = "damaged") -> None:
        super().__init__(message)
        self.kind = kind


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


# ------------------------------------------------------------------ the package
def _parser() -> etree.XMLParser:
    # no entity expansion, no network, no DTD loading; lxml's default tree limits stay on
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=False, remove_blank_text=False)


def sniff(data: bytes) -> str:
    """What the first bytes say the file is: 'zip', 'ole', or a short description."""
    head = data[:8]
    if head.startswith(ZIP_MAGIC) or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head == OLE_MAGIC:
        return "ole"
    if head.startswith(b"%PDF"):
        return "a PDF file"
    if head.startswith(b"{\\rtf"):
        return "a Rich Text (.rtf) file"
    return "not a Word document"


def looks_like_word(name: str, head: bytes) -> bool:
    """Whether a file named ``name`` starting with ``head`` should be read as Word."""
    suffix = posixpath.splitext(name.lower())[1]
    if suffix in (".docx", ".docm", ".dotx", ".dotm", ".doc", ".dot"):
        return True
    return head[:8] == OLE_MAGIC or head.startswith(ZIP_MAGIC)


def _ole_problem(data: bytes) -> DocxProblem:
    if "EncryptedPackage".encode("utf-16-le") in data or b"EncryptionInfo" in data:
        return DocxProblem(
            "the document is password-protected (encrypted); remove the password in Word "
            "(File > Info > Protect Document > Encrypt with Password, clear it), save, "
            "and try again",
            kind="unsupported",
        )
    if "WordDocument".encode("utf-16-le") in data:
        return DocxProblem(
            "this is an old Word 97-2003 document (.doc); open it in Word and use "
            "File > Save As > Word Document (.docx), then try again",
            kind="unsupported",
        )
    return DocxProblem(
        "this is an old binary Office file (not a .docx); save it as a Word Document "
        "(.docx) and try again",
        kind="unsupported",
    )


@dataclass
class Package:
    """An opened .docx: its zip, content types and main parts (nothing executed)."""

    zip: zipfile.ZipFile
    main: str  # e.g. "word/document.xml"
    content_types: etree._Element
    #: part -> its relationships (id, type, target)
    rels: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)

    def read(self, name: str) -> bytes:
        try:
            info = self.zip.getinfo(name)
        except KeyError:
            raise DocxProblem(f"the document is damaged: the part {name} is missing") from None
        if info.file_size > MAX_XML_PART:
            raise DocxProblem(
                f"the document is too large to check (one part expands to "
                f"{info.file_size // 1_000_000} MB)",
                kind="too_large",
            )
        return self.read_info(info)

    def read_info(self, info: zipfile.ZipInfo) -> bytes:
        """One part's bytes, or :class:`DocxProblem` (a bad CRC, a broken stream…)."""
        name = info.filename
        try:
            return self.zip.read(info)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError,
                NotImplementedError) as exc:
            raise DocxProblem(
                f"the document is damaged or incomplete (part {name} cannot be read: {exc})"
            ) from None
        except Exception as exc:  # zlib.error and friends
            raise DocxProblem(
                f"the document is damaged or incomplete (part {name}: {exc})"
            ) from None

    def xml(self, name: str) -> etree._Element:
        data = self.read(name)
        try:
            return etree.fromstring(data, _parser())
        except etree.XMLSyntaxError as exc:
            raise DocxProblem(
                f"the document is damaged: {name} is not valid XML ({exc.msg})"
            ) from None

    def has(self, name: str) -> bool:
        try:
            self.zip.getinfo(name)
        except KeyError:
            return False
        return True

    def relationships(self, part: str) -> list[tuple[str, str, str]]:
        """(id, type, resolved target) of ``part``'s internal relationships."""
        if part in self.rels:
            return self.rels[part]
        folder, name = posixpath.split(part)
        rels_name = posixpath.join(folder, "_rels", name + ".rels")
        found: list[tuple[str, str, str]] = []
        if self.has(rels_name):
            root = self.xml(rels_name)
            for rel in root:
                if rel.get("TargetMode") == "External":
                    continue
                target = rel.get("Target") or ""
                if target.startswith("/"):
                    resolved = target.lstrip("/")
                else:
                    resolved = posixpath.normpath(posixpath.join(folder, target))
                found.append((rel.get("Id") or "", rel.get("Type") or "", resolved))
        self.rels[part] = found
        return found

    def parts_of(self, part: str, kind: str) -> list[str]:
        return [t for _i, typ, t in self.relationships(part)
                if typ.rsplit("/", 1)[-1] == kind and self.has(t)]


def open_docx(data: bytes) -> Package:
    """The package in ``data``, or :class:`DocxProblem` saying plainly what is wrong."""
    if len(data) > MAX_DOCX_BYTES:
        raise DocxProblem(
            f"the file is too large ({len(data) / 1_000_000:.1f} MB); documents up to "
            f"{MAX_DOCX_BYTES // 1_000_000} MB can be checked (compress or remove large "
            "pictures, or check the text alone)",
            kind="too_large",
        )
    if not data:
        raise DocxProblem("the file is empty", kind="empty")
    kind = sniff(data)
    if kind == "ole":
        raise _ole_problem(data)
    if kind != "zip":
        raise DocxProblem(f"this is {kind}, not a Word document (.docx)"
                          if kind.startswith("a ") else
                          "this is not a Word document (.docx); open it in Word and save it "
                          "as a .docx, or paste its text",
                          kind="unsupported")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
            NotImplementedError) as exc:
        raise DocxProblem(
            f"the document is damaged or incomplete (truncated?): {exc}; open it in Word, "
            "save it again and retry"
        ) from None
    if len(infos) > MAX_ENTRIES:
        raise DocxProblem(
            f"the file holds {len(infos)} parts; a Word document has far fewer "
            "(refused unread: it looks like a zip bomb)",
            kind="too_large",
        )
    total = 0
    for info in infos:
        total += info.file_size
        if info.flag_bits & 0x1:
            raise DocxProblem("the document is password-protected (encrypted zip); "
                              "save it without a password and try again", kind="unsupported")
        if info.file_size > 1_000_000 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise DocxProblem(
                f"the file's part {info.filename} would expand {info.file_size // 1_000_000} MB "
                "from almost nothing (refused unread: it looks like a zip bomb)",
                kind="too_large",
            )
    if total > MAX_TOTAL_UNCOMPRESSED:
        raise DocxProblem(
            f"the file would expand to {total // 1_000_000} MB (refused unread: a Word "
            f"document of this size cannot be checked)",
            kind="too_large",
        )
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names:
        if "mimetype" in names or "content.xml" in names:
            raise DocxProblem("this is an OpenDocument file (.odt), not a Word document; "
                              "save it as Word Document (.docx) and try again", kind="unsupported")
        raise DocxProblem("this is a zip file but not a Word document (.docx)", kind="unsupported")
    pkg = Package(zip=archive, main="", content_types=etree.Element("x"))
    pkg.content_types = pkg.xml("[Content_Types].xml")
    overrides = {
        (o.get("PartName") or "").lstrip("/"): (o.get("ContentType") or "")
        for o in pkg.content_types if o.tag == f"{{{CT_NS}}}Override"
    }
    types = set(overrides.values())
    if types & MACRO_TYPES or "word/vbaProject.bin" in names:
        raise DocxProblem(
            "this is a macro-enabled Word document (.docm); macros are never run here — "
            "save a copy as Word Document (.docx) and check that",
            kind="unsupported",
        )
    main = next((name for name, ct in overrides.items() if ct in MAIN_TYPES), "")
    if not main:
        for needle, what in OTHER_OFFICE:
            if any(needle in ct for ct in types):
                raise DocxProblem(f"this is {what}, not a Word document", kind="unsupported")
        raise DocxProblem("this is a zip package but not a Word document (.docx): "
                          "it has no main document part", kind="unsupported")
    pkg.main = main
    return pkg


# ------------------------------------------------------------------ text units
@dataclass
class Segment:
    """Characters ``start``..``end`` of a unit's text, from one node of one run."""

    start: int
    end: int
    node: Any  # a w:t (split-able), or w:tab / w:br / w:noBreakHyphen … (one character)
    run: Any  # its w:r
    field: bool = False  # the shown result of a field (Word may regenerate it)


@dataclass
class Unit:
    """One paragraph's text and where it is."""

    part: str  # package part name, e.g. word/document.xml
    where: str  # body | header | footer | footnote | endnote
    index: int  # 1-based paragraph number within ``where`` (every paragraph counts)
    p: Any  # the w:p element
    text: str
    segments: list[Segment]
    table: tuple[int, int, int] | None = None  # (table, row, cell), 1-based
    style: str | None = None
    heading: bool = False
    section: str | None = None  # the text of the nearest heading above (body only)
    text_box: bool = False  # in a text box (a sidebar or call-out), not the running text

    def location(self, start: int, end: int) -> dict[str, Any]:
        table, row, cell = self.table or (None, None, None)
        return {
            "part": self.where,
            "paragraph": self.index,
            "table": table,
            "row": row,
            "cell": cell,
            "style": self.style,
            "heading": self.heading,
            "section": self.section,
            "text_box": self.text_box,
            "start": start,
            "end": end,
            "excerpt": excerpt(self.text, start, end),
        }

    def describe(self) -> str:
        """'paragraph 12', 'header paragraph 1', 'paragraph 30 (table 1, row 2, cell 3)'."""
        head = f"paragraph {self.index}" if self.where == "body" else \
            f"{self.where} paragraph {self.index}"
        if self.table:
            head += " (table {}, row {}, cell {})".format(*self.table)
        if self.text_box:
            head += " (text box)"
        return head


def excerpt(text: str, start: int, end: int, width: int = 80) -> str:
    """A short excerpt of ``text`` around ``start``..``end`` (on one line)."""
    flat = " ".join(text.split()) if len(text) <= width else None
    if flat is not None:
        return flat
    left = max(0, start - 25)
    right = max(min(len(text), left + width), min(len(text), end))
    right = min(right, left + max(width, end - start + 10), len(text))
    shown = " ".join(text[left:right].split())
    return ("…" if left else "") + shown + ("…" if right < len(text) else "")


_CHAR_NODES = {
    w("tab"): "\t",
    w("ptab"): "\t",
    w("br"): "\n",
    w("cr"): "\n",
    w("noBreakHyphen"): "-",
}
#: subtrees never read as text of the paragraph they sit in
_SKIP = {
    w("pPr"), w("rPr"), w("del"), w("moveFrom"), w("instrText"), w("delText"),
    w("delInstrText"), w("footnoteReference"), w("endnoteReference"), w("commentReference"),
    w("annotationRef"), w("sectPr"), w("tblPr"), w("trPr"), w("tcPr"), w("tblGrid"),
    w("sdtPr"), w("sdtEndPr"), w("rubyPr"), w("rt"), f"{{{MC_NS}}}Fallback",
    w("fldData"), w("object"),
}


class _Reader:
    def __init__(self, pkg: Package, styles: dict[str, tuple[str, bool]]) -> None:
        self.pkg = pkg
        self.styles = styles
        self.units: list[Unit] = []
        self.counts: dict[str, int] = {}
        self.tables = 0
        self.section: str | None = None
        self.boxes = 0  # text boxes open around the paragraph being read

    # blocks: body, cells, text boxes, content controls, notes
    def blocks(self, parent: Any, part: str, where: str,
               table: tuple[int, int, int] | None) -> None:
        for child in parent:
            tag = child.tag
            if tag == w("p"):
                self.paragraph(child, part, where, table)
            elif tag == w("tbl"):
                self.tables += 1
                number = self.tables
                for r, tr in enumerate(child.iterchildren(w("tr")), 1):
                    cells = [c for c in tr.iter(w("tc")) if _owner_row(c) is tr]
                    for c, tc in enumerate(cells, 1):
                        self.blocks(tc, part, where, (number, r, c))
            elif isinstance(tag, str) and tag not in _SKIP:
                self.blocks(child, part, where, table)

    def paragraph(self, p: Any, part: str, where: str,
                  table: tuple[int, int, int] | None) -> None:
        self.counts[where] = index = self.counts.get(where, 0) + 1
        pieces: list[str] = []
        segments: list[Segment] = []
        nested: list[Any] = []
        pos = 0
        fields = 0  # complex fields open (begin … end) around the current position
        stack: list[Iterator[Any]] = [iter(p)]
        while stack:
            child = next(stack[-1], None)
            if child is None:
                stack.pop()
                continue
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag == w("t"):
                text = child.text or ""
                if text:
                    segments.append(Segment(pos, pos + len(text), child, child.getparent(),
                                            fields > 0))
                    pieces.append(text)
                    pos += len(text)
            elif tag in _CHAR_NODES:
                ch = _CHAR_NODES[tag]
                if tag == w("br") and child.get(w("type")) in ("page", "column"):
                    ch = "\n"
                segments.append(Segment(pos, pos + 1, child, child.getparent(), fields > 0))
                pieces.append(ch)
                pos += 1
            elif tag == w("fldChar"):
                kind = child.get(w("fldCharType"))
                fields = fields + 1 if kind == "begin" else max(0, fields - (kind == "end"))
            elif tag == w("txbxContent"):
                nested.append(child)
            elif len(child):
                stack.append(iter(child))
        style_id = None
        heading = False
        ppr = p.find(w("pPr"))
        if ppr is not None:
            ps = ppr.find(w("pStyle"))
            if ps is not None:
                style_id = ps.get(w("val"))
            heading = ppr.find(w("outlineLvl")) is not None
        name, styled_heading = self.styles.get(style_id or "", (style_id, False))
        text = "".join(pieces)
        heading = heading or styled_heading
        if heading and where == "body" and text.strip():
            self.section = " ".join(text.split())
        self.units.append(Unit(part, where, index, p, text, segments, table, name, heading,
                               self.section if where == "body" else None, self.boxes > 0))
        for box in nested:
            self.boxes += 1
            self.blocks(box, part, where, table)
            self.boxes -= 1


def _owner_row(tc: Any) -> Any:
    parent = tc.getparent()
    while parent is not None and parent.tag != w("tr"):
        parent = parent.getparent()
    return parent


def _styles(pkg: Package) -> dict[str, tuple[str, bool]]:
    """style id -> (name, is a heading) from styles.xml (if any)."""
    found: dict[str, tuple[str, bool]] = {}
    for name in pkg.parts_of(pkg.main, "styles"):
        root = pkg.xml(name)
        for style in root.iterchildren(w("style")):
            sid = style.get(w("styleId")) or ""
            label = style.find(w("name"))
            shown = label.get(w("val")) if label is not None else sid
            low = (shown or "").lower()
            ppr = style.find(w("pPr"))
            outline = ppr is not None and ppr.find(w("outlineLvl")) is not None
            shown = (shown or sid)[:1].upper() + (shown or sid)[1:]  # heading 1 -> Heading 1
            found[sid] = (shown, outline or low.startswith("heading")
                          or low in ("title", "subtitle"))
    return found


@dataclass
class Document:
    """A .docx opened for checking: its package, parsed parts and text units."""

    package: Package
    parts: dict[str, Any]  # part name -> parsed root (the parts the units come from)
    units: list[Unit]
    data: bytes = b""
    #: the parsed parts were changed (by an annotation): read ``data`` again to reuse
    spent: bool = False

    @property
    def text_units(self) -> list[Unit]:
        """The units to check: not empty, and not a table of contents' entries (each repeats
        a heading that is checked where it stands)."""
        return [u for u in self.units if u.text.strip() and not _TOC_STYLE.match(u.style or "")]


#: Word's table-of-contents paragraph styles ("TOC 1" … "TOC 9", "TOC Heading")
_TOC_STYLE = re.compile(r"(?i)toc(?: \d| heading)\Z")


def _natural(name: str) -> tuple[Any, ...]:
    return tuple(int(x) if x.isdigit() else x for x in re.split(r"(\d+)", name))


def read_document(data: bytes) -> Document:
    """Open ``data`` and read its text units (raises :class:`DocxProblem`)."""
    pkg = open_docx(data)
    root = pkg.xml(pkg.main)
    if root.tag == f"{{{W_STRICT_NS}}}document":
        raise DocxProblem("the document is saved as Strict Open XML; save it as a Word "
                          "Document (.docx) and try again", kind="unsupported")
    if root.tag != w("document"):
        raise DocxProblem("the document is damaged: its main part is not a Word document")
    reader = _Reader(pkg, _styles(pkg))
    parts = {pkg.main: root}
    body = root.find(w("body"))
    if body is not None:
        reader.blocks(body, pkg.main, "body", None)
    for kind in ("header", "footer"):
        for name in sorted(pkg.parts_of(pkg.main, kind), key=_natural):
            part_root = parts[name] = pkg.xml(name)
            reader.blocks(part_root, name, kind, None)
    for kind, tag in (("footnotes", "footnote"), ("endnotes", "endnote")):
        for name in pkg.parts_of(pkg.main, kind):
            part_root = parts[name] = pkg.xml(name)
            for note in part_root.iterchildren(w(tag)):
                if note.get(w("type")) in ("separator", "continuationSeparator",
                                           "continuationNotice"):
                    continue
                reader.blocks(note, name, tag, None)
    return Document(pkg, parts, reader.units, data)


# ------------------------------------------------------------------ checking
#: what separates two units in the text given to the checker (a paragraph break)
SEPARATOR = "\n\n"


@dataclass(frozen=True)
class Located:
    """A finding in a document: the flag (offsets into its paragraph's text) and where."""

    flag: Flag
    unit: Unit

    @property
    def severity(self) -> str:
        return self.flag.severity

    @property
    def quoted(self) -> bool:
        return self.flag.quoted

    @property
    def rule(self) -> str:
        return self.flag.rule

    def to_dict(self) -> dict[str, Any]:
        data = self.flag.to_dict()
        data["location"] = self.unit.location(self.flag.start, self.flag.end)
        return data


@dataclass
class DocxReport:
    """The checker's report on a document, each finding mapped to its paragraph."""

    document: Document
    report: Report  # offsets into the joined text
    findings: list[Located]

    @property
    def flags(self) -> list[Located]:
        return self.findings

    @property
    def counted(self) -> list[Located]:
        return [f for f in self.findings if not f.quoted]

    @property
    def readability(self) -> Any:
        return self.report.readability

    @property
    def worst_severity(self) -> str | None:
        return self.report.worst_severity

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(("error", "warning", "suggestion", "quoted"), 0)
        for found in self.findings:
            counts["quoted" if found.quoted else found.severity] += 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        data = self.report.to_dict()
        data["counts"] = self.counts()
        data["flags"] = [f.to_dict() for f in self.findings if not f.quoted]
        data["quoted"] = [f.to_dict() for f in self.findings if f.quoted]
        data["paragraphs"] = len([u for u in self.document.units if u.where == "body"])
        return data


def _in_link(unit: Unit, start: int, end: int) -> bool:
    """Whether characters ``start``..``end`` of ``unit`` are a hyperlink's text (a
    w:hyperlink around the run, or the shown result of a field such as HYPERLINK)."""
    for segment in unit.segments:
        if segment.start < end and start < segment.end:
            parent = segment.run.getparent() if segment.run is not None else None
            if segment.field or (parent is not None and parent.tag == w("hyperlink")):
                return True
    return False


def check_docx(checker: Checker, data: bytes | Document, audience: str | None = None
               ) -> DocxReport:
    """Check a Word document's text; raises :class:`DocxProblem` for a file that is not one.

    Each finding's ``start``/``end`` are offsets into its paragraph's text, ``line`` is
    the paragraph number and ``column`` the 1-based character in it.
    """
    document = data if isinstance(data, Document) else read_document(data)
    units = document.text_units
    if not units:
        raise DocxProblem("the document has no text to check", kind="empty")
    starts: list[int] = []
    pieces: list[str] = []
    pos = 0
    for unit in units:
        starts.append(pos)
        pieces.append(unit.text)
        pos += len(unit.text) + len(SEPARATOR)
    joined = SEPARATOR.join(pieces)
    report = checker.check(joined, audience=audience, markup="text")
    located: list[Located] = []
    for flag in report.flags:
        k = bisect_right(starts, flag.start) - 1
        unit = units[k]
        start = flag.start - starts[k]
        end = min(flag.end - starts[k], len(unit.text))
        if end <= start:
            continue
        moved = replace(flag, start=start, end=end, line=unit.index, column=start + 1,
                        text=unit.text[start:end])
        if moved.suggestions and (unit.heading or _in_link(unit, start, end)):
            # a heading or a link's text: a replacement would not fit, so it is advice (as
            # in Markdown and HTML), and --fix / tracked changes leave it alone
            moved = replace(moved, suggestions=tuple(
                Suggestion(str(s), "advice") for s in moved.suggestions))
        located.append(Located(moved, unit))
    return DocxReport(document, report, located)


__all__ = [
    "DOCX_MEDIA_TYPE",
    "DocxProblem",
    "DocxReport",
    "Document",
    "Located",
    "Package",
    "Segment",
    "Unit",
    "W_NS",
    "XML_NS",
    "check_docx",
    "looks_like_word",
    "open_docx",
    "read_document",
]
