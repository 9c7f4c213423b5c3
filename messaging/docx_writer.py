"""Markdown -> HTML body and Markdown -> Word (.docx), from one parse.

The Markdown comes from a toolkit template whose values were escaped, so the
structure (headings, lists, tables) is the template's and the text is the
user's, exactly as typed. python-docx writes text as XML text nodes, so
``Lincoln & Jefferson <K-8>`` reaches Word unchanged.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

#: tables with at least this many columns get a landscape page in Word
WIDE_TABLE_COLUMNS = 6
#: the children of w:pPr that must come after w:bidi (the schema's order)
_AFTER_BIDI = (
    "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
    "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
    "w:pPrChange",
)


def right_to_left(text: str) -> bool:
    """True when the first letter with a strong direction in ``text`` is written right to
    left (Arabic, Hebrew, Persian, Urdu…): how Word and browsers choose a paragraph's
    direction (Unicode's first-strong rule)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def _mark_right_to_left(paragraph: Any) -> None:
    """Make a paragraph whose text is right to left read so in Word: w:bidi on the
    paragraph (it starts at the right margin, punctuation on the correct side) and w:rtl
    on its runs of right-to-left text."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    p_pr = paragraph._p.get_or_add_pPr()
    if p_pr.find(qn("w:bidi")) is None:
        p_pr.insert_element_before(OxmlElement("w:bidi"), *_AFTER_BIDI)
    for run in paragraph.runs:
        if any(unicodedata.bidirectional(c) in ("R", "AL") for c in run.text):
            run.font.rtl = True


def md_parser() -> MarkdownIt:
    """CommonMark with tables; raw HTML off (``<script>`` is shown as text)."""
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


#: the block elements a line of text sits in (a tight list's paragraphs are hidden: their
#: list item holds the text)
_BLOCKS = frozenset({"paragraph_open", "heading_open", "list_item_open", "td_open",
                     "th_open"})


def markdown_to_html(markdown: str) -> str:
    """The HTML body; a block whose text is right to left (Arabic, Hebrew…) gets
    ``dir="rtl"`` so it reads right to left beside English ones."""
    parser = md_parser()
    tokens = parser.parse(markdown)
    for i, token in enumerate(tokens):
        if token.type != "inline" or not right_to_left(token.content):
            continue
        j = i - 1
        while j >= 0 and (tokens[j].type not in _BLOCKS or tokens[j].hidden):
            j -= 1
        if j >= 0:
            tokens[j].attrSet("dir", "rtl")
    return str(parser.renderer.render(tokens, parser.options, {}))


# ------------------------------------------------------------------ Word

#: addresses Word may open: web pages and e-mail (never a script or a local file)
_LINKABLE = re.compile(r"(?:https?://|mailto:)[^\s<>\"]+\Z", re.IGNORECASE)
#: Word's own colour for hyperlinks
LINK_BLUE = "0563C1"


def _link_style(run: Any) -> None:
    from docx.shared import RGBColor

    run.font.color.rgb = RGBColor.from_string(LINK_BLUE)
    run.font.underline = True


def _hyperlink(paragraph: Any, url: str) -> Any:
    """A w:hyperlink to ``url`` at the end of ``paragraph`` (its runs are added after)."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rel = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    anchor = OxmlElement("w:hyperlink")
    anchor.set(qn("r:id"), rel)
    paragraph._p.append(anchor)
    return anchor

class _DocxBuilder:
    def __init__(self, title: str | None, draft: bool = False) -> None:
        import datetime as dt

        from docx import Document

        self.doc = Document()
        properties = self.doc.core_properties
        if title:
            properties.title = title
        properties.author = ""
        properties.comments = ""
        properties.last_modified_by = ""
        properties.revision = 1
        # python-docx's blank document says it was made in 2013 and carries a picture of an
        # empty page that file browsers show as the preview: this file is new, no preview
        now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
        properties.created = properties.modified = now
        package = self.doc.part.package
        for rid, rel in list(package.rels.items()):
            if rel.reltype.endswith("/thumbnail"):
                package.rels.pop(rid)
        self.page_furniture(draft)
        # list context: ("ul" | "ol", next number)
        self.lists: list[list[Any]] = []
        self.paragraph: Any = None
        self.table: Any = None
        self.row: int = -1
        self.col: int = -1
        self.quote_depth = 0
        #: a heading just written (moved onto the landscape page with a wide table)
        self.last_heading: Any = None
        #: after a wide table: go back to portrait before the next block
        self.back_to_portrait = False
        #: the highest heading level written so far (a bold-only line goes one below it)
        self.top_level: int | None = None
        #: per open ordered list: its Word numbering instance (created at its first item)
        self.list_nums: list[int | None] = []
        #: the next paragraph is the first of a list item (it carries the number/bullet)
        self.item_first = False

    # -- inline runs --------------------------------------------------
    def add_inline(self, paragraph: Any, children: Sequence[Token], *, bold: bool = False) -> None:
        strong = em = strike = code = False
        link: str | None = None
        #: the w:hyperlink element the runs of an open link go into, and their text so far
        anchor: Any = None
        shown: list[str] = []
        for child in children:
            kind = child.type
            if kind == "text" or kind == "code_inline":
                run = paragraph.add_run(child.content)
                if anchor is not None:
                    anchor.append(run._r)  # moved into the link: clickable in Word
                    _link_style(run)
                    shown.append(child.content)
                run.bold = True if (strong or bold) else None
                run.italic = True if em else None
                if strike:
                    run.font.strike = True
                if kind == "code_inline" or code:
                    run.font.name = "Courier New"
            elif kind == "softbreak":
                paragraph.add_run(" ")
            elif kind == "hardbreak":
                paragraph.add_run().add_break()
            elif kind == "strong_open":
                strong = True
            elif kind == "strong_close":
                strong = False
            elif kind == "em_open":
                em = True
            elif kind == "em_close":
                em = False
            elif kind == "s_open":
                strike = True
            elif kind == "s_close":
                strike = False
            elif kind == "link_open":
                link = str(child.attrs.get("href", "") or "")
                anchor = _hyperlink(paragraph, link) if _LINKABLE.match(link) else None
                shown = []
            elif kind == "link_close":
                # a link whose text is not its address also shows the address (a printed copy)
                text = "".join(shown).strip()
                if link and text not in (link, link.removeprefix("mailto:")):
                    paragraph.add_run(f" ({link.removeprefix('mailto:')})")
                link, anchor = None, None
            elif kind == "image":
                paragraph.add_run(child.content)

    # -- blocks ---------------------------------------------------------
    def new_paragraph(self) -> Any:
        if self.table is not None:
            cell = self.table.cell(self.row, self.col)
            # a fresh cell holds one empty paragraph: use it first
            if len(cell.paragraphs) == 1 and not cell.paragraphs[0].text:
                return cell.paragraphs[0]
            return cell.add_paragraph()
        if self.lists:
            kind, _number = self.lists[-1]
            depth = len(self.lists)
            first, self.item_first = self.item_first, False
            if kind == "ul":
                style = "List Bullet" if depth == 1 else f"List Bullet {min(depth, 3)}"
                return self.doc.add_paragraph(style=style)
            if not first:  # a second paragraph of the same item: indented, no number
                return self.doc.add_paragraph(style="List Continue" if depth == 1
                                              else f"List Continue {min(depth, 3)}")
            style = "List Number" if depth == 1 else f"List Number {min(depth, 3)}"
            paragraph = self.doc.add_paragraph(style=style)
            self.number(paragraph, style)
            return paragraph
        if self.quote_depth:
            return self.doc.add_paragraph(style="Quote")
        return self.doc.add_paragraph()

    def number(self, paragraph: Any, style: str) -> None:
        """Number ``paragraph`` in its list's own Word numbering (restarting at its start)."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        if self.list_nums[-1] is None:
            self.list_nums[-1] = self.new_numbering(style, int(self.lists[-1][1]))
        num_id = self.list_nums[-1]
        if num_id is None:
            return
        ppr = paragraph._p.get_or_add_pPr()
        num_pr = OxmlElement("w:numPr")
        ilvl = OxmlElement("w:ilvl")
        ilvl.set(qn("w:val"), "0")
        num = OxmlElement("w:numId")
        num.set(qn("w:val"), str(num_id))
        num_pr.append(ilvl)
        num_pr.append(num)
        ppr.append(num_pr)

    def new_numbering(self, style: str, start: int) -> int | None:
        """A new numbering instance of ``style``'s list definition, starting at ``start``."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        ppr = self.doc.styles[style].element.pPr
        if ppr is None or ppr.numPr is None or ppr.numPr.numId is None:
            return None
        numbering = self.doc.part.numbering_part.element
        base = ppr.numPr.numId.val
        abstract = next((n.abstractNumId.val for n in numbering.num_lst if n.numId == base),
                        None)
        if abstract is None:
            return None
        num = numbering.add_num(abstract)
        override = OxmlElement("w:lvlOverride")
        override.set(qn("w:ilvl"), "0")
        start_at = OxmlElement("w:startOverride")
        start_at.set(qn("w:val"), str(start))
        override.append(start_at)
        num.append(override)
        return int(num.numId)

    def bold_heading(self, children: Sequence[Token]) -> str | None:
        """The text of a paragraph that is one bold phrase (``**Sources**``), else None.

        Templates mark small section titles that way; in Word they become real headings,
        one level below the document's top heading."""
        if self.lists or self.table is not None or self.quote_depth:
            return None
        children = [c for c in children if c.type != "text" or c.content]
        kinds = [c.type for c in children]
        if len(kinds) < 3 or kinds[0] != "strong_open" or kinds[-1] != "strong_close" \
                or kinds.count("strong_open") != 1 or any(
                    k not in ("text", "strong_open", "strong_close") for k in kinds):
            return None
        text = "".join(c.content for c in children if c.type == "text").strip()
        if not text or len(text) > 80 or text.endswith((".", "!", "?")):
            return None
        return text.rstrip(":").strip() or None

    def build(self, tokens: Sequence[Token]) -> None:
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            kind = tok.type
            if kind in ("heading_open", "paragraph_open", "table_open", "fence", "code_block",
                        "hr") and self.back_to_portrait:
                self.orient(landscape=False)
                self.back_to_portrait = False
            if kind == "heading_open":
                level = int(tok.tag[1])
                self.top_level = min(level, self.top_level or level)
                inline = tokens[i + 1]
                heading = self.doc.add_heading(level=min(level, 9))
                self.add_inline(heading, inline.children or [])
                self.last_heading = heading
                i += 3
                continue
            if kind != "table_open":
                self.last_heading = None
            if kind == "paragraph_open":
                inline = tokens[i + 1]
                title = self.bold_heading(inline.children or [])
                if title is not None:
                    level = min((self.top_level or 0) + 1, 9)
                    self.last_heading = self.doc.add_heading(title, level=level)
                    i += 3
                    continue
                paragraph = self.new_paragraph()
                bold_cell = self.table is not None and self.row == 0
                self.add_inline(paragraph, inline.children or [], bold=bold_cell)
                i += 3
                continue
            if kind in ("bullet_list_open", "ordered_list_open"):
                start = int(tok.attrs.get("start", 1) or 1) if kind == "ordered_list_open" else 1
                self.lists.append(["ul" if kind == "bullet_list_open" else "ol", start])
                self.list_nums.append(None)
            elif kind in ("bullet_list_close", "ordered_list_close"):
                self.lists.pop()
                self.list_nums.pop()
            elif kind == "list_item_open":
                self.item_first = True
            elif kind == "blockquote_open":
                self.quote_depth += 1
            elif kind == "blockquote_close":
                self.quote_depth -= 1
            elif kind == "hr":
                self.doc.add_paragraph("")
            elif kind in ("fence", "code_block"):
                paragraph = self.new_paragraph()
                run = paragraph.add_run(tok.content.rstrip("\n"))
                run.font.name = "Courier New"
            elif kind == "table_open":
                i = self.build_table(tokens, i)
                continue
            i += 1

    def build_table(self, tokens: Sequence[Token], start: int) -> int:
        # find the extent and shape of the table first
        end = start
        rows = 0
        cols = 0
        current = 0
        while tokens[end].type != "table_close":
            t = tokens[end].type
            if t == "tr_open":
                rows += 1
                current = 0
            elif t in ("th_open", "td_open"):
                current += 1
                cols = max(cols, current)
            end += 1
        wide = cols >= WIDE_TABLE_COLUMNS
        if wide:
            heading = self.last_heading
            if heading is not None:  # keep the table's heading with it
                heading._p.getparent().remove(heading._p)
            self.orient(landscape=True)
            if heading is not None:
                self.doc.element.body.sectPr.addprevious(heading._p)
        table = self.doc.add_table(rows=rows, cols=max(cols, 1))
        table.style = "Table Grid"
        _repeat_header(table)
        self.table = table
        self.row = -1
        for j in range(start + 1, end):
            tok = tokens[j]
            if tok.type == "tr_open":
                self.row += 1
                self.col = -1
            elif tok.type in ("th_open", "td_open"):
                self.col += 1
            elif tok.type == "inline":
                cell = table.cell(self.row, self.col)
                paragraph = cell.paragraphs[0]
                self.add_inline(paragraph, tok.children or [], bold=self.row == 0)
        self.fit_columns(table)
        self.table = None
        self.last_heading = None
        if wide:
            self.back_to_portrait = True
        else:
            self.doc.add_paragraph()
        return end + 1

    def fit_columns(self, table: Any) -> None:
        """Columns as wide as their text needs, in proportion (Word's default is equal
        columns: a seven-column action plan put each long step in a narrow column and ran
        to 28 pages); every column keeps room for its heading's longest word."""
        columns = len(table.columns)
        if columns < 2:
            return
        section = self.doc.sections[-1]
        usable = ((section.page_width or 0) - (section.left_margin or 0)
                  - (section.right_margin or 0))
        if usable <= 0:
            return
        lengths = [[len(cell.text) for cell in column.cells] for column in table.columns]
        weights = []
        for j, cells in enumerate(lengths):
            body = cells[1:] or cells
            mean = sum(body) / len(body)
            longest_word = max((len(w) for w in table.cell(0, j).text.split()), default=4)
            weights.append(max(mean, longest_word * 1.6, 6.0) ** 0.7)
        total = sum(weights)
        table.autofit = False
        for j, column in enumerate(table.columns):
            width = int(usable * weights[j] / total)
            column.width = width
            for cell in column.cells:
                cell.width = width

    def orient(self, *, landscape: bool) -> None:
        """Start a new page section in landscape (for a wide table) or back in portrait."""
        from docx.enum.section import WD_ORIENT, WD_SECTION

        current = self.doc.sections[-1]
        if (current.orientation == WD_ORIENT.LANDSCAPE) == landscape:
            return
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        width, height = section.page_width, section.page_height
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = height, width

    def page_furniture(self, draft: bool) -> None:
        """Page numbers in the footer; an unfinished copy says so at the top of every page."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        section = self.doc.sections[0]
        footer = section.footer.paragraphs[0]
        footer.alignment = 1  # centred
        footer.add_run("Page ")
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), " PAGE ")
        number = OxmlElement("w:r")
        shown = OxmlElement("w:t")
        shown.text = "1"
        number.append(shown)
        field.append(number)
        footer._p.append(field)
        if draft:
            header = section.header.paragraphs[0]
            run = header.add_run("DRAFT: not finished")
            run.bold = True

    def mark_right_to_left(self) -> None:
        """Every paragraph (also in table cells) whose text is right to left is marked so."""
        paragraphs = list(self.doc.paragraphs)
        for table in self.doc.tables:
            for row in table.rows:
                for cell in row.cells:
                    paragraphs.extend(cell.paragraphs)
        for paragraph in paragraphs:
            if right_to_left(paragraph.text):
                _mark_right_to_left(paragraph)

    def to_bytes(self) -> bytes:
        self.mark_right_to_left()
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()


def _repeat_header(table: Any) -> None:
    """Mark the first row as a header row, repeated on every page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def markdown_to_docx(markdown: str, title: str | None = None, draft: bool = False) -> bytes:
    """Word document bytes: headings, paragraphs, bold/italic, lists, real tables, page
    numbers; with ``draft``, "DRAFT: not finished" at the top of every page."""
    builder = _DocxBuilder(title, draft)
    builder.build(md_parser().parse(markdown))
    return builder.to_bytes()


__all__ = ["markdown_to_docx", "markdown_to_html", "md_parser"]
