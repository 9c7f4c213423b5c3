"""Readability of a text for an audience: scores, long sentences, and advice in words.

Scores come from textstat 0.7.3 (Flesch reading ease, Flesch-Kincaid grade and
the Coleman-Liau index). That version counts syllables with **Pyphen's
hyphenation dictionary**, which ships inside the ``pyphen`` wheel: nothing is
downloaded, ever. (textstat 0.7.4+ switched to the CMU pronouncing dictionary
and recent releases ask NLTK to download it on first use, which fails offline
and behind agency firewalls; ``pyproject.toml`` pins ``textstat==0.7.3``.)

textstat 0.7.3 imports ``pkg_resources`` only to read its word lists for
Dale-Chall, which we do not use; :func:`get_textstat` defers that import so
the checker starts fast (and works without setuptools installed).
"""

from __future__ import annotations

import heapq
import importlib
import re
import sys
import types
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress, repeat
from operator import not_
from typing import Any

from messaging.markup import Prepared, prepare
from messaging.matching import BULLET_CLASS, Tokens, tokenize
from toolkit.words import OTHER_LANGUAGE_WORDS, fold

SYLLABLE_SOURCE = "pyphen hyphenation dictionary (textstat 0.7.3; no download)"

#: The target used when no audience is given: a general, adult readership.
GENERAL_TARGET = {"max_grade": 10.0, "min_reading_ease": 50.0, "max_sentence_words": 25}
#: Distinct words whose syllables are remembered before the memo starts afresh.
MAX_MEMO = 100_000
#: Longer "words" are not hyphenated: their syllables are their vowel groups.
LONGEST_HYPHENATED = 60
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
#: Below this many words the scores swing too much to act on.
MIN_RELIABLE_WORDS = 30
#: English's commonest function words (not those other languages share, such as "a", "no",
#: "me" or "son"). An English text has about a third of its words among them; a Spanish,
#: French or Portuguese one under a twentieth.
_ENGLISH_TEXT = """
    the and of to in is that for it with on as are be this was your you our we will at by or
    from not have has can their they what how when all each which but if would there been
    were more about do does who them his its an than so these may also into should could
    i my us she him
"""
ENGLISH_FUNCTION_WORDS = frozenset(_ENGLISH_TEXT.split())
#: A text of at least this many words, under this share of them English function words and
#: at least the other share another language's (or written mostly in another script), is not
#: English: its readability is not scored (the formulas and the wording rules are English's).
#: A legend or a table of English labels has few function words of either kind: it is scored.
MIN_LANGUAGE_WORDS = 20
MIN_ENGLISH_SHARE = 0.12
MIN_OTHER_SHARE = 0.15
NOT_ENGLISH_ADVICE = (
    "This text does not look like English. The readability scores are made for English, so "
    "none are given; the wording rules are English too, so finding nothing does not mean the "
    "wording is fine. Ask someone who reads the language to check it."
)


def looks_english(tokens: Tokens) -> bool:
    """Whether a text's words are English: True for a short text (too few words to tell)."""
    words = list(compress(tokens.norm, tokens.word))
    long_enough = len(words) >= MIN_LANGUAGE_WORDS
    if long_enough and sum(map(ENGLISH_FUNCTION_WORDS.__contains__, words)) >= (
            MIN_ENGLISH_SHARE * len(words)):
        return True  # the common case: one pass over the words
    letters = [c for w in words for c in w if c.isalpha()]
    if len(letters) >= 2 * MIN_LANGUAGE_WORDS and sum(c > "\u024f" for c in letters) * 2 > len(
            letters):
        return False  # mostly another script (Chinese, Arabic, Russian, Korean …)
    if not long_enough:
        return True
    return sum(fold(w) in OTHER_LANGUAGE_WORDS for w in words) < MIN_OTHER_SHARE * len(words)

