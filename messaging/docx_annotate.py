"""Write a checked Word document back with a comment on each finding (and tracked changes).

:func:`annotate` takes the :class:`~messaging.docx_reader.DocxReport` of a document and
returns the bytes of a copy in which

* each flagged phrase carries a Word comment by "mastery-comms" — severity, rule, the
  message, the finding and its source, the suggestions — anchored exactly on the phrase
  (runs are split where the phrase starts and ends; each piece keeps its formatting);
* with ``track_changes=True``, each finding whose first suggestion is a *replacement*
  is also written as a tracked change (the phrase deleted, the replacement inserted, in
  the phrase's own formatting) that the author accepts or rejects in Word. Advice is
  never pasted into the text.

Everything else is kept: every other part of the package is copied byte for byte, and
the parts that change (the paragraphs' XML, comments.xml, the content types and the
document's relationships) change only where a comment or a change is added.

Word does not allow comments in headers and footers, and LibreOffice refuses a file with
comments inside footnotes: a finding there is commented at the start of the document, its
comment saying where the phrase is. Tracked changes are written there too.
"""

from __future__ import annotations

import copy
import functools
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from lxml import etree

from messaging.docx_reader import (
    CT_NS,
    PKG_REL_NS,
    REL_TYPE,
    W_NS,
    XML_NS,
    DocxReport,
    Located,
    Segment,
    Unit,
    w,
)

_R, _RPR = w("r"), w("rPr")
AUTHOR = "mastery-comms"
INITIALS = "MC"
COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
#: containers a tracked change cannot be nested in (already a change, or a field's shown
#: result, which Word regenerates)
_NO_CHANGE_INSIDE = {w("ins"), w("del"), w("moveTo"), w("moveFrom"), w("fldSimple")}
#: run children that may be part of a phrase we replace (anything else: comment only)
_TEXT_CHILDREN = {w("rPr"), w("t"), w("tab"), w("noBreakHyphen"), w("softHyphen")}


def replacement_of(flag: Any) -> str | None:
    """The flag's first *replacement* suggestion (typed by the checker), else None.

    A suggestion is a :class:`messaging.checker.Suggestion` (a string with a ``kind``),
    or ``{"text", "kind"}``; plain strings and ``advice`` are never pasted."""
    for suggestion in getattr(flag, "suggestions", ()) or ():
        if isinstance(suggestion, dict):
            kind, text = suggestion.get("kind"), suggestion.get("text")
        else:
            kind, text = getattr(suggestion, "kind", None), str(suggestion)
        if kind == "replacement" and isinstance(text, str) and text.strip():
            return text
    return None


def suggestion_texts(flag: Any) -> list[str]:
    out = []
    for suggestion in getattr(flag, "suggestions", ()) or ():
        if isinstance(suggestion, str):
            out.append(suggestion)
        elif isinstance(suggestion, dict):
            out.append(str(suggestion.get("text", "")))
        else:
            out.append(str(getattr(suggestion, "text", suggestion)))
    return [s for s in out if s]


def comment_lines(found: Located, elsewhere: bool = False) -> list[str]:
    """The paragraphs of a finding's comment (plain text, written for the author)."""
    flag = found.flag
    label = "Quoted (not counted)" if flag.quoted else flag.severity.capitalize()
    lines = []
    if elsewhere:
        lines.append(f"In the {found.unit.describe()}: \u201c{flag.text}\u201d")
    lines.append(f"{label} \u00b7 {flag.rule}: {flag.message}")
    suggestions = suggestion_texts(flag)
    if suggestions:
        lines.append("Suggestion: " + " | ".join(suggestions))
    if flag.finding:
        why = f"Why: {flag.finding.get('title', '')}"
        summary = flag.finding.get("summary")
        if summary:
            why += f" \u2014 {summary}"
        lines.append(why)
    source = flag.source
    if source:
        year = f" ({source['year']})" if source.get("year") else ""
        lines.append(f"Source: {source.get('author', '')}, \u201c{source.get('title', '')}\u201d"
                     f"{year}")
    return lines


# ------------------------------------------------------------------ run surgery
def _new_run_like(run: Any) -> Any:
    """An empty run with ``run``'s attributes and formatting (rPr)."""
    new = run.makeelement(_R, run.attrib)
    rpr = run.find(_RPR)
    if rpr is not None:
        new.append(copy.deepcopy(rpr))
    return new


