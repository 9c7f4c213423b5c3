"""A plain Okapi BM25 over the entries' words: the engine's second opinion.

The engine's own score is built for this toolkit (synonym groups, typo repair, phrasing
similarity). A plain word-count ranker makes different mistakes, so where the two agree the
answer is safer than either alone: the engine uses it to decide between answering and
offering choices (faq/engine.py). Same formula as ``rank_bm25.BM25Okapi`` (k1 1.5, b 0.75,
an idf floor of 0.25 times the mean idf for words in more than half the entries), on
lower-case ``\\w+`` tokens, in pure Python: a question costs one pass over its words.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

_TOKEN = re.compile(r"\w+")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


class Bm25:
    def __init__(self, documents: Sequence[Sequence[str]], k1: float = 1.5, b: float = 0.75,
                 epsilon: float = 0.25) -> None:
        """``documents``: each document's tokens."""
        self.k1, self.b = k1, b
        counts = [Counter(doc) for doc in documents]
        self.size = len(counts)
        lengths = [sum(c.values()) for c in counts]
        self.avgdl = (sum(lengths) / self.size) if self.size else 0.0
        self._norm = [
            k1 * (1 - b + b * (length / self.avgdl if self.avgdl else 0.0)) for length in lengths
        ]
        #: word -> [(document, count)]
        self._postings: dict[str, list[tuple[int, int]]] = {}
        for index, c in enumerate(counts):
            for word, n in c.items():
                self._postings.setdefault(word, []).append((index, n))
        self.idf: dict[str, float] = {}
        negative = []
        for word, posting in self._postings.items():
            df = len(posting)
            value = math.log(self.size - df + 0.5) - math.log(df + 0.5)
            self.idf[word] = value
            if value < 0:
                negative.append(word)
        mean = sum(self.idf.values()) / len(self.idf) if self.idf else 0.0
        for word in negative:
            self.idf[word] = epsilon * mean

    def scores(self, query: Sequence[str]) -> list[float]:
        """One score per document (every query token counted each time it occurs)."""
        out = [0.0] * self.size
        for word in query:
            idf = self.idf.get(word)
            if not idf:
                continue
            for index, n in self._postings[word]:
                out[index] += idf * (n * (self.k1 + 1)) / (n + self._norm[index])
        return out
