"""Request and response models of the HTTP API (they are the OpenAPI schema at /docs)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    computed_field,
)

from bot import store as st
from bot.store.common import clean_text  # one cleaner for what is stored and what is sent

MAX_DEPTH = 12


def clean_data(value: Any, depth: int = 0) -> Any:
    """Form data: text cleaned like :func:`clean_text`; only finite numbers; not too deep."""
    if depth > MAX_DEPTH:
        raise ValueError(f"is nested too deeply (at most {MAX_DEPTH} levels)")
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        raise ValueError("contains a number that is not finite (NaN or Infinity)")
    if isinstance(value, dict):
        return {clean_text(str(k)): clean_data(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_data(v, depth + 1) for v in value]
    return value


Text = Annotated[str, AfterValidator(clean_text)]


#: optional short texts: the limit is checked on the text as sent, before cleaning (a
#: ``Field(max_length=…)`` beside ``Text | None`` is applied after it, so 100 NULs and a
#: letter would pass as one letter where the schema promises at most 80 characters)
Name80 = Annotated[str, Field(max_length=80), AfterValidator(clean_text)]
Title = Annotated[str, Field(max_length=st.TITLE_MAX), AfterValidator(clean_text)]

Data = Annotated[dict[str, Any], AfterValidator(clean_data)]
IdStr = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
Format = Literal["md", "html", "docx"]
Mode = Literal["draft", "final"]
MAX_QUESTION = 10_000  # a parent's long message: the engine reads its question (faq.engine._focus)
MAX_TEXT = 200_000


class Out(BaseModel):
    model_config = ConfigDict(extra="allow")


class Strict(BaseModel):
    # strict: a wrong JSON type is refused (no `"helpful": 0` read as false, no
    # `"base_version": "3"`), as the OpenAPI schema says
    model_config = ConfigDict(extra="forbid", strict=True)


# ------------------------------------------------------------------ errors
class ErrorDetail(Out):
    message: str
    path: str | None = None
    details: list[dict[str, Any]] | None = None


class ErrorOut(BaseModel):
    error: ErrorDetail


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "The request could not be read (a body that is "
                                            "not UTF-8, a broken Content-Length)"},
    401: {"model": ErrorOut, "description": "Not signed in, or the token is wrong"},
    422: {"model": ErrorOut, "description": "The request is not valid; `path` names the field"},
}
Responses = dict[int | str, dict[str, Any]]
NOT_FOUND: Responses = {404: {"model": ErrorOut, "description": "No such item (or not yours)"}}
CONFLICT: Responses = {409: {"model": ErrorOut, "description": "Saved elsewhere since then"}}
TOO_LARGE: Responses = {413: {"model": ErrorOut, "description": "The body is over the limit"}}


# -------------------------------------------------------------- common bits
class SourceRef(Out):
    id: str
    title: str | None = None
    author: str | None = None
    year: int | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def citation(self) -> str:
        """The one citation format (toolkit.words.cite): ``Author, “Title” (Year)``."""
        from toolkit.words import cite

        return cite(self.model_dump(include={"id", "title", "author", "year"}))


class Health(BaseModel):
    """``status`` and ``database`` for everyone (load balancers); the rest only for people
    signed in when sign-in is required."""

    status: Literal["ok", "degraded"]
    database: str
    version: str | None = None
    toolkit: dict[str, int] | None = None
    engines: dict[str, bool] | None = None


class Me(BaseModel):
    owner: str
    auth_required: bool
    signed_in: bool


# --------------------------------------------------------------------- ask
class AskIn(Strict):
    question: Text = Field(default="", max_length=MAX_QUESTION,
                           description="the question, in any words (may be left out with `id`)")
    audience: Name80 | None = None
    full: bool = False
    id: str | None = Field(default=None, max_length=80, description="look up a known entry id")


class SuggestionOut(Out):
    id: str
    title: str | None = None
    score: float | None = None


class AskOut(Out):
    question: str
    id: str | None = None
    kind: str | None = None
    title: str | None = None
    score: float = 0.0
    answer: str | None = None
    sources: list[SourceRef] = []
    suggestions: list[SuggestionOut] = []
    related: list[str] = []
    redirect: str | None = Field(
        default=None, description="for everyday school matters outside the toolkit: who to ask"
    )
    reason: str | None = Field(
        default=None, description="why there is no answer: empty, low-score, out-of-scope, "
        "choices (several entries are close: pick one of `choices`), other-language or "
        "no-list (it asks which states do something; the closest entry names none)")
    choices: list[SuggestionOut] = Field(
        default=[], description="'Did you mean…?': the close entries, when reason is choices")
    local: bool = Field(default=False, description="the answer is the district's own")
    logged: bool = Field(default=False, description="recorded as unanswered for content editors")


class FeedbackIn(Strict):
    question: Text = Field(max_length=MAX_QUESTION)
    answer_id: Name80 | None = None
    audience: Name80 | None = None
    helpful: bool


class FeedbackOut(BaseModel):
    recorded: bool


# ------------------------------------------------------------------- check
class CheckIn(Strict):
    text: Text = Field(max_length=MAX_TEXT)
    audience: Name80 | None = None
    markup: Literal["auto", "markdown", "html", "text"] = "auto"


class FlagSuggestionOut(Out):
    text: str
    kind: Literal["replacement", "advice"] = Field(
        default="advice",
        description="replacement: drops into the sentence in place of the flagged words; "
        "advice: guidance, never pasted",
    )


class FlagOut(Out):
    rule: str
    severity: str
    start: int
    end: int
    line: int | None = None
    column: int | None = None
    text: str
    message: str
    suggestions: list[FlagSuggestionOut] = []
    finding: dict[str, Any] | None = None
    sources: list[SourceRef] = []
    quoted: bool = False


class CheckOut(Out):
    flags: list[FlagOut] = Field(
        default=[], description="what the check found: each counts towards a fail level")
    quoted: list[FlagOut] = Field(
        default=[], description="matches inside quotations or reported speech: someone "
        "else's words, listed for information; never counted")
    readability: dict[str, Any] | None = None
    audience: str | None = None


# ----------------------------------------------------------------- content
class AudienceOut(Out):
    id: str
    name: str
    aliases: list[str] = []
    description: str
    family: bool = False
    readability: dict[str, Any]


class SourcedOut(BaseModel):
    text: str
    sources: list[SourceRef]


class MessagesOut(BaseModel):
    audience: AudienceOut
    key_messages: list[SourcedOut]
    talking_points: list[SourcedOut]
    concerns: list[dict[str, Any]]


class MythOut(BaseModel):
    id: str
    myth: str
    fact: str
    evidence: str
    concern: str | None = None
    audience_answer: str | None = None
    sources: list[SourceRef]


class FaqOut(BaseModel):
    id: str
    question: str
    short: str
    audiences: list[str]
    sources: list[SourceRef]


class FindingOut(BaseModel):
    id: str
    category: str
    title: str
    summary: str
    tested_wording: str | None = None
    rank: int | None = None
    groups: list[str] = []
    sources: list[SourceRef]
    location: str | None = Field(default=None, description="slide, page or section of the source")
    confidence: str | None = Field(default=None, description="high, medium or low")
    note: str = Field(default="", description="what is ambiguous in the source, if anything")
    owner: str | None = None
    reviewed: str = Field(default="", description="a date, or 'not yet reviewed by a person'")


class SourceOut(Out):
    id: str
    title: str
    author: str
    year: int | None = None
    date: str | None = None
    kind: str
    url: str | None = None


# --------------------------------------------------------------- templates
class FieldOut(BaseModel):
    name: str
    label: str
    help: str = ""
    type: str
    required: bool = False
    max_length: int | None = None
    min_words: int | None = None
    choices: list[str] = []
    choice_labels: dict[str, str] = Field(
        default_factory=dict, description="readable names of choices that are toolkit ids"
    )
    choice_details: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description="for sourced figures: what each one says (`text`, `figure`) and its `sources`",
    )
    section: str | None = None
    example: Any = None
    fields: list[FieldOut] = []
    min_items: int | None = None
    max_items: int | None = None
    post: dict[str, Any] | None = Field(
        default=None, description="a social post's text: `platform` (the sibling field "
        "naming it), `with` (the fields published with it), `limits` (characters per "
        "platform) and `x_link` (how long X counts a link)")


class SectionOut(BaseModel):
    id: str
    title: str
    help: str = ""


class ProfileSectionOut(BaseModel):
    id: str
    title: str
    required: bool
    min_words: int
    fields: list[str]
    guidance: str = ""


class ProfileOut(BaseModel):
    id: str
    name: str
    description: str
    sections: list[ProfileSectionOut]


class TemplateSummary(BaseModel):
    id: str
    title: str
    description: str
    audience: str | None = None
    uses_profile: bool = False
    profiles: list[str] = []


class TemplateOut(TemplateSummary):
    sections: list[SectionOut]
    fields: list[FieldOut]
    profile_details: list[ProfileOut] = []


class RenderIn(Strict):
    template: IdStr
    data: Data = {}
    format: Format = "md"
    profile: IdStr | None = None
    mode: Mode = "final"
    audience: Name80 | None = Field(
        default=None, description="the audience the document is for, by id or name "
        "(default: the template's)"
    )


class ProblemOut(Out):
    path: str
    label: str | None = None
    message: str
    level: str = "error"


class PreviewIn(Strict):
    template: IdStr
    data: Data = {}
    profile: IdStr | None = None
    mode: Mode = "draft"
    audience: Name80 | None = Field(
        default=None, description="the audience the document is for, by id or name "
        "(default: the template's)"
    )


class PreviewFlagOut(FlagOut):
    path: str | None = Field(
        default=None, description="the field whose text holds the flagged words "
        "(\"headline\", \"posts[2].text\"); null for the template's own text or a toolkit "
        "figure, which are not the writer's to change")


class PreviewOut(BaseModel):
    html: str
    text: str
    problems: list[ProblemOut]
    flags: list[PreviewFlagOut]


class CompletenessOut(Out):
    sections: list[dict[str, Any]] = []
    percent: float | None = None


# ------------------------------------------------------------------ drafts
class DraftIn(Strict):
    template: IdStr
    profile: IdStr | None = None
    audience: Name80 | None = Field(
        default=None, description="the audience the document is for, by id or name "
        "(default: the template's)"
    )
    title: Text = Field(default="", max_length=st.TITLE_MAX)
    data: Data = {}


def _whole_float(value: Any) -> Any:
    """JSON Schema calls 2657.0 an integer: accept it as 2657 (not 2657.5, not "2657")."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