def _set_text(t: Any, text: str) -> None:
    t.text = text
    if text != text.strip() or "  " in text:
        t.set(f"{{{XML_NS}}}space", "preserve")


class _UnitEditor:
    """Splits a unit's runs so that given offsets fall between runs."""

    def __init__(self, unit: Unit) -> None:
        self.unit = unit
        self.segments: list[Segment] = list(unit.segments)

    def _index_at(self, offset: int) -> int:
        """The index of the segment containing ``offset`` (start <= offset < end)."""
        segs = self.segments
        lo, hi = 0, len(segs)
        while lo < hi:
            mid = (lo + hi) // 2
            if segs[mid].end <= offset:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def cut(self, offset: int) -> None:
        """Make ``offset`` a run boundary (split a w:t and its run when needed)."""
        i = self._index_at(offset)
        if i >= len(self.segments):
            return
        seg = self.segments[i]
        if seg.start < offset:  # inside a w:t: split the text node first
            k = offset - seg.start
            text = seg.node.text or ""
            t2 = etree.Element(w("t"))
            _set_text(t2, text[k:])
            _set_text(seg.node, text[:k])
            seg.node.addnext(t2)
            tail = Segment(offset, seg.end, t2, seg.run, seg.field)
            seg.end = offset
            self.segments.insert(i + 1, tail)
            i += 1
            seg = tail
        # now seg starts at offset: split its run before seg.node unless it is the first
        run = seg.run
        node = seg.node
        if not any(c.tag != _RPR for c in node.itersiblings(preceding=True)):
            return
        new = _new_run_like(run)
        moving = [node, *node.itersiblings()]
        for child in moving:
            new.append(child)
        run.addnext(new)
        for later in self.segments[i:]:
            if later.run is run:
                later.run = new
            else:
                break

    def in_field(self, start: int, end: int) -> bool:
        """Whether any of characters ``start``..``end`` is a field's shown result."""
        i = self._index_at(start)
        while i < len(self.segments) and self.segments[i].start < end:
            if self.segments[i].field:
                return True
            i += 1
        return False

    def runs(self, start: int, end: int) -> list[Any]:
        """The runs (in order, unique) holding characters ``start``..``end``."""
        out: list[Any] = []
        i = self._index_at(start)
        while i < len(self.segments) and self.segments[i].start < end:
            run = self.segments[i].run
            if not out or out[-1] is not run:
                out.append(run)
            i += 1
        return out


# ------------------------------------------------------------------ the writer
@dataclass
class Options:
    track_changes: bool = False
    date: str | None = None


class _Ids:
    def __init__(self, start: int) -> None:
        self.next = start

    def take(self) -> str:
        value = self.next
        self.next += 1
        return str(value)


def _max_id(roots: Iterable[Any]) -> int:
    top = 0
    attr = w("id")
    for root in roots:
        for el in root.iter():
            value = el.get(attr) if isinstance(el.tag, str) else None
            if value is not None and value.lstrip("-").isdigit():
                top = max(top, int(value))
    return top


def _paragraph_child(node: Any, p: Any) -> Any:
    """The ancestor of ``node`` (or itself) that is a direct child of ``p``."""
    while node.getparent() is not p:
        node = node.getparent()
    return node


