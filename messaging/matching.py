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

Hyphens join nothing: ``seat time`` matches "seat-time" too.

Matching runs on a token stream (words and punctuation) of the text; each
pattern is indexed by the words that can start it, so the cost of a check
grows with the text, not with the number of rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

MAX_GAP = 8
DEFAULT_GAP = 3

#: Words: letters/digits with inner apostrophes. Punctuation that ends a clause
#: is a token too, so that gaps and adjacent words cannot run across it.
TOKEN_RE = re.compile(
    r"(?P<w>[^\W_]+(?:['’][^\W_]+)*)"
    r"|(?P<p>[.!?;:,()\[\]{}|—–…]|-(?=\s)(?<=\s-)|\n[ \t]*\n"
    r"|(?m:^[ \t]*(?:[-*+•>]|#{1,6})(?=[ \t])))"
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


def tokenize(text: str) -> Tokens:
    low = text.lower().replace("’", "'")
    if len(low) != len(text):  # a few characters change length when lowered (İ)
        low = "".join(c.lower()[:1] or c for c in text).replace("’", "'")
    tokens = Tokens()
    # map(span) iterates in C; a Python loop over match objects is much slower
    spans = list(map(_span, TOKEN_RE.finditer(low)))
    texts = [low[s:e] for s, e in spans]
    tokens.start = [s for s, _ in spans]
    tokens.end = [e for _, e in spans]
    tokens.word = word = [t[0].isalnum() for t in texts]
    tokens.norm = [
        (t[:-2] if t.endswith("'s") else t) if w else (t.strip() or "\n\n")
        for t, w in zip(texts, word, strict=True)
    ]
    return tokens


# ------------------------------------------------------------------ patterns
class PatternError(ValueError):
    """A pattern that cannot be compiled; the message says what is wrong."""


# Node kinds. Nodes are tuples for speed: (kind, payload, optional)
WORD, STEM, PREFIX, ANY, PUNCT, GAP, GROUP, SET = range(8)
Node = tuple[int, Any, bool]

_PUNCT_CHARS = set(".!?;:,()[]{}|—–…-")
_WORD_CHARS_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


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


def _ends(nodes: Sequence[Node], k: int, tokens: Tokens, i: int) -> Iterator[int]:
    """Every token index where ``nodes[k:]`` can end when started at ``i``."""
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
            for mid in _ends(alt, 0, tokens, i):
                yield from _ends(nodes, k + 1, tokens, mid)
    elif i < n and _word_ok(kind, payload, norms[i], tokens.word[i]):
        if k + 1 == len(nodes):
            yield i + 1
        else:
            yield from _ends(nodes, k + 1, tokens, i + 1)
    if optional:
        yield from _ends(nodes, k + 1, tokens, i)


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

    def match_at(self, tokens: Tokens, i: int, head_ok: bool = False) -> int | None:
        """The end (exclusive token index) of the longest match starting at ``i``."""
        norms, words = tokens.norm, tokens.word
        head = self.head
        if head is not None:
            if not head_ok and not _word_ok(head[0], head[1], norms[i], words[i]):
                return None
            peek = self.peek
            if peek is not None:
                n = len(norms)
                j = i + 1
                last = j + self.peek_gap
                while True:
                    if j >= n:
                        return None
                    if _word_ok(peek[0], peek[1], norms[j], words[j]):
                        break
                    if j >= last or not words[j]:
                        return None
                    j += 1
        best = None
        for end in _ends(self.nodes, 0, tokens, i):
            if end > i and (best is None or end > best):
                best = end
        return best

    def search(self, tokens: Tokens, lo: int, hi: int) -> Iterator[tuple[int, int]]:
        for i in range(max(lo, 0), min(hi, len(tokens))):
            end = self.match_at(tokens, i)
            if end is not None:
                yield i, end


@dataclass
class PatternSet:
    """Many patterns, each with an owner number, indexed by the words that can start them."""

    exact: dict[str, list[tuple[int, Pattern]]] = field(default_factory=dict)
    keyed: dict[str, list[tuple[int, Pattern]]] = field(default_factory=dict)
    punct: dict[str, list[tuple[int, Pattern]]] = field(default_factory=dict)
    key_lengths: set[int] = field(default_factory=set)

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

    def matches(self, tokens: Tokens) -> Iterator[tuple[int, Pattern, int, int]]:
        """(owner, pattern, first token, end token) for every match, in text order.

        A pattern's matches never overlap: the longest match from the earliest start wins.
        """
        exact, keyed, punct = self.exact, self.keyed, self.punct
        lengths = sorted(self.key_lengths)
        words = tokens.word
        clause_of, clause_words = clauses(tokens)
        memo: dict[str, list[tuple[int, Pattern, frozenset[str] | None]]] = {}
        busy: dict[int, int] = {}
        norms = tokens.norm
        n = len(norms)
        for i, norm in enumerate(tokens.norm):
            cands = memo.get(norm)
            if cands is None:
                if words[i]:
                    found = list(exact.get(norm, ()))
                    for length in lengths:
                        found += keyed.get(norm[:length], ())
                else:
                    found = list(punct.get(norm, ()))
                unique: dict[int, tuple[int, Pattern]] = {}
                is_word = words[i]
                for pair in found:
                    if pair[1].starts_with(norm, is_word):
                        unique.setdefault(id(pair[1]), pair)
                cands = memo[norm] = [(o, p, p.peek_exact) for o, p in unique.values()]
            if not cands:
                continue
            here: set[str] | None = None
            following = norms[i + 1] if i + 1 < n else ""
            for owner, pattern, peek_exact in cands:
                if peek_exact is not None and following not in peek_exact:
                    continue
                if busy.get(id(pattern), 0) > i:
                    continue  # inside this pattern's previous match
                required = pattern.required
                if required:
                    if here is None:
                        here = clause_words[clause_of[i] + (0 if words[i] else 1)]
                    if required[0].isdisjoint(here) or (
                        len(required) > 1 and required[1].isdisjoint(here)
                    ):
                        continue
                end = pattern.match_at(tokens, i, head_ok=True)
                if end is not None:
                    busy[id(pattern)] = end
                    yield owner, pattern, i, end