_ABBREVIATIONS = frozenset(
    [
        "e.g",
        "i.e",
        "etc",
        "vs",
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "no",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "u.s",
        "inc",
        "ltd",
        "co",
        "approx",
        "dept",
        # titles before a name in news copy and releases: "Gov. Dana Ortiz", "Sen. Lee"
        "gov",
        "sen",
        "rep",
        "supt",
        "lt",
        "capt",
        "sgt",
        "hon",
        "rev",
        "atty",
        "asst",
    ]
)
#: AP-style state abbreviations, which end no sentence after "City," in a dateline or a
#: place name ("MONTPELIER, Vt. — The board …", "schools in Lansing, Mich. The …" is rare)
_STATES = frozenset([
    "ala", "ariz", "ark", "calif", "colo", "conn", "del", "fla", "ga", "ill", "ind", "kan",
    "kans", "ky", "la", "md", "mass", "mich", "minn", "miss", "mo", "mont", "neb", "nev",
    "okla", "ore", "pa", "tenn", "tex", "vt", "va", "wash", "wis", "wyo", "n.h", "n.j", "n.m",
    "n.y", "n.c", "n.d", "s.c", "s.d", "r.i", "w.va", "d.c",
])
#: marks that join two words written without a space into one ("1,200", "U.S", "3:30")
_JOINERS = frozenset({",", ".", ":"})
_SENTENCE_END = frozenset({".", "!", "?", "\n\n", "…"})
_BLOCK_START = frozenset({"-", "*", "+", "•", ">", "#", "##", "###", "####", "#####", "######"})

_textstat: Any = None
#: syllables per word (lower case, no punctuation), as textstat 0.7.3 counts them with
#: Pyphen; filled as words are met (and by :func:`messaging.cache.prime_hyphenation`)
SYLLABLES: dict[str, int] = {}


class _DeferredModule(types.ModuleType):
    """Stands in for a module until one of its attributes is used."""

    def __getattr__(self, attr: str) -> Any:
        module = importlib.import_module(self.__name__)
        return getattr(module, attr)


def get_textstat() -> Any:
    """textstat's readability calculator (an instance of :func:`_calculator`), made on first use.

    textstat 0.7.3 imports ``pkg_resources`` (100 ms) only to read the word lists
    of Dale-Chall, which we do not use. While textstat is imported, a stand-in
    module takes its place; textstat keeps the stand-in, which imports the real
    thing if it is ever used, and nothing else in the process sees it.
    """
    global _textstat
    if _textstat is None:
        stand_in = "pkg_resources" not in sys.modules
        if stand_in:
            sys.modules["pkg_resources"] = _DeferredModule("pkg_resources")
        try:
            import textstat
        finally:
            if stand_in and isinstance(sys.modules.get("pkg_resources"), _DeferredModule):
                del sys.modules["pkg_resources"]
        _textstat = _calculator(textstat.textstat.__class__)()
        _textstat.set_lang("en_US")
    return _textstat


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_WORD_CHAR = re.compile(r"\w")
_SPACE_CHAR = re.compile(r"\s")
_KEEPS_KIND: dict[str, bool] = {}


def _kind(char: str) -> int:
    """0 for a word character, 1 for whitespace, 2 for what textstat counts as punctuation."""
    return 0 if _WORD_CHAR.match(char) else 1 if _SPACE_CHAR.match(char) else 2


def _lowering_keeps_kinds(text: str) -> bool:
    """Whether lower-casing ``text`` turns no letter into punctuation or the like.

    Then removing punctuation and lower-casing can be done in either order with the
    same result. ASCII always can; so can most other letters and marks (’ “ — é);
    not, say, "İ" (lower-cased, it gains a combining dot, which is punctuation to
    textstat) nor the Greek capital sigma, whose lower case depends on its neighbours.
    """
    for char in set(_NON_ASCII.findall(text)):
        keeps = _KEEPS_KIND.get(char)
        if keeps is None:
            if len(_KEEPS_KIND) >= MAX_MEMO:
                _KEEPS_KIND.clear()
            kind = _kind(char)
            keeps = _KEEPS_KIND[char] = char != "\u03a3" and all(
                _kind(c) == kind for c in char.lower()
            )
        if not keeps:
            return False
    return True


