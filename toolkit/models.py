"""Typed models of the communications toolkit content.

Every YAML file under a toolkit folder is validated against one of these
models by :mod:`toolkit.loader`. The models are the schema a content editor
writes to; ``CONTRIBUTING`` in the README explains them in plain words.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
NonEmpty = Annotated[str, Field(min_length=1)]
Severity = Literal["error", "warning", "suggestion"]

SHORT_ANSWER_MAX_WORDS = 60

#: the honest ``reviewed:`` value of content no person has checked against its sources yet
NOT_REVIEWED: Literal["not yet reviewed by a person"] = "not yet reviewed by a person"
ReviewDate = dt.date | Literal["not yet reviewed by a person"]
Confidence = Literal["high", "medium", "low"]


def word_count(text: str) -> int:
    return len(re.findall(r"[\w'’-]+", text))


class Model(BaseModel):
    """Base for every content model: immutable, and unknown keys are errors."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Sourced(Model):
    """A statement that must cite at least one bibliography entry."""

    text: NonEmpty
    sources: list[Id] = Field(min_length=1)
    #: the statement told about its audience rather than to it ("Your child moves ahead…" ->
    #: "Students move ahead…"), for documents other people read (press releases)
    third_person: NonEmpty | None = None


# --------------------------------------------------------------------- sources
class SurveySample(Model):
    group: NonEmpty
    n: int = Field(gt=0)
    margin_of_error: float = Field(gt=0, description="percentage points, +/-")
    description: str = ""


class Source(Model):
    id: Id
    title: NonEmpty
    author: NonEmpty
    year: int | None = None
    date: str | None = None
    kind: Literal["seed", "study", "survey", "report", "book", "law", "website"]
    seed_file: str | None = None
    file: str | None = Field(
        default=None,
        description="the document's file name or glob pattern in the folder given to "
        "`mastery toolkit verify --sources` (text, Markdown, PDF or .docx)",
    )
    cited_in: list[Id] = Field(default_factory=list)
    url: str | None = None
    samples: list[SurveySample] = Field(default_factory=list)
    notes: str = ""


class Evidence(Model):
    """Where in its source a quotable figure or finding comes from, and how sure we are.

    ``location`` names the page, slide or section; ``confidence`` is how safely the
    toolkit's reading follows from the source (``medium``/``low`` when the source is
    ambiguous, e.g. a slide whose layout was lost), and ``note`` says why.
    """

    location: str | None = Field(default=None, description="page, slide or section")
    confidence: Confidence | None = None
    note: str = Field(default="", description="what is ambiguous or uncertain, if anything")

    def evidence(self) -> dict[str, str]:
        """``{location, confidence, note}`` (empty values left out), for presenters."""
        out = {"location": self.location or "", "confidence": self.confidence or "",
               "note": self.note}
        return {k: v for k, v in out.items() if v}


class Owned(Model):
    """Who keeps an item current and when a person last checked it against its sources.

    Optional here so an agency's own additions still load; the shipped content's
    tests require an owner everywhere.
    """

    owner: str | None = None
    reviewed: ReviewDate = NOT_REVIEWED

    @field_validator("reviewed", mode="before")
    @classmethod
    def _date_or_never(cls, value: Any) -> Any:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = str(value).strip()
        if text.lower() == NOT_REVIEWED:
            return NOT_REVIEWED
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(
                f"give the date a person last checked it (YYYY-MM-DD) or '{NOT_REVIEWED}'"
            ) from None

    @property
    def review_date(self) -> dt.date | None:
        return self.reviewed if isinstance(self.reviewed, dt.date) else None


# -------------------------------------------------------------------- findings
FindingCategory = Literal[
    "methodology",
    "overall",
    "successful-language",
    "less-successful-language",
    "top-benefit",
    "top-concern",
    "big-question",
    "key-takeaway",
    "successful-message",
]


class Finding(Evidence, Owned):
    id: Id
    category: FindingCategory
    title: NonEmpty
    summary: NonEmpty
    tested_wording: str | None = None
    rank: int | None = None
    groups: list[str] = Field(default_factory=list, description="survey groups: parents, teachers")
    sources: list[Id] = Field(min_length=1)


# ------------------------------------------------------------------ FAQ, myths
class Reviewed(Owned):
    owner: NonEmpty
    reviewed: ReviewDate


