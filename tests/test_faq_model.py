"""The FAQ engine's question model (faq/model.py, scripts/train_faq_model.py)."""

from __future__ import annotations

import importlib.util
import json
import math
from dataclasses import replace
from pathlib import Path
from types import ModuleType

import pytest

from faq.engine import Engine, Params
from faq.model import MODEL_PATH, NONE, QuestionModel, load_model
from faq.text import words
from toolkit import Toolkit

#: the pooling and agreement rules are tested at the thresholds they were written for
#: (answer at 0.4, two agreeing models at 0.35); the shipped ones are lower (Params)
AT_04 = Params(model_answer=0.4, model_pair=0.35)

ROOT = Path(__file__).resolve().parents[1]
RETRAIN = "run `.venv/bin/python scripts/train_faq_model.py` and commit the model"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "train_faq_model", ROOT / "scripts" / "train_faq_model.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def script() -> ModuleType:
    return _script()


@pytest.fixture(scope="module")
def plain(toolkit: Toolkit) -> Engine:
    return Engine.from_toolkit(toolkit, model=None)


def test_shipped_model_matches_its_training_data(script: ModuleType, plain: Engine,
                                                 toolkit: Toolkit) -> None:
    shipped = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    samples = script.training_data(plain, toolkit)
    assert shipped["fingerprint"] == script.fingerprint(samples), RETRAIN


def test_untouched_sets_are_never_trained_on(script: ModuleType, plain: Engine,
                                             toolkit: Toolkit) -> None:
    from faq.evaluate import held_out, load_eval_set

    trained = {text for text, _, _ in script.training_data(plain, toolkit)}
    untouched = [q for path in script.UNTOUCHED for q in load_eval_set(path)]
    untouched += held_out(load_eval_set(script.REAL_SET))[1]
    assert len(untouched) > 250
    assert not [q.question for q in untouched if q.question in trained]


def test_shipped_model_knows_every_entry(toolkit: Toolkit) -> None:
    model = load_model()
    assert model is not None
    engine = Engine.from_toolkit(toolkit)
    assert engine.model is model
    assert set(model.classes) == {*engine.entry_ids, NONE}


def test_inference_matches_scikit_learn(script: ModuleType, plain: Engine) -> None:
    """Unpruned, the pure-Python probabilities are scikit-learn's own."""
    from scipy.sparse import hstack
    from sklearn.linear_model import LogisticRegression

    samples = [s for entry in plain.training_texts()[:12] for s in entry]
    model = script.train(plain, samples, prune=0.0)
    vectorizers = [v for _, v in script.vectorizer_blocks(plain)]
    matrix = hstack([v.fit_transform([t for t, _, _ in samples]) for v in vectorizers])
    reference = LogisticRegression(C=script.C, max_iter=5000).fit(
        matrix.tocsr(), [label for _, label, _ in samples],
        sample_weight=[w for _, _, w in samples])
    questions = ["How do retakes work when a student fails twice?", "grades grades grades",
                 "what does the state require", "zzz qqq", ""]
    expected = reference.predict_proba(hstack([v.transform(questions) for v in vectorizers]))
    for question, row in zip(questions, expected, strict=True):
        got = model.probabilities(plain.analyzer.terms(question), words(question))
        for label, value in zip(reference.classes_, row, strict=True):
            assert got[label] == pytest.approx(value, abs=1e-6)


def _model(classes: list[str], bias: dict[str, float]) -> QuestionModel:
    """A model with no features: every question gets the same probabilities."""
    return QuestionModel(
        classes=tuple(classes), idf={}, weights={},
        intercept=tuple(bias.get(c, 0.0) for c in classes),
    )