def _calculator(base: type) -> type:
    """textstat's calculator, counting each distinct word's syllables once.

    ``syllable_count`` is textstat 0.7.3's own algorithm (lower case, drop
    punctuation, Pyphen hyphenation points + 1 per word) with the per-word
    result remembered, ``sentence_count`` its rule without a cached method
    call per sentence, and ``lexicon_count``/``letter_count`` share one split of
    the punctuation-free text instead of three more passes over the text, so the
    scores are exactly textstat's, several times faster.
    """

    sentence_re = re.compile(r"\b[^.!?]+[.!?]*", re.UNICODE)
    punctuation_re = re.compile(r"[^\w\s]")

    class Calculator(base):  # type: ignore[misc,valid-type]
        _memo: dict[str, int] = SYLLABLES

        @lru_cache(maxsize=16)  # noqa: B019 - one calculator per process, like textstat's
        def sentence_count(self, text: str) -> int:
            # textstat 0.7.3's rule (sentences of at most two words are not counted),
            # without a cached method call per sentence
            sentences = sentence_re.findall(text)
            short = 0
            isalnum = str.isalnum
            for sentence in sentences:
                chunks = sentence.split()
                # dropping punctuation never adds a word, and keeps every all-letter one:
                # only when neither settles it is the punctuation actually removed
                if len(chunks) > 2 and (
                    sum(map(isalnum, chunks)) > 2
                    or len(punctuation_re.sub("", sentence).split()) > 2
                ):
                    continue
                short += 1
            return max(1, len(sentences) - short)

        @lru_cache(maxsize=16)  # noqa: B019 - one calculator per process, like textstat's
        def syllable_count(self, text: str, lang: str | None = None) -> int:
            # (with textstat's default of dropping every apostrophe: its other mode looks
            # at the letters after one, in lower case only)
            plain = getattr(self, "_textstatistics__rm_apostrophe", False) is True
            if plain and (text.isascii() or _lowering_keeps_kinds(text)):
                # the same words as textstat's (punctuation removed from the lower-cased
                # text), from the punctuation-free text lexicon_count already made
                words = self.remove_punctuation(text).lower().split()
            else:
                words = self.remove_punctuation(text.lower()).split()
            memo = self._memo
            missing = set(words).difference(memo)
            if missing:
                if len(memo) + len(missing) > MAX_MEMO:  # a long-running server sees new words
                    memo.clear()
                    self.pyphen.hd.cache.clear()
                    missing = set(words)
                positions = self.pyphen.positions
                for word in missing:
                    if len(word) > LONGEST_HYPHENATED:
                        # no dictionary word is this long (a pasted hash, a run of letters):
                        # count its vowel groups in C rather than walking Pyphen's patterns
                        # over every letter in Python (seconds for a 200,000-letter word)
                        memo[word] = max(1, len(_VOWEL_GROUPS.findall(word)))
                    else:
                        memo[word] = len(positions(word)) + 1
            return sum(map(memo.__getitem__, words))

        @lru_cache(maxsize=16)  # noqa: B019 - one calculator per process, like textstat's
        def _words(self, text: str) -> list[str]:
            """The words textstat counts: the text without punctuation, split at whitespace."""
            return self.remove_punctuation(text).split()

        @lru_cache(maxsize=16)  # noqa: B019 - one calculator per process, like textstat's
        def lexicon_count(self, text: str, removepunct: bool = True) -> int:
            return len(self._words(text)) if removepunct else len(text.split())

        @lru_cache(maxsize=16)  # noqa: B019 - one calculator per process, like textstat's
        def letter_count(self, text: str, ignore_spaces: bool = True) -> int:
            # textstat removes whitespace, then punctuation: what is left are the word
            # characters, i.e. the words lexicon_count counts, end to end (str.split and
            # re's \s agree on what whitespace is), with textstat's default of dropping
            # every apostrophe (its other mode depends on what follows one)
            if getattr(self, "_textstatistics__rm_apostrophe", False) is not True:
                return int(super().letter_count(text, ignore_spaces))
            if not ignore_spaces:
                return len(self.remove_punctuation(text))
            return sum(map(len, self._words(text)))

    return Calculator


@dataclass(frozen=True)
class Target:
    audience: str | None  # audience id, None for the general target
    name: str  # "parents", "a general audience"
    max_grade: float
    min_reading_ease: float
    max_sentence_words: int

    @classmethod
    def for_audience(cls, audience: Any | None) -> Target:
        """From a toolkit ``Audience`` (or anything with ``id``, ``name``, ``readability``)."""
        if audience is None or getattr(audience, "readability", None) is None:
            return cls(None, "a general audience", **GENERAL_TARGET)  # type: ignore[arg-type]
        r = audience.readability
        return cls(
            audience.id,
            audience.name,
            float(r.max_grade),
            float(r.min_reading_ease),
            int(r.max_sentence_words),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "audience": self.audience,
            "max_grade": self.max_grade,
            "min_reading_ease": self.min_reading_ease,
            "max_sentence_words": self.max_sentence_words,
        }


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    words: int


@dataclass(frozen=True)
class LongSentence:
    start: int
    end: int
    line: int
    column: int
    words: int

    def to_dict(self) -> dict[str, int]:
        return {
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "column": self.column,
            "words": self.words,
        }


