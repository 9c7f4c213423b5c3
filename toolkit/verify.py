"""Check every figure in the toolkit's user-facing text against the sources it cites.

``mastery toolkit verify --sources DIR`` reads the documents the bibliography
points at (each source's ``file``, or ``seed_file`` for the shipped seeds, a
name or glob pattern relative to DIR) and, for every statement that contains a
figure, checks that each figure appears in the text of at least one source the
statement cites. A source without a file of its own but ``cited_in`` another
(a study quoted by a seed) is checked against the documents that cite it: that
is where the toolkit took the figure from.

What counts as a figure: numbers written with digits, alone or with ``%`` /
"percent", a currency sign, "thousand/million/billion", an ordinal ending
("72nd"), a year, a range ("8 to 12" is two figures) and "N in M" ratios.
Numbers written as words in the *toolkit's* text ("seven principles", "one in
five") are not checked: they are mostly counts of things listed in the text
itself, and reading them as figures flags far more ordinary prose than it
catches. Number words in the *source* documents are read ("twenty-six", "three-
fifths"), so writing a source's word as digits in the toolkit still verifies.

Matching is by value, not by spelling: "1.7 million" matches "1,700,000",
"$7 billion" matches "7 billion"; a percentage only matches a percentage (or an
equal ratio: "1 in 5" and "20%"), so "39%" is not "found" in a stray "39".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from toolkit.loader import Toolkit
from toolkit.yamlio import LineDict, LineList, YamlProblem, load_yaml_file

#: the toolkit files and, in each entry, the fields read out to people
STATEMENT_FIELDS: dict[str, tuple[str, ...]] = {
    "faq.yaml": ("short", "full", "audience_answers"),
    "myths.yaml": ("fact", "evidence", "audience_answers"),
    "proof_points.yaml": ("statement", "figure"),
    "findings.yaml": ("title", "summary"),
    "glossary.yaml": ("definition", "plain"),
    "audiences.yaml": ("key_messages", "talking_points"),
}

_SCALE = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
          "trillion": 1_000_000_000_000}
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_FIGURE_RE = re.compile(
    r"(?<![\d])(?<!\d[.,])"  # not in the middle of another number
    r"(?P<money>[$€£]\s?)?"
    rf"(?P<num>{_NUMBER})"
    r"(?:(?P<ord>st|nd|rd|th)\b)?"
    r"(?:\s?(?P<scale>thousand|million|billion|trillion)\b)?"
    r"(?:\s?(?P<pct>%|percent\b|per cent\b))?"
    r"(?:\s+(?:in|out\s+of)\s+(?P<den>\d+)\b)?",
    re.IGNORECASE,
)

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}
_SCALE_AFTER_RE = re.compile(r"\s+(thousand|million|billion|trillion)\b", re.IGNORECASE)
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
             "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
             "thirteenth": 13, "fourteenth": 14, "fifteenth": 15, "sixteenth": 16,
             "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20}
_ORDINAL_DENOMINATORS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4,
                         "quarters": 4, "fourth": 4, "fourths": 4, "fifth": 5, "fifths": 5,
                         "sixth": 6, "tenth": 10, "tenths": 10}
_WORD_NUMBER_RE = re.compile(
    r"\b(?P<tens>" + "|".join(_TENS) + r")(?:[-\s](?P<unit1>" + "|".join(_UNITS) + r"))?\b"
    r"|\b(?P<unit>" + "|".join(_UNITS) + r")\b"
    r"(?:[-\s](?P<frac>" + "|".join(_ORDINAL_DENOMINATORS) + r")\b)?"
    r"(?:\s(?P<hundred>hundred)\b)?",
    re.IGNORECASE,
)


# ------------------------------------------------------------------ figures
@dataclass(frozen=True)
class Figure:
    """One figure: its text as written, and its value(s) for matching."""

    text: str
    kind: str  # "percent", "ratio" or "number"
    value: Fraction

    def matches(self, found: Figures) -> bool:
        if self.kind == "percent":
            return self.value in found.percents or self.value in found.ratio_percents
        if self.kind == "ratio":
            return self.value in found.ratios or self.value in found.percent_ratios
        return self.value in found.numbers


@dataclass
class Figures:
    """The figure values present in one document's text."""

    percents: set[Fraction] = field(default_factory=set)
    ratios: set[Fraction] = field(default_factory=set)
    numbers: set[Fraction] = field(default_factory=set)

    @property
    def ratio_percents(self) -> set[Fraction]:
        return {r * 100 for r in self.ratios}

    @property
    def percent_ratios(self) -> set[Fraction]:
        return {p / 100 for p in self.percents}

    def update(self, other: Figures) -> None:
        self.percents |= other.percents
        self.ratios |= other.ratios
        self.numbers |= other.numbers


