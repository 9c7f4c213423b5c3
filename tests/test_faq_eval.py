"""The visible evaluation set, as a regression guard.

The measurement itself is benchmarks/faq_bench.py (with a BM25 baseline, latency and
cold start); this test only fails when accuracy drops below floors a little under the
measured values, so a change to the engine, the synonyms or the FAQ content that makes
answers worse is caught.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from faq.engine import Engine
from faq.evaluate import EvalResult, engine_reply, evaluate, load_eval_set
from toolkit import Toolkit

EVAL_SET = Path(__file__).with_name("eval_questions.yaml")
#: questions for calibrating the engine (benchmarks/faq_bench.py reports them too)
DEV_SET = Path(__file__).resolve().parent.parent / "benchmarks" / "faq_dev_questions.yaml"
#: real-world questions written in the shapes of public pages (issue 12)
REAL_SET = Path(__file__).resolve().parent.parent / "benchmarks" / "faq_real_questions.yaml"

# floors: a little under the measured values (see benchmarks/RESULTS.md)
#: the engine offers close entries as choices instead of answering (issue 12): fewer
#: confident wrong answers on real questions, at some cost to top-1 on this set
MIN_TOP1 = 0.72
MIN_TOP3 = 0.97
MIN_REJECTION = 0.90
#: an eval question this similar (rapidfuzz ratio, 0-100) to a toolkit phrasing is a copy
NEAR_COPY = 85


@pytest.mark.parametrize(("path", "min_in", "min_out"), [(EVAL_SET, 80, 15), (DEV_SET, 20, 20)],
                         ids=["eval", "dev"])
def test_question_sets_are_large_and_well_formed(
    toolkit: Toolkit, path: Path, min_in: int, min_out: int
) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert len(data["in_scope"]) >= min_in
    assert len(data["out_of_scope"]) >= min_out
    known = set(Engine.from_toolkit(toolkit).entry_ids)
    for item in data["in_scope"]:
        assert item["ids"], item
        unknown = set(item["ids"]) - known
        assert not unknown, f"{item['q']!r} lists unknown ids {unknown}"
    questions = [i["q"].strip().lower() for i in data["in_scope"] + data["out_of_scope"]]
    assert len(questions) == len(set(questions)), "duplicate questions"


@pytest.mark.parametrize("path", [EVAL_SET, DEV_SET, REAL_SET], ids=["eval", "dev", "real"])
def test_eval_questions_are_not_copied_into_the_content(toolkit: Toolkit, path: Path) -> None:
    """The set measures generalisation: no question of it may be (nearly) a phrasing of the
    toolkit. If this fails, reword the toolkit's alternative or the eval question."""
    from rapidfuzz import fuzz, process

    phrasings = [p.lower() for e in toolkit.faq.values() for p in (e.question, *e.alternatives)]
    phrasings += [p.lower() for m in toolkit.myths.values() for p in (m.myth, *m.alternatives)]
    copied = []
    for item in load_eval_set(path):
        found = process.extractOne(item.question.lower(), phrasings, scorer=fuzz.ratio,
                                   score_cutoff=NEAR_COPY)
        if found is not None:
            copied.append((item.question, found[0], round(found[1])))
    assert not copied, f"eval questions (nearly) found in the toolkit: {copied}"


@pytest.fixture(scope="module")
def result(toolkit: Toolkit) -> EvalResult:
    return evaluate(engine_reply(Engine.from_toolkit(toolkit)), load_eval_set(EVAL_SET))


def test_top1_accuracy(result: EvalResult) -> None:
    assert result.top1 >= MIN_TOP1, [m for m in result.misses if m["want"]]


def test_top3_accuracy(result: EvalResult) -> None:
    assert result.top3 >= MIN_TOP3, [m for m in result.misses if m["want"] and not m["top3"]]


def test_out_of_scope_rejection(result: EvalResult) -> None:
    assert result.rejection >= MIN_REJECTION, [m for m in result.misses if not m["want"]]


# ------------------------------------------------- real-world questions (issue 12)
#: floors and ceilings a little beyond the measured values on the dev two thirds
#: (benchmarks/RESULTS.md); the held-out third is reported by the benchmark only
REAL_MIN_RIGHT = 0.50
REAL_MAX_CONFIDENT_WRONG = 0.10
REAL_MIN_OFFERED = 0.85
REAL_MIN_OFF_TOPIC_DECLINED = 0.90