@dataclass(frozen=True)
class Readability:
    """The readability summary of one text for one audience."""

    words: int
    sentences: int
    flesch_reading_ease: float
    flesch_kincaid_grade: float
    coleman_liau_index: float
    target: Target
    long_sentences: tuple[LongSentence, ...] = ()
    advice: tuple[str, ...] = ()
    reliable: bool = True
    meets_target: bool = True
    syllable_source: str = SYLLABLE_SOURCE
    words_per_sentence: float = 0.0
    longest_sentence: int = 0
    #: False: the text is in another language, so the scores are not given (they are 0.0)
    english: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "words": self.words,
            "sentences": self.sentences,
            "words_per_sentence": self.words_per_sentence,
            "longest_sentence": self.longest_sentence,
            "flesch_reading_ease": self.flesch_reading_ease,
            "flesch_kincaid_grade": self.flesch_kincaid_grade,
            "coleman_liau_index": self.coleman_liau_index,
            "target": self.target.to_dict(),
            # not scored (another language): neither a pass nor a fail
            "meets_target": self.meets_target if self.english else None,
            "reliable": self.reliable,
            "long_sentences": [s.to_dict() for s in self.long_sentences],
            "advice": list(self.advice),
            "syllable_source": self.syllable_source,
            "english": self.english,
        }


#: words before a one-letter grade that ends a sentence ("she got an A. Then…", "my A.")
_GRADE_BEFORE = frozenset((
    "a", "an", "my", "his", "her", "their", "your", "our", "got", "get", "gets", "earned",
    "earn", "straight",
))
#: words a Roman numeral follows ("… entering Phase II, and others start Phase I. Funding
#: …"): "I." after them ends a sentence, it is not a name's initial
_NUMBERED = frozenset((
    "phase", "title", "part", "tier", "level", "stage", "round", "section", "chapter",
    "article", "cohort", "step", "volume", "unit", "war",
))
_LIST_LINE = re.compile(
    rf"[ \t]*+(?:[-*+\u2022]|[{BULLET_CLASS}]\ufe0f?|"
    r"\(?[0-9]{1,3}[.)]|\(?[a-zA-Z][.)]|\([ivx]{1,4}\))[ \t]"
)
#: a line starting with one of these starts a sentence: a number, a quotation, a bracket,
#: a table row ("| District | Grant |")
_LINE_START_BREAKS = frozenset("0123456789\"'\u201c\u2018(|")
_ENDS_SENTENCE = frozenset(".!?")
_OPEN_QUOTES = frozenset("\"'\u201c\u2018")
#: a line this long that ends without punctuation is taken for hard-wrapped prose
WRAPPED_LINE = 60
#: a label line: a short capitalized label and a colon ("Equity: every student gets…")
_LABEL_LINE = re.compile(r"[ \t]*+[A-Z][\w'’ /&-]{0,30}:[ \t]")
#: a legend line: a short label, then a spaced dash ("Emerging – beginning to understand",
#: "4 - Exceeds the standard"); like a list line it ends where its line ends, however long
_LEGEND_LINE = re.compile(r"[ \t]*+[^\W_][^\n–—-]{0,24}?[ \t]+[–—-][ \t]")


#: a resolution's recitals ("WHEREAS …;") and what follows them make one sentence
_RECITAL = re.compile(r"\s*whereas\b", re.IGNORECASE)
#: a footnote marker after a full stop ("… in 2021.[2]")
_FOOTNOTE = re.compile(r"\[\d{1,3}\](?=\s|$)")
#: a greeting line ("Dear Families,", "Hello Eagle families,"): its own sentence
_GREETING_LINE = re.compile(
    r"[ \t]*+(?:dear|hello|hi|greetings|good (?:morning|afternoon|evening)|to (?:our|all|the))\b"
    r"[^\n]{0,40},[ \t]*$",
    re.IGNORECASE)
#: a salutation of capitalized words alone on its line ("Parents and Guardians,", "Eagle
#: Families,", "Students & Staff,"): its own sentence, like a greeting
_ADDRESS_LINE = re.compile(
    r"[ \t]*+[A-Z][\w'’-]*(?:[ \t]+(?:and|&|of|the|[A-Z][\w'’-]*)){0,4},[ \t]*$")