def _value(num: str) -> Fraction:
    return Fraction(num.replace(",", ""))


#: a number that is part of a name, not a figure: "a 504 plan", "Section 504"
_NAME_AFTER_RE = re.compile(r"\s*plans?\b", re.IGNORECASE)
_NAME_BEFORE_RE = re.compile(r"\bSection\s+$", re.IGNORECASE)


def figures_in(text: str) -> list[Figure]:
    """The figures written with digits in ``text``, in order."""
    out: list[Figure] = []
    for match in _FIGURE_RE.finditer(text):
        if _NAME_AFTER_RE.match(text, match.end()) or _NAME_BEFORE_RE.search(
            text, max(0, match.start() - 12), match.start()
        ):
            continue
        value = _value(match.group("num"))
        scale = match.group("scale")
        if scale:
            value *= _SCALE[scale.lower()]
        den = match.group("den")
        pct = match.group("pct")
        if den and 0 < int(den) <= 100 and not (scale or pct or match.group("money")):
            out.append(Figure(match.group(0), "ratio", value / int(den)))
            continue
        head_end = max(match.end(g) for g in ("num", "ord", "scale", "pct"))
        head = text[match.start():head_end]
        out.append(Figure(head, "percent" if pct else "number", value))
        if den:  # "91% in 2024", "$5 in 10 years": the second number is a figure too
            out.append(Figure(den, "number", Fraction(int(den))))
    return out


def _source_figures(text: str) -> Figures:
    """Every figure in a source document: digits as above, plus number words."""
    found = Figures()
    for fig in figures_in(text):
        {"percent": found.percents, "ratio": found.ratios, "number": found.numbers}[
            fig.kind].add(fig.value)
        if fig.kind == "percent":  # "39%" also reads as the number 39 in running text
            found.numbers.add(fig.value)
    # every number as written, whatever surrounds it ("3 In 2013" is a footnote and a year)
    for match in re.finditer(rf"(?<![\d])(?<!\d[.,])(?:{_NUMBER})", text):
        found.numbers.add(_value(match.group(0)))
    for match in _WORD_NUMBER_RE.finditer(text):
        if match.group("tens"):
            value = _TENS[match.group("tens").lower()]
            if match.group("unit1"):
                value += _UNITS[match.group("unit1").lower()]
        else:
            value = _UNITS[match.group("unit").lower()]
            frac = match.group("frac")
            if frac:  # "three-fifths", "one quarter"
                found.ratios.add(Fraction(value, _ORDINAL_DENOMINATORS[frac.lower()]))
            if match.group("hundred"):
                value *= 100
        found.numbers.add(Fraction(value))
        after = _SCALE_AFTER_RE.match(text, match.end())
        if after:  # "seven billion"
            found.numbers.add(Fraction(value * _SCALE[after.group(1).lower()]))
    for match in re.finditer(r"\b(" + "|".join(_ORDINALS) + r")\b", text, re.I):
        found.numbers.add(Fraction(_ORDINALS[match.group(1).lower()]))
    # "N percent" spelled in words ("ninety-nine percent") and "N out of M" in words
    for match in re.finditer(
        r"\b(" + "|".join([*_TENS, *_UNITS]) + r")(?:[-\s](\w+))?\s+percent\b", text, re.I
    ):
        value = _TENS.get(match.group(1).lower(), _UNITS.get(match.group(1).lower(), 0))
        if match.group(2) and match.group(2).lower() in _UNITS:
            value += _UNITS[match.group(2).lower()]
        found.percents.add(Fraction(value))
    for match in re.finditer(
        r"\b(" + "|".join(_UNITS) + r")\s+(?:in|out\s+of)\s+(" + "|".join(_UNITS) + r")\b",
        text, re.I,
    ):
        den = _UNITS[match.group(2).lower()]
        if den:
            found.ratios.add(Fraction(_UNITS[match.group(1).lower()], den))
    return found