def test_the_model_decides_between_answer_and_choices(toolkit: Toolkit, plain: Engine) -> None:
    question = "how do teachers keep track of which skills each student has shown"
    classes = [*plain.entry_ids, NONE]
    for wanted in ("cost-funding", "retakes"):  # whatever the words, a sure model decides
        sure = Engine.from_toolkit(toolkit, model=_model(classes, {wanted: 8.0}))
        reply = sure.answer(question)
        assert reply.id == wanted and reply.answered
        assert reply.score > 0.95  # the model's probability, when above the engine's score
        assert wanted not in [s.id for s in reply.suggestions]
    # "no entry" most likely: no answer, but the close entries are still offered
    none = Engine.from_toolkit(toolkit, model=_model(classes, {NONE: 8.0}))
    reply = none.answer(question)
    assert reply.id is None and reply.suggestions
    # no entry likely enough (every class equally likely): choices
    flat = Engine.from_toolkit(toolkit, model=_model(classes, {}))
    reply = flat.answer(question)
    assert reply.id is None and reply.reason in ("choices", "low-score")
    assert 2 <= len(reply.suggestions) <= 3


def test_the_model_adds_its_likely_entries_to_the_choices(toolkit: Toolkit,
                                                          plain: Engine) -> None:
    question = "report cards"
    before = [s.id for s in plain.answer(question).suggestions]
    other = next(i for i in plain.entry_ids if i not in before)
    classes = [*plain.entry_ids, NONE]
    # likely, but not likely enough to answer
    engine = Engine.from_toolkit(toolkit, model=_model(classes, {other: 2.0}))
    reply = engine.answer(question)
    assert reply.id is None
    assert [s.id for s in reply.suggestions][:2] == [other, before[0]]


def test_the_engine_rules_come_first(toolkit: Toolkit, plain: Engine) -> None:
    classes = [*plain.entry_ids, NONE]
    stubborn = Engine.from_toolkit(toolkit, model=_model(classes, {"cost-funding": 8.0}))
    # one word is a topic, not yet a question
    assert stubborn.answer("grades").id is None
    # a question that is one of an entry's own phrasings
    phrasing = toolkit.faq["retakes"].question
    assert stubborn.answer(phrasing).id == "retakes"
    # "what is X?" for a glossary term, and help-line topics
    assert stubborn.answer("what is a learning target").id == "term-learning-target"
    assert stubborn.answer("when does the bus come").reason == "out-of-scope"


def test_an_entry_the_model_does_not_know_is_answered_as_without_it(toolkit: Toolkit,
                                                                     plain: Engine) -> None:
    question = "How do retakes work?"
    assert plain.answer(question).id == "retakes"
    classes = [i for i in plain.entry_ids if i != "retakes"] + [NONE]
    engine = Engine.from_toolkit(toolkit, model=_model(classes, {NONE: 8.0}))
    assert engine.answer(question).id == "retakes"


def test_probabilities_sum_to_one_and_ignore_unknown_words() -> None:
    model = load_model()
    assert model is not None
    probs = model.probabilities(["zzzunknown", "qqqunknown"], ["zzzunknown"])
    assert math.isclose(sum(probs.values()), 1.0, rel_tol=1e-9)
    assert probs == model.probabilities([], [])


def test_bad_model_files_are_refused(tmp_path: Path) -> None:
    assert load_model(tmp_path / "missing.json") is None
    good = {"format": 2, "classes": ["a", "b"], "intercept": [0, 0], "idf": {"t:x": 1.0},
            "weights": {"t:x": [0, 1.0]}}
    assert QuestionModel.from_dict(good).probabilities(["x"], [])["a"] > 0.5
    with pytest.raises(ValueError, match="format"):
        QuestionModel.from_dict({**good, "format": 99})
    with pytest.raises(ValueError, match="intercept"):
        QuestionModel.from_dict({**good, "intercept": [0]})
    with pytest.raises(ValueError, match="no class"):
        QuestionModel.from_dict({**good, "weights": {"t:x": [5, 1.0]}})
    with pytest.raises(ValueError, match="no class"):
        QuestionModel.from_dict({**good, "weights": {"t:x": [0, 1.0, 1]}})