#: words that start a new sentence after a line ending in a comma (a list of clauses in a
#: statute or resolution, "… in all content areas,\nThe mastery of …"): capitalized
#: function words, which a hard-wrapped sentence does not put after its own comma
_SENTENCE_OPENERS = frozenset((
    "The", "A", "An", "This", "That", "These", "Those", "Our", "We", "It", "Its", "Each",
    "Every", "All", "In", "On", "For", "To", "With", "By", "At", "As", "Students", "Teachers",
))
#: words a hard-wrapped line may end on (the sentence obviously runs on to the next line)
_RUNS_ON = frozenset((
    "a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "from", "with", "and", "or",
    "but", "that", "which", "who", "is", "are", "was", "were", "be", "as", "into", "than",
    "our", "their", "its", "his", "her", "your", "my", "this", "these", "those", "will",
    "can", "may", "would", "should", "not", "if", "when", "because", "so", "about", "over",
    "under", "between", "through", "during", "each", "every", "all", "both", "such",
))


def _title_case(line: str) -> bool:
    """A headline: most of its words capitalized ("Coalition Launches Campaign to …")."""
    words = [w for w in line.split() if w[:1].isalpha()]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) * 3 >= len(words) * 2


def line_breaks(prose: str) -> list[int]:
    """Offsets where a line starts a new sentence although the line before has no full stop.

    A heading, a list line or a legend line ("4 – Exceeds the standard") ends where its
    line ends: the next line starts a sentence when it is a list item, starts with a digit,
    a quotation mark or a bracket, or starts with a capital after a short line, after a
    list or legend line of any length, or after a line ending in a colon ("… a consistent
    message:" then the message); each row of a table ("| Alder Creek | $50,000 |"), and
    each of its cells, is a sentence of its own; another long line without a full stop is
    hard-wrapped prose running on. Linear: one pass over the newlines.
    """
    breaks: list[int] = []
    find = prose.find
    n = len(prose)
    line_start = 0
    nl = find("\n")
    while nl != -1:
        nxt = nl + 1
        if nxt < n and prose[nxt] != "\n":
            previous = prose[line_start:nl].rstrip()
            if previous and previous[-1] not in _ENDS_SENTENCE:
                listed = bool(_LIST_LINE.match(prose, line_start, nl)
                              or _LEGEND_LINE.match(prose, line_start, nl)
                              or _LABEL_LINE.match(prose, line_start, nl)
                              or _title_case(previous))
                rest = nxt
                while rest < n and prose[rest] in " \t":
                    rest += 1
                first = prose[rest] if rest < n else ""
                last = previous[-1]
                if first and (
                    _LIST_LINE.match(prose, nxt)
                    or first in _LINE_START_BREAKS
                    or (last == "|" and previous.lstrip()[0] == "|")  # after a table row
                    or (first.isupper() and (len(previous.lstrip()) < WRAPPED_LINE or listed
                                             or last == ":" or (
                                                 last == ";" and not _RECITAL.match(previous)))
                        and last != ",")
                    or (first.isupper() and last == "," and (
                        _GREETING_LINE.match(prose, line_start, nl) is not None
                        or _ADDRESS_LINE.match(prose, line_start, nl) is not None
                        or _first_word(prose, rest) in _SENTENCE_OPENERS))
                    or (first.isupper() and (last.isalnum() or last == "%")
                        and _last_word(previous) not in _RUNS_ON
                        and _first_word(prose, rest) not in _NAME_CONTINUES)
                    # a short line that neither ends a sentence nor runs on ("every formative
                    # for it is done" / "you fill out the form"): a list line without a bullet,
                    # as is the first line after a lead-in ending in a colon
                    or (first.isalpha() and len(previous.lstrip()) < WRAPPED_LINE and (
                        last == ":" or (last.isalnum() and _last_word(previous) not in _RUNS_ON))
                        and not _ends_sentence(prose, rest))
                    or (first.isupper() and last in ")]" and _cited_after_end(previous))
                    # a list of items ending in semicolons, and the line that opens it:
                    # "… will list:" / "a teacher's comments;" / "days absent; and"
                    or (first.isalpha() and _list_item_end(previous, prose, rest))
                ):
                    breaks.append(rest)
        line_start = nxt
        nl = find("\n", nxt)
    if "|" in prose:
        breaks.extend(_cell_breaks(prose))
    return breaks


def _cell_breaks(prose: str) -> list[int]:
    """The start of each cell after the first in a table row ("| Step | Target | When |"): a
    cell is its own sentence, as a Word table's cell is. Linear: each line is read once."""
    out: list[int] = []
    line_start = 0
    n = len(prose)
    while line_start < n:
        nl = prose.find("\n", line_start)
        end = n if nl == -1 else nl
        first = line_start
        while first < end and prose[first] in " \t":
            first += 1
        if first < end and prose[first] == "|":
            pipe = prose.find("|", first + 1, end)
            while pipe != -1:
                cell = pipe + 1
                while cell < end and prose[cell] in " \t":
                    cell += 1
                if cell < end and prose[cell] != "|":
                    out.append(cell)
                pipe = prose.find("|", pipe + 1, end)
        line_start = end + 1
    return out


