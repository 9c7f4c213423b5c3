"""A small token pattern language for phrase rules, compiled once to fast matching.

The syntax is documented for content editors at the top of
``toolkit/content/rules.yaml``. In short, a pattern is a sequence of:

``word``
    that word, any case (``it's`` and ``it’s`` are the same; a possessive
    ``'s`` is ignored, so ``school`` matches "school's").
``word~``
    every inflection of the word: ``rigor~`` matches rigor, rigorous,
    rigorously (not vigorous, not Rigoberto). Words are compared by their
    Snowball stem.
``word*``
    any word starting with these letters: ``reorganiz*``.
``_``
    any one word.
``...`` / ``...N``
    up to 3 (or N, at most 8) words in between. Gaps never cross punctuation,
    so a match stays inside one clause.
``(a|b c|d)``
    one of the alternatives; each alternative may be several words.
``item?``
    the item is optional (``(the|our)? time``).
``\\,`` ``\\(`` …
    a punctuation mark, written with a backslash.

Hyphens join nothing: ``seat time`` matches "seat-time" too. One intensifier
(:data:`INTENSIFIERS`) between two words of a pattern is read past: ``at different
points`` matches "at very different points".

Matching runs on a token stream (words and punctuation) of the text; each
pattern is indexed by the words that can start it, so the cost of a check
grows with the text, not with the number of rules.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import compress
from operator import itemgetter, not_
from typing import Any

MAX_GAP = 8
DEFAULT_GAP = 3

#: An intensifier between two words of a pattern is read past: "at different points"
#: also matches "at very different points", "know students well" "know students really
#: well". Only between words (never before a pattern's first word), one at a time, and
#: only when the pattern's next word is not that word itself.
INTENSIFIERS = frozenset({
    "very", "really", "truly", "quite", "extremely", "incredibly", "remarkably",
    "completely", "totally", "entirely", "fully", "radically", "deeply", "genuinely",
})

#: list bullets other than "•" that open a line (as pasted from Word and PDF files, or
#: typed as emoji in newsletters and social posts: "✅ Report cards go home Friday"):
#: arrows, shapes, dingbats and emoji (a regex character class; a variation selector may
#: follow). Each is read as "•". Mathematical operators ("≥ 90%") are left out.
BULLET_CLASS = "\u2023\u2043\u2190-\u21ff\u2300-\u2bff\U0001f000-\U0001faff"
_BULLET_RE = re.compile(f"[{BULLET_CLASS}]\ufe0f?")
#: Words: letters/digits with inner apostrophes (and soft hyphens, read past). Punctuation
#: that ends a clause is a token too, so that gaps and adjacent words cannot run across it
#: (an en dash between two words or numbers, "grades 3–12", "K–12", is a range, not a
#: break).
TOKEN_RE = re.compile(
    r"(?P<w>[^\W_]+(?:['’\u00ad][^\W_]+)*)"
    r"|(?P<p>[.!?;:,()\[\]{}|—…]|(?<![^\W_])–|–(?![^\W_])|-(?=\s)(?<=\s-)|\n[ \t]*\n"
    rf"|(?m:^[ \t]*(?:[-*+>•]|[{BULLET_CLASS}]\ufe0f?|#{{1,6}})(?=[ \t])))"
)

_stemmer: Any = None
_STEMS: dict[str, str] = {}


#: a long-running server sees endless new words; the cache is emptied at this size
MAX_CACHED = 200_000


def stem(word: str) -> str:
    """The Snowball (Porter 2) stem of a lower-case word, cached."""
    cached = _STEMS.get(word)
    if cached is None:
        if len(_STEMS) >= MAX_CACHED:
            _STEMS.clear()
        global _stemmer
        if _stemmer is None:
            import snowballstemmer

            _stemmer = snowballstemmer.stemmer("english")
        cached = _STEMS[word] = _stemmer.stemWord(word)
    return cached


def normalize(word: str) -> str:
    """Lower case, straight apostrophes, no possessive ``'s``."""
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    return word


