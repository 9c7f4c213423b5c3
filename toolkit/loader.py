"""Load a toolkit folder into one validated, immutable :class:`Toolkit`.

Every problem found — broken YAML, a missing field, a duplicate id, a
reference to something that does not exist — is collected and reported as
``file:line: message``; nothing is raised half-way through.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from toolkit import layout
from toolkit import models as m
from toolkit.yamlio import LineDict, LineList, YamlProblem, descend, line_of, load_yaml_file

T = TypeVar("T", bound=BaseModel)

#: kind (attribute on Toolkit) -> its model; the file or folder of each kind is in
#: toolkit/layout.py (read without loading anything by the checker's cache)
MODELS: dict[str, type[BaseModel]] = {
    "sources": m.Source,
    "findings": m.Finding,
    "faq": m.FaqEntry,
    "myths": m.Myth,
    "audiences": m.Audience,
    "proof_points": m.ProofPoint,
    "glossary": m.GlossaryTerm,
    "synonyms": m.SynonymGroup,
    "rules": m.Rule,
    "out_of_scope": m.OutOfScopeTopic,
    "local": m.LocalAnswer,
    "reported_speech": m.SpeechCue,
    "templates": m.Template,
    "profiles": m.Profile,
}
#: file name -> (attribute on Toolkit, model). Each holds a YAML list of items.
LIST_FILES: dict[str, tuple[str, type[BaseModel]]] = {
    name: (kind, MODELS[kind]) for kind, name in layout.LIST_FILES.items()}
#: folder -> (attribute, model). Each file in the folder holds one item.
FOLDER_FILES: dict[str, tuple[str, type[BaseModel]]] = {
    folder: (kind, MODELS[kind]) for kind, folder in layout.FOLDERS.items()}
REQUIRED_FILES = ("sources.yaml", "findings.yaml", "faq.yaml", "myths.yaml", "audiences.yaml")


def default_toolkit_path() -> Path:
    """The toolkit shipped inside the package."""
    return Path(str(resources.files("toolkit").joinpath("content")))


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class ToolkitError(Exception):
    """The toolkit folder has problems; ``problems`` lists every one."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        lines = "\n".join(str(p) for p in self.problems[:50])
        more = len(self.problems) - 50
        super().__init__(lines + (f"\n… and {more} more" if more > 0 else ""))


def _frozen(items: Iterable[tuple[str, Any]]) -> Mapping[str, Any]:
    return MappingProxyType(dict(items))


