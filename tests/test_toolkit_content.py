"""The shipped toolkit content: required ids, completeness, references, sourcing, plain words."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import BaseModel

from toolkit import Toolkit
from toolkit.models import SHORT_ANSWER_MAX_WORDS, FaqEntry, Myth, word_count

REQUIRED_FAQ = [
    "what-is-mastery-based-learning", "terminology", "why-change", "does-it-work", "grading",
    "retakes", "pace", "struggling-students", "large-classrooms", "technology", "student-data",
    "college-admissions", "credits-seat-time", "standards", "assessment", "parents", "equity",
    "implementation", "state-pilots", "local-control", "teachers", "benefits", "habits-of-work",
]
REQUIRED_MYTHS = [
    "myth-unrealistic", "myth-too-reliant-on-technology", "myth-too-experimental",
    "myth-student-maturity", "myth-only-for-gifted", "myth-neglects-fundamentals",
    "myth-too-much-data", "myth-lowers-the-bar", "myth-latest-fad", "myth-individualized",
    "myth-colleges-wont-accept",
]
AUDIENCES = [
    "parents", "teachers", "students", "school-leaders", "legislators", "business-community",
    "higher-education", "reporters",
]
#: The contract other parts rely on (INTERFACES.md): category -> finding ids.
FINDINGS: dict[str, list[str]] = {
    "methodology": ["survey-methodology"],
    "overall": ["overall-support", "rigorous-confusing", "helping-students-frame",
                "teachers-using-personalized", "no-further-questions"],
    "successful-language": [
        "success-understand-background", "success-commitment", "success-ownership",
        "success-targeted-support", "success-college-career-life", "success-real-world",
        "success-challenging-work", "success-communicate", "success-learn-how-to-learn"],
    "less-successful-language": [
        "less-leverage-relationships", "less-reorganizes-time", "less-embraced-differently",
        "less-dramatically-rethink", "less-rigorous-content", "less-know-students-well"],
    "top-benefit": ["benefit-customized", "benefit-own-pace", "benefit-flexibility",
                    "benefit-ownership", "benefit-one-on-one", "benefit-content-mastery"],
    "top-concern": [
        "concern-unrealistic", "concern-too-reliant-on-tech", "concern-too-experimental",
        "concern-student-maturity", "concern-only-for-gifted", "concern-fundamentals",
        "concern-too-much-data", "concern-teacher-time"],
    "big-question": ["question-large-classroom", "question-how-personalized",
                     "question-effectiveness", "question-who-needs-help", "question-compare",
                     "question-implementation", "question-realistic"],
    "key-takeaway": ["takeaway-beyond-individualized", "takeaway-clear-language",
                     "takeaway-see-it-in-practice"],
    "successful-message": ["message-local-leaders", "message-local-control",
                           "message-natural-extension", "message-not-a-fad",
                           "message-technology-not-emphasis"],
}
SOURCES = [
    "excelined-2016", "ccsso-2016", "gsp-2016", "task-force-principles", "mtc-2019",
    "message-testing-survey", "message-testing-studies", "cca-2012-remediation",
    "cca-2014-four-year-myth", "nber-2012-remediation", "sturgis-2011",
    "cpre-learning-progressions", "hattie-visible-learning", "nellie-mae-making-mastery-work",
    "carnegie-definitions", "idaho-h110", "utah-sb143", "florida-hb1365",
]
SEEDS = {
    "excelined-2016": "000_3682639cfbb4feb6.txt",
    "ccsso-2016": "001_66f01c71e4aed4b5.txt",
    "gsp-2016": "002_a1c66b92af19147b.txt",
    "task-force-principles": "003_2dbe6b89088c1fa2.txt",
    "mtc-2019": "004_19b0a1000e26bf3a.txt",
}
#: Wording message testing found weak, which our own prose must avoid.
WEAK_WORDING = re.compile(
    r"\brigo(u)?r(ous)?\b|reorgani[sz]es? time|dramatically (re)?(think|design)|"
    r"\bcutting[- ]edge\b|\brevolutionary\b|\bmandat(e|es|ed|ing)\b|embraced .* different degrees",
    re.IGNORECASE,
)
FIGURE = re.compile(r"\d")


#: fields that quote what other people say, and may use their words
QUOTING_FIELDS = {"alternatives", "myth", "question"}


def _texts(value: object, *, skip: frozenset[str] = frozenset()) -> Iterator[str]:
    """Every piece of text in ``value``, leaving out the fields named in ``skip``."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            if name not in skip:
                yield from _texts(getattr(value, name), skip=skip)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item, skip=skip)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item, skip=skip)


def _sourced_items(tk: Toolkit) -> Iterator[tuple[str, BaseModel, list[str]]]:
    for kind in ("findings", "faq", "myths", "proof_points", "glossary"):
        for item_id, item in getattr(tk, kind).items():
            yield f"{kind}/{item_id}", item, list(item.sources)  # type: ignore[attr-defined]
    for audience in tk.audiences.values():
        for n, point in enumerate((*audience.key_messages, *audience.talking_points)):
            yield f"audiences/{audience.id}[{n}]", point, list(point.sources)


