"""Find the prose in Markdown, HTML or plain text without moving a character.

:func:`prepare` returns a copy of the text of the *same length* in which code,
URLs, link targets, HTML tags and attributes, HTML comments and template tags
are blanked out with spaces (newlines are kept). Offsets found in the copy are
therefore offsets in the original. It also returns the spans of direct
quotations and block quotes, and the inline ``mastery-…`` directives.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any, Literal

Markup = Literal["auto", "markdown", "html", "text"]
MARKUPS: tuple[str, ...] = ("auto", "markdown", "html", "text")


class _LazyRe:
    """A regular expression compiled the first time it is used (start-up stays fast)."""

    __slots__ = ("_args", "_compiled")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._args = (pattern, flags)
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if self._compiled is None:
            self._compiled = re.compile(*self._args)
        return getattr(self._compiled, name)


def _lazy(pattern: str, flags: int = 0) -> Any:
    return _LazyRe(pattern, flags)


# Every pattern below runs in time linear in the text: no repeated part can re-scan
# text that another attempt already scanned (possessive ``*+``/``++`` where a run could
# be given back, and inner classes that stop at the next place a match could start).
# tests/test_checker_linear.py feeds each pathological shape and compares 20k with 200k.
_FENCE_RE = _lazy(r"(?ms)^[ \t]*+(`{3,}+|~{3,}+)[^\n]*+\n.*?(?:^[ \t]*\1[ \t]*$|\Z)")
_INDENTED_CODE_RE = _lazy(r"(?m)(?:(?<=\n\n)|\A)(?:(?:[ ]{4}|\t)[^\n]*(?:\n|\Z))+")
_BACKTICKS_RE = _lazy(r"`+")
_COMMENT_RE = _lazy(r"<!--(.*?)(?:-->|\Z)", re.S)
#: the opening tag of an element whose content is not prose; only a closed element is
#: skipped ("Hi <pre> there." or an escaped "\\<script\\>" in a headline hides nothing)
_RAW_OPEN_RE = _lazy(r"<(script|style|code|pre|kbd|samp)\b[^<>]*+>", re.I)
_RAW_CLOSE_RES = {
    name: _lazy(rf"</{name}\s*>", re.I)
    for name in ("script", "style", "code", "pre", "kbd", "samp")
}
_TAG_RE = _lazy(r"</?[A-Za-z][\w:-]*+(?:\s[^<>]*?)?/?>|<![A-Za-z][^<>]*+>")
_ENTITY_RE = _lazy(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]{2,8});")
_LINK_TARGET_RE = _lazy(
    r"\]\(\s*+<?[^)\s>\]]*+>?(?:\s++(?:\"[^\"\]]*+\"|'[^'\]]*+'|\([^)\]]*+\)))?\s*+\)"
)
_REF_DEF_RE = _lazy(r"(?m)^[ ]{0,3}\[[^\]\n]+\]:[ \t]*\S+.*$")
_AUTOLINK_RE = _lazy(r"<(?:https?|ftp|mailto):[^<>\s]*+>")
_URL_RE = _lazy(r"\b(?:(?:https?|ftp)://|www\.)[^\s<>\"'()\[\]]*[^\s<>\"'()\[\].,;:!?]")
#: an address is found from its "@": the part before it, read backwards, and the domain
_EMAIL_LOCAL_RE = _lazy(r"[\w.+-]{1,64}$")
_EMAIL_DOMAIN_RE = _lazy(r"[\w-]++(?:\.[\w-]++)+")
_JINJA_RE = _lazy(r"\{\{.*?(?:\}\}|\Z)|\{%.*?(?:%\}|\Z)|\{#.*?(?:#\}|\Z)", re.S)
_BLOCKQUOTE_MD_RE = _lazy(r"(?m)^[ ]{0,3}>[^\n]*(?:\n(?![ \t]*\n)[^\n]*)*")
_BLOCKQUOTE_HTML_RE = _lazy(r"<(blockquote|q)\b[^>]*>.*?(?:</\1\s*>|\Z)", re.S | re.I)
_QUOTE_RES = (
    _lazy(r"“[^“”]{1,600}?”"),
    _lazy(r"«[^«»]{1,600}?»"),
    _lazy(r"\"(?=\S)[^\"]{1,600}?(?<=\S)\""),
)
#: the end of a paragraph: a blank line, or a line that ends a sentence (text with one
#: paragraph per line); a quotation never runs past it (a mismatched “…" would otherwise
#: swallow the next paragraph)
_PARAGRAPH_END_RE = _lazy(r"\n\n|[.!?][\"”’']?[ \t]*\n")
_DIRECTIVE_RE = _lazy(
    r"^\s*mastery-(disable-next-line|disable-line|disable|enable)\b([^>]*?)\s*$", re.S
)


@dataclass(frozen=True)
class Directive:
    """An inline control comment: ``<!-- mastery-disable rigorous -->``."""

    action: str  # disable | enable | disable-next-line | disable-line
    rules: frozenset[str]  # empty: every rule
    start: int
    end: int


@dataclass
class Prepared:
    text: str  # the original
    prose: str  # same length; non-prose blanked
    quoted: list[tuple[int, int]] = field(default_factory=list)
    directives: list[Directive] = field(default_factory=list)
    _line_starts: list[int] | None = None
    _quote_starts: list[int] | None = None

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset."""
        if self._line_starts is None:
            starts = [0]
            find = self.text.find
            i = find("\n")
            while i != -1:
                starts.append(i + 1)
                i = find("\n", i + 1)
            self._line_starts = starts
        line = bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    def is_quoted(self, offset: int) -> bool:
        if not self.quoted:
            return False
        if self._quote_starts is None:
            self._quote_starts = [s for s, _ in self.quoted]
        k = bisect_right(self._quote_starts, offset) - 1
        return k >= 0 and offset < self.quoted[k][1]


