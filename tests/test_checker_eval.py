"""The labelled evaluation set meets the precision and recall targets on the required rules."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from messaging.checker import Checker
from toolkit import Toolkit

EVAL = Path(__file__).with_name("checker_eval.yaml")
DATA = yaml.safe_load(EVAL.read_text(encoding="utf-8"))
SENTENCES = DATA["sentences"]
SCORED = set(DATA["scored"])


@pytest.fixture(scope="module")
def outcomes(toolkit: Toolkit) -> list[tuple[dict, set[str]]]:
    checker = Checker.from_toolkit(toolkit)
    results = []
    for item in SENTENCES:
        report = checker.check(item["text"], audience=item.get("audience"))
        results.append((item, {f.rule for f in report.flags if f.rule != "long-sentence"}))
    return results


def test_the_set_is_big_and_balanced(toolkit: Toolkit) -> None:
    assert len(SENTENCES) >= 120
    assert set(toolkit.rules) >= SCORED
    for rule in SCORED:
        positives = [s for s in SENTENCES if rule in s["rules"]]
        assert len(positives) >= 8, f"{rule}: only {len(positives)} positive sentences"
    assert sum(1 for s in SENTENCES if not s["rules"]) >= 50
    assert all(set(s["rules"]) <= set(toolkit.rules) for s in SENTENCES)


def test_precision_and_recall_targets(outcomes: list[tuple[dict, set[str]]]) -> None:
    tp = fp = fn = 0
    misses, false_alarms = [], []
    for item, got in outcomes:
        want = set(item["rules"]) & SCORED
        flagged = got & SCORED
        tp += len(want & flagged)
        fn += len(want - flagged)
        fp += len(flagged - want)
        misses += [(r, item["text"]) for r in want - flagged]
        false_alarms += [(r, item["text"]) for r in flagged - want]
    precision = tp / (tp + fp)
    recall = tp / (tp + fn)
    assert precision >= 0.97, false_alarms
    assert recall >= 0.95, misses


def test_other_labelled_rules_fire(outcomes: list[tuple[dict, set[str]]]) -> None:
    for item, got in outcomes:
        assert set(item["rules"]) <= got, (item["text"], got)