class FaqEntry(Reviewed):
    id: Id
    question: NonEmpty
    alternatives: list[NonEmpty] = Field(min_length=2)
    short: NonEmpty
    full: NonEmpty
    audiences: list[Id] = Field(min_length=1)
    audience_answers: dict[Id, NonEmpty] = Field(default_factory=dict)
    related: list[Id] = Field(default_factory=list)
    sources: list[Id] = Field(min_length=1)
    #: the real answer is a local decision (a district's conversion, its rollout): the
    #: short answer says so, and a district's local.yaml can give its own answer
    local: bool = False

    @field_validator("short")
    @classmethod
    def _short_is_short(cls, value: str) -> str:
        if word_count(value) > SHORT_ANSWER_MAX_WORDS:
            raise ValueError(
                f"the short answer has {word_count(value)} words; keep it to "
                f"{SHORT_ANSWER_MAX_WORDS} so it fits a Slack reply"
            )
        return value


class Myth(Reviewed):
    id: Id
    myth: NonEmpty
    alternatives: list[NonEmpty] = Field(min_length=2)
    fact: NonEmpty
    evidence: NonEmpty
    concern: Id | None = Field(default=None, description="finding id of the tested concern")
    audience_answers: dict[Id, NonEmpty] = Field(default_factory=dict)
    related: list[Id] = Field(default_factory=list)
    sources: list[Id] = Field(min_length=1)

    @field_validator("fact")
    @classmethod
    def _fact_is_short(cls, value: str) -> str:
        if word_count(value) > SHORT_ANSWER_MAX_WORDS:
            raise ValueError(
                f"the fact has {word_count(value)} words; keep it to {SHORT_ANSWER_MAX_WORDS}"
            )
        return value


# ------------------------------------------------------------------- audiences
class Readability(Model):
    max_grade: float = Field(gt=0, description="highest Flesch-Kincaid grade for this audience")
    min_reading_ease: float = Field(ge=0, le=100)
    max_sentence_words: int = Field(gt=5)


class Audience(Owned):
    """An audience; ``owner``/``reviewed`` cover its key messages and talking points."""

    id: Id
    name: NonEmpty
    aliases: list[str] = Field(default_factory=list)
    description: NonEmpty
    family: bool = Field(default=False, description="a family or student audience (plain words)")
    readability: Readability
    key_messages: list[Sourced] = Field(min_length=1)
    talking_points: list[Sourced] = Field(min_length=1)
    concerns: list[Id] = Field(default_factory=list, description="finding ids")


# ------------------------------------------------------- proof points, glossary
class ProofPoint(Evidence, Owned):
    id: Id
    title: NonEmpty
    statement: NonEmpty
    figure: str | None = None
    place: str | None = None
    sources: list[Id] = Field(min_length=1)


class GlossaryTerm(Owned):
    id: Id
    term: NonEmpty
    aliases: list[str] = Field(default_factory=list)
    definition: NonEmpty
    plain: NonEmpty = Field(description="the family-friendly explanation")
    sources: list[Id] = Field(min_length=1)


# ------------------------------------------------------------------ synonyms
class SynonymGroup(Model):
    """Words and phrases people use for the same idea (used by the FAQ matcher)."""

    id: Id
    terms: list[NonEmpty] = Field(min_length=2)


# ------------------------------------------------------------ out of scope
class OutOfScopeTopic(Model):
    """An everyday school matter the toolkit does not answer (buses, lunch menus…).

    The FAQ matcher gives a question dominated by these ``terms`` its fallback
    with the ``redirect`` (where to ask instead), not a made-up match.
    """

    id: Id
    title: NonEmpty
    terms: list[NonEmpty] = Field(min_length=1)
    redirect: NonEmpty
    #: phrases that make a question using ``terms`` a toolkit question ("still take the
    #: state test"): such a question is answered, not redirected
    unless: list[NonEmpty] = Field(default_factory=list)


# ------------------------------------------------------------ local answers
class LocalAnswer(Model):
    """A district's or state's own answer to an FAQ entry (local.yaml in its toolkit copy).

    ``id`` is the FAQ entry it answers; the FAQ matcher shows ``answer`` in place of the
    entry's general short answer (its scale and conversion, its rollout, who to contact).
    """

    id: Id
    answer: NonEmpty


# ------------------------------------------------------------- phrase rules
class RuleExamples(Model):
    flag: list[NonEmpty] = Field(min_length=1)
    pass_: list[NonEmpty] = Field(min_length=1, alias="pass")

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Rule(Model):
    id: Id
    message: NonEmpty
    finding: Id
    severity: Severity
    severity_by_audience: dict[Id, Severity] = Field(default_factory=dict)
    audiences: list[Id] = Field(
        default_factory=list, description="only check for these audiences (empty: all)"
    )
    patterns: list[NonEmpty] = Field(min_length=1)
    exceptions: list[NonEmpty] = Field(default_factory=list)
    suggestions: list[NonEmpty | RuleSuggestion] = Field(
        default_factory=list,
        description="plain text is advice (never pasted); {replacement: …} drops into the sentence",
    )
    once_per_text: bool = Field(default=False, description="flag only the first use of a term")
    explained_by: RuleExplanations | None = None
    skip_questions: bool = Field(
        default=False, description="not in a question or a myth being answered (the reader's worry)"
    )
    examples: RuleExamples