def _item_end(line: str) -> bool:
    """Whether the line ends like an item of a list of clauses: "…;", "…; and", "…; or"."""
    return line.endswith((";", "; and", "; or"))


def _list_item_end(previous: str, prose: str, rest: int) -> bool:
    """A line ending like a list item ends its sentence; so does a line ending in a colon
    when the next line is such an item (a list without bullets under its lead-in)."""
    if _item_end(previous):
        # a resolution's "WHEREAS …;" recitals and its "RESOLVED" are one sentence
        return not _RECITAL.match(previous)
    if not previous.endswith(":"):
        return False
    line_end = prose.find("\n", rest)
    return _item_end(prose[rest : len(prose) if line_end == -1 else line_end].rstrip())


def _cited_after_end(line: str) -> bool:
    """The line ends with a bracketed part that follows a finished sentence ("… careers.
    (“High School Transformation”)"): a citation, which ends with its line."""
    opening = max(line.rfind("("), line.rfind("["))
    if opening <= 0:
        return False
    before = line[:opening].rstrip().rstrip("\"'”’")
    return bool(before) and before[-1] in _ENDS_SENTENCE


#: a capitalized word that often continues a wrapped line (a name, "I")
_NAME_CONTINUES = frozenset(("I", "I'm", "I’m", "I've", "I’ve", "I'd", "I’d"))
_WORD = re.compile(r"[\w'’]+")


def _first_word(prose: str, at: int) -> str:
    match = _WORD.match(prose, at, min(len(prose), at + 40))
    return match.group(0) if match else ""


def _ends_sentence(prose: str, start: int) -> bool:
    """Whether the line starting at ``start`` ends with a full stop, "!" or "?" (a sentence
    run on from the line before, not a list line)."""
    end = prose.find("\n", start)
    line = prose[start : len(prose) if end == -1 else end].rstrip()
    return bool(line) and line[-1] in _ENDS_SENTENCE


def _last_word(line: str) -> str:
    found = _WORD.findall(line[-40:])
    return found[-1].lower() if found else ""


def _within(offsets: list[int], start: int, end: int) -> int:
    return bisect_left(offsets, end) - bisect_left(offsets, start)


def _opens_line(prose: str, at: int) -> bool:
    """Whether only spaces stand between the start of the line and offset ``at``."""
    k = at
    while k > 0 and prose[k - 1] in " \t":
        k -= 1
    return k == 0 or prose[k - 1] == "\n"


def _capital_next(prose: str, at: int, line_breaks_too: bool = False) -> bool:
    """Whether the first character from ``at`` after spaces and tabs (any white space with
    ``line_breaks_too``) is a capital."""
    n = len(prose)
    while at < n and (prose[at].isspace() if line_breaks_too else prose[at] in " \t"):
        at += 1
    return at < n and prose[at].isupper()


