"""Meta-tests of the shipped phrase rules: every rule is complete, cites real evidence,
and its own should-flag / should-pass examples behave."""

from __future__ import annotations

import pytest

from messaging.checker import Checker
from toolkit import Toolkit, load_toolkit

REQUIRED_RULES = {
    "rigorous": "rigorous-confusing",
    "reorganizes-time": "less-reorganizes-time",
    "leverage-relationships": "less-leverage-relationships",
    "embraced-differently": "less-embraced-differently",
    "dramatically-rethink": "less-dramatically-rethink",
    "know-students-well": "less-know-students-well",
}
FRAME_FINDINGS = {
    "message-technology-not-emphasis",
    "message-not-a-fad",
    "message-local-control",
    "takeaway-clear-language",
}

_tk = load_toolkit()
RULES = sorted(_tk.rules)


@pytest.fixture(scope="module")
def checker(toolkit: Toolkit) -> Checker:
    return Checker.from_toolkit(toolkit)


def _audience(toolkit: Toolkit, rule_id: str) -> str | None:
    rule = toolkit.rules[rule_id]
    return rule.audiences[0] if rule.audiences else None


def test_required_rules_exist_with_their_findings(toolkit: Toolkit) -> None:
    for rule_id, finding in REQUIRED_RULES.items():
        assert rule_id in toolkit.rules, f"required rule '{rule_id}' is missing"
        assert toolkit.rules[rule_id].finding == finding


def test_message_frames_and_every_top_concern_have_a_rule(toolkit: Toolkit) -> None:
    cited = {rule.finding for rule in toolkit.rules.values()}
    assert cited >= FRAME_FINDINGS
    concerns = {f for f, item in toolkit.findings.items() if item.category == "top-concern"}
    assert concerns, "findings.yaml has no top concerns"
    assert concerns <= cited, f"top concerns without a rule: {sorted(concerns - cited)}"


def test_family_jargon_rule_is_for_family_audiences_only(toolkit: Toolkit) -> None:
    rule = toolkit.rules["family-jargon"]
    assert rule.audiences
    assert all(toolkit.audiences[a].family for a in rule.audiences)


@pytest.mark.parametrize("rule_id", RULES)
def test_rule_is_complete(toolkit: Toolkit, rule_id: str) -> None:
    rule = toolkit.rules[rule_id]
    assert rule.finding in toolkit.findings, f"{rule_id}: finding '{rule.finding}' does not exist"
    finding = toolkit.findings[rule.finding]
    assert finding.sources and all(s in toolkit.sources for s in finding.sources)
    assert rule.suggestions, f"{rule_id} offers no better wording"
    assert len(rule.examples.flag) >= 3 or rule_id not in REQUIRED_RULES
    assert rule.examples.flag and rule.examples.pass_


@pytest.mark.parametrize("rule_id", RULES)
def test_flag_examples_are_flagged(checker: Checker, toolkit: Toolkit, rule_id: str) -> None:
    audience = _audience(toolkit, rule_id)
    for sentence in toolkit.rules[rule_id].examples.flag:
        report = checker.check(sentence, audience=audience)
        rules = [f.rule for f in report.flags]
        assert rule_id in rules, f"{rule_id} should flag: {sentence!r} (got {rules})"


@pytest.mark.parametrize("rule_id", RULES)
def test_pass_examples_pass(checker: Checker, toolkit: Toolkit, rule_id: str) -> None:
    audience = _audience(toolkit, rule_id)
    for sentence in toolkit.rules[rule_id].examples.pass_:
        report = checker.check(sentence, audience=audience)
        hits = [f.text for f in report.flags if f.rule == rule_id]
        assert not hits, f"{rule_id} should not flag {sentence!r} (flagged {hits})"


@pytest.mark.parametrize("rule_id", sorted(REQUIRED_RULES))
def test_required_rules_are_errors_for_families_and_suggestions_for_legislators(
    checker: Checker, toolkit: Toolkit, rule_id: str
) -> None:
    sentence = toolkit.rules[rule_id].examples.flag[0]
    for audience, expected in (("parents", "error"), ("legislators", "suggestion")):
        flags = [f for f in checker.check(sentence, audience=audience).flags if f.rule == rule_id]
        assert flags and flags[0].severity == expected, (rule_id, audience)


def test_each_flag_carries_its_evidence(checker: Checker, toolkit: Toolkit) -> None:
    report = checker.check("Our rigorous program reorganizes time.", audience="parents")
    by_rule = {f.rule: f for f in report.flags}
    flag = by_rule["rigorous"]
    assert flag.finding is not None and flag.finding["id"] == "rigorous-confusing"
    assert flag.finding["title"] == toolkit.findings["rigorous-confusing"].title
    source_ids = [s["id"] for s in flag.sources]
    assert source_ids == toolkit.findings["rigorous-confusing"].sources
    assert flag.to_dict()["source"]["title"] == toolkit.sources[source_ids[0]].title