def test_check_mode_reports_a_stale_model(script: ModuleType, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    stale = tmp_path / "model.json"
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    stale.write_text(json.dumps({**data, "fingerprint": "0" * 64}), encoding="utf-8")
    assert script.main(["--check", "-o", str(stale)]) == 1
    assert "stale" in capsys.readouterr().err
    assert script.main(["--check"]) == 0


def test_model_rank_names_no_entry(toolkit: Toolkit, plain: Engine) -> None:
    engine = Engine.from_toolkit(toolkit)
    ranked = engine.model_rank("what time does the bus come tomorrow", k=3)
    assert len(ranked) == 3 and ranked[0][0] is None and ranked[0][1] > 0.5
    assert [p for _, p in ranked] == sorted((p for _, p in ranked), reverse=True)
    assert engine.model_rank("how do retakes work when a student fails", k=1)[0][0] == "retakes"
    assert plain.model_rank("how do retakes work") == []


def test_explain_shows_the_model() -> None:
    from click.testing import CliRunner

    from bot.cli import cli

    result = CliRunner().invoke(cli, ["ask", "how do retakes work", "--explain"])
    assert result.exit_code == 0, result.output
    assert "question model: retakes " in result.output
    data = json.loads(CliRunner().invoke(
        cli, ["ask", "how do retakes work", "--explain", "--json"]).output)
    assert data["explain"]["model"][0]["id"] == "retakes"
    # both classifiers read it as the retakes question (Params.model_pair)
    assert data["explain"]["models_agree"] == "retakes"
    assert "both pick: retakes" in result.output


def test_a_phrasing_s_terms_in_other_words_yield_to_a_sure_model(toolkit: Toolkit,
                                                                plain: Engine) -> None:
    phrasing = toolkit.faq["retakes"].question
    variant = "Why " + phrasing[0].lower() + phrasing[1:]  # the same terms, other words
    assert plain.analyze(variant)[0] == plain.analyze(phrasing)[0]
    classes = [*plain.entry_ids, NONE]
    stubborn = Engine.from_toolkit(toolkit, model=_model(classes, {"cost-funding": 8.0}))
    assert stubborn.answer(phrasing).id == "retakes"  # the phrasing itself still wins
    assert stubborn.answer(variant).id == "cost-funding"
    # the shipped models: "why X?" is not "what is X?"
    reply = Engine.from_toolkit(toolkit).answer("Why competency education?")
    assert reply.id != "what-is-mastery-based-learning"
    assert "why-change" in [reply.id, *(s.id for s in reply.suggestions)]


@pytest.mark.parametrize("question", [
    "what's a learning target", "Whats a learning target?", "hi, what’s a learning target?",
])
def test_whats_x_is_a_definition_request(toolkit: Toolkit, question: str) -> None:
    assert Engine.from_toolkit(toolkit).answer(question).id == "term-learning-target"


def test_a_phrasing_of_several_entries_is_settled_by_the_model(toolkit: Toolkit,
                                                              plain: Engine) -> None:
    shared = next(indexes for indexes in plain._exact.values() if len(indexes) > 1)
    pair = sorted(shared)[:2]
    ids = [plain.entry_ids[i] for i in pair]
    phrasing = next(text for text in plain._entries[pair[0]].phrasings
                    if plain._exact.get(frozenset(plain.analyze(text)[0])) == shared)
    classes = [*plain.entry_ids, NONE]
    for wanted in ids:
        engine = Engine.from_toolkit(toolkit, model=_model(classes, {wanted: 3.0}))
        reply = engine.answer(phrasing)
        assert reply.id == wanted, (phrasing, ids)


def test_twins_pool_their_probability(toolkit: Toolkit, plain: Engine) -> None:
    ids = plain.entry_ids
    twins = next((a, b) for a in range(len(ids)) for b in range(len(ids))
                 if a < b and plain._twins(a, b))
    strangers = next((a, b) for a in range(len(ids)) for b in range(len(ids))
                     if a < b and not plain._twins(a, b) and plain._entries[a].kind == "faq"
                     and plain._entries[b].kind == "faq")
    classes = [*ids, NONE]
    question = "how do teachers keep track of which skills each student has shown"
    for pair, answered in ((twins, True), (strangers, False)):
        logits = {ids[i]: 4.0 for i in pair}  # each about 0.3: neither alone reaches 0.4
        reply = Engine.from_toolkit(toolkit, model=_model(classes, logits),
                                    params=AT_04).answer(question)
        assert (reply.id in {ids[i] for i in pair}) is answered, (pair, reply.id)
        if not answered:
            assert reply.id is None


def test_shipped_pools_are_the_pairs_the_sets_accept_together(script: ModuleType,
                                                              plain: Engine) -> None:
    model = load_model()
    assert model is not None
    assert model.pools == script.pools(engine=plain)
    # labels are read as the engine's ids: no pool names an id the engine lacks
    assert all(a in plain.entry_ids and b in plain.entry_ids for a, b in model.pools)
    assert ("state-pilots", "term-pilot-program") in model.pools
    # a pool is a pair, written and read back unchanged
    assert QuestionModel.from_dict(model.to_dict()).pools == model.pools
    with pytest.raises(ValueError, match="pair"):
        QuestionModel.from_dict({**model.to_dict(), "pools": [["grading"]]})


def test_a_pool_pools_its_pair_s_probability(toolkit: Toolkit, plain: Engine) -> None:
    ids = plain.entry_ids
    a, b = "grading", "where-percentages-went"
    assert not plain._twins(ids.index(a), ids.index(b))
    stub = _model([*ids, NONE], {a: 4.0, b: 4.0})  # each about 0.3
    question = "how do teachers keep track of which skills each student has shown"
    assert Engine.from_toolkit(toolkit, model=stub, params=AT_04).answer(question).id is None
    pooled = Engine.from_toolkit(toolkit, model=replace(stub, pools=((a, b),)), params=AT_04)
    assert pooled.answer(question).id in {a, b}
    # a pool naming an entry this toolkit does not have is ignored
    assert Engine.from_toolkit(toolkit, model=replace(stub, pools=((a, "no-such-entry"),)))


def test_an_answer_must_clearly_beat_no_entry(toolkit: Toolkit, plain: Engine) -> None:
    ids = plain.entry_ids
    stub = _model([*ids, NONE], {"retakes": 5.0, NONE: 4.9})  # about 0.41 against 0.37
    question = "how do teachers keep track of which skills each student has shown"
    assert Engine.from_toolkit(toolkit, model=stub).answer(question).id is None
    loose = Engine.from_toolkit(toolkit, model=stub, params=Params(none_margin=1.0))
    assert loose.answer(question).id == "retakes"


def test_a_phrasing_s_terms_the_model_doubts_give_choices(toolkit: Toolkit,
                                                          plain: Engine) -> None:
    phrasing = toolkit.faq["retakes"].question
    variant = "Why " + phrasing[0].lower() + phrasing[1:]
    doubtful = Engine.from_toolkit(toolkit, model=_model([*plain.entry_ids, NONE], {NONE: 6.0}))
    assert doubtful.answer(phrasing).id == "retakes"  # the phrasing itself still wins
    reply = doubtful.answer(variant)
    assert reply.id is None and reply.suggestions



def test_two_models_agreeing_need_less_belief(toolkit: Toolkit, plain: Engine) -> None:
    """When the word model and the sentence classifier both find one entry likeliest, it is
    the answer at ``model_pair`` (0.35) rather than ``model_answer`` (0.4)."""
    ids = plain.entry_ids
    classes = [*ids, NONE]
    question = "how do teachers keep track of which skills each student has shown"
    # a logit giving the entry about 0.375 of the belief, whatever the number of entries
    stub = _model(classes, {"cost-funding": math.log(0.375 * (len(classes) - 1) / 0.625)})
    engine = Engine.from_toolkit(toolkit, model=stub, semantic=None, params=AT_04)
    index = ids.index("cost-funding")
    probs = engine._model_probabilities(question)
    assert 0.35 < probs[index] < 0.4
    # no second model, no agreement: choices
    assert engine.answer(question).id is None
    args = (question, {}, [(index, 0.2)], [(index, 0.2)], probs, None, False)
    assert engine._decide(*args, agreed=index).id == "cost-funding"
    assert engine._decide(*args, agreed=None).id is None
    assert engine._decide(*args, agreed=ids.index("retakes")).id is None
    never = Engine.from_toolkit(toolkit, model=stub, semantic=None,
                                params=replace(AT_04, model_pair=0))
    assert never._decide(*args, agreed=index).id is None


def test_stage_and_place_copies_of_in_scope_questions(script: ModuleType) -> None:
    samples = [
        ("Can my child redo a test?", "retakes", 1.0),
        ("Which grades switch this year?", "local-rollout", 1.0),
        ("Is a 3 good in middle school?", "grading-scale-levels", 1.0),
        ("When does the bus come?", NONE, 1.0),
        ("Retakes are allowed.", "retakes", 0.5),
    ]
    staged = script.staged(samples)
    # only the first: not local-rollout, not a question naming a stage, not "no entry",
    # not a lower-weight sample
    assert [(entry, weight) for _, entry, weight in staged] == [("retakes", script.STAGE_WEIGHT)]
    assert staged[0][0] == f"Can my child redo a test {script.STAGES[0]}?"
    placed = script.placed(samples)
    assert [entry for _, entry, _ in placed] == [
        "retakes", "local-rollout", "grading-scale-levels"]
    assert all(text.endswith("?") and any(p in text for p in script.PLACES)
               for text, _, _ in placed)
    assert {weight for _, _, weight in placed} == {script.PLACE_WEIGHT}


@pytest.mark.parametrize(("question", "read"), [
    ("when does Cedar Ridge Elementary start using the new report cards??",
     "when does our school start using the new report cards??"),
    ("What cut score does Trimble County use for a 3?",
     "What cut score does our district use for a 3?"),
    ("Does Eagle Point School District still use proficiency grading?",
     "Does our district still use proficiency grading?"),
    ("My son at Lincoln Middle School got a 2.", "My son at our school got a 2."),
    ("What does standards-based grading mean?", "What does standards-based grading mean?"),
])
def test_a_named_school_is_read_as_our_school(question: str, read: str) -> None:
    from faq.engine import _our_school

    assert _our_school(question) == read


def test_a_named_school_does_not_turn_a_local_question_into_no_entry(toolkit: Toolkit) -> None:
    # the help-line questions the models learnt "no entry" from name places too; a question
    # about the approach at a named school is the same question at "our school"
    engine = Engine.from_toolkit(toolkit)
    named = engine.answer("When does Cedar Ridge Elementary start using the new report cards?")
    plain_question = engine.answer("When does our school start using the new report cards?")
    assert named.id == plain_question.id == "local-rollout"
    off = engine.answer("What time does the bus come at Cedar Ridge Elementary?")
    assert off.id is None


def test_two_close_entries_are_choices(toolkit: Toolkit, plain: Engine) -> None:
    """The question models' two likeliest entries, close (``Params.model_close``) and not
    twins or pooled: choices, with both offered; apart, the likelier is the answer."""
    ids = plain.entry_ids
    question = "how do teachers keep track of which skills each student has shown"
    close = _model([*ids, NONE], {"retakes": 5.0, "cost-funding": 4.95})
    reply = Engine.from_toolkit(toolkit, model=close).answer(question)
    assert reply.id is None and reply.reason == "choices"
    assert {"retakes", "cost-funding"} <= {s.id for s in reply.suggestions}
    off = Engine.from_toolkit(toolkit, model=close, params=Params(model_close=0))
    assert off.answer(question).id == "retakes"
    apart = _model([*ids, NONE], {"retakes": 5.0, "cost-funding": 4.0})
    assert Engine.from_toolkit(toolkit, model=apart).answer(question).id == "retakes"


def test_which_states_offered_as_choices_says_no_list(toolkit: Toolkit, plain: Engine) -> None:
    """"Which states …?" whose closest entries are offered as choices, the first naming no
    state: the reply says the toolkit lists no states ("no-list"), the entry still offered."""
    ids = plain.entry_ids
    unsure = _model([*ids, NONE], {"credits-seat-time": 5.0, NONE: 5.5})
    engine = Engine.from_toolkit(toolkit, model=unsure)
    reply = engine.answer("Which states let schools give credit for mastery?")
    assert reply.id is None and reply.reason == "no-list"
    assert reply.suggestions[0].id == "credits-seat-time"
    plain_reply = engine.answer("How do schools give credit for mastery?")
    assert plain_reply.reason == "choices"
