"""Which parts of a phrase pattern an example exercises (for the rules meta-test).

A pattern's *parts* that an example must exercise:

* each branch of each ``( … | … )`` alternation (nested ones too): ``(path, "alt", a)``;
* each optional item, present (``x?`` or ``( … )?`` matched with the item, not skipped):
  ``(path, "opt", 0)``;
* each inflection-bearing word (``word~``) and prefix (``word*``): ``(path, "stem", 0)``.

Parts are counted one by one, never as combinations: ``(a|b) (c|d)`` has four parts, and
"a c" plus "b d" exercise them all.

A slow, exhaustive matcher over the parsed (not simplified) pattern finds every way a
match can go and the parts it used. Test support only.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from messaging.markup import prepare
from messaging.matching import (
    ANY,
    GAP,
    GROUP,
    PREFIX,
    PUNCT,
    STEM,
    WORD,
    Tokens,
    _word_ok,
    parse_pattern,
    tokenize,
)

Part = tuple[tuple[int, ...], str, int]  # (path of the item, what, index of the branch)


def parts(nodes: Sequence[Any], path: tuple[int, ...] = ()) -> set[Part]:
    """Every part of ``nodes`` an example should exercise (see the module docstring)."""
    found: set[Part] = set()
    for k, (kind, payload, optional) in enumerate(nodes):
        here = (*path, k)
        if optional:
            found.add((here, "opt", 0))
        if kind in (STEM, PREFIX):
            found.add((here, "stem", 0))
        if kind == GROUP:
            for a, alt in enumerate(payload):
                found.add((here, "alt", a))
                found |= parts(alt, (*here, a))
    return found


def _match(nodes: Sequence[Any], k: int, tokens: Tokens, i: int,
           path: tuple[int, ...]) -> Iterator[tuple[int, frozenset[Part]]]:
    if k == len(nodes):
        yield i, frozenset()
        return
    kind, payload, optional = nodes[k]
    here = (*path, k)
    n = len(tokens.norm)
    if optional:
        yield from _match(nodes, k + 1, tokens, i, path)
    present: set[Part] = {(here, "opt", 0)} if optional else set()
    if kind in (WORD, STEM, PREFIX, ANY, PUNCT):
        if i < n and _word_ok(kind, payload, tokens.norm[i], tokens.word[i]):
            if kind in (STEM, PREFIX):
                present.add((here, "stem", 0))
            for end, used in _match(nodes, k + 1, tokens, i + 1, path):
                yield end, used | present
    elif kind == GAP:
        for g in range(payload + 1):
            if g and (i + g > n or not tokens.word[i + g - 1]):
                return
            yield from _match(nodes, k + 1, tokens, i + g, path)
    elif kind == GROUP:
        for a, alt in enumerate(payload):
            for e1, u1 in _match(alt, 0, tokens, i, (*here, a)):
                if e1 == i:
                    continue  # an alternative that matched nothing was not used
                for e2, u2 in _match(nodes, k + 1, tokens, e1, path):
                    yield e2, u1 | u2 | present | {(here, "alt", a)}


def used_parts(source: str, text: str) -> set[Part]:
    """The parts of pattern ``source`` used by any match in ``text``."""
    nodes = parse_pattern(source)
    tokens = tokenize(prepare(text).prose)
    used: set[Part] = set()
    for i in range(len(tokens.norm)):
        for end, found in _match(nodes, 0, tokens, i, ()):
            if end > i:
                used |= found
    return used


def describe(source: str, part: Part) -> str:
    """The part in words: which branch, optional item or word~ of the pattern."""
    seq: Any = parse_pattern(source)
    path, what, a = part
    i = 0
    while True:  # the path alternates: item index, branch index, item index, …
        node = seq[path[i]]
        if i + 1 >= len(path):
            break
        seq = node[1][path[i + 1]]
        i += 2
    if what == "alt":
        return f"'{_show(node[1][a])}' (branch {a + 1} of '{_show([node])}')"
    if what == "opt":
        return f"optional '{_show([node])}' present"
    return f"'{_show([node])}' matched"


def _show(seq: Sequence[Any]) -> str:
    out = []
    for kind, payload, optional in seq:
        if kind == GROUP:
            text = "(" + "|".join(_show(alt) for alt in payload) + ")"
        elif kind == GAP:
            text = f"...{payload}"
        elif kind == ANY:
            text = "_"
        elif kind == PUNCT:
            text = "\\" + payload
        elif kind == STEM:
            text = f"{payload}~"
        elif kind == PREFIX:
            text = f"{payload}*"
        else:
            text = str(payload)
        out.append(text + ("?" if optional else ""))
    return " ".join(out)