def test_real_question_set_is_large_labelled_and_well_formed(toolkit: Toolkit) -> None:
    data = yaml.safe_load(REAL_SET.read_text(encoding="utf-8"))
    kinds = [item["kind"] for item in data["out_of_scope"]]
    assert len(data["in_scope"]) + len(data["out_of_scope"]) >= 150
    assert kinds.count("off-topic") >= 30 and kinds.count("no-entry") >= 15
    assert set(kinds) <= {"off-topic", "no-entry", "other-language"}
    known = set(Engine.from_toolkit(toolkit).entry_ids)
    for item in data["in_scope"] + data["out_of_scope"]:
        assert item.get("src"), f"{item['q']!r} does not say what kind of source it mirrors"
    unknown = {i for item in data["in_scope"] for i in item["ids"]} - known
    # labels were written before the entries existed; a few name an entry that was
    # later folded into another (they stay as written and count as misses)
    assert len(unknown) <= 3, unknown


def test_real_questions_dev_part(toolkit: Toolkit) -> None:
    from faq.evaluate import evaluate_real, held_out

    dev, _ = held_out(load_eval_set(REAL_SET))
    result = evaluate_real(engine_reply(Engine.from_toolkit(toolkit)), dev)
    assert result.right >= REAL_MIN_RIGHT, result.misses
    assert result.confident_wrong <= REAL_MAX_CONFIDENT_WRONG, result.misses
    assert result.offered >= REAL_MIN_OFFERED, result.misses
    assert result.off_topic_declined >= REAL_MIN_OFF_TOPIC_DECLINED, result.misses
    assert result.other_language_declined == 1.0, result.misses


def test_a_glossary_term_an_faq_entry_answers_is_read_as_that_entry(toolkit: Toolkit) -> None:
    """Labelled sets name some glossary terms that have no entry of their own ("term-seat-time":
    the FAQ entry on credits and seat time answers "what is seat time?"). Training and the
    benchmarks read such a label as the answering entry, so the engine's answer counts as
    right and the question is not dropped from training."""
    from faq.evaluate import EvalQuestion, canonical

    engine = Engine.from_toolkit(toolkit)
    ids = set(engine.entry_ids)
    folded = dict(engine.aliases)
    assert folded, "some glossary terms are answered by FAQ entries"
    for term, owner in folded.items():
        assert term not in ids and owner in ids
        assert engine.canonical_id(term) == owner
        assert engine.canonical_id(term.removeprefix("term-")) == owner
    own_term = next(i for i in ids if i.startswith("term-"))
    assert engine.canonical_id(own_term) == own_term
    assert engine.canonical_id(own_term.removeprefix("term-")) == own_term
    assert engine.canonical_id("no-such-entry") == "no-such-entry"
    term, owner = next(iter(folded.items()))
    asked = engine.answer("What is seat time?")
    assert engine.canonical_id("term-seat-time") == asked.id
    [item] = canonical([EvalQuestion("q", (term, owner, "retakes"))], engine)
    assert item.ids == (owner, "retakes")


def test_a_relabelled_out_of_scope_question_keeps_its_place_in_the_held_out_split(
        tmp_path: Path) -> None:
    """An out-of-scope item given ``ids`` later (an entry was written for it) is answered by
    them, but stays numbered with the out-of-scope list, so no held-out third changes."""
    from faq.evaluate import held_out

    path = tmp_path / "set.yaml"
    rows = {
        "in_scope": [{"q": f"in {n}", "ids": ["grading"]} for n in range(3)],
        "out_of_scope": [
            {"q": "out 0", "kind": "off-topic"},
            {"q": "out 1", "kind": "no-entry", "ids": ["local-grading-rules"]},
            {"q": "out 2", "kind": "no-entry"},
        ],
    }
    path.write_text(yaml.safe_dump(rows), encoding="utf-8")
    questions = load_eval_set(path)
    relabelled = next(q for q in questions if q.question == "out 1")
    assert relabelled.in_scope and relabelled.ids == ("local-grading-rules",)
    assert relabelled.kind == ""
    dev, held = held_out(questions)
    assert [q.question for q in held] == ["in 2", "out 2"]
    assert "out 1" in [q.question for q in dev]