class Tokens:
    """The tokens of a text as parallel lists (fast to build and to index).

    ``norm[i]`` is the normalized word, or the punctuation mark (``"\\n\\n"`` for a
    paragraph break); ``word[i]`` tells which; ``start[i]``/``end[i]`` are offsets.
    """

    __slots__ = ("start", "end", "norm", "word")

    def __init__(self) -> None:
        self.start: list[int] = []
        self.end: list[int] = []
        self.norm: list[str] = []
        self.word: list[bool] = []

    def __len__(self) -> int:
        return len(self.norm)


_span = re.Match.span
_group = re.Match.group
_first = itemgetter(0)
_second = itemgetter(1)
#: token text -> its normalized form, and normalized form -> whether it is a word;
#: both depend only on the token, so they are remembered across texts
_NORMS: dict[str, str] = {}
_IS_WORD: dict[str, bool] = {}


def _norm_of(token: str) -> str:
    if "\u00ad" in token:  # a soft hyphen from a PDF or Word file: "rig\u00adorous" is "rigorous"
        token = token.replace("\u00ad", "")
    if token[0].isalnum():
        return token[:-2] if token.endswith("'s") else token
    mark = token.strip()
    return "•" if _BULLET_RE.fullmatch(mark) else mark or "\n\n"


def tokenize(text: str) -> Tokens:
    global _NORMS, _IS_WORD
    low = text.lower().replace("’", "'")
    if len(low) != len(text):  # a few characters change length when lowered (İ)
        low = "".join(c.lower()[:1] or c for c in text).replace("’", "'")
    tokens = Tokens()
    # every step below iterates in C (map, set); a Python loop per token is much slower
    matches = list(TOKEN_RE.finditer(low))
    spans = list(map(_span, matches))
    tokens.start = list(map(_first, spans))
    tokens.end = list(map(_second, spans))
    texts = list(map(_group, matches))
    norms, is_word = _NORMS, _IS_WORD
    missing = set(texts).difference(norms)
    if missing:
        if len(norms) + len(missing) > MAX_CACHED:  # a long-running server sees endless words
            norms = _NORMS = {}  # new dicts: a tokenize running elsewhere keeps its own
            is_word = _IS_WORD = {}
            missing = set(texts)
        for token in missing:
            norm = _norm_of(token)
            is_word[norm] = norm[:1].isalnum()  # first: another thread may be reading
            norms[token] = norm
    tokens.norm = norm_list = list(map(norms.__getitem__, texts))
    tokens.word = list(map(is_word.__getitem__, norm_list))
    return tokens


# ------------------------------------------------------------------ patterns
class PatternError(ValueError):
    """A pattern that cannot be compiled; the message says what is wrong."""


# Node kinds. Nodes are tuples for speed: (kind, payload, optional)
WORD, STEM, PREFIX, ANY, PUNCT, GAP, GROUP, SET = range(8)
Node = tuple[int, Any, bool]

_PUNCT_CHARS = set(".!?;:,()[]{}|—–…-")
_WORD_CHARS_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def dead_stem(word: str) -> str | None:
    """Why ``word~`` can never match, or None when it can.

    ``word~`` matches the words whose Snowball stem is the stem of ``word``. A word cut
    short before its final "e" ("personaliz", "eliminat", "increas") has a stem that no
    real word has: personalize, personalized and personalizing all stem to "person"; so
    do "mov" (move, moving) and "eas" (ease, easing). Such a word is recognised by its -e,
    -ed and -ing forms sharing one stem that is not its own. (A short word whose final
    consonant doubles, "kid" -> "kidded", "plan" -> "planned", is a whole word.) A word cut
    before a final "y" ("communit" for community) is not recognised here: the rules
    meta-test catches it, as no example can exercise it.
    """
    own = stem(word)
    forms = [stem(word + ending) for ending in ("e", "ed", "ing")]
    if (
        own in forms
        or len(set(forms)) != 1
        or len(own) < len(word) - 1  # a whole inflected word ("meeting" -> "meet")
        or (len(word) <= 5 and stem(word + word[-1] + "ed") == own)  # planned -> plan
    ):
        return None
    return (
        f"'{word}~' never matches: {word}e, {word}ed and {word}ing have the stem "
        f"'{forms[0]}', not '{own}'. Write a whole word ('{word}e~'), or '{word}*' for "
        "every word starting with these letters"
    )