@dataclass(frozen=True)
class Toolkit:
    """All toolkit content, validated. Mappings are read-only and keyed by id."""

    root: Path
    sources: Mapping[str, m.Source]
    findings: Mapping[str, m.Finding]
    faq: Mapping[str, m.FaqEntry]
    myths: Mapping[str, m.Myth]
    audiences: Mapping[str, m.Audience]
    proof_points: Mapping[str, m.ProofPoint]
    glossary: Mapping[str, m.GlossaryTerm]
    synonyms: Mapping[str, m.SynonymGroup]
    rules: Mapping[str, m.Rule]
    templates: Mapping[str, m.Template]
    profiles: Mapping[str, m.Profile]
    #: everyday school matters the toolkit does not answer (optional out_of_scope.yaml)
    out_of_scope: Mapping[str, m.OutOfScopeTopic] = field(
        default_factory=lambda: MappingProxyType({})
    )
    #: a district's own answers to FAQ entries, by entry id (optional local.yaml)
    local: Mapping[str, m.LocalAnswer] = field(default_factory=lambda: MappingProxyType({}))
    #: the words that introduce reported speech, for the checker (reported_speech.yaml)
    reported_speech: Mapping[str, m.SpeechCue] = field(
        default_factory=lambda: MappingProxyType({})
    )
    #: (kind, id) -> "file:line", for messages that point back at the content
    locations: Mapping[tuple[str, str], str] = field(default_factory=dict, compare=False)

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    def audience(self, name: str | None) -> m.Audience | None:
        """Find an audience by id, name or alias (case-insensitive)."""
        if not name:
            return None
        wanted = name.strip().lower()
        for audience in self.audiences.values():
            names = {audience.id, audience.name.lower(), *(a.lower() for a in audience.aliases)}
            if wanted in names:
                return audience
        return None

    def cite(self, source_ids: Iterable[str]) -> list[m.Source]:
        return [self.sources[s] for s in source_ids if s in self.sources]

    def where(self, kind: str, item_id: str) -> str:
        return self.locations.get((kind, item_id), str(self.root))

    def stale(self, days: int, today: dt.date | None = None) -> list[tuple[str, str, m.Owned]]:
        """Content due for review: never reviewed by a person, or not in the last ``days``.

        FAQ entries, myths, proof points, findings, audiences (their messages) and
        glossary terms; never-reviewed items first, then the oldest review first.
        """
        today = today or dt.date.today()
        cutoff = today - dt.timedelta(days=days)
        due: list[tuple[str, str, m.Owned]] = []
        for kind, items in self.reviewable().items():
            for item_id, item in items.items():
                if item.review_date is None or item.review_date <= cutoff:
                    due.append((kind, item_id, item))
        return sorted(due, key=lambda row: (row[2].review_date or dt.date.min, row[0], row[1]))

    def reviewable(self) -> dict[str, Mapping[str, m.Owned]]:
        """kind -> items that carry an owner and a review date."""
        return {"faq": self.faq, "myth": self.myths, "proof point": self.proof_points,
                "finding": self.findings, "audience": self.audiences, "glossary": self.glossary}


# ---------------------------------------------------------------- loading
def _describe(error: Mapping[str, Any]) -> str:
    loc = [str(p) for p in error.get("loc", ()) if not isinstance(p, int)]
    where = ".".join(loc)
    message = str(error.get("msg", "invalid value"))
    if error.get("type") == "missing":
        return f"missing field '{where}'"
    if error.get("type") == "extra_forbidden":
        return f"unknown field '{where}' (check the spelling)"
    message = message.removeprefix("Value error, ")
    return f"{where}: {message}" if where else message


def _validate_items(
    model: type[T],
    items: Any,
    file: str,
    problems: list[Problem],
    *,
    single: bool = False,
    invalid_ids: set[str] | None = None,
) -> list[tuple[T, int, Any]]:
    """Validate each item; return (model, line, raw data) for the valid ones.

    The ids of entries that fail validation go into ``invalid_ids``, so that
    references to them are not reported a second time as dangling.
    """
    if single:
        items = LineList([items])
        items.item_lines = [getattr(items[0], "line", 1)]
    if not isinstance(items, list):
        line = getattr(items, "line", 1)
        problems.append(Problem(file, line, "expected a list of entries (each starting with '- ')"))
        return []
    valid: list[tuple[T, int, Any]] = []
    for index, raw in enumerate(items):
        item_line = items.item_lines[index] if isinstance(items, LineList) else 1
        if not isinstance(raw, dict):
            problems.append(Problem(file, item_line, "expected an entry with fields (key: value)"))
            continue
        try:
            valid.append((model.model_validate(raw), getattr(raw, "line", item_line), raw))
        except ValidationError as exc:
            if invalid_ids is not None and isinstance(raw.get("id"), str):
                invalid_ids.add(raw["id"])
            for error in exc.errors():
                loc = tuple(error["loc"])
                problems.append(Problem(file, line_of(raw, loc), _describe(error)))
    return valid


def _iter_files(root: Path) -> Iterator[tuple[str, Path, str, type[BaseModel], bool]]:
    for name, (attr, model) in LIST_FILES.items():
        yield name, root / name, attr, model, False
    for folder, (attr, model) in FOLDER_FILES.items():
        directory = root / folder
        if directory.is_dir():
            for path in sorted(directory.glob("*.yaml")):
                yield f"{folder}/{path.name}", path, attr, model, True