def _blank_raw_elements(src: str) -> str:
    """``<script>``, ``<style>``, ``<pre>``, ``<code>``, ``<kbd>``, ``<samp>`` elements blanked
    out, each up to its closing tag. An element never closed blanks nothing. Linear: the
    text between an opening tag and its closing tag is read once, and an element name that
    found no closing tag is not looked for again."""
    if "<" not in src:
        return src
    parts: list[str] = []
    done = 0
    unclosed: set[str] = set()
    for m in _RAW_OPEN_RE.finditer(src):
        if m.start() < done:
            continue  # inside an element already blanked
        name = m.group(1).lower()
        if name in unclosed:
            continue
        close = _RAW_CLOSE_RES[name].search(src, m.end())
        if close is None:
            unclosed.add(name)
            continue
        parts.append(src[done : m.start()])
        parts.append(_blanked(src[m.start() : close.end()]))
        done = close.end()
    if not parts:
        return src
    parts.append(src[done:])
    return "".join(parts)


def _blanked(text: str) -> str:
    """Every character but newlines turned into a space."""
    if "\n" not in text:
        return " " * len(text)
    return "".join("\n" if c == "\n" else " " for c in text)


#: quotation marks written as entities ("&ldquo;rigorous&rdquo;", as website editors export
#: them): kept as the mark itself, so the quotation is still found
_QUOTE_ENTITIES = {
    "&ldquo;": "“", "&rdquo;": "”", "&quot;": '"', "&#8220;": "“", "&#8221;": "”",
    "&#34;": '"', "&#x201c;": "“", "&#x201d;": "”", "&#x22;": '"', "&laquo;": "«",
    "&raquo;": "»",
}


def _entity_blank(m: re.Match[str]) -> str:
    """An entity blanked out (its offsets kept); a quotation mark stays a quotation mark,
    next to the words it opens (at the entity's end) or closes (at its start)."""
    entity = m.group(0)
    mark = _QUOTE_ENTITIES.get(entity.lower())
    if not mark:
        return " " * len(entity)
    pad = " " * (len(entity) - 1)
    after = m.string[m.end() : m.end() + 1]
    opens = mark in "“«" or (mark == '"' and after != "" and not after.isspace()
                             and after not in ".,;:!?)")
    return pad + mark if opens else mark + pad


def _spaces(m: re.Match[str]) -> str:
    """The matched text with every character but newlines turned into a space."""
    return _blanked(m.group(0))


def detect(text: str) -> Markup:
    """A guess good enough for choosing what to blank out."""
    return "markdown"  # markdown rules are a superset that leaves plain prose alone


def prepare(text: str, markup: str = "auto") -> Prepared:
    if markup not in MARKUPS:
        raise ValueError(f"unknown markup '{markup}'; use one of {', '.join(MARKUPS)}")
    explicit = markup
    if markup == "auto":
        markup = detect(text)
    md = markup == "markdown"
    html = markup in ("markdown", "html")
    directives: list[Directive] = []
    quoted: list[tuple[int, int]] = []
    src = text
    # each step blanks what it finds, so later steps never see code or tags;
    # a step is skipped when the text cannot contain what it looks for
    if md and ("```" in src or "~~~" in src):
        src = _FENCE_RE.sub(_spaces, src)
    if explicit == "markdown" and (
        "\n    " in src or "\n\t" in src or src.startswith(("    ", "\t"))
    ):
        src = _INDENTED_CODE_RE.sub(_spaces, src)
    if html and "<" in src:
        if "<!--" in src:
            for m in _COMMENT_RE.finditer(src):
                d = _DIRECTIVE_RE.match(m.group(1))
                if d:
                    names = frozenset(n for n in re.split(r"[\s,]+", d.group(2)) if n)
                    directives.append(Directive(d.group(1), names, m.start(), m.end()))
            src = _COMMENT_RE.sub(_spaces, src)
        src = _blank_raw_elements(src)
        quoted.extend(m.span() for m in _BLOCKQUOTE_HTML_RE.finditer(src))
    if md:
        if "`" in src:
            src = _blank_code_spans(src)
        if "](" in src:
            src = _LINK_TARGET_RE.sub(_spaces, src)
        if "]:" in src:
            src = _REF_DEF_RE.sub(_spaces, src)
    if "{" in src:
        src = _JINJA_RE.sub(_spaces, src)
    if html and "<" in src:
        src = _AUTOLINK_RE.sub(_spaces, src)
        src = _TAG_RE.sub(_spaces, src)
    if html and "&" in src:
        src = _ENTITY_RE.sub(_entity_blank, src)
    if "://" in src or "www." in src:
        src = _URL_RE.sub(_spaces, src)
    if "@" in src:
        src = _blank_emails(src)
    if md and ">" in src:
        quoted.extend(m.span() for m in _BLOCKQUOTE_MD_RE.finditer(src))
    for mark, quote_re in zip(("“", "«", '"'), _QUOTE_RES, strict=True):
        if mark in src:
            for m in quote_re.finditer(src):
                if "\n" not in m.group(0) or _PARAGRAPH_END_RE.search(m.group(0)) is None:
                    quoted.append(m.span())
    if "“" in src:
        quoted.extend(_open_quotes(src))
    return Prepared(text=text, prose=src, quoted=merge_spans(quoted), directives=directives)