class _Parser:
    def __init__(self, source: str) -> None:
        self.s = source
        self.i = 0

    def error(self, message: str) -> PatternError:
        return PatternError(f"{message} (at character {self.i + 1} of '{self.s}')")

    def parse(self) -> list[Node]:
        nodes = self.sequence(top=True)
        if self.i < len(self.s):
            raise self.error(f"unexpected '{self.s[self.i]}'")
        return nodes

    def skip_space(self) -> None:
        while self.i < len(self.s) and self.s[self.i].isspace():
            self.i += 1

    def sequence(self, top: bool = False) -> list[Node]:
        nodes: list[Node] = []
        while True:
            self.skip_space()
            if self.i >= len(self.s):
                break
            c = self.s[self.i]
            if c in "|)":
                if top:
                    raise self.error(f"'{c}' outside of '( … )'")
                break
            nodes.extend(self.item())
        return nodes

    def item(self) -> list[Node]:
        s, c = self.s, self.s[self.i]
        nodes: list[Node]
        if c == "(":
            self.i += 1
            alternatives = [self.sequence()]
            while self.i < len(s) and s[self.i] == "|":
                self.i += 1
                alternatives.append(self.sequence())
            if self.i >= len(s) or s[self.i] != ")":
                raise self.error("'(' is never closed with ')'")
            self.i += 1
            if any(not alt for alt in alternatives):
                raise self.error("an empty alternative in '( … )'")
            nodes = [(GROUP, tuple(tuple(alt) for alt in alternatives), False)]
        elif s.startswith("...", self.i):
            self.i += 3
            j = self.i
            while self.i < len(s) and s[self.i].isdigit():
                self.i += 1
            n = int(s[j : self.i]) if self.i > j else DEFAULT_GAP
            if not 1 <= n <= MAX_GAP:
                raise self.error(f"a gap must be 1 to {MAX_GAP} words")
            return [(GAP, n, False)]
        elif c == "\\":
            if self.i + 1 >= len(s) or s[self.i + 1] not in _PUNCT_CHARS:
                raise self.error("'\\' must be followed by a punctuation mark such as , ; : ( )")
            mark = s[self.i + 1]
            self.i += 2
            nodes = [(PUNCT, mark, False)]
        elif c == "_" and (self.i + 1 == len(s) or not s[self.i + 1].isalnum()):
            self.i += 1
            nodes = [(ANY, None, False)]
        else:
            j = self.i
            while self.i < len(s) and (s[self.i].isalnum() or s[self.i] in "'’-"):
                self.i += 1
            raw = s[j : self.i]
            if not raw:
                raise self.error(f"unexpected '{c}'")
            marker = ""
            if self.i < len(s) and s[self.i] in "~*":
                marker = s[self.i]
                self.i += 1
            parts = _WORD_CHARS_RE.findall(raw)
            if not parts:
                raise self.error(f"'{raw}' is not a word")
            nodes = [(WORD, normalize(p), False) for p in parts[:-1]]
            last = normalize(parts[-1])
            if marker == "~":
                dead = dead_stem(last)
                if dead:
                    raise self.error(dead)
                nodes.append((STEM, stem(last), False))
            elif marker == "*":
                nodes.append((PREFIX, last, False))
            else:
                nodes.append((WORD, last, False))
        if self.i < len(s) and s[self.i] == "?":
            self.i += 1
            if len(nodes) != 1:
                raise self.error("'?' after a hyphenated word; wrap it in '( … )?'")
            kind, payload, _ = nodes[0]
            nodes = [(kind, payload, True)]
        return nodes


def parse_pattern(source: str) -> tuple[Node, ...]:
    """Parse one pattern; raise :class:`PatternError` with a plain explanation."""
    nodes = _Parser(source).parse()
    if not nodes:
        raise PatternError("the pattern is empty")
    if all(_nullable(n) for n in nodes):
        raise PatternError(f"'{source}': every part is optional, so it would match nothing")
    if nodes[0][0] == GAP or nodes[-1][0] == GAP:
        raise PatternError(f"'{source}': a pattern cannot start or end with '...'")
    return tuple(nodes)


def _nullable(node: Node) -> bool:
    kind, payload, optional = node
    if optional or kind == GAP:
        return True
    if kind == GROUP:
        return any(all(_nullable(n) for n in alt) for alt in payload)
    return False


#: A first-word key: ("w", word) exact, ("k", prefix3) for stems and prefixes.
Key = tuple[str, str]