class RuleSuggestion(Model):
    """A typed suggestion: exactly one of ``replacement`` or ``advice``."""

    replacement: NonEmpty | None = None
    advice: NonEmpty | None = None
    only_for: list[NonEmpty] = Field(
        default_factory=list,
        description="a replacement fits only flagged words written so (else it is advice)",
    )
    only_before: list[NonEmpty] = Field(
        default_factory=list,
        description="a replacement fits only when one of these words follows the flagged "
                    "words within three words (else it is advice)",
    )

    @model_validator(mode="after")
    def _one(self) -> RuleSuggestion:
        if (self.replacement is None) == (self.advice is None):
            raise ValueError("a suggestion is either {replacement: …} or {advice: …}")
        return self


class RuleExplanations(Model):
    """How a text explains a term, so that it is not flagged as jargon anywhere in it."""

    after: list[NonEmpty] = Field(default_factory=list, description="patterns right after it")
    before: list[NonEmpty] = Field(default_factory=list, description="patterns right before it")
    bracket_words: int = Field(
        default=0, ge=0, description="a bracket of at least this many words right after it"
    )


# ------------------------------------------------------------ reported speech
SpeechKind = Literal["says", "says-that", "tells", "about", "display", "describes-as",
                     "attributes"]
_SPEECH_WORD = re.compile(r"^[a-z][a-z'-]*$")


class SpeechCue(Model):
    """Words that introduce someone else's words (reported_speech.yaml).

    The checker treats what follows, to the end of the sentence, as quoted: it is reported
    but never fails a check. ``kind`` says when the words introduce speech:

    * ``says``: always ("said the plan…");
    * ``says-that``: only right before "that" ("noted that…", not "noted the date");
    * ``tells``: before "that" right after or after a short object ("told the board
      that…"; not "the report card tells you what…");
    * ``about``: only before one of ``then`` words, right after or one word later
      ("expressed concerns that…", "asked us whether…");
    * ``display``: a sign or banner, before "reading"/"saying" or "that read(s)/said";
    * ``describes-as``: what follows "as" a few words later ("Supporters describe the
      program as …"), unless "we" or "I" describe it (the writer's own words);
    * ``attributes``: before "to", the sentence's claim is someone's: after the next comma
      ("According to its backers, the model …") or before the comma in front of the cue
      ("…, according to the senator.").
    """

    id: Id
    kind: SpeechKind
    words: list[NonEmpty] = Field(min_length=1)
    then: list[NonEmpty] = Field(
        default_factory=list, description="for kind 'about': the words that must follow"
    )
    note: str | None = None

    @field_validator("words", "then")
    @classmethod
    def _single_lower_words(cls, value: list[str]) -> list[str]:
        bad = [w for w in value if not _SPEECH_WORD.match(w)]
        if bad:
            raise ValueError(
                f"write one lower-case word per entry (no spaces or punctuation): {bad[0]!r}"
            )
        return value

    @model_validator(mode="after")
    def _then_fits_kind(self) -> SpeechCue:
        if self.kind == "about" and not self.then:
            raise ValueError("kind 'about' needs 'then': the words that must follow")
        if self.kind != "about" and self.then:
            raise ValueError(f"'then' is only for kind 'about', not '{self.kind}'")
        return self


# ------------------------------------------------------ templates, profiles
FieldType = Literal["text", "longtext", "date", "email", "phone", "url", "number", "choice",
                    "list"]
#: toolkit collections whose ids a field may offer as its choices
ChoicesFrom = Literal["proof_points", "audiences"]


class PostSpec(Model):
    """How a social post is published: its text, then the ``with`` fields (top-level fields
    of the template, each after a space), on the platform the sibling field ``platform``
    names. The drafting check measures the whole post against that platform's limit."""

    platform: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    with_: list[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]] = Field(
        default_factory=list, alias="with")


