"""The pattern language, Markdown/HTML awareness, positions, and the linter controls."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from messaging.checker import CheckConfig, Checker, RuleFileError, match_case
from messaging.markup import prepare
from messaging.matching import Pattern, PatternError, PatternSet, tokenize
from toolkit import Toolkit


@pytest.fixture(scope="module")
def checker(toolkit: Toolkit) -> Checker:
    return Checker.from_toolkit(toolkit)


def rules_in(checker: Checker, text: str, audience: str | None = None, **kw: str) -> list[str]:
    return [f.rule for f in checker.check(text, audience=audience, **kw).flags if not f.quoted]


def matches(pattern: str, text: str) -> list[str]:
    compiled = Pattern.compile(pattern)
    index = PatternSet()
    index.add(0, compiled)
    tokens = tokenize(text)
    return [text[tokens.start[a] : tokens.end[b - 1]] for _, _, a, b in index.matches(tokens)]


# ------------------------------------------------------------ pattern language
@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        ("rigor~", "Rigor, rigorous and rigorously.", ["Rigor", "rigorous", "rigorously"]),
        ("rigor~", "vigorous Rigoberto rigid", []),
        (
            "reorganiz* ...2 time",
            "reorganizing instructional time",
            ["reorganizing instructional time"],
        ),
        ("reorganiz* ...2 time", "reorganize the school's time", ["reorganize the school's time"]),
        ("reorganiz* ...2 time", "reorganize the big old school time", []),
        (
            "reorganiz* ...3 time",
            "We reorganized the files, in time",
            [],
        ),  # gaps never cross a comma
        ("(the|our)? time", "our time", ["our time"]),
        ("seat time", "seat-time credits", ["seat-time"]),
        (
            "(school district|district) leader~",
            "school district leaders",
            ["school district leaders"],
        ),
        ("know ...2 students well", "know their students well", ["know their students well"]),
        ("seat time \\(", "seat time (hours)", ["seat time ("]),
        ("student", "the student's work", ["student's"]),
        ("it's time", "It’s time to go", ["It’s time"]),
        ("a _ day", "a long day", ["a long day"]),
        # an intensifier between two words of a pattern is read past, one at a time ...
        ("at different points", "at very different points", ["at very different points"]),
        ("know students well", "know students really well", ["know students really well"]),
        ("(at|in) different (points|stages)", "in truly different stages",
         ["in truly different stages"]),
        ("(top down|one size) plan", "top very down plan", ["top very down plan"]),
        ("completely rethink", "completely rethink", ["completely rethink"]),
        ("at different points", "at very very different points", []),
        # ... but never before a pattern's first word, and not other words
        ("different points", "very different points", ["different points"]),
        ("at different points", "at so different points", []),
        ("at different points", "at very, different points", []),
    ],
)
def test_pattern_language(pattern: str, text: str, expected: list[str]) -> None:
    assert matches(pattern, text) == expected


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        ("(rigor|rigour", "never closed"),
        ("rigor)", "outside"),
        ("... time", "cannot start or end"),
        ("time ...", "cannot start or end"),
        ("(a|)", "empty alternative"),
        ("time ...9 x", "1 to 8"),
        ("(meeting|visit)~", "unexpected '~'"),
        ("rigor? vigor?", "every part is optional"),
        ("\\x", "punctuation"),
        ("", "empty"),
    ],
)
def test_bad_patterns_are_explained(pattern: str, problem: str) -> None:
    with pytest.raises(PatternError, match=problem):
        Pattern.compile(pattern)


def test_a_pattern_cannot_start_with_any_word() -> None:
    with pytest.raises(PatternError, match="must start with a word"):
        PatternSet().add(0, Pattern.compile("_ time"))


# ----------------------------------------------------------------- the rules
@pytest.mark.parametrize(
    "text",
    [
        "Rigor matters.",
        "Our rigorous program.",
        "Taught rigorously.",
        "RIGOROUS STANDARDS",
    ],
)
def test_rigorous_inflections(checker: Checker, text: str) -> None:
    assert "rigorous" in rules_in(checker, text)


@pytest.mark.parametrize(
    "text",
    [
        "It reorganizes time.",
        "We are reorganizing instructional time.",
        "A reorganization of time helps.",
        "Schools reorganize instructional time.",
    ],
)
def test_reorganizes_time_inflections(checker: Checker, text: str) -> None:
    assert "reorganizes-time" in rules_in(checker, text)


@pytest.mark.parametrize(
    "text",
    [
        "It's time to reorganize the committee.",
        "Students take part in vigorous debate.",
        "Rigoberto leads the parent council.",
    ],
)
def test_near_misses_pass(checker: Checker, text: str) -> None:
    assert rules_in(checker, text) == []


# ------------------------------------------------------------ markup and quotes
def test_code_urls_link_targets_and_tags_are_skipped(checker: Checker) -> None:
    text = textwrap.dedent(
        """\
        Read [the plan](https://example.org/rigorous-plan "rigorous") today.
        Visit https://example.org/rigorous or www.rigor.example.com now.
        Run `rigorous --check` in a terminal.

        ```
        rigorous code block
        ```

        <span class="rigorous" title="rigor">plain words</span>
        <!-- a rigorous comment -->
        {{ rigorous_variable }} {% if rigorous %}
        """
    )
    assert rules_in(checker, text) == []


def test_only_a_closed_raw_element_is_skipped(checker: Checker) -> None:
    # a closed <pre>, <script> or <style> is not prose
    closed = "Intro.\n<pre>rigorous code</pre>\n<script>var rigorous = 1;</script>\n\nAll good."
    assert rules_in(checker, closed) == []
    # one never closed (a stray tag, an escaped "\\<script\\>" in a headline) hides nothing
    for opening in ("Hi <pre> there.", "Our \\<script\\> headline.", "A <style> note."):
        text = f"{opening}\n\nOur rigorous program starts."
        assert rules_in(checker, text) == ["rigorous"], opening
    # after a closed element, the text goes on being checked
    text = "<pre>rigorous</pre> and <pre>more rigorous</pre>\n\nOur rigorous program."
    assert rules_in(checker, text) == ["rigorous"]


def test_a_soft_hyphen_inside_a_word_is_read_past(checker: Checker) -> None:
    # text copied from PDF and Word files keeps its hyphenation points
    text = "Our rig\u00adorous program re\u00adorganizes time."
    assert sorted(rules_in(checker, text)) == ["reorganizes-time", "rigorous"]
    flag = next(f for f in checker.check(text).flags if f.rule == "rigorous")
    assert flag.text == "rig\u00adorous"


def test_quotation_marks_written_as_entities_still_quote(checker: Checker) -> None:
    for text in ("<p>Read &ldquo;rigorous&rdquo; stories.</p>",
                 "<p>Read &quot;rigorous&quot; stories.</p>",
                 "<p>She said &#8220;our rigorous plan works.&#8221; Then left.</p>"):
        flags = checker.check(text, markup="html").flags
        assert [(f.rule, f.quoted) for f in flags] == [("rigorous", True)], text
    flags = checker.check("<p>Our rigorous stories &amp; more.</p>", markup="html").flags
    assert [(f.rule, f.quoted) for f in flags] == [("rigorous", False)]


def test_link_text_is_checked(checker: Checker) -> None:
    text = "Read about [our rigorous plan](https://example.org/plan)."
    flags = checker.check(text).flags
    assert [f.text for f in flags] == ["rigorous"]


def test_quotations_and_block_quotes_are_reported_as_quoted(checker: Checker) -> None:
    text = textwrap.dedent(
        """\
        Parents said “rigorous” was confusing, and "reorganizes time" too.

        > Engage students around rigorous standards-based academic content.

        <blockquote>It reorganizes time.</blockquote>
        """
    )
    report = checker.check(text, audience="parents")
    assert report.flags and all(f.quoted for f in report.flags)
    assert {f.rule for f in report.flags} == {"rigorous", "reorganizes-time"}
    assert report.worst_severity is None
    assert report.counts()["quoted"] == len(report.flags)
    skipping = checker.with_config(CheckConfig(quotes="skip"))
    assert skipping.check(text, audience="parents").flags == []


def test_a_quotation_ends_with_its_paragraph_line(checker: Checker) -> None:
    # one paragraph per line, and a quotation opened with a curly mark but closed with a
    # straight one: the next paragraph is the writer's own again
    text = ('The coach said, “We love the rigorous plan."\n'
            "Our district will use a rigorous scale this fall.\n")
    flags = checker.check(text, audience="parents").flags
    assert [(f.rule, f.quoted) for f in flags] == [("rigorous", True), ("rigorous", False)]
    # an unclosed quotation still runs to the end of its paragraph's line
    text = "He said, “It is a rigorous plan.\nThe board voted on a rigorous plan.\n"
    flags = checker.check(text, audience="parents").flags
    assert [f.quoted for f in flags] == [True, False]


def test_positions_are_offsets_in_the_original_text(checker: Checker) -> None:
    text = "# Título 🎉\r\n\r\nİstanbul <b>café</b> is\r\nrigorous and it\nreorganizes time."
    report = checker.check(text)
    got = {f.rule: f for f in report.flags}
    for flag in got.values():
        assert text[flag.start : flag.end] == flag.text
    rigorous = got["rigorous"]
    assert (rigorous.line, rigorous.column) == (4, 1)
    assert got["reorganizes-time"].line == 5
    assert got["reorganizes-time"].text == "reorganizes time"


def test_prepare_keeps_length_and_newlines() -> None:
    text = "a `code`\n<a href='x'>link</a>\n```\nfence\n```\n"
    prepared = prepare(text)
    assert len(prepared.prose) == len(text)
    assert [i for i, c in enumerate(prepared.prose) if c == "\n"] == [
        i for i, c in enumerate(text) if c == "\n"
    ]


def test_plain_text_mode_reads_angle_brackets_as_prose(checker: Checker) -> None:
    text = "Scores <rigorous> x"
    assert rules_in(checker, text, markup="text") == ["rigorous"]
    assert rules_in(checker, text, markup="html") == []


# --------------------------------------------------------- suggestions, severity
@pytest.mark.parametrize(
    ("original", "expected"),
    [("Rigorous", "Challenging"), ("RIGOROUS", "CHALLENGING"), ("rigorous", "challenging")],
)
def test_suggestions_keep_case(checker: Checker, original: str, expected: str) -> None:
    flag = checker.check(f"{original} work.").flags[0]
    assert flag.suggestions[0] == expected
    assert match_case("challenging", original) == expected


def test_severity_follows_the_audience_and_aliases_resolve(checker: Checker) -> None:
    text = "Our rigorous program."
    assert checker.check(text).flags[0].severity == "warning"
    assert checker.check(text, audience="families").flags[0].severity == "error"
    assert checker.check(text, audience="legislators").flags[0].severity == "suggestion"
    assert checker.check(text, audience="families").audience == "parents"
    with pytest.raises(ValueError, match="There is no audience 'martians'"):
        checker.check(text, audience="martians")


def test_jargon_is_checked_only_for_family_audiences(checker: Checker) -> None:
    text = "Credit will not depend on seat time."
    assert rules_in(checker, text, "parents") == ["family-jargon"]
    assert rules_in(checker, text, "students") == ["family-jargon"]
    assert rules_in(checker, text, "legislators") == []
    assert rules_in(checker, text) == []


# -------------------------------------------------------------- linter controls
def test_inline_disable_enable_and_next_line(checker: Checker) -> None:
    text = textwrap.dedent(
        """\
        Rigorous one.
        <!-- mastery-disable rigorous -->
        Rigorous two reorganizes time.
        <!-- mastery-enable rigorous -->
        Rigorous three.
        <!-- mastery-disable-next-line -->
        Rigorous four reorganizes time.
        Rigorous five. <!-- mastery-disable-line rigorous -->
        Rigorous six reorganizes time.
        <!-- mastery-disable -->
        Rigorous seven.
        """
    )
    flags = checker.check(text).flags
    assert [(f.rule, f.line) for f in flags] == [
        ("rigorous", 1),
        ("reorganizes-time", 3),
        ("rigorous", 5),
        ("rigorous", 9),
        ("reorganizes-time", 9),
    ]


def test_config_rules_min_severity_and_allow(checker: Checker) -> None:
    text = "Our rigorous program reorganizes time. Every student gets a laptop."
    assert set(rules_in(checker, text)) == {"rigorous", "reorganizes-time", "technology-focus"}
    only = checker.with_config(CheckConfig(rules=frozenset({"rigorous"})))
    assert rules_in(only, text) == ["rigorous"]
    off = checker.with_config(CheckConfig(disable=frozenset({"rigorous"})))
    assert "rigorous" not in rules_in(off, text)
    errors_only = checker.with_config(CheckConfig(min_severity="error"))
    assert rules_in(errors_only, text, "parents") == ["rigorous", "reorganizes-time"]
    allowed = checker.with_config(CheckConfig(allow=("rigorous program",)))
    assert "rigorous" not in rules_in(allowed, text)
    assert "rigorous" in rules_in(allowed, "A rigorous test.")


def test_config_file(tmp_path: Path, toolkit: Toolkit) -> None:
    config = tmp_path / "mastery.yaml"
    config.write_text(
        "disable: [technology-focus]\nmin_severity: warning\nquotes: skip\n"
        "allow: [rigorous standards-based academic content]\nrule_files: [extra.yaml]\n"
    )
    loaded = CheckConfig.from_file(config)
    assert loaded.disable == {"technology-focus"}
    assert loaded.quotes == "skip"
    assert loaded.rule_files == (tmp_path / "extra.yaml",)
    bad = tmp_path / "bad.yaml"
    bad.write_text("min_severity: loud\ncolour: red\n")
    with pytest.raises(RuleFileError) as info:
        CheckConfig.from_file(bad)
    assert f"{bad}:1: min_severity must be one of" in str(info.value)
    assert f"{bad}:2: unknown setting 'colour'" in str(info.value)


USER_RULES = """\
sources:
  - id: sea-focus-groups
    title: SEA family focus groups
    author: State Department of Education
    year: 2025
    kind: study
findings:
  - id: sea-personalized
    category: less-successful-language
    title: "\\"Personalized pathways\\" confused families"
    summary: Families in our focus groups did not know what it meant.
    sources: [sea-focus-groups]
rules:
  - id: personalized-pathways
    message: Families did not understand "personalized pathways".
    finding: sea-personalized
    severity: warning
    severity_by_audience: {parents: error}
    patterns: [personaliz* pathway~]
    suggestions: [a learning plan for your child]
    examples:
      flag: [We offer personalized pathways.]
      pass: [We offer a plan for your child.]
  - id: rigorous
    message: Our own wording for rigor.
    finding: rigorous-confusing
    severity: suggestion
    patterns: [rigor~]
    suggestions: [demanding]
    examples:
      flag: [rigorous]
      pass: [vigorous]
"""


def test_user_rule_files_add_findings_and_replace_rules(tmp_path: Path, toolkit: Toolkit) -> None:
    path = tmp_path / "sea.yaml"
    path.write_text(USER_RULES)
    checker = Checker.from_toolkit(toolkit, [path])
    report = checker.check("Rigorous, personalized pathways.", audience="parents")
    by_rule = {f.rule: f for f in report.flags}
    assert by_rule["personalized-pathways"].severity == "error"
    source = by_rule["personalized-pathways"].source
    assert source is not None and source["author"] == "State Department of Education"
    assert by_rule["rigorous"].message == "Our own wording for rigor."
    assert by_rule["rigorous"].suggestions == ("Demanding",)


@pytest.mark.parametrize(
    ("content", "line", "problem"),
    [
        ("- id: x\n  message: m\n", 1, "missing field"),
        (
            "rules:\n  - id: x\n    message: m\n    finding: nope\n    severity: error\n"
            "    patterns: [ok]\n    examples: {flag: [ok], pass: [fine]}\n",
            2,
            "finding 'nope' does not exist",
        ),
        (
            "- id: x\n  message: m\n  finding: rigorous-confusing\n  severity: error\n"
            "  patterns:\n    - fine\n    - (broken\n  examples: {flag: [a], pass: [b]}\n",
            7,
            "never closed",
        ),
        ("rules: [\n", 2, "not valid YAML"),
        (
            "- id: x\n  message: m\n  finding: rigorous-confusing\n  severity: loud\n"
            "  patterns: [a]\n  examples: {flag: [a], pass: [b]}\n",
            4,
            "severity",
        ),
        ("", 1, "empty"),
    ],
)
def test_malformed_rule_files_say_file_and_line(
    tmp_path: Path, toolkit: Toolkit, content: str, line: int, problem: str
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(content)
    with pytest.raises(RuleFileError) as info:
        Checker.from_toolkit(toolkit, [path])
    assert any(p.startswith(f"{path}:{line}:") and problem in p for p in info.value.problems), (
        info.value.problems
    )


@pytest.mark.parametrize(
    "text",
    ["", "   \n\t", "🎉🎉🎉", "\x00\x01 rigorous", "a" * 100_000, "<" * 5000, "`" * 999, '"' * 99],
)
def test_never_raises_on_odd_text(checker: Checker, text: str) -> None:
    report = checker.check(text, audience="parents")
    assert isinstance(report.to_dict(), dict)