def _first_keys(nodes: Sequence[Node]) -> set[Key] | None:
    """Keys of the words that can start ``nodes``; None when any word can."""
    keys: set[Key] = set()
    for node in nodes:
        kind, payload, _ = node
        if kind == WORD:
            keys.add(("w", payload))
        elif kind in (STEM, PREFIX):
            keys.add(("k", payload[:3]))
        elif kind == SET:
            keys.update(("w", w) for w in payload[0])
            keys.update(("k", p[:3]) for p in (*payload[1], *payload[2]))
        elif kind == GROUP:
            for alt in payload:
                sub = _first_keys(alt)
                if sub is None:
                    return None
                keys |= sub
        elif kind == PUNCT:
            keys.add(("p", payload))
        elif kind in (ANY, GAP):
            return None
        if not _nullable(node):
            return keys
    return keys


def _first_set(nodes: Sequence[Node]) -> Node | None:
    """One node testing whether a token can start ``nodes`` (None: any token might)."""
    if not nodes or all(_nullable(n) for n in nodes):
        return None
    if len(nodes) >= 1 and nodes[0][0] in _SIMPLE and not nodes[0][2]:
        return nodes[0]
    exact: set[str] = set()
    stems: list[str] = []
    prefixes: list[str] = []

    def walk(seq: Sequence[Node]) -> bool:
        for node in seq:
            kind, payload, _ = node
            if kind == WORD:
                exact.add(payload)
            elif kind == STEM:
                stems.append(payload)
            elif kind == PREFIX:
                prefixes.append(payload)
            elif kind == SET:
                exact.update(payload[0])
                stems.extend(payload[1])
                prefixes.extend(payload[2])
            elif kind == GROUP:
                if not all(walk(alt) for alt in payload):
                    return False
            else:  # ANY, PUNCT, GAP: give up
                return False
            if not _nullable(node):
                return True
        return True

    if not walk(nodes):
        return None
    return (SET, _set_payload(frozenset(exact), tuple(stems), tuple(prefixes)), False)


def _max_width(nodes: Sequence[Node]) -> int:
    width = 0
    for kind, payload, _ in nodes:
        if kind == GAP:
            width += payload
        elif kind == GROUP:
            width += max(_max_width(alt) for alt in payload)
        else:
            width += 1
    return width


_GATES: dict[str, str] = {}


def _gate(st: str) -> str:
    """What a word must start with to have the stem ``st``.

    Snowball only rewrites the last letter of what it keeps (happy -> happi,
    ability -> abl, hoping -> hope), so a word with the stem ``st`` starts with
    all of it but the last letter. (Its three irregular forms dying, lying and
    tying are the exception.) Testing that first spares stemming almost every word.
    """
    gate = _GATES.get(st)
    if gate is None:
        gate = _GATES[st] = st[: max(1, len(st) - 1)]
    return gate


def _word_ok(kind: int, payload: Any, norm: str, is_word: bool) -> bool:
    if kind == WORD:
        return is_word and norm == payload
    if kind == SET:
        if not is_word:
            return False
        exact, stems, prefixes = payload[0], payload[1], payload[2]
        if norm in exact:
            return True
        for p in prefixes:
            if norm.startswith(p):
                return True
        if stems:
            for st, gate in zip(stems, payload[3], strict=True):
                if norm.startswith(gate) and stem(norm) == st:
                    return True
        return False
    if kind == STEM:
        return is_word and norm.startswith(_gate(payload)) and stem(norm) == payload
    if kind == PREFIX:
        return is_word and norm.startswith(payload)
    if kind == ANY:
        return is_word
    if kind == PUNCT:
        return not is_word and norm == payload
    return False


