"""Which alternatives of a phrase pattern an example exercises (for the rules meta-test).

A slow, exhaustive matcher over the parsed (not simplified) pattern: every way a match
can go, with the ``( … | … )`` alternatives it took. Test support only.
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

Alt = tuple[tuple[int, ...], int]  # (path of the group, index of the alternative)


def alternatives(nodes: Sequence[Any], path: tuple[int, ...] = ()) -> set[Alt]:
    found: set[Alt] = set()
    for k, (kind, payload, _) in enumerate(nodes):
        if kind == GROUP:
            for a, alt in enumerate(payload):
                found.add(((*path, k), a))
                found |= alternatives(alt, (*path, k, a))
    return found


def _match(nodes: Sequence[Any], k: int, tokens: Tokens, i: int,
           path: tuple[int, ...]) -> Iterator[tuple[int, frozenset[Alt]]]:
    if k == len(nodes):
        yield i, frozenset()
        return
    kind, payload, optional = nodes[k]
    n = len(tokens.norm)
    if optional:
        yield from _match(nodes, k + 1, tokens, i, path)
    if kind in (WORD, STEM, PREFIX, ANY, PUNCT):
        if i < n and _word_ok(kind, payload, tokens.norm[i], tokens.word[i]):
            yield from _match(nodes, k + 1, tokens, i + 1, path)
    elif kind == GAP:
        for g in range(payload + 1):
            if g and (i + g > n or not tokens.word[i + g - 1]):
                return
            yield from _match(nodes, k + 1, tokens, i + g, path)
    elif kind == GROUP:
        for a, alt in enumerate(payload):
            for e1, u1 in _match(alt, 0, tokens, i, (*path, k, a)):
                for e2, u2 in _match(nodes, k + 1, tokens, e1, path):
                    if e2 > i:
                        yield e2, u1 | u2 | {((*path, k), a)}


def used_alternatives(source: str, text: str) -> set[Alt]:
    """The alternatives of pattern ``source`` used by any match in ``text``."""
    nodes = parse_pattern(source)
    tokens = tokenize(prepare(text).prose)
    used: set[Alt] = set()
    for i in range(len(tokens.norm)):
        for end, alts in _match(nodes, 0, tokens, i, ()):
            if end > i:
                used |= alts
    return used


def describe(source: str, alt: Alt) -> str:
    nodes: Any = parse_pattern(source)
    path, a = alt
    for step in path[:-1]:
        nodes = nodes[step] if isinstance(nodes, (list, tuple)) and len(nodes) > step else nodes
    return f"alternative {a + 1} of group at {path}"