# ------------------------------------------------------------ source texts
class VerifyInputError(Exception):
    """Bad input for ``verify``: a missing folder or an unreadable source (exit 2)."""


def extract_text(path: Path) -> str:
    """The text of a source document: plain text, Markdown, PDF or Word (.docx)."""
    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        raise VerifyInputError(f"{path}: this is a folder, not a document") from None
    except OSError as exc:
        raise VerifyInputError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    if raw.startswith(b"%PDF"):
        return _pdf_text(path, raw)
    if raw.startswith(b"PK\x03\x04") and path.suffix.lower() == ".docx":
        return _docx_text(path)
    if b"\x00" in raw[:8192]:
        raise VerifyInputError(
            f"{path}: this looks like a binary file, not a document; give a text, Markdown, "
            "PDF or Word (.docx) file"
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise VerifyInputError(
            f"{path}: the file is not UTF-8 text ({exc.reason} at byte {exc.start}); "
            "save it as UTF-8, or give the PDF or Word file"
        ) from None


def _pdf_text(path: Path, raw: bytes) -> str:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted:
            raise VerifyInputError(f"{path}: the PDF is password-protected; give an unlocked copy")
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except VerifyInputError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            RecursionError) as exc:
        raise VerifyInputError(f"{path}: cannot read this PDF ({exc})") from None
    if not text.strip():
        raise VerifyInputError(
            f"{path}: the PDF has no text to read (it may be scanned images); give a PDF "
            "with a text layer or a text copy of it"
        )
    return text


def _docx_text(path: Path) -> str:
    import zipfile

    try:
        from docx import Document

        document = Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise VerifyInputError(f"{path}: cannot read this Word file ({exc})") from None
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)


def source_files(tk: Toolkit, folder: Path) -> dict[str, list[Path]]:
    """Each source id -> the documents in ``folder`` its ``file`` pattern names."""
    out: dict[str, list[Path]] = {}
    for sid, source in tk.sources.items():
        pattern = source.file or source.seed_file
        if not pattern:
            continue
        matches = sorted(p for p in folder.glob(pattern) if not p.name.startswith("."))
        out[sid] = matches
    return out


# ------------------------------------------------------------- statements
@dataclass(frozen=True)
class Statement:
    file: str
    line: int
    item_id: str
    text: str
    sources: tuple[str, ...]
    #: the lines of the file the text was written on (to point at the figure's line)
    span: tuple[int, int]


def _text_values(value: Any) -> Iterator[tuple[str, int | None]]:
    if isinstance(value, str):
        yield value, None
    elif isinstance(value, LineDict):
        for key, sub in value.items():
            if isinstance(sub, str):
                yield sub, value.key_lines.get(key)


def statements(tk: Toolkit) -> Iterator[Statement]:
    """Every user-facing text of the toolkit, with the sources it cites."""
    for name, fields in STATEMENT_FIELDS.items():
        path = tk.root / name
        if not path.is_file():
            continue
        try:
            data = load_yaml_file(path, display=name)
        except YamlProblem:  # the loader has already reported it
            continue
        if not isinstance(data, LineList):
            continue
        for index, item in enumerate(data):
            if not isinstance(item, LineDict) or not isinstance(item.get("id"), str):
                continue
            next_line = data.item_lines[index + 1] if index + 1 < len(data) else 10**9
            own_sources = tuple(s for s in item.get("sources") or () if isinstance(s, str))
            keys = sorted(item.key_lines.values())
            for field_name in fields:
                if field_name not in item:
                    continue
                start = item.key_lines[field_name]
                end = min([k for k in keys if k > start] + [next_line])
                value = item[field_name]
                if isinstance(value, LineList):  # key messages / talking points
                    for i, entry in enumerate(value):
                        if isinstance(entry, LineDict) and isinstance(entry.get("text"), str):
                            srcs = tuple(s for s in entry.get("sources") or ()
                                         if isinstance(s, str))
                            at = value.item_lines[i]
                            stop = value.item_lines[i + 1] if i + 1 < len(value) else end
                            yield Statement(name, at, item["id"], entry["text"], srcs,
                                            (at, stop))
                    continue
                for text, line in _text_values(value):
                    first = line or start
                    yield Statement(name, first, item["id"], text, own_sources, (first, end))