def _ends(
    nodes: Sequence[Node], k: int, tokens: Tokens, i: int, first: bool = False
) -> Iterator[int]:
    """Every token index where ``nodes[k:]`` can end when started at ``i``; ``first``:
    ``i`` is where the whole match starts (no intensifier is read past there)."""
    if k == len(nodes):
        yield i
        return
    kind, payload, optional = nodes[k]
    norms = tokens.norm
    n = len(norms)
    if kind == GAP:
        words = tokens.word
        j = i
        nxt = nodes[k + 1] if k + 1 < len(nodes) else None  # last only inside a group
        if nxt is not None and nxt[0] in _SIMPLE and not nxt[2]:
            # test the next node in place rather than recursing for every gap length
            last = k + 2 == len(nodes)
            nk, np_ = nxt[0], nxt[1]
            for _ in range(payload + 1):
                if j >= n:
                    return
                if _word_ok(nk, np_, norms[j], words[j]):
                    if last:
                        yield j + 1
                    else:
                        yield from _ends(nodes, k + 2, tokens, j + 1)
                if not words[j]:
                    return
                j += 1
            return
        for _ in range(payload + 1):  # the shortest gap first
            yield from _ends(nodes, k + 1, tokens, j)
            if j >= n or not words[j]:
                return
            j += 1
        return
    if kind == GROUP:
        for alt in payload:
            for mid in _ends(alt, 0, tokens, i, first):
                yield from _ends(nodes, k + 1, tokens, mid)
    elif i < n:
        at = i
        if not _word_ok(kind, payload, norms[i], tokens.word[i]):
            # read past one intensifier between two words of the pattern
            at = i + 1
            if first or norms[i] not in INTENSIFIERS or at >= n or not _word_ok(
                kind, payload, norms[at], tokens.word[at]
            ):
                at = -1
        if at >= 0:
            if k + 1 == len(nodes):
                yield at + 1
            else:
                yield from _ends(nodes, k + 1, tokens, at + 1)
    if optional:
        yield from _ends(nodes, k + 1, tokens, i, first)


