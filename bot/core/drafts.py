"""The draft workflow, one for every interface: name a draft, split it into steps, save a step.

:func:`save_step` is what the web API (``PUT``/``POST /api/drafts``) and the Slack form
(each "Next"/"Save") both call; a new interface that edits drafts calls it too and only
presents its :class:`StepResult`.

One step, in order:

1. **merge** the step's values into the saved draft: the fields the step shows
   (``covered``) are replaced (a shown field left empty is removed), the rest is kept;
   ``covered=None`` means the values are the whole draft (the web form sends it all);
2. **validate** the merged draft: in ``draft`` mode for a step part-way through (only wrong
   values are errors; a required field of a later step is a warning, never a refusal),
   in ``final`` mode when the step finishes the draft (``finish=True``: everything is
   required, and the result lists what is left);
3. **save** on top of ``base_version``; a draft saved elsewhere since raises
   :class:`DraftConflict` (the store's ``StaleVersion``; HTTP 409, a "saved elsewhere" modal
   in Slack) and nothing is overwritten;
4. **report** what comes next (the index of the next step, or ``None`` when done) and how
   complete the draft is.

The errors that stop a step are those in the step's own fields (``StepResult.errors``).
``refuse_invalid=True`` (Slack: a modal can only show an error by staying on the step)
saves nothing when there are some; ``False`` (the web: the form keeps what was typed and
shows the problems next to the fields) saves anyway. Either way the problems are the same.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from bot.core.errors import DraftConflict
from messaging.drafting import completeness, get_template, validate

if TYPE_CHECKING:
    from messaging.drafting import Completeness, FieldProblem, Mode
    from toolkit import Toolkit
    from toolkit.models import Template

#: the longest draft title kept
MAX_TITLE = 200


def draft_title(template: Template, data: Mapping[str, Any]) -> str:
    """How every interface names a draft: the template's title, then the value of the
    field the template declares as its ``title_field`` (``Press release: Cedar Valley…``)."""
    value = data.get(template.title_field) if template.title_field else None
    if isinstance(value, str) and value.strip():
        return f"{template.title}: {' '.join(value.split())}"[:MAX_TITLE]
    return template.title[:MAX_TITLE]


# ------------------------------------------------------------------ steps
@dataclass(frozen=True)
class Step:
    """One step of a form: fields outside any section first, then one per section."""

    id: str
    title: str
    fields: tuple[str, ...]


def plan_steps(title: str, sections: Iterable[tuple[str, str]],
               fields: Iterable[tuple[str, str | None]]) -> list[Step]:
    """The steps of a template from its title, ``(id, title)`` of its sections and
    ``(name, section)`` of its fields, in the template's order (also for the Slack form,
    which works from :func:`messaging.drafting.describe_template`)."""
    section_list = list(sections)
    field_list = list(fields)
    ids = {sid for sid, _ in section_list}
    steps: list[Step] = []
    general = tuple(name for name, section in field_list if section not in ids)
    if general:
        steps.append(Step("", title, general))
    for sid, stitle in section_list:
        names = tuple(name for name, section in field_list if section == sid)
        if names:
            steps.append(Step(sid, stitle, names))
    return steps or [Step("", title, tuple(name for name, _ in field_list))]


def template_steps(template: Template) -> list[Step]:
    return plan_steps(template.title, [(s.id, s.title) for s in template.sections],
                      [(f.name, f.section) for f in template.fields])


# ------------------------------------------------------------------ store
class DraftLike(Protocol):
    """What the workflow reads of a saved draft (``bot.store.Draft``)."""

    @property
    def id(self) -> str: ...
    @property
    def template(self) -> str: ...
    @property
    def profile(self) -> str | None: ...
    @property
    def title(self) -> str: ...
    @property
    def data(self) -> dict[str, Any]: ...
    @property
    def version(self) -> int: ...


D = TypeVar("D", bound=DraftLike)
D_co = TypeVar("D_co", bound=DraftLike, covariant=True)


class DraftStoreLike(Protocol[D_co]):
    """The store calls the workflow makes (``bot.store.DraftStore``): the core carries a
    store but does not import the interfaces' layer."""

    def get_draft(self, owner: str, draft_id: str) -> D_co: ...

    def create_draft(self, owner: str, template: str, data: dict[str, Any] | None = None, *,
                     profile: str | None = None, title: str = "",
                     audience: str | None = None) -> D_co: ...

    def update_draft(self, owner: str, draft_id: str, *, base_version: int,
                     data: dict[str, Any], title: str | None = None,
                     profile: str | None = None, keep_profile: bool = True, note: str = "",
                     audience: str | None = None, keep_audience: bool = True) -> D_co: ...


# ------------------------------------------------------------------ one step
_ROOT = re.compile(r"^[^.\[]*")


def field_of(path: str) -> str:
    """The top-level field a problem's path is in (``steps[2].when`` → ``steps``)."""
    found = _ROOT.match(path)
    return found.group() if found else path


@dataclass(frozen=True)
class StepResult(Generic[D]):
    """What one step did: the saved draft (``None`` if refused), every problem of the
    draft in the step's mode, the errors in the step's own fields, and what is next."""

    toolkit: Toolkit = field(repr=False)
    template: str
    profile: str | None
    data: dict[str, Any]
    mode: Mode
    problems: list[FieldProblem]
    errors: list[FieldProblem]
    draft: D | None
    next_step: int | None

    @property
    def saved(self) -> bool:
        return self.draft is not None

    @property
    def finished(self) -> bool:
        """Saved in final mode with no error anywhere: a finished document."""
        return self.mode == "final" and not any(p.level == "error" for p in self.problems)

    @cached_property
    def completeness(self) -> Completeness:
        """Which sections are done, thin or missing (computed when asked)."""
        return completeness(self.toolkit, self.template, self.data, self.profile)


