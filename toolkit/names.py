"""Named lookups with one error: audiences, templates, profiles, FAQ entries and myths.

Every interface resolves a name a person typed through these functions, so an unknown
name gets the same sentence everywhere — the CLI (exit 2), the HTTP API (422, or 404
for a name in the address) and Slack::

    There is no audience 'parnets'. Did you mean 'parents'? Audiences: board, …

The error is :class:`UnknownName`; it carries the kind, the name, the known names and
the suggestion, so a presenter may show them another way (e.g. Slack buttons).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from toolkit.loader import Toolkit
    from toolkit.models import Audience, FaqEntry, Myth, Profile, Template

#: how each kind is named in a sentence: (one, many)
KINDS: Mapping[str, tuple[str, str]] = {
    "audience": ("audience", "Audiences"),
    "template": ("template", "Templates"),
    "profile": ("profile", "Profiles"),
    "entry": ("FAQ entry or myth", "Entries"),
    "rule": ("rule", "Rules"),
}
#: at most this many known names are listed in the sentence
SHOWN = 12


class UnknownName(LookupError, ValueError):
    """A name that matches nothing of its kind. ``str()`` is the sentence to show."""

    def __init__(self, kind: str, name: str, known: Iterable[str],
                 aliases: Mapping[str, str] | None = None) -> None:
        self.kind = kind
        self.name = name
        self.known: tuple[str, ...] = tuple(sorted(known))
        #: alias (lower case) -> id: "did you mean" also looks at names and aliases
        pool = {k.lower(): k for k in self.known}
        pool.update({a.lower(): i for a, i in (aliases or {}).items()})
        close = difflib.get_close_matches(name.strip().lower(), list(pool), n=1, cutoff=0.75)
        self.suggestion: str | None = pool[close[0]] if close else None
        one, many = KINDS.get(kind, (kind, kind.capitalize() + "s"))
        hint = f" Did you mean '{self.suggestion}'?" if self.suggestion else ""
        shown = ", ".join(self.known[:SHOWN]) + (" …" if len(self.known) > SHOWN else "")
        self.message = f"There is no {one} '{name}'.{hint} {many}: {shown or '(none)'}."
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message

    def to_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "name": self.name, "known": list(self.known),
                "did_you_mean": self.suggestion}


def audience_aliases(tk: Toolkit) -> dict[str, str]:
    """Every name and alias of every audience (lower case) -> its id."""
    out: dict[str, str] = {}
    for audience in tk.audiences.values():
        for alias in (audience.name, *audience.aliases):
            out[alias.lower()] = audience.id
    return out


def require_audience(tk: Toolkit, name: str) -> Audience:
    """The audience called ``name`` (id, name or alias, any case), or :class:`UnknownName`."""
    found = tk.audience(name)
    if found is None:
        raise UnknownName("audience", name, tk.audiences, audience_aliases(tk))
    return found


def audience_id(tk: Toolkit, name: str | None) -> str | None:
    """The id of the audience ``name`` (None for no name); :class:`UnknownName` if unknown."""
    if name is None or not name.strip():
        return None
    return require_audience(tk, name).id


def require_template(tk: Toolkit, name: str) -> Template:
    found = tk.templates.get(name)
    if found is None:
        raise UnknownName("template", name, tk.templates)
    return found


def require_profile(tk: Toolkit, name: str) -> Profile:
    found = tk.profiles.get(name)
    if found is None:
        raise UnknownName("profile", name, tk.profiles)
    return found


def require_entry(tk: Toolkit, name: str) -> FaqEntry | Myth:
    """The FAQ entry or myth with the id ``name``."""
    found = tk.faq.get(name) or tk.myths.get(name)
    if found is None:
        raise UnknownName("entry", name, [*tk.faq, *tk.myths])
    return found


__all__ = [
    "UnknownName",
    "audience_aliases",
    "audience_id",
    "require_audience",
    "require_entry",
    "require_profile",
    "require_template",
]