def load_toolkit(path: Path | str | None = None) -> Toolkit:
    """Load and check the toolkit at ``path`` (default: the shipped one).

    Raises :class:`ToolkitError` listing every problem.
    """
    root = Path(path) if path is not None else default_toolkit_path()
    problems: list[Problem] = []
    if not root.is_dir():
        raise ToolkitError([Problem(str(root), 1, "toolkit folder not found")])

    collected: dict[str, dict[str, Any]] = {attr: {} for attr, _ in LIST_FILES.values()}
    collected.update({attr: {} for attr, _ in FOLDER_FILES.values()})
    locations: dict[tuple[str, str], str] = {}
    raw_items: dict[tuple[str, str], Any] = {}
    #: kinds with an unreadable file, and ids of entries that failed validation:
    #: references to them are not reported again as "does not exist"
    unreadable: set[str] = set()
    invalid_ids: dict[str, set[str]] = {attr: set() for attr in collected}
    for display, file_path, attr, model, single in _iter_files(root):
        if not file_path.exists():
            if display in REQUIRED_FILES:
                problems.append(Problem(display, 1, "required file is missing"))
            continue
        try:
            data = load_yaml_file(file_path, display=display)
        except YamlProblem as exc:
            problems.append(Problem(exc.file, exc.line, exc.message))
            unreadable.add(attr)
            continue
        if data is None:
            if not single:
                continue
            problems.append(Problem(display, 1, "the file is empty"))
            continue
        if not single and not isinstance(data, list):
            unreadable.add(attr)
        for item, line, raw in _validate_items(
            model, data, display, problems, single=single, invalid_ids=invalid_ids[attr]
        ):
            item_id = item.id  # type: ignore[attr-defined]
            kind = attr
            if item_id in collected[attr]:
                problems.append(
                    Problem(
                        display,
                        line,
                        f"duplicate id '{item_id}' (already used at {locations[(kind, item_id)]})",
                    )
                )
                continue
            if single and file_path.stem != item_id:
                message = f"id '{item_id}' must match the file name '{file_path.stem}'"
                problems.append(Problem(display, line, message))
            collected[attr][item_id] = item
            locations[(kind, item_id)] = f"{display}:{line}"
            raw_items[(kind, item_id)] = raw

    toolkit = Toolkit(
        root=root,
        locations=locations,
        **{attr: _frozen(items.items()) for attr, items in collected.items()},
    )
    problems.extend(_check_references(toolkit, raw_items, unreadable, invalid_ids))
    if problems:
        raise ToolkitError(problems)
    return toolkit


def validate_toolkit(path: Path | str | None = None) -> list[Problem]:
    """Every problem in the toolkit at ``path``; an empty list means it is valid."""
    try:
        load_toolkit(path)
    except ToolkitError as exc:
        return exc.problems
    return []


# ------------------------------------------------------------ references
def _ref_line(raw: Any, path: tuple[str | int, ...], ref: str) -> int | None:
    """The line of ``ref`` inside ``raw`` at ``path`` (or of the field holding it)."""
    node, line, reached = descend(raw, path)
    if not reached:
        return line
    if isinstance(node, LineList):
        for index, value in enumerate(node):
            if value == ref and index < len(node.item_lines):
                return node.item_lines[index]
    elif isinstance(node, LineDict) and ref in node:
        return node.key_lines.get(ref, line)
    return line