class TemplateField(Model):
    """One field a template asks for.

    A ``list`` field is a repeating group: with ``fields`` each item is a record
    of those sub-fields; without, each item is one line of text (or one of the
    ``choices`` / ``choices_from`` ids).
    """

    name: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    label: NonEmpty
    help: str = ""
    type: FieldType = "text"
    required: bool = False
    max_length: int | None = Field(default=None, gt=0)
    min_words: int | None = Field(default=None, ge=0)
    choices: list[str] = Field(default_factory=list)
    choices_from: ChoicesFrom | None = Field(
        default=None, description="offer the ids of this toolkit collection as the choices"
    )
    section: str | None = None
    example: Any = None
    fields: list[TemplateField] = Field(default_factory=list, description="sub-fields of a list")
    min_items: int | None = Field(default=None, ge=0)
    max_items: int | None = Field(default=None, ge=1)
    min_value: float | None = Field(default=None, description="number fields: the lowest value")
    max_value: float | None = Field(default=None, description="number fields: the highest value")
    decimal: bool = Field(default=True, description="number fields: decimals allowed")
    post: PostSpec | None = Field(
        default=None, description="a social post's text: the whole post (this text and the "
        "fields it is published with) must fit the platform's limit")

    @model_validator(mode="after")
    def _consistent(self) -> TemplateField:
        if self.type != "number" and (self.min_value is not None or self.max_value is not None
                                      or not self.decimal):
            raise ValueError(f"field '{self.name}': 'min_value', 'max_value' and 'decimal' "
                             "only apply to type 'number'")
        if (self.min_value is not None and self.max_value is not None
                and self.min_value > self.max_value):
            raise ValueError(f"field '{self.name}': min_value is larger than max_value")
        if self.type != "list" and (self.fields or self.min_items is not None
                                    or self.max_items is not None):
            raise ValueError(
                f"field '{self.name}': 'fields', 'min_items' and 'max_items' only apply to "
                "type 'list'"
            )
        if self.type not in ("choice", "list") and (self.choices or self.choices_from):
            raise ValueError(f"field '{self.name}': choices only apply to type 'choice' or 'list'")
        if self.type == "choice" and not (self.choices or self.choices_from):
            raise ValueError(f"field '{self.name}': a 'choice' field needs 'choices'")
        if self.choices and self.choices_from:
            raise ValueError(f"field '{self.name}': give 'choices' or 'choices_from', not both")
        if self.type == "list" and self.fields and (self.choices or self.choices_from):
            raise ValueError(f"field '{self.name}': a list of records cannot have choices")
        if any(sub.type == "list" for sub in self.fields):
            raise ValueError(f"field '{self.name}': a list cannot contain another list")
        names = [sub.name for sub in self.fields]
        if len(names) != len(set(names)):
            raise ValueError(f"field '{self.name}': two sub-fields share a name")
        if (self.min_items is not None and self.max_items is not None
                and self.min_items > self.max_items):
            raise ValueError(f"field '{self.name}': min_items is larger than max_items")
        return self


class TemplateSection(Model):
    id: Id
    title: NonEmpty
    help: str = ""


class Template(Model):
    id: Id
    title: NonEmpty
    description: NonEmpty
    audience: Id | None = None
    file: NonEmpty = Field(description="the Jinja2 file, relative to the templates folder")
    uses_profile: bool = False
    title_field: str | None = Field(
        default=None, description="the field whose value names a draft (e.g. headline)")
    sections: list[TemplateSection] = Field(default_factory=list)
    fields: list[TemplateField] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Template:
        names = [f.name for f in self.fields]
        doubles = sorted({n for n in names if names.count(n) > 1})
        if doubles:
            raise ValueError(f"field names used twice: {', '.join(doubles)}")
        if self.title_field is not None and self.title_field not in names:
            raise ValueError(f"title_field '{self.title_field}' is not one of the fields")
        section_ids = [s.id for s in self.sections]
        if len(section_ids) != len(set(section_ids)):
            raise ValueError("two sections share an id")
        for f in self.fields:
            if f.section is not None and f.section not in section_ids:
                raise ValueError(
                    f"field '{f.name}': section '{f.section}' is not declared in 'sections'"
                )
            for sub in f.fields:
                if sub.post is None:
                    continue
                siblings = {s.name: s for s in f.fields}
                platform = siblings.get(sub.post.platform)
                if platform is None or platform.type != "choice":
                    raise ValueError(f"field '{f.name}.{sub.name}': post.platform "
                                     f"'{sub.post.platform}' is not a choice field beside it")
                unknown = [n for n in sub.post.with_ if n not in names]
                if unknown:
                    raise ValueError(f"field '{f.name}.{sub.name}': post.with names "
                                     f"{', '.join(unknown)}, not fields of the template")
        return self


class ProfileSection(Model):
    id: Id
    title: NonEmpty
    required: bool = True
    min_words: int = Field(default=0, ge=0)
    fields: list[str] = Field(default_factory=list, description="field names in this section")
    guidance: str = ""
    sources: list[Id] = Field(default_factory=list)


class Profile(Model):
    id: Id
    name: NonEmpty
    description: NonEmpty
    template: Id = "pilot-application"
    sections: list[ProfileSection] = Field(min_length=1)
    sources: list[Id] = Field(min_length=1)


TemplateField.model_rebuild()
Rule.model_rebuild()