def _set_payload(
    exact: frozenset[str], stems: tuple[str, ...], prefixes: tuple[str, ...]
) -> tuple[frozenset[str], tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """A SET node's payload: exact words, stems, prefixes, and each stem's gate."""
    return exact, stems, prefixes, tuple(_gate(st) for st in stems)


def _simplify(nodes: Sequence[Node]) -> tuple[Node, ...]:
    """Turn groups of one-word choices into a single set test (much faster to match)."""
    out: list[Node] = []
    for kind, payload, optional in nodes:
        if kind == GROUP:
            alts = tuple(_simplify(alt) for alt in payload)
            single = [
                a for a in alts if len(a) == 1 and a[0][0] in (WORD, STEM, PREFIX) and not a[0][2]
            ]
            if len(single) >= 2 or (single and len(single) == len(alts)):
                exact = frozenset(a[0][1] for a in single if a[0][0] == WORD)
                stems = tuple(a[0][1] for a in single if a[0][0] == STEM)
                prefixes = tuple(a[0][1] for a in single if a[0][0] == PREFIX)
                merged: Node = (SET, _set_payload(exact, stems, prefixes), False)
                if len(single) == len(alts):
                    out.append((merged[0], merged[1], optional))
                    continue
                alts = ((merged,), *(a for a in alts if a not in single))
            out.append((GROUP, alts, optional))
        else:
            out.append((kind, payload, optional))
    return tuple(out)


_SIMPLE = (WORD, SET, STEM, PREFIX, PUNCT)


def _node_json(node: Node) -> list[Any]:
    kind, payload, optional = node
    if kind == GROUP:
        payload = [[_node_json(n) for n in alt] for alt in payload]
    elif kind == SET:
        payload = [sorted(payload[0]), *(list(part) for part in payload[1:])]
    return [kind, payload, optional]


def _node_from(data: list[Any]) -> Node:
    kind, payload, optional = data
    if kind == GROUP:
        payload = tuple(tuple(_node_from(n) for n in alt) for alt in payload)
    elif kind == SET:
        payload = (frozenset(payload[0]), *(tuple(part) for part in payload[1:]))
    return (kind, payload, bool(optional))


def _has_punct(nodes: Sequence[Node]) -> bool:
    for kind, payload, _ in nodes:
        if kind == PUNCT or (kind == GROUP and any(_has_punct(alt) for alt in payload)):
            return True
    return False


def clauses(tokens: Tokens) -> tuple[list[int], list[set[str]]]:
    """For each token the number of its clause, and the set of words in each clause."""
    ids: list[int] = []
    sets: list[set[str]] = [set()]
    current = sets[0]
    cid = 0
    for norm, is_word in zip(tokens.norm, tokens.word, strict=True):
        if is_word:
            current.add(norm)
        else:
            cid += 1
            current = set()
            sets.append(current)
        ids.append(cid)
    return ids, sets


@dataclass(frozen=True)
class Pattern:
    source: str
    nodes: tuple[Node, ...]
    width: int = 0
    #: cheap tests run before the full matcher: the first node, and the next
    #: required node within a gap of ``peek_gap`` words
    head: Node | None = None
    peek: Node | None = None
    peek_gap: int = 0
    #: word sets that must each meet the clause a match starts in (a quick reject)
    required: tuple[frozenset[str], ...] = ()

    @property
    def peek_exact(self) -> frozenset[str] | None:
        """The words the next token must be, when that is all the peek test checks."""
        peek = self.peek
        if peek is None or self.peek_gap:
            return None
        if peek[0] == WORD:
            return frozenset({peek[1]})
        if peek[0] == SET and not peek[1][1] and not peek[1][2]:
            return frozenset(peek[1][0])
        return None

    @classmethod
    def compile(cls, source: str) -> Pattern:
        parsed = parse_pattern(source)
        nodes = _simplify(parsed)
        head = _first_set(nodes)
        peek = None
        gap = 0
        if nodes[0][0] in _SIMPLE and not nodes[0][2]:
            rest = nodes[1:]
            if rest and rest[0][0] == GAP:
                gap = rest[0][1]
                rest = rest[1:]
            peek = _first_set(rest) if rest else None
            if peek is None:
                gap = 0
        required: list[frozenset[str]] = []
        if not _has_punct(nodes):
            for kind, payload, optional in nodes[1:]:
                if optional:
                    continue
                if kind == WORD:
                    required.append(frozenset({payload}))
                elif kind == SET and not payload[1] and not payload[2]:
                    required.append(payload[0])
        required.sort(key=len)
        return cls(source, nodes, _max_width(parsed), head, peek, gap, tuple(required[:2]))

    # ---------------------------------------------------- cache round trip
    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "nodes": [_node_json(n) for n in self.nodes],
            "width": self.width,
            "head": _node_json(self.head) if self.head else None,
            "peek": _node_json(self.peek) if self.peek else None,
            "peek_gap": self.peek_gap,
            "required": [sorted(r) for r in self.required],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Pattern:
        return cls(
            data["source"],
            tuple(_node_from(n) for n in data["nodes"]),
            data["width"],
            _node_from(data["head"]) if data["head"] else None,
            _node_from(data["peek"]) if data["peek"] else None,
            data["peek_gap"],
            tuple(frozenset(r) for r in data["required"]),
        )

    def starts_with(self, norm: str, is_word: bool) -> bool:
        """Whether a token can start a match (the cheap first test)."""
        head = self.head
        return head is None or _word_ok(head[0], head[1], norm, is_word)

    def match_at(
        self, tokens: Tokens, i: int, head_ok: bool = False, peek_ok: bool = False
    ) -> int | None:
        """The end (exclusive token index) of the longest match starting at ``i``.

        ``head_ok``/``peek_ok``: the caller has already tested the first token / the next one.
        """
        norms, words = tokens.norm, tokens.word
        head = self.head
        if head is not None:
            if not head_ok and not _word_ok(head[0], head[1], norms[i], words[i]):
                return None
            peek = self.peek
            if peek is not None and not peek_ok:
                n = len(norms)
                j = i + 1
                last = j + self.peek_gap
                while True:
                    if j >= n:
                        return None
                    if _word_ok(peek[0], peek[1], norms[j], words[j]):
                        break
                    if j >= last and j == i + 1 and norms[j] in INTENSIFIERS:
                        last += 1  # "at very different": read past the intensifier
                    elif j >= last or not words[j]:
                        return None
                    j += 1
        best = None
        for end in _ends(self.nodes, 0, tokens, i, True):
            if end > i and (best is None or end > best):
                best = end
        return best

    def search(
        self, tokens: Tokens, lo: int, hi: int, heads: dict[str, bool] | None = None
    ) -> Iterator[tuple[int, int]]:
        """Every match starting in ``lo``..``hi`` - 1, as (first token, end token).

        ``heads``, when given, remembers which tokens pass the first test (kept by the
        caller across searches for the same pattern).
        """
        head = self.head
        norms, words = tokens.norm, tokens.word
        for i in range(max(lo, 0), min(hi, len(tokens))):
            if heads is not None and head is not None:
                norm = norms[i]
                ok = heads.get(norm)
                if ok is None:
                    if len(heads) >= MAX_PEEK_MEMO:
                        heads.clear()
                    ok = heads[norm] = _word_ok(head[0], head[1], norm, words[i])
                if not ok:
                    continue
                end = self.match_at(tokens, i, head_ok=True)
            else:
                end = self.match_at(tokens, i)
            if end is not None:
                yield i, end


#: what :meth:`PatternSet.matches` keeps per pattern a token can start: the owner, the
#: pattern, its id, its memo of next tokens (None when the next token is not tested on
#: its own), the words that can come next (None: not known), its required words, and
#: whether those two tests cover the pattern's own test of the next token
_Candidate = tuple[
    int,
    "Pattern",
    int,
    "dict[str, bool] | None",
    "frozenset[str] | None",
    tuple[frozenset[str], ...],
    bool,
]


def _second_words(nodes: Sequence[Node], first: str) -> frozenset[str] | None:
    """The words a match that starts with the word ``first`` must continue with.

    Only for patterns opening with a group of alternatives (such as
    ``(top down|one size fits all)``), whose next word the quick peek test does not
    cover; None when the next token is not one of a known set of words.
    """
    kind, payload, optional = nodes[0]
    if kind != GROUP or optional:
        return None
    words: set[str] = set()
    for alt in payload:
        k0, p0, opt0 = alt[0]
        if opt0 or k0 not in (WORD, SET, STEM, PREFIX):
            return None
        if not _word_ok(k0, p0, first, True):
            continue
        nxt = alt[1] if len(alt) > 1 else (nodes[1] if len(nodes) > 1 else None)
        if nxt is None or nxt[2]:
            return None
        if nxt[0] == WORD:
            words.add(nxt[1])
        elif nxt[0] == SET and not nxt[1][1] and not nxt[1][2]:
            words.update(nxt[1][0])
        else:
            return None
    return frozenset(words)


#: next tokens remembered per pattern
MAX_PEEK_MEMO = 20_000


@dataclass
class PatternSet:
    """Many patterns, each with an owner number, indexed by the words that can start them."""

    exact: dict[str, list[tuple[int, Pattern]]] = field(default_factory=dict)
    keyed: dict[str, list[tuple[int, Pattern]]] = field(default_factory=dict)
    punct: dict[str, list[tuple[int, Pattern]]] = field(default_factory=dict)
    key_lengths: set[int] = field(default_factory=set)
    #: token -> the patterns it can start, and per pattern next token -> whether it fits
    #: (see :meth:`matches`); remembered across checks, emptied by :meth:`add`
    _memo: tuple[
        dict[str, list[_Candidate]], dict[int, dict[str, bool]], dict[str, frozenset[str] | None]
    ] = field(default_factory=lambda: ({}, {}, {}), init=False, repr=False, compare=False)

    def add(self, owner: int, pattern: Pattern) -> None:
        keys = _first_keys(pattern.nodes)
        if keys is None:
            raise PatternError(
                f"'{pattern.source}': a pattern must start with a word, not '_' or '...'"
            )
        for kind, key in keys:
            if kind == "k":
                self.key_lengths.add(len(key))
            table = {"w": self.exact, "k": self.keyed, "p": self.punct}[kind]
            bucket = table.setdefault(key, [])
            if (owner, pattern) not in bucket:
                bucket.append((owner, pattern))
        self._memo = ({}, {}, {})

    def _heads_of(self, norm: str, next_ok: dict[int, dict[str, bool]]) -> list[_Candidate]:
        """The patterns a token can start, first test passed, with what the matcher needs."""
        is_word = norm[:1].isalnum()
        if is_word:
            found = list(self.exact.get(norm, ()))
            for length in sorted(self.key_lengths):
                found += self.keyed.get(norm[:length], ())
        else:
            found = list(self.punct.get(norm, ()))
        unique: dict[int, tuple[int, Pattern]] = {}
        for pair in found:
            if pair[1].starts_with(norm, is_word):
                unique.setdefault(id(pair[1]), pair)
        out = []
        for key, (owner, pattern) in unique.items():
            # the next token's test, remembered per token, when it must be right after this one
            memo = None
            nexts = pattern.peek_exact
            if nexts is None:
                if pattern.peek is None:
                    nexts = _second_words(pattern.nodes, norm)
                elif not pattern.peek_gap:
                    memo = next_ok.setdefault(key, {})
            peeked = pattern.peek is not None and not pattern.peek_gap
            out.append((owner, pattern, key, memo, nexts, pattern.required, peeked))
        return out

    @staticmethod
    def _gate(candidates: list[_Candidate]) -> frozenset[str] | None:
        """Every word that may follow when each candidate needs one of known words next."""
        union: set[str] = set()
        for candidate in candidates:
            nexts = candidate[4]
            if nexts is None:
                return None
            union |= nexts
        return frozenset(union)

    def matches(
        self, tokens: Tokens, done: Sequence[bool] | None = None
    ) -> Iterator[tuple[int, Pattern, int, int]]:
        """(owner, pattern, first token, end token) for every match, in text order.

        A pattern's matches never overlap: the longest match from the earliest start wins.
        ``done``: per owner, whether it wants no more matches (read as the caller goes on,
        so an owner can stop part-way through a text).
        """
        norms = tokens.norm
        n = len(norms)
        # which patterns each distinct token can start depends only on the token, so it is
        # remembered across checks; the positions worth a look are then found in C
        heads, next_ok, gates = self._memo
        # (gates are written last: a token found there is complete, even while another
        # thread is filling in the same memo)
        missing = set(norms).difference(gates)
        if missing:
            if len(heads) + len(missing) > MAX_CACHED:
                # new dicts: a check running in another thread keeps its own
                heads, next_ok, gates = self._memo = ({}, {}, {})
                missing = set(norms)
            for norm in missing:
                candidates = heads[norm] = self._heads_of(norm, next_ok)
                gates[norm] = self._gate(candidates)
        per_token = list(map(heads.__getitem__, norms))
        starts = list(compress(range(n), per_token))
        if not starts:
            return
        words = tokens.word
        # clause boundaries (punctuation tokens), for the quick "required words" reject
        breaks = list(compress(range(n), map(not_, words)))
        clause_words: dict[int, frozenset[str]] = {}
        busy: dict[int, int] = {}
        last = n - 1
        for i in starts:
            here: frozenset[str] | None = None
            following = norms[i + 1] if i < last else None
            # an intensifier next ("at very different"): the word after it may continue
            after = norms[i + 2] if following in INTENSIFIERS and i + 1 < last else None
            gate = gates[norms[i]]
            if gate is not None and following not in gate and after not in gate:
                continue  # no pattern this token starts can go on with the next one
            for owner, pattern, key, memo, nexts, required, peeked in per_token[i]:
                if nexts is not None and following not in nexts and after not in nexts:
                    continue
                if done is not None and done[owner]:
                    continue
                if memo is not None:
                    if following is None:
                        continue
                    ok = memo.get(following)
                    if ok is None:
                        if len(memo) >= MAX_PEEK_MEMO:
                            memo.clear()
                        peek: Node = pattern.peek  # type: ignore[assignment]
                        ok = memo[following] = _word_ok(peek[0], peek[1], following, words[i + 1])
                    if not ok and after is not None:
                        peek = pattern.peek  # type: ignore[assignment]
                        ok = _word_ok(peek[0], peek[1], after, words[i + 2])
                    if not ok:
                        continue
                if busy.get(key, 0) > i:
                    continue  # inside this pattern's previous match
                if required:
                    if here is None:
                        # the clause the match starts in: from the token (or just after a
                        # punctuation mark) to the next punctuation mark
                        k = bisect_left(breaks, i)
                        if words[i]:
                            lo = breaks[k - 1] + 1 if k else 0
                        else:
                            lo = i + 1
                            k += 1
                        here = clause_words.get(lo)
                        if here is None:
                            hi = breaks[k] if k < len(breaks) else n
                            here = clause_words[lo] = frozenset(norms[lo:hi])
                    if required[0].isdisjoint(here) or (
                        len(required) > 1 and required[1].isdisjoint(here)
                    ):
                        continue
                end = pattern.match_at(tokens, i, head_ok=True, peek_ok=peeked)
                if end is not None:
                    busy[key] = end
                    yield owner, pattern, i, end