def _check_references(
    tk: Toolkit,
    raw_items: Mapping[tuple[str, str], Any] | None = None,
    unreadable: Collection[str] = (),
    invalid_ids: Mapping[str, Collection[str]] | None = None,
) -> list[Problem]:
    """Every reference that does not resolve, at the line of the reference itself.

    References into a file that could not be read, or to an entry that is
    itself invalid, are not reported: that problem is reported already.
    """
    problems: list[Problem] = []
    raws: Mapping[tuple[str, str], Any] = raw_items or {}
    answerable = {**tk.faq, **tk.myths}
    pool_kinds: dict[int, tuple[str, ...]] = {
        id(tk.sources): ("sources",),
        id(tk.findings): ("findings",),
        id(tk.audiences): ("audiences",),
        id(tk.templates): ("templates",),
        id(answerable): ("faq", "myths"),
    }

    def excused(pool: Collection[str], ref: str) -> bool:
        for kind in pool_kinds.get(id(pool), ()):
            if kind in unreadable or ref in (invalid_ids or {}).get(kind, ()):
                return True
        return False

    def at(kind: str, item_id: str) -> tuple[str, int]:
        file, _, line = tk.where(kind, item_id).rpartition(":")
        return file, int(line) if line.isdigit() else 1

    def need(
        kind: str,
        item_id: str,
        what: str,
        refs: Iterable[str],
        pool: Collection[str],
        path: tuple[str | int, ...] = (),
    ) -> None:
        for ref in refs:
            if ref not in pool and not excused(pool, ref):
                file, line = at(kind, item_id)
                if path:
                    line = _ref_line(raws.get((kind, item_id)), path, ref) or line
                problems.append(Problem(file, line, f"'{item_id}': {what} '{ref}' does not exist"))

    for kind, items in (
        ("findings", tk.findings),
        ("faq", tk.faq),
        ("myths", tk.myths),
        ("proof_points", tk.proof_points),
        ("glossary", tk.glossary),
        ("profiles", tk.profiles),
    ):
        for item_id, item in items.items():
            need(kind, item_id, "source", item.sources, tk.sources, ("sources",))
    for item_id, source in tk.sources.items():
        need("sources", item_id, "source (cited_in)", source.cited_in, tk.sources, ("cited_in",))
    for item_id, audience in tk.audiences.items():
        for field_name in ("key_messages", "talking_points"):
            for index, sourced in enumerate(getattr(audience, field_name)):
                need("audiences", item_id, "source", sourced.sources, tk.sources,
                     (field_name, index, "sources"))
        need("audiences", item_id, "finding", audience.concerns, tk.findings, ("concerns",))
    for kind, items in (("faq", tk.faq), ("myths", tk.myths)):
        for item_id, item in items.items():
            need(kind, item_id, "related entry", item.related, answerable, ("related",))
            need(kind, item_id, "audience", item.audience_answers, tk.audiences,
                 ("audience_answers",))
            if isinstance(item, m.FaqEntry):
                need(kind, item_id, "audience", item.audiences, tk.audiences, ("audiences",))
            if isinstance(item, m.Myth) and item.concern:
                need(kind, item_id, "finding", [item.concern], tk.findings, ("concern",))
    for item_id in tk.local:
        need("local", item_id, "FAQ entry", [item_id], tk.faq, ("id",))
    for item_id, rule in tk.rules.items():
        need("rules", item_id, "finding", [rule.finding], tk.findings, ("finding",))
        need("rules", item_id, "audience", rule.severity_by_audience, tk.audiences,
             ("severity_by_audience",))
        need("rules", item_id, "audience", rule.audiences, tk.audiences, ("audiences",))
    for item_id, template in tk.templates.items():
        if template.audience:
            need("templates", item_id, "audience", [template.audience], tk.audiences,
                 ("audience",))
        if not (tk.templates_dir / template.file).is_file():
            file, line = at("templates", item_id)
            problems.append(
                Problem(file, line, f"'{item_id}': template file '{template.file}' not found")
            )
    for item_id, profile in tk.profiles.items():
        profile_template = tk.templates.get(profile.template)
        if profile_template is None:
            need("profiles", item_id, "template", [profile.template], tk.templates,
                 ("template",))
            continue
        names = {f.name for f in profile_template.fields}
        for index, section in enumerate(profile.sections):
            need("profiles", item_id, f"field (section {section.id})", section.fields, names,
                 ("sections", index, "fields"))
            need("profiles", item_id, "source", section.sources, tk.sources,
                 ("sections", index, "sources"))
    return problems


__all__ = [
    "LineDict",
    "Problem",
    "Toolkit",
    "ToolkitError",
    "default_toolkit_path",
    "load_toolkit",
    "validate_toolkit",
]
