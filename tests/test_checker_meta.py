"""Meta-tests of the phrase rules: no dead ``word~``, every alternative exercised, and
replacements that fit the sentence they replace into."""

from __future__ import annotations

import re

import pytest

from messaging.checker import CheckConfig, Checker, apply_replacements
from messaging.matching import PatternError, dead_stem, parse_pattern
from tests.checker_coverage import describe, parts, used_parts
from toolkit import Toolkit


@pytest.mark.parametrize(
    "word", ["personaliz", "individualiz", "customiz", "differentiat", "eliminat", "memoriz",
             "minimiz", "capitaliz", "increas", "personalis", "individualis", "customis", "mov",
             "eas"],
)
def test_cut_short_stems_are_rejected_with_a_plain_reason(word: str) -> None:
    assert dead_stem(word)
    with pytest.raises(PatternError, match="never matches"):
        parse_pattern(f"{word}~ learning")


@pytest.mark.parametrize(
    "word", ["rigor", "know", "embrac", "chang", "requir", "graduat", "meeting", "plan", "kid",
             "reorganize", "relationship", "leverag", "personalize", "increase", "save"],
)
def test_whole_words_and_real_stems_are_accepted(word: str) -> None:
    assert dead_stem(word) is None
    assert parse_pattern(f"{word}~")


def test_no_rule_uses_a_dead_stem(toolkit: Toolkit) -> None:
    for rule in toolkit.rules.values():
        for source in (*rule.patterns, *rule.exceptions):
            for word in re.findall(r"([A-Za-z'’]+)~", source):
                assert dead_stem(word.lower()) is None, (rule.id, source)


def _uncovered(toolkit: Toolkit) -> dict[str, list[str]]:
    """Per rule pattern, the parts (branches, optional items, word~) no should-flag example
    of that rule exercises, in words."""
    found: dict[str, list[str]] = {}
    for rule in toolkit.rules.values():
        for source in rule.patterns:
            used: set = set()
            for sentence in rule.examples.flag:
                used |= used_parts(source, sentence)
            missing = parts(parse_pattern(source)) - used
            if missing:
                found[f"{rule.id}: {source}"] = sorted(describe(source, p) for p in missing)
    return found


def test_every_part_of_every_pattern_is_exercised_by_an_example(toolkit: Toolkit) -> None:
    """Every branch of every ( … | … ), every optional item and every word~ of every
    pattern is used by at least one should-flag example of its rule, so a typo, a dead stem
    or a branch that can never match cannot hide."""
    missing = _uncovered(toolkit)
    assert not missing, (
        "parts of patterns no should-flag example exercises; add an example of the rule "
        f"that uses each (or remove the part if it is dead or wrong): {missing}"
    )


def test_the_coverage_helper_sees_an_unexercised_part() -> None:
    source = "(rigorous|demanding) (work|tasks)"
    assert len(parts(parse_pattern(source))) == 4
    assert len(used_parts(source, "This is rigorous work.")) == 2
    assert used_parts(source, "This is rigorous work and demanding tasks.") == parts(
        parse_pattern(source))
    # branches are counted one by one, never as combinations
    assert len(parts(parse_pattern("(a|b) (c|d) (e|f)"))) == 6
    # an optional item must be used present once; a word~ must be matched
    source = "(the|our)? rigor~ plan"
    assert len(parts(parse_pattern(source))) == 4
    assert len(used_parts(source, "A rigorous plan.")) == 1
    assert len(used_parts(source, "Our rigorous plan.")) == 3
    assert used_parts(source, "Our rigorous plan. The rigorous plan.") == parts(
        parse_pattern(source))
    assert "optional '(the|our)?' present" in describe(source, ((0,), "opt", 0))


def test_every_replacement_fits_its_own_examples(toolkit: Toolkit) -> None:
    """Applying a rule's replacements to its own should-flag examples leaves no finding of
    that rule, adds no finding of another, and leaves no brackets or 'e.g.' behind."""
    checker = Checker.from_toolkit(toolkit, config=CheckConfig(long_sentences=False))
    applied_any = 0
    for rule in toolkit.rules.values():
        for sentence in rule.examples.flag:
            report = checker.check(sentence)
            fixed, applied = apply_replacements(sentence, report.flags)
            if not applied:
                continue
            applied_any += 1
            before = {f.rule for f in report.flags} - {f.rule for f in applied}
            after = {f.rule for f in checker.check(fixed).flags}
            assert rule.id not in after or rule.id in before, (rule.id, fixed)
            assert after <= before | {f.rule for f in applied}, (sentence, fixed, after)
            assert not re.search(r"[\[\]]|\be\.g\.", fixed), fixed
    assert applied_any >= 3


def test_replacements_are_advice_inside_quotes_headings_and_links(toolkit: Toolkit) -> None:
    checker = Checker.from_toolkit(toolkit)
    for text in ('She called it “rigorous coursework.”', "# Our Rigorous Coursework\n\nText here.",
                 "See [our rigorous coursework](https://example.org/plan)."):
        flag = next(f for f in checker.check(text).flags if f.rule == "rigorous")
        assert not flag.replacements, text
        assert [s.kind for s in flag.suggestions] == ["advice", "advice"]
    flag = next(f for f in checker.check("Our rigorous coursework works.").flags)
    assert flag.replacements == ("challenging",)


@pytest.mark.parametrize(("text", "fits"), [
    ("Students take rigorous coursework.", True),
    ("Our rigorous academic standards prepare every student.", True),
    ("Parents will see a rigorous new report card this fall.", False),
    ("Students go through a rigorous process.", False),
    ("Every lesson stays rigorous.", True),
    ("It is rigorous, and fair.", True),
    ("A rigorous text box", False),
])
def test_a_replacement_fits_only_before_its_words(toolkit: Toolkit, text: str,
                                                  fits: bool) -> None:
    """``only_before``: "challenging" replaces "rigorous" before coursework or standards
    (within three words) or at the end of a clause, not in "a rigorous new report card"
    (advice there)."""
    checker = Checker.from_toolkit(toolkit)
    flag = next(f for f in checker.check(text, audience="parents").flags if f.rule == "rigorous")
    assert bool(flag.replacements) is fits
    assert any(str(s) == "challenging" for s in flag.suggestions)
