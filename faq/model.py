"""A linear question classifier: which entry a question asks about, as probabilities.

The engine's own scores measure how much of a question an entry's words account for; they
rank the right entry first for about two thirds of real questions nobody tuned on. This
model learns instead *which words tell entries apart*, from every entry's phrasings and
short answer and from the labelled question sets in ``benchmarks/`` and ``tests/`` (all
written in this project's own words). The untouched sets — round 8, round 9 and the
held-out third of the real-question set — are never trained on; they measure it.

It is multinomial logistic regression over two blocks of TF-IDF features, each normalised
on its own as scikit-learn's vectorisers do: the engine's own terms (stems and synonym
concepts) with pairs of neighbouring terms, and the question's plain words (lower-cased,
not stemmed: "graded" and "grades" can tell entries apart where their stem cannot).
Trained with scikit-learn by ``scripts/train_faq_model.py`` and shipped as
``faq/data/question_model.json``. Only the inference lives here, in pure Python: a question
has a few dozen features, so a sparse dot product over the kept weights costs well under a
millisecond. Weights too small to change a ranking are dropped when the file is written.
A "no entry" class (:data:`NONE`) learns the off-topic and no-entry questions of the sets.

The engine lets it decide between answer and choices once its own rules have had their say
(faq/engine.py, ``Params.model_*``): the model's most likely entry is the answer at
probability ``model_answer`` or more (``model_agree`` when the engine is sure of the same
entry) when it beats "no entry"; otherwise the model's likeliest entries join the choices.
The untouched sets also include ``benchmarks/faq_paraphrase_questions.yaml``.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

#: the model shipped with the package
MODEL_PATH = Path(__file__).with_name("data") / "question_model.json"
FORMAT = 2
#: feature blocks: a feature's name starts with its block's prefix
TERMS, WORDS = "t:", "w:"
#: the class of questions no entry answers (help-line questions, in-topic questions the
#: toolkit has no entry for)
NONE = ""


def features(terms: Sequence[str]) -> list[str]:
    """A question's term features: its terms and each pair of neighbouring terms."""
    return [*terms, *(f"{a}_{b}" for a, b in zip(terms, terms[1:], strict=False))]


def blocks(terms: Sequence[str], words: Sequence[str]) -> list[list[str]]:
    """A question's features by block, each with its block's prefix."""
    return [[TERMS + f for f in features(terms)], [WORDS + w for w in words]]


@dataclass(frozen=True)
class QuestionModel:
    """Inference for a trained model (see the module docstring)."""

    classes: tuple[str, ...]
    idf: Mapping[str, float]
    #: feature -> [class index, weight, class index, weight, ...], only weights that matter
    weights: Mapping[str, Sequence[float]]
    intercept: tuple[float, ...]
    fingerprint: str = ""
    #: pairs of entries the labelled question sets often accept together for one question
    #: (scripts/train_faq_model.py): the engine pools their probability (``Params.twins_pool``)
    pools: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> QuestionModel:
        if data.get("format") != FORMAT:
            raise ValueError(f"unknown question model format {data.get('format')!r}")
        classes = tuple(str(c) for c in data["classes"])
        intercept = tuple(float(v) for v in data["intercept"])
        if len(intercept) != len(classes):
            raise ValueError("question model: one intercept per class expected")
        # kept as the file has them (one flat list per feature): loading stays fast
        weights: dict[str, Sequence[float]] = data["weights"]
        for flat in weights.values():
            if len(flat) % 2 or not all(
                isinstance(k, int) and 0 <= k < len(classes) for k in flat[::2]
            ):
                raise ValueError("question model: a weight names no class")
        return cls(
            classes=classes,
            idf={str(f): float(v) for f, v in data["idf"].items()},
            weights=weights,
            intercept=intercept,
            fingerprint=str(data.get("fingerprint", "")),
            pools=tuple(_pair(pair) for pair in data.get("pools", ())),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "fingerprint": self.fingerprint,
            "classes": list(self.classes),
            "intercept": list(self.intercept),
            "idf": dict(self.idf),
            "weights": {f: list(flat) for f, flat in self.weights.items()},
            "pools": [list(pair) for pair in self.pools],
        }

    def probabilities(self, terms: Sequence[str], words: Sequence[str]) -> dict[str, float]:
        """Each entry's probability for a question given as the engine's terms and its
        plain words (sums to 1; with no known feature, the classes' prior from the
        intercepts alone)."""
        logits = list(self.intercept)
        for block in blocks(terms, words):
            counts = Counter(f for f in block if f in self.idf)
            # TF-IDF as scikit-learn computes it: sublinear tf, then L2 normalisation
            vector = {f: (1.0 + math.log(n)) * self.idf[f] for f, n in counts.items()}
            norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
            for feature, value in vector.items():
                x = value / norm
                flat = self.weights.get(feature, ())
                for at in range(0, len(flat), 2):
                    logits[int(flat[at])] += x * flat[at + 1]
        top = max(logits)
        exp = [math.exp(v - top) for v in logits]
        total = sum(exp)
        return {c: e / total for c, e in zip(self.classes, exp, strict=True)}


def _pair(pair: Any) -> tuple[str, str]:
    if not isinstance(pair, list | tuple) or len(pair) != 2:
        raise ValueError("question model: a pool is a pair of entry ids")
    return str(pair[0]), str(pair[1])


@lru_cache(maxsize=4)
def load_model(path: Path = MODEL_PATH) -> QuestionModel | None:
    """The model at ``path``; None when there is no file (the engine then ranks alone)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    return QuestionModel.from_dict(json.loads(text))


__all__ = [
    "MODEL_PATH", "NONE", "TERMS", "WORDS", "QuestionModel", "blocks", "features", "load_model",
]