# ------------------------------------------------------------ required ids
@pytest.mark.parametrize("entry_id", REQUIRED_FAQ)
def test_required_faq_entry_is_complete(toolkit: Toolkit, entry_id: str) -> None:
    entry = toolkit.faq[entry_id]
    assert entry.question.endswith("?")
    assert 4 <= len(entry.alternatives) <= 16
    assert len({a.lower() for a in entry.alternatives}) == len(entry.alternatives)
    assert 0 < word_count(entry.short) <= SHORT_ANSWER_MAX_WORDS
    assert word_count(entry.full) > word_count(entry.short)
    assert entry.audiences and entry.sources and entry.related
    assert entry.owner.strip() and (entry.review_date is None or entry.review_date.year >= 2025)


@pytest.mark.parametrize("myth_id", REQUIRED_MYTHS)
def test_required_myth_is_complete(toolkit: Toolkit, myth_id: str) -> None:
    myth = toolkit.myths[myth_id]
    assert len(myth.alternatives) >= 4
    assert 0 < word_count(myth.fact) <= SHORT_ANSWER_MAX_WORDS
    assert word_count(myth.evidence) >= 30
    assert myth.sources and myth.owner.strip() and (
        myth.review_date is None or myth.review_date.year >= 2025)


def test_myths_answer_the_tested_concerns(toolkit: Toolkit) -> None:
    answered = {m.concern for m in toolkit.myths.values() if m.concern}
    wanted = set(FINDINGS["top-concern"]) - {"concern-teacher-time"}
    assert wanted <= answered
    for myth in toolkit.myths.values():
        if myth.concern:
            assert toolkit.findings[myth.concern].category == "top-concern"


def test_audiences_are_complete(toolkit: Toolkit) -> None:
    assert sorted(toolkit.audiences) == sorted(AUDIENCES)
    for audience in toolkit.audiences.values():
        assert len(audience.key_messages) >= 2 and len(audience.talking_points) >= 2
        assert audience.aliases and audience.concerns
    family = {a.id for a in toolkit.audiences.values() if a.family}
    assert family == {"parents", "students"}
    for audience_id in family:
        assert toolkit.audiences[audience_id].readability.max_grade <= 8


@pytest.mark.parametrize(
    ("name", "expected"),
    [("families", "parents"), ("Parent", "parents"), ("board members", "school-leaders"),
     ("lawmakers", "legislators"), ("press", "reporters"), ("media", "reporters"),
     ("employers", "business-community"), ("admissions", "higher-education"),
     ("Reporters and media", "reporters"), ("teachers", "teachers")],
)
def test_audience_aliases_resolve(toolkit: Toolkit, name: str, expected: str) -> None:
    audience = toolkit.audience(name)
    assert audience is not None and audience.id == expected


def test_audience_aliases_are_unambiguous(toolkit: Toolkit) -> None:
    seen: dict[str, str] = {}
    for audience in toolkit.audiences.values():
        for name in {audience.id, audience.name.lower(), *(a.lower() for a in audience.aliases)}:
            assert seen.setdefault(name, audience.id) == audience.id, name


def test_findings_match_the_shared_contract(toolkit: Toolkit) -> None:
    for category, ids in FINDINGS.items():
        for finding_id in ids:
            assert toolkit.findings[finding_id].category == category, finding_id
    ranks = sorted(
        (f.rank, f.id) for f in toolkit.findings.values() if f.category == "top-benefit"
    )
    assert [rank for rank, _ in ranks] == [1, 2, 3, 4, 5, 6]
    assert ranks[0][1] == "benefit-customized"
    assert toolkit.findings["less-reorganizes-time"].tested_wording == "Reorganizes time"
    for category in ("successful-language", "less-successful-language"):
        for finding_id in FINDINGS[category]:
            finding = toolkit.findings[finding_id]
            assert finding.tested_wording and finding.groups == ["parents", "teachers"]


def test_bibliography(toolkit: Toolkit) -> None:
    for source_id in SOURCES:
        assert source_id in toolkit.sources
    for source_id, seed_file in SEEDS.items():
        source = toolkit.sources[source_id]
        assert source.kind == "seed" and source.seed_file == seed_file
    for source in toolkit.sources.values():
        if source.kind != "seed":
            assert source.cited_in, f"{source.id} must say which seed cites it"
    survey = toolkit.sources["message-testing-survey"]
    samples = {s.group: (s.n, s.margin_of_error) for s in survey.samples}
    assert samples == {"parents": (750, 3.6), "teachers": (350, 5.2)}
    assert "online" in survey.notes and "gender" in survey.notes


# ------------------------------------------------------- references, sources
def test_every_reference_resolves(toolkit: Toolkit) -> None:
    answerable: dict[str, FaqEntry | Myth] = {**toolkit.faq, **toolkit.myths}
    for entry in answerable.values():
        for related in entry.related:
            assert related in answerable and related != entry.id
        for audience_id in entry.audience_answers:
            assert audience_id in toolkit.audiences
    for entry in toolkit.faq.values():
        assert set(entry.audience_answers) <= set(entry.audiences), entry.id
        for audience_id in entry.audiences:
            assert audience_id in toolkit.audiences
    for audience in toolkit.audiences.values():
        for finding_id in audience.concerns:
            assert finding_id in toolkit.findings