def merge_step(base: Mapping[str, Any], values: Mapping[str, Any],
               covered: Collection[str] | None) -> dict[str, Any]:
    """The draft's data after a step: ``covered`` fields come from ``values`` (gone if
    left empty), the others stay as saved; ``covered=None``: ``values`` is everything."""
    if covered is None:
        return dict(values)
    shown = set(covered) | set(values)
    data = {k: v for k, v in base.items() if k not in shown}
    data.update(values)
    return data


def save_step(
    toolkit: Toolkit,
    store: DraftStoreLike[D],
    owner: str,
    template_id: str | None,
    values: Mapping[str, Any],
    *,
    draft_id: str | None = None,
    base_version: int | None = None,
    covered: Collection[str] | None = None,
    step: int | None = None,
    finish: bool = False,
    profile: str | None = None,
    keep_profile: bool = True,
    title: str | None = None,
    audience: str | None = None,
    keep_audience: bool = True,
    refuse_invalid: bool = False,
    note: str = "",
) -> StepResult[D]:
    """Merge, validate, save and report one step of a draft (see the module's text).

    ``draft_id=None`` starts a draft of ``template_id``; else ``base_version`` is the
    version the step was made on (required) and ``template_id`` may be ``None`` (the
    draft's own). ``step`` is the index of the step submitted (``None``: the whole form at
    once); ``finish`` validates in final mode. ``title=None`` names the draft from its
    ``title_field`` — on an update only while the title is still the one derived from the
    data (a title someone typed is kept). ``profile``/``audience`` with
    ``keep_profile``/``keep_audience`` as the store takes them.

    A whole-form update that is saved whatever it holds (``covered=None``, a ``title``,
    ``refuse_invalid=False``: the web) needs nothing of the saved draft, so it is saved
    without reading it first and validated as saved.

    Raises :class:`messaging.drafting.DraftingError` (an unknown template or profile…),
    :class:`DraftConflict`, and the store's own errors (a missing draft)."""
    mode: Mode = "final" if finish else "draft"
    if draft_id is not None and base_version is None:
        raise ValueError("base_version is required to save on top of a draft")
    if draft_id is not None and covered is None and title is not None and not refuse_invalid:
        saved = store.update_draft(owner, draft_id, base_version=base_version or 0,
                                   data=dict(values), title=title, profile=profile,
                                   keep_profile=keep_profile, note=note, audience=audience,
                                   keep_audience=keep_audience)
        return _checked(toolkit, saved, mode, covered, step)
    current = store.get_draft(owner, draft_id) if draft_id is not None else None
    tid = template_id or (current.template if current is not None else "")
    template = get_template(toolkit, tid)
    data = merge_step(current.data if current is not None else {}, values, covered)
    if current is not None and keep_profile and profile is None:
        profile = current.profile
    problems = validate(toolkit, template.id, data, mode, profile)
    errors = _step_errors(problems, covered, template)
    if errors and refuse_invalid:
        return StepResult(toolkit, template.id, profile, data, mode, problems, errors, None,
                          step)
    if title is None:
        derived = draft_title(template, data)
        title = derived if current is None or current.title in (
            "", draft_title(template, current.data)) else current.title
    if current is None or draft_id is None:
        saved = store.create_draft(owner, template.id, data, profile=profile, title=title,
                                   audience=audience)
    else:
        saved = store.update_draft(owner, draft_id, base_version=base_version or 0, data=data,
                                   title=title, profile=profile, keep_profile=keep_profile,
                                   note=note, audience=audience, keep_audience=keep_audience)
    return StepResult(toolkit, template.id, saved.profile, data, mode, problems, errors, saved,
                      _next(template, step))


def _step_errors(problems: list[FieldProblem], covered: Collection[str] | None,
                 template: Template) -> list[FieldProblem]:
    own = set(covered) if covered is not None else {f.name for f in template.fields}
    return [p for p in problems if p.level == "error" and field_of(p.path) in own]


def _next(template: Template, step: int | None) -> int | None:
    count = len(template_steps(template))
    return None if step is None or step + 1 >= count else step + 1


def _checked(toolkit: Toolkit, saved: D, mode: Mode, covered: Collection[str] | None,
             step: int | None) -> StepResult[D]:
    """The result of a draft already saved: its problems as it stands (none when its
    template is no longer in the toolkit: it was saved as it came)."""
    template = toolkit.templates.get(saved.template)
    if template is None:
        return StepResult(toolkit, saved.template, saved.profile, saved.data, mode, [], [],
                          saved, None)
    problems = validate(toolkit, template.id, saved.data, mode, saved.profile)
    return StepResult(toolkit, template.id, saved.profile, saved.data, mode, problems,
                      _step_errors(problems, covered, template), saved, _next(template, step))


__all__ = [
    "MAX_TITLE",
    "DraftConflict",
    "DraftLike",
    "DraftStoreLike",
    "Step",
    "StepResult",
    "draft_title",
    "field_of",
    "merge_step",
    "plan_steps",
    "save_step",
    "template_steps",
]