def split_sentences(prose: str, tokens: Tokens) -> list[Sentence]:
    """Sentences of the prose, as offsets, from its tokens.

    Abbreviation- and decimal-aware; a heading or list line without a full stop is a
    sentence of its own (:func:`line_breaks`); a hyphenated compound counts as one word;
    a letter grade in quotes ("a “B.” It…") ends its sentence.
    """
    sentences: list[Sentence] = []
    start = -1
    end = 0
    words = 0
    n = len(prose)
    starts, ends, norms, is_word = tokens.start, tokens.end, tokens.norm, tokens.word
    count = len(norms)
    # only punctuation and line breaks can end a sentence: visit them alone (found in C),
    # counting the words between one and the next
    marks = list(compress(range(count), map(not_, is_word)))
    breaks = line_breaks(prose) if "\n" in prose else []
    # (index, 0) is a break before token index; (index, 1) is the mark at index
    events: Iterable[tuple[int, int]]
    if breaks:
        before = sorted({bisect_left(starts, b) for b in breaks})
        events = heapq.merge(zip(before, repeat(0)), zip(marks, repeat(1)), [(count, 1)])
    else:
        marks.append(count)  # the end of the text
        events = zip(marks, repeat(1))
    previous = -1
    for i, kind in events:
        if i > previous + 1:  # words since the previous event
            if start < 0:
                start = starts[previous + 1]
            words += i - previous - 1
            end = ends[i - 1]
        if kind == 0:
            previous = i - 1
            if words:
                sentences.append(Sentence(start, end, words))
                start, words = -1, 0
            continue
        previous = i
        if i == count:
            break
        norm = norms[i]
        if (norm in _JOINERS and 0 < i < count - 1 and is_word[i - 1] and is_word[i + 1]
                and ends[i - 1] == starts[i] and ends[i] == starts[i + 1]):
            # "1,200", "$3.5", "U.S", "3:30": one word with a mark inside, not two
            words -= 1
            if norm != ".":
                continue
        if norm in _SENTENCE_END:
            if norm == ".":
                e = ends[i]
                nxt = prose[e] if e < n else " "
                if not nxt.isspace() and nxt not in "\"'”’)]*_" and not (
                        nxt == "[" and _FOOTNOTE.match(prose, e) is not None):
                    continue  # 3.6, U.S.A, example.org (but "… in 2021.[2] Nearly …" ends)
                if i and is_word[i - 1] and ends[i - 1] == starts[i]:
                    prev = norms[i - 1]
                    if prev in _ABBREVIATIONS and not (
                            # "… pens, paper, etc. The class …": a capital after "etc." starts
                            # a sentence
                            prev == "etc" and _capital_next(prose, e)):
                        continue
                    if (prev in _STATES and i >= 3 and norms[i - 2] == ","
                            and prose[starts[i - 3]].isupper()):
                        continue  # "MONTPELIER, Vt. — …": a place, not a sentence end
                    if prev == "m" and i > 2 and norms[i - 2] == "." and norms[i - 3] in ("a", "p"):
                        # "8 a.m." ends a sentence when a capital follows, not "8 a.m. on"
                        if not _capital_next(prose, e, line_breaks_too=True):
                            continue
                    elif len(prev) == 1 and prev.isalpha():
                        s0 = starts[i - 1]
                        quoted = (s0 and prose[s0 - 1] in _OPEN_QUOTES) or nxt in "\"'”’"
                        if not quoted:
                            # "… said Dana Lee, Ph.D. “This pilot …": a quotation opening
                            # after the full stop starts a sentence (no name follows an
                            # initial in quotation marks)
                            k = e
                            while k < n and prose[k] in " \t":
                                k += 1
                            quoted = k < n and prose[k] in "“\"‘" and k > e
                        grade = i > 1 and (norms[i - 2] in _GRADE_BEFORE or (
                            # "… just enough for a low A. It's late": a letter grade after
                            # a lower-case word, not a name's initial
                            prose[s0] in "ABCDF" and is_word[i - 2]
                            and prose[starts[i - 2]].islower()))
                        # "… which we call SBA/R. I have …", "AT&T.": the end of an
                        # acronym, not a name's initial; "… start Phase I. Funding …": a
                        # Roman numeral
                        acronym = s0 > 0 and prose[s0 - 1] in "/&" or (
                            prose[s0] in "IVX" and i > 1 and norms[i - 2] in _NUMBERED)
                        if not quoted and not grade and not acronym and nxt != "\n":
                            # (a line break after "Saint Marie R-I." ends the sentence: a
                            # name does not break its line after an initial)
                            continue  # an initial: J. Smith
            if words and norm != "\n\n":
                end = ends[i]
        elif norm not in _BLOCK_START:
            continue
        elif norm != "•" and not _opens_line(prose, starts[i]):
            continue  # "try hard - or barely try - every day": a dash, not a list bullet
        if words:
            sentences.append(Sentence(start, end, words))
            start, words = -1, 0
    if words:
        sentences.append(Sentence(start, end, words))
    if "-" in prose and sentences:
        joins = []
        find = prose.find
        at = find("-", 1)
        while at != -1:
            if at + 1 < n and prose[at - 1].isalnum() and prose[at + 1].isalnum():
                joins.append(at)
            at = find("-", at + 1)
        if joins:
            sentences = [
                Sentence(s.start, s.end, s.words - _within(joins, s.start, s.end))
                for s in sentences
            ]
    return sentences