def test_every_cited_source_exists_and_the_core_sources_are_used(toolkit: Toolkit) -> None:
    used: set[str] = set()
    for where, _, sources in _sourced_items(toolkit):
        assert sources, where
        for source_id in sources:
            assert source_id in toolkit.sources, f"{where}: {source_id}"
        used.update(sources)
    # the bibliography may list further reading, but the seeds and the core
    # studies must each back some piece of content
    core = {*SEEDS, "message-testing-survey", "message-testing-studies",
            "cca-2012-remediation", "nber-2012-remediation", "idaho-h110"}
    assert core <= used, f"sources nobody cites: {sorted(core - used)}"


def test_several_faq_entries_speak_to_specific_audiences(toolkit: Toolkit) -> None:
    tailored = [e for e in toolkit.faq.values() if e.audience_answers]
    assert len(tailored) >= 5
    for entry in tailored:
        for answer in entry.audience_answers.values():
            assert word_count(answer) <= SHORT_ANSWER_MAX_WORDS


def test_proof_points_have_figures_and_sources(toolkit: Toolkit) -> None:
    assert len(toolkit.proof_points) >= 15
    for point in toolkit.proof_points.values():
        assert point.sources, point.id
        assert point.figure and FIGURE.search(point.figure), point.id


@pytest.mark.parametrize(
    ("point_id", "figure"),
    [("remediation-cost", "$7 billion"), ("remediation-two-year", "50%"),
     ("remediation-four-year", "20%"), ("remediation-students", "1.7 million"),
     ("remediation-never-complete", "4 in 10")],
)
def test_remediation_figures_cite_the_studies_and_the_seed(
    toolkit: Toolkit, point_id: str, figure: str
) -> None:
    point = toolkit.proof_points[point_id]
    assert figure in point.statement
    assert "excelined-2016" in point.sources
    assert {"cca-2012-remediation", "nber-2012-remediation"} & set(point.sources)


def test_district_results_are_in_the_proof_points(toolkit: Toolkit) -> None:
    places = " ".join(p.place or "" for p in toolkit.proof_points.values())
    for place in ("Chugach", "Boston Day and Evening Academy", "Lindsay Unified"):
        assert place in places


def test_glossary_has_the_core_terms(toolkit: Toolkit) -> None:
    terms = {t.term.lower() for t in toolkit.glossary.values()}
    aliases = {a.lower() for t in toolkit.glossary.values() for a in t.aliases} | terms
    for term in ("competency", "mastery", "performance indicator", "learning target",
                 "formative assessment", "summative assessment", "habits of work", "seat time",
                 "carnegie unit", "learning progression", "personalized learning",
                 "proficiency scale", "graduation competency"):
        assert term in aliases, term
    for item in toolkit.glossary.values():
        assert word_count(item.plain) <= 30, item.id


# ------------------------------------------------------------- plain words
def test_answers_avoid_the_wording_message_testing_found_weak(toolkit: Toolkit) -> None:
    """Our prose avoids weak wording; it may only mention it in quotation marks."""
    for kind in ("faq", "myths", "audiences", "proof_points"):
        for item_id, item in getattr(toolkit, kind).items():
            for text in _texts(item, skip=frozenset(QUOTING_FIELDS)):
                unquoted = re.sub(r"\"[^\"]*\"|“[^”]*”", "", text)
                match = WEAK_WORDING.search(unquoted)
                assert match is None, f"{kind}/{item_id}: {match.group(0) if match else ''}"


def test_stale_content_is_listed(toolkit: Toolkit) -> None:
    due = toolkit.stale(365)
    assert due, "content no person has reviewed yet is listed by `toolkit stale`"
    assert {kind for kind, _, _ in due} >= {"faq", "myth", "proof point", "finding"}
    dates = [row[2].review_date or dt.date.min for row in due]
    assert dates == sorted(dates)


# ---------------------------------------------------------------- own words
SEED_DIR = Path("/work/shared/seeds")


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9%$]+", text.lower().replace("’", "'"))


@pytest.mark.skipif(not SEED_DIR.is_dir(), reason="the seed documents are not on this machine")
def test_answers_are_in_our_own_words(toolkit: Toolkit) -> None:
    """No run of 12 words is copied from a seed, outside quotation marks."""
    size = 12
    seed_words = _words(" ".join(p.read_text("utf-8") for p in SEED_DIR.glob("*.txt")))
    copied = {tuple(seed_words[i:i + size]) for i in range(len(seed_words) - size + 1)}
    for kind in ("faq", "myths", "audiences", "proof_points", "glossary"):
        for item_id, item in getattr(toolkit, kind).items():
            for text in _texts(item):
                words = _words(re.sub(r"\"[^\"]*\"|“[^”]*”", "", text))
                for i in range(len(words) - size + 1):
                    run = tuple(words[i:i + size])
                    assert run not in copied, f"{kind}/{item_id}: {' '.join(run)}"