def _comment_element(cid: str, lines: Sequence[str], date: str) -> Any:
    comment = etree.Element(w("comment"))
    comment.set(w("id"), cid)
    comment.set(w("author"), AUTHOR)
    comment.set(w("date"), date)
    comment.set(w("initials"), INITIALS)
    for number, line in enumerate(lines):
        p = etree.SubElement(comment, w("p"))
        if number == 0:
            ref = etree.SubElement(p, w("r"))
            etree.SubElement(ref, w("annotationRef"))
        r = etree.SubElement(p, w("r"))
        t = etree.SubElement(r, w("t"))
        _set_text(t, _xml_safe(line))
    return comment


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@functools.lru_cache(maxsize=4096)
def _xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold (control characters)."""
    return _NOT_XML.sub("", text)


def _reference_run(cid: str) -> Any:
    run = etree.Element(w("r"))
    etree.SubElement(run, w("commentReference")).set(w("id"), cid)
    return run


def _anchor(first: Any, last: Any, p: Any, cid: str) -> None:
    """Comment range around ``first``..``last`` (siblings or not), reference after it."""
    start = etree.Element(w("commentRangeStart"))
    start.set(w("id"), cid)
    end = etree.Element(w("commentRangeEnd"))
    end.set(w("id"), cid)
    first.addprevious(start)
    last.addnext(end)
    holder = end if end.getparent() is p else _paragraph_child(end, p)
    holder.addnext(_reference_run(cid))


def _point_anchor(p: Any, cid: str, after: Any | None = None) -> Any:
    """A comment at the start of paragraph ``p`` (for findings Word cannot anchor), after
    the one placed before it (``after``); returns its reference run."""
    start = etree.Element(w("commentRangeStart"))
    start.set(w("id"), cid)
    end = etree.Element(w("commentRangeEnd"))
    end.set(w("id"), cid)
    ppr = p.find(w("pPr"))
    if after is not None:
        after.addnext(start)
    elif ppr is not None:
        ppr.addnext(start)
    else:
        p.insert(0, start)
    start.addnext(end)
    reference = _reference_run(cid)
    end.addnext(reference)
    return reference


def _can_replace(runs: Sequence[Any]) -> bool:
    if not runs:
        return False
    parent = runs[0].getparent()
    if parent is None or parent.tag in _NO_CHANGE_INSIDE:
        return False
    for run in runs:
        if run.getparent() is not parent or run.tag != w("r"):
            return False
        if any(child.tag not in _TEXT_CHILDREN for child in run):
            return False
    # contiguous siblings only
    return all(a.getnext() is b for a, b in zip(runs, runs[1:], strict=False))


def _track_change(runs: Sequence[Any], replacement: str, ids: _Ids, date: str) -> tuple[Any, Any]:
    """Wrap ``runs`` in w:del and add a w:ins with ``replacement``; returns (del, ins)."""
    deletion = etree.Element(w("del"))
    deletion.set(w("id"), ids.take())
    deletion.set(w("author"), AUTHOR)
    deletion.set(w("date"), date)
    runs[0].addprevious(deletion)
    for run in runs:
        deletion.append(run)
        for t in run.iterchildren(w("t")):
            t.tag = w("delText")
    insertion = etree.Element(w("ins"))
    insertion.set(w("id"), ids.take())
    insertion.set(w("author"), AUTHOR)
    insertion.set(w("date"), date)
    new = _new_run_like(runs[0])
    t = etree.SubElement(new, w("t"))
    _set_text(t, _xml_safe(replacement))
    insertion.append(new)
    deletion.addnext(insertion)
    return deletion, insertion


def _serialize(root: Any) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _comments_root(existing: Any | None) -> Any:
    if existing is not None:
        return existing
    return etree.Element(w("comments"), nsmap={"w": W_NS})


def annotate(report: DocxReport, *, track_changes: bool = False,
             date: str | None = None) -> bytes:
    """The document of ``report`` with its findings as comments (and tracked changes)."""
    report = _fresh(report)
    document = report.document
    document.spent = True
    pkg = document.package
    date = date or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    comments_part = next(iter(pkg.parts_of(pkg.main, "comments")), None)
    comments_root = pkg.xml(comments_part) if comments_part else None
    changed: dict[str, Any] = {}
    roots = list(document.parts.values())
    if comments_root is not None:
        roots.append(comments_root)
    ids = _Ids(_max_id(roots) + 1)
    comments = _comments_root(comments_root)

    by_unit: dict[int, list[Located]] = {}
    for found in report.findings:
        by_unit.setdefault(id(found.unit), []).append(found)
    first_body = next((u for u in document.units if u.where == "body" and u.text.strip()),
                      None) or next((u for u in document.units if u.where == "body"), None)
    elsewhere: list[Located] = []
    for found_list in by_unit.values():
        unit = found_list[0].unit
        editor = _UnitEditor(unit)
        for offset in sorted({o for f in found_list for o in (f.flag.start, f.flag.end)}):
            editor.cut(offset)
        replaced: list[tuple[int, int]] = []
        for found in found_list:
            flag = found.flag
            can_comment = unit.where == "body"
            runs = editor.runs(flag.start, flag.end)
            if not runs:
                continue
            first, last = runs[0], runs[-1]
            replacement = replacement_of(flag) if track_changes else None
            if replacement and not any(s < flag.end and flag.start < e for s, e in replaced) \
                    and _can_replace(runs) and flag.text.strip() \
                    and not editor.in_field(flag.start, flag.end):
                first, last = _track_change(runs, replacement, ids, date)
                replaced.append((flag.start, flag.end))
                changed[unit.part] = True
            if can_comment:
                cid = ids.take()
                _anchor(first, last, unit.p, cid)
                comments.append(_comment_element(cid, comment_lines(found), date))
                changed[unit.part] = True
            else:
                elsewhere.append(found)
    if elsewhere and first_body is not None:
        previous = None
        for found in elsewhere:
            cid = ids.take()
            previous = _point_anchor(first_body.p, cid, previous)
            comments.append(_comment_element(cid, comment_lines(found, elsewhere=True), date))
        changed[first_body.part] = True
    outputs: dict[str, bytes] = {name: _serialize(document.parts[name]) for name in changed}
    if len(comments):
        if comments_part is None:
            comments_part = _add_comments_part(pkg, outputs)
        outputs[comments_part] = _serialize(comments)
    return _rewrite(pkg, outputs)


def _fresh(report: DocxReport) -> DocxReport:
    """``report`` itself, or (if its document was annotated before) a copy on a new parse."""
    from dataclasses import replace

    from messaging.docx_reader import read_document

    if not report.document.spent:
        return report
    document = read_document(report.document.data)
    position = {id(unit): n for n, unit in enumerate(report.document.units)}
    findings = [replace(f, unit=document.units[position[id(f.unit)]]) for f in report.findings]
    return replace(report, document=document, findings=findings)


def _add_comments_part(pkg: Any, outputs: dict[str, bytes]) -> str:
    """Register a new word/comments.xml (content type and relationship); returns its name."""
    import posixpath

    folder, name = posixpath.split(pkg.main)
    part = posixpath.join(folder, "comments.xml")
    n = 1
    while pkg.has(part):
        n += 1
        part = posixpath.join(folder, f"comments{n}.xml")
    types = copy.deepcopy(pkg.content_types)
    override = etree.SubElement(types, f"{{{CT_NS}}}Override")
    override.set("PartName", "/" + part)
    override.set("ContentType", COMMENTS_TYPE)
    outputs["[Content_Types].xml"] = _serialize(types)
    rels_name = posixpath.join(folder, "_rels", name + ".rels")
    if pkg.has(rels_name):
        rels = pkg.xml(rels_name)
    else:
        rels = etree.Element(f"{{{PKG_REL_NS}}}Relationships", nsmap={None: PKG_REL_NS})
    taken = {r.get("Id") for r in rels}
    rid = "rIdMc1"
    k = 1
    while rid in taken:
        k += 1
        rid = f"rIdMc{k}"
    rel = etree.SubElement(rels, f"{{{PKG_REL_NS}}}Relationship")
    rel.set("Id", rid)
    rel.set("Type", REL_TYPE + "comments")
    rel.set("Target", posixpath.relpath(part, folder))
    outputs[rels_name] = _serialize(rels)
    return part


def _rewrite(pkg: Any, outputs: dict[str, bytes]) -> bytes:
    """A copy of the package with ``outputs`` replacing (or added to) its parts
    (:class:`DocxProblem` if one of the others cannot be read: nothing half-written)."""
    source = pkg.zip
    buffer = io.BytesIO()
    pending = dict(outputs)
    # level 1: a third of the time of the default level, for a few percent in size
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for info in source.infolist():
            data = pending.pop(info.filename, None)
            if data is None:
                data = pkg.read_info(info)
            new = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            new.compress_type = info.compress_type
            new.external_attr = info.external_attr
            out.writestr(new, data, compresslevel=1)
        for name, data in pending.items():
            out.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data,
                         compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
    return buffer.getvalue()


__all__ = ["AUTHOR", "annotate", "comment_lines", "replacement_of", "suggestion_texts"]