def summarize(
    prepared: Prepared,
    tokens: Tokens,
    target: Target,
    sentences: list[Sentence] | None = None,
) -> Readability | None:
    """Score prose already prepared and tokenized by the checker; None when there are no words."""
    if sentences is None:
        sentences = split_sentences(prepared.prose, tokens)
    if not sentences:
        return None
    prose = prepared.prose
    # each sentence on one line's worth of single spaces, ending in . ! or ? (a sentence
    # starts with a word and ends with a word or its closing mark, never with a space)
    parts = [
        prose[s.start : s.end] if prose[s.end - 1] in ".!?" else prose[s.start : s.end] + "."
        for s in sentences
    ]
    text = " ".join(" ".join(parts).split())
    words = sum(s.words for s in sentences)
    longest = max(s.words for s in sentences)
    if not looks_english(tokens):
        # the grade formulas are English's: no numbers that would look like a verdict
        return Readability(
            words=words, sentences=len(sentences), flesch_reading_ease=0.0,
            flesch_kincaid_grade=0.0, coleman_liau_index=0.0, target=target,
            advice=(NOT_ENGLISH_ADVICE,), reliable=False, meets_target=True,
            words_per_sentence=round(words / len(sentences), 1), longest_sentence=longest,
            english=False)
    ts = get_textstat()
    ease = float(ts.flesch_reading_ease(text))
    grade = float(ts.flesch_kincaid_grade(text))
    coleman = float(ts.coleman_liau_index(text))
    long_sentences = []
    for s in sentences:
        if s.words > target.max_sentence_words:
            line, column = prepared.line_col(s.start)
            long_sentences.append(LongSentence(s.start, s.end, line, column, s.words))
    reliable = words >= MIN_RELIABLE_WORDS
    advice = _advice(target, ease, grade, long_sentences, longest, reliable)
    meets = grade <= target.max_grade and ease >= target.min_reading_ease and not long_sentences
    return Readability(
        words=words,
        sentences=len(sentences),
        flesch_reading_ease=round(ease, 1),
        flesch_kincaid_grade=round(grade, 1),
        coleman_liau_index=round(coleman, 1),
        target=target,
        long_sentences=tuple(long_sentences),
        advice=tuple(advice),
        reliable=reliable,
        meets_target=meets,
        words_per_sentence=round(words / len(sentences), 1),
        longest_sentence=longest,
    )


def audience_phrase(target: Target) -> str:
    """The audience's name as it reads mid-sentence: "parents and families"."""
    name = target.name
    if name[:1].isupper() and name[1:2].islower():
        name = name[0].lower() + name[1:]
    return name


def _whose(target: Target) -> str:
    if target.audience is None:
        return "the general target"
    name = audience_phrase(target)
    return f"{name}' target" if name.endswith("s") else f"{name}'s target"


def _advice(
    target: Target,
    ease: float,
    grade: float,
    long_sentences: list[LongSentence],
    longest: int,
    reliable: bool,
) -> list[str]:
    whose = _whose(target)
    advice: list[str] = []
    if long_sentences:
        count = len(long_sentences)
        advice.append(
            f"Split sentences over {target.max_sentence_words} words "
            f"({count} found; the longest has {longest}); {whose} is grade {target.max_grade:g}."
        )
    if grade > target.max_grade:
        advice.append(
            f"This reads at grade {grade:.1f}; {whose} is grade {target.max_grade:g} or lower. "
            "Use shorter sentences and everyday words (say 'help' rather than 'facilitate')."
        )
    if ease < target.min_reading_ease:
        advice.append(
            f"Reading ease is {ease:.0f} out of 100; aim for {target.min_reading_ease:g} or more "
            "(higher is easier): fewer long words, one idea per sentence."
        )
    if not advice:
        advice.append(
            f"Meets {whose}: grade {grade:.1f} (at most {target.max_grade:g}), reading ease "
            f"{ease:.0f} (at least {target.min_reading_ease:g})."
        )
    if not reliable:
        advice.append(
            f"The text is short (under {MIN_RELIABLE_WORDS} words), so treat these scores as rough."
        )
    return advice


def readability(text: str, audience: Any | None = None, markup: str = "auto") -> Readability | None:
    """Readability of ``text`` for ``audience`` (a toolkit Audience or None); None if no words."""
    prepared = prepare(text, markup)
    tokens = tokenize(prepared.prose)
    return summarize(prepared, tokens, Target.for_audience(audience))


__all__ = [
    "GENERAL_TARGET",
    "NOT_ENGLISH_ADVICE",
    "looks_english",
    "audience_phrase",
    "SYLLABLE_SOURCE",
    "LongSentence",
    "Readability",
    "Sentence",
    "Target",
    "readability",
    "split_sentences",
    "summarize",
]