# ------------------------------------------------------------------ verify
@dataclass(frozen=True)
class Mismatch:
    file: str
    line: int
    item_id: str
    figure: str
    sources: tuple[str, ...]

    def __str__(self) -> str:
        cited = ", ".join(self.sources) or "(no source cited)"
        return f"{self.file}:{self.line}: {self.item_id}: figure \"{self.figure}\" not found " \
               f"in cited source {cited}"


@dataclass
class Result:
    mismatches: list[Mismatch]
    statements: int
    figures: int
    documents: dict[str, list[Path]]


def verify(tk: Toolkit, folder: Path | str) -> Result:
    """Check the toolkit against the documents in ``folder``.

    Raises :class:`VerifyInputError` for a missing folder, a cited source with
    no document, or a document that cannot be read.
    """
    folder = Path(folder)
    if not folder.exists():
        raise VerifyInputError(f"{folder}: folder not found")
    if not folder.is_dir():
        raise VerifyInputError(f"{folder}: this is a file; give the folder of source documents")
    files = source_files(tk, folder)
    todo = [(st, figs) for st in statements(tk) if (figs := figures_in(st.text))]
    needed = sorted({sid for st, _ in todo for sid in st.sources if sid in tk.sources})

    texts: dict[str, Figures] = {}
    read: dict[Path, Figures] = {}
    problems: list[str] = []

    def documents_of(sid: str, seen: frozenset[str] = frozenset()) -> list[Path] | None:
        source = tk.sources[sid]
        if sid in files:
            return files[sid]
        parents = [p for p in source.cited_in if p in tk.sources and p not in seen]
        if not parents:
            return None
        out: list[Path] = []
        for parent in parents:
            got = documents_of(parent, seen | {sid})
            if got:
                out.extend(got)
        return out

    for sid in needed:
        docs = documents_of(sid)
        source = tk.sources[sid]
        if docs is None:
            problems.append(
                f"source '{sid}' has no document: add `file: <name in {folder}>` to it in "
                f"sources.yaml ({tk.where('sources', sid)})"
            )
            continue
        if not docs:
            pattern = source.file or source.seed_file or next(
                (tk.sources[p].file or tk.sources[p].seed_file for p in source.cited_in
                 if p in tk.sources), "")
            problems.append(f"source '{sid}': no file matching '{pattern}' in {folder}")
            continue
        found = Figures()
        for doc in docs:
            if doc not in read:
                try:
                    read[doc] = _source_figures(extract_text(doc))
                except VerifyInputError as exc:
                    problems.append(str(exc))
                    read[doc] = Figures()
            found.update(read[doc])
        texts[sid] = found
    if problems:
        raise VerifyInputError("\n".join(dict.fromkeys(problems)))

    lines_cache: dict[str, list[str]] = {}
    mismatches: list[Mismatch] = []
    count = 0
    for st, figs in todo:
        for fig in figs:
            count += 1
            if any(fig.matches(texts[s]) for s in st.sources if s in texts):
                continue
            line = _line_of(tk.root, st, fig.text, lines_cache)
            mismatches.append(Mismatch(st.file, line, st.item_id, fig.text, st.sources))
    used = {sid: files.get(sid) or [] for sid in needed}
    return Result(mismatches, len(todo), count, used)


def _line_of(root: Path, st: Statement, figure: str, cache: dict[str, list[str]]) -> int:
    """The line, within the statement, where ``figure`` is written (else its first line)."""
    if st.file not in cache:
        try:
            cache[st.file] = (root / st.file).read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError):
            cache[st.file] = []
    lines = cache[st.file]
    for number in range(st.span[0], min(st.span[1], len(lines) + 1)):
        if figure in lines[number - 1]:
            return number
    return st.line


def summary(result: Result) -> str:
    return (f"{result.figures} figure(s) in {result.statements} statement(s) checked against "
            f"{len({p for ps in result.documents.values() for p in ps})} document(s)")


def format_mismatches(mismatches: Iterable[Mismatch]) -> list[str]:
    return [str(m) for m in mismatches]


__all__ = [
    "Figure",
    "Mismatch",
    "Result",
    "VerifyInputError",
    "extract_text",
    "figures_in",
    "format_mismatches",
    "statements",
    "summary",
    "verify",
]
