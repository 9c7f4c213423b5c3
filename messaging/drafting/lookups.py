"""Templates, profiles and choices by name: one error (``UnknownName``) with "did you mean"."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TypeVar

from messaging.drafting.model import CONTEXT_HELPERS, DraftingError, FieldProblem
from toolkit.names import UnknownName, require_profile, require_template

if TYPE_CHECKING:

    from toolkit import Toolkit
    from toolkit.models import Profile, Template, TemplateField


T = TypeVar("T")


class UnknownDraftingName(UnknownName, DraftingError):
    """An unknown template, profile or audience: the one :class:`toolkit.names.UnknownName`
    (the same sentence everywhere), and a :class:`DraftingError` for drafting's callers."""

    def __init__(self, error: UnknownName) -> None:
        UnknownName.__init__(self, error.kind, error.name, error.known)
        self.suggestion = error.suggestion
        self.message = error.message
        self.problems: list[FieldProblem] = []


def _named(lookup: Callable[[Toolkit, str], T], tk: Toolkit, name: str) -> T:
    try:
        return lookup(tk, name)
    except UnknownDraftingName:
        raise
    except UnknownName as exc:
        raise UnknownDraftingName(exc) from None


def get_template(tk: Toolkit, template_id: str) -> Template:
    template = _named(require_template, tk, template_id)
    clash = sorted(CONTEXT_HELPERS & {f.name for f in template.fields})
    if clash:
        raise DraftingError(
            f"Template '{template_id}' declares a field named {', '.join(clash)}, a name "
            f"reserved for the toolkit helpers ({', '.join(sorted(CONTEXT_HELPERS))}); rename it."
        )
    return template


def get_profile(tk: Toolkit, template: Template, profile_id: str | None) -> Profile | None:
    """The profile to use: the one asked for, else ``generic`` for templates that use one."""
    if profile_id:
        profile = _named(require_profile, tk, profile_id)
        if profile.template != template.id:
            raise DraftingError(
                f"Profile '{profile_id}' is for the '{profile.template}' template, "
                f"not '{template.id}'."
            )
        return profile
    if not template.uses_profile:
        return None
    if "generic" in tk.profiles and tk.profiles["generic"].template == template.id:
        return tk.profiles["generic"]
    for profile in tk.profiles.values():
        if profile.template == template.id:
            return profile
    return None


#: how many characters a post may have on each platform: a post for "Any" platform must fit
#: the strictest (X); Facebook's limit (63,206) is far above what a school posts. X counts a
#: link as 23 characters however long it is.
PLATFORM_LIMITS = {"Any": 280, "X": 280, "Bluesky": 300, "Threads": 500, "Instagram": 2200,
                   "LinkedIn": 3000}
X_LINK = 23


def _did_you_mean(name: str, pool: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(pool), n=1, cutoff=0.75)
    return f" Did you mean '{close[0]}'?" if close else ""


def _choices(tk: Toolkit, f: TemplateField) -> list[str]:
    if f.choices_from == "proof_points":
        # a figure of low confidence (its numbers cannot be tied to their statements) is
        # not offered for documents that go to readers; `mastery toolkit` still lists it
        return sorted(k for k, p in tk.proof_points.items() if p.confidence != "low")
    if f.choices_from == "audiences":
        return sorted(tk.audiences)
    return list(f.choices)