class DraftUpdate(Strict):
    base_version: Annotated[int, BeforeValidator(_whole_float)] = Field(
        ge=1, le=st.MAX_VERSION, description="the version these changes were made on")
    data: Data
    title: Title | None = None
    profile: IdStr | None = None
    audience: Name80 | None = (
        Field(default=None, description="the audience the document is for; \"\" for the "
                                        "template's own; left out: unchanged"))


class DraftSummary(BaseModel):
    id: str
    template: str
    profile: str | None
    title: str
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    audience: str | None = None


class DraftOut(DraftSummary):
    data: dict[str, Any]
    problems: list[ProblemOut] = []


class VersionOut(BaseModel):
    version: int
    title: str
    profile: str | None
    audience: str | None = None
    saved_at: dt.datetime
    note: str
    data: dict[str, Any]


class Deleted(BaseModel):
    deleted: str


class UnansweredOut(BaseModel):
    id: int
    question: str
    audience: str | None
    channel: str
    helpful: bool | None
    answer_id: str | None
    score: float | None
    created_at: dt.datetime


def draft_summary(draft: st.Draft | st.DraftInfo) -> DraftSummary:
    return DraftSummary(
        id=draft.id, template=draft.template, profile=draft.profile, title=draft.title,
        version=draft.version, created_at=draft.created_at, updated_at=draft.updated_at,
        audience=draft.audience,
    )


def draft_out(draft: st.Draft, problems: list[ProblemOut] | None = None) -> DraftOut:
    return DraftOut(
        **draft_summary(draft).model_dump(), data=draft.data, problems=problems or []
    )