def _open_quotes(src: str) -> list[tuple[int, int]]:
    """Quotations that run to the end of their paragraph without a closing mark.

    News style: a quotation that goes on into the next paragraph leaves its first paragraph
    unclosed (the next one opens with “ again). A paragraph ends at a blank line, or at a
    line that ends a sentence (text with one paragraph per line). Linear: every search is
    bounded by the next closing mark, and after each quotation the scan goes on from its end.
    """
    spans: list[tuple[int, int]] = []
    find = src.find
    size = len(src)
    at = find("“")
    close = 0  # the first closing mark after ``at`` (-1: none is left), found once each
    while at != -1:
        if close != -1 and close <= at:
            close = find("”", at + 1)
        closes = close != -1
        limit = close if closes else size
        end = _PARAGRAPH_END_RE.search(src, at, limit)
        if end is None and closes:
            at = find("“", close + 1)  # closed within its paragraph
            continue
        paragraph_end = end.start() if end is not None else size
        if end is not None and end.group(0) != "\n\n":
            paragraph_end = end.end() - 1  # the sentence's line, up to its newline
        spans.append((at, paragraph_end))
        at = find("“", paragraph_end)
    return spans


def _blank(src: str, spans: list[tuple[int, int]]) -> str:
    """``src`` with each span's characters (newlines kept) turned into spaces."""
    if not spans:
        return src
    parts = []
    last = 0
    for s, e in spans:
        piece = src[s:e]
        parts.append(src[last:s])
        parts.append("".join("\n" if c == "\n" else " " for c in piece) if "\n" in piece
                     else " " * (e - s))
        last = e
    parts.append(src[last:])
    return "".join(parts)


def _blank_code_spans(src: str) -> str:
    """Blank Markdown code spans: a run of backticks up to the next run of the same length.

    Linear: each run is visited once, and the next run of a length is found by bisection
    in the list of runs of that length (a regex that looks ahead for the closing run
    re-scans the rest of the text from every unclosed run).
    """
    runs = [(m.start(), m.end()) for m in _BACKTICKS_RE.finditer(src)]
    by_length: dict[int, list[int]] = {}
    for index, (s, e) in enumerate(runs):
        by_length.setdefault(e - s, []).append(index)
    spans: list[tuple[int, int]] = []
    k = 0
    while k < len(runs):
        s, e = runs[k]
        same = by_length[e - s]
        at = bisect_right(same, k)
        if at < len(same):
            close = same[at]
            cs, ce = runs[close]
            if cs > e:  # some content between the runs
                spans.append((s, ce))
                k = close + 1
                continue
        k += 1
    return _blank(src, spans)


def _blank_emails(src: str) -> str:
    """Blank e-mail addresses, found from each "@" (linear: no scan crosses another "@")."""
    spans: list[tuple[int, int]] = []
    last_end = 0
    at = src.find("@")
    while at != -1:
        local = _EMAIL_LOCAL_RE.search(src, max(last_end, at - 64), at)
        domain = _EMAIL_DOMAIN_RE.match(src, at + 1)
        if local and domain:
            start = local.start()
            # the local part starts a word and does not end in a dot
            while start < at and src[start] in ".+-":
                start += 1
            end = domain.end()
            while end > at + 1 and src[end - 1] in "-":
                end -= 1
            before = src[start - 1] if start else " "
            if start < at and not (before.isalnum() or before == "_"):
                spans.append((start, end))
                last_end = end
                at = src.find("@", end)
                continue
        at = src.find("@", at + 1)
    return _blank(src, spans)


def merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            if e > merged[-1][1]:
                merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged
