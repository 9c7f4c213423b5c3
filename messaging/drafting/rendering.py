"""Rendering: a template's Jinja2 file into Markdown, then HTML or Word, with the phrase check."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

from messaging.drafting.cache import ENGINES
from messaging.drafting.completeness import _section_problems
from messaging.drafting.fields import _convert
from messaging.drafting.lookups import _named, get_profile, get_template
from messaging.drafting.model import (
    FORMATS,
    MEDIA_TYPES,
    PAGE_LAYOUT,
    Document,
    DraftingError,
    FieldProblem,
    Mode,
)
from messaging.jinja_env import MdSafe
from toolkit.names import require_audience
from toolkit.words import cite

if TYPE_CHECKING:
    from jinja2 import Environment

    from toolkit import Toolkit
    from toolkit.models import Profile, Template


class ToolkitView:
    """What a template may read from the toolkit. Every item it hands out carries
    a ``note`` marker (``[1]``); :meth:`notes` lists the cited sources in order."""

    def __init__(self, tk: Toolkit, audience: str | None) -> None:
        self._tk = tk
        self._audience = audience
        self._numbers: dict[str, int] = {}

    def _note(self, source_ids: Iterable[str]) -> str:
        numbers = []
        for sid in source_ids:
            if sid not in self._tk.sources:
                continue
            if sid not in self._numbers:
                self._numbers[sid] = len(self._numbers) + 1
            numbers.append(self._numbers[sid])
        if not numbers:
            return ""
        # our own Markdown: "[1, 2]" with no link definition is shown as written, so it
        # needs no escapes (which the Markdown export would show as \[1, 2\])
        return MdSafe("[" + ", ".join(str(n) for n in sorted(set(numbers))) + "]")

    def _audience_obj(self, audience: str | None) -> Any:
        name = audience or self._audience
        return require_audience(self._tk, name) if name else None

    def _sourced(self, items: Iterable[Any], limit: int | None,
                 third_person: bool = False) -> list[dict[str, str]]:
        out = [{"text": (getattr(item, "third_person", None) if third_person else None)
                or item.text, "note": self._note(item.sources)} for item in items]
        return out[:limit] if limit else out

    def key_messages(self, audience: str | None = None, limit: int | None = None,
                     third_person: bool = False) -> list[dict]:
        """The audience's key messages; with ``third_person``, told about the audience
        ("Students move ahead…") where a message is written to it ("Your child…")."""
        found = self._audience_obj(audience)
        return self._sourced(found.key_messages, limit, third_person) if found else []

    def talking_points(self, audience: str | None = None, limit: int | None = None) -> list[dict]:
        found = self._audience_obj(audience)
        return self._sourced(found.talking_points, limit) if found else []

    def proof_points(self, ids: Sequence[str] | None = None,
                     limit: int | None = None) -> list[dict[str, str]]:
        chosen = [self._tk.proof_points[i] for i in ids or () if i in self._tk.proof_points]
        # "note" is the citation marker; "location"/"confidence"/"caveat" the evidence
        out = [{"id": p.id, "title": p.title, "statement": p.statement,
                "figure": p.figure or "", "place": p.place or "", "note": self._note(p.sources),
                "location": p.location or "", "confidence": p.confidence or "",
                "caveat": p.note if p.confidence in ("medium", "low") else ""}
               for p in chosen]
        return out[:limit] if limit else out

    def audience_name(self, audience_id: Any) -> Any:
        """The display name of an audience id (placeholders pass through)."""
        found = self._tk.audiences.get(str(audience_id)) if isinstance(audience_id, str) else None
        return found.name if found else audience_id

    def term(self, term_id: str) -> dict[str, str] | None:
        term = self._tk.glossary.get(term_id)
        if term is None:
            return None
        return {"term": term.term, "plain": term.plain, "definition": term.definition,
                "note": self._note(term.sources)}

    def notes(self) -> list[dict[str, Any]]:
        out = []
        for sid, number in self._numbers.items():
            s = self._tk.sources[sid]
            out.append({"number": number, "citation": cite(s),
                        "url": s.url or ""})
        return out


def _environment(tk: Toolkit, output: Literal["markdown", "html"]) -> Environment:
    """The Jinja2 environment of ``tk``'s templates (one per folder and output, cached)."""
    return ENGINES.environment(tk, output)


def template_problems(tk: Toolkit) -> list[str]:
    """``file:line: message`` for every Jinja2 file of the toolkit that does not compile."""
    from jinja2 import TemplateSyntaxError

    problems: list[str] = []
    root = tk.templates_dir
    if not root.is_dir():
        return problems
    for path in sorted(root.rglob("*.j2")):
        name = path.relative_to(root).as_posix()
        display = f"templates/{name}"
        env = _environment(tk, "html" if name.endswith(".html.j2") else "markdown")
        try:
            env.get_template(name)
        except TemplateSyntaxError as exc:
            problems.append(f"{display}:{exc.lineno}: template mistake: {exc.message}")
        except UnicodeDecodeError as exc:
            problems.append(f"{display}:1: the file is not UTF-8 text ({exc.reason})")
        except Exception as exc:  # unreadable file and the like
            problems.append(f"{display}:1: cannot read the template: {exc}")
    problems.extend(_unknown_names(tk))
    return problems


def _unknown_names(tk: Toolkit) -> list[str]:
    """Names a template's own file uses that are neither its fields nor the context
    (rendering would stop with "... is undefined")."""
    from jinja2 import TemplateError, meta, nodes

    env = _environment(tk, "markdown")
    context = {"toolkit", "audience", "profile", "sections", "template", *env.globals}
    problems: list[str] = []
    for template in tk.templates.values():
        path = tk.templates_dir / template.file
        try:
            tree = env.parse(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, TemplateError):
            continue  # reported above, or by the loader
        unknown = meta.find_undeclared_variables(tree) - context - {
            f.name for f in template.fields}
        seen: set[str] = set()
        for node in tree.find_all(nodes.Name):
            if node.name in unknown and node.name not in seen:
                seen.add(node.name)
                problems.append(f"templates/{template.file}:{node.lineno}: '{node.name}' is "
                                f"not a field of the template '{template.id}' (see "
                                f"templates/{template.id}.yaml)")
    return problems


def check_text(tk: Toolkit, text: str, audience: str | None) -> Any:
    """The phrase-check and readability report of a rendered document. Every word of a
    document being drafted is the writer's, the quotation they write for the superintendent
    too, so a match inside quotation marks counts here (``mastery check`` on someone else's
    text lists it apart)."""
    from dataclasses import replace

    from messaging.checker import RuleFileError

    try:
        checker = ENGINES.checker(tk)
    except RuleFileError as exc:  # e.g. a rules.yaml pattern with an unclosed '('
        raise DraftingError("The toolkit's phrase rules have problems; fix them (see "
                            "`mastery toolkit validate`): " + "; ".join(exc.problems)) from None
    report = checker.check(text, audience=audience, markup="markdown")
    return replace(report, flags=[replace(f, quoted=False) if f.quoted else f
                                  for f in report.flags])


def _context(tk: Toolkit, template: Template, profile: Profile | None,
             values: Mapping[str, Any], audience_id: str | None) -> dict[str, Any]:
    sections = {s.id: s.title for s in template.sections}
    if profile is not None:
        sections.update({s.id: s.title for s in profile.sections if s.id in sections})
    audience = tk.audiences.get(audience_id) if audience_id else None
    ctx: dict[str, Any] = dict(values)
    ctx.update(
        toolkit=ToolkitView(tk, audience_id),
        audience={"id": audience.id, "name": audience.name, "family": audience.family}
        if audience else None,
        profile=None if profile is None else {
            "id": profile.id, "name": profile.name, "description": profile.description,
            "sections": [{"id": s.id, "title": s.title, "required": s.required,
                          "min_words": s.min_words, "guidance": s.guidance}
                         for s in profile.sections],
        },
        sections=sections,
        template={"id": template.id, "title": template.title},
    )
    return ctx


def _first_heading(markdown: str) -> str | None:
    """The text of the document's first heading (its title for HTML and Word)."""
    from messaging.docx_writer import md_parser

    tokens = md_parser().parse(markdown)
    for i, tok in enumerate(tokens[:-1]):
        if tok.type == "heading_open":
            return "".join(c.content for c in tokens[i + 1].children or []
                           if c.type in ("text", "code_inline"))
    return None


def render_markdown(tk: Toolkit, template_id: str, data: Mapping[str, Any] | None,
                    profile: str | None = None, mode: Mode = "final",
                    audience: str | None = None) -> tuple[str, list[FieldProblem], str | None]:
    """The Markdown text, the problems found (none at error level in final mode),
    and the audience id used."""
    from jinja2 import TemplateError, TemplateSyntaxError

    template = get_template(tk, template_id)
    prof = get_profile(tk, template, profile)
    audience_id = template.audience
    if audience:
        audience_id = _named(require_audience, tk, audience).id
    converted = _convert(tk, template, data, mode)
    problems = list(converted.problems)
    if prof is not None:
        problems.extend(_section_problems(template, prof, converted.values, mode,
                                          converted.problems))
    refused = [p for p in problems if p.level == "error"
               and (mode == "final" or p.code in ("too_large", "control_chars"))]
    if refused:
        raise DraftingError(
            f"The data for '{template.id}' has {len(refused)} problem(s) to fix first.",
            refused)
    ctx = _context(tk, template, prof, converted.values, audience_id)
    try:
        text = _environment(tk, "markdown").get_template(template.file).render(ctx)
    except TemplateSyntaxError as exc:
        raise DraftingError(f"The template file '{exc.name or template.file}' has a mistake "
                            f"at line {exc.lineno}: {(exc.message or '').rstrip('.')}. "
                            "Fix the template.") from None
    except Exception as exc:  # the template is the toolkit's code: any mistake, e.g. 1/0
        detail = exc if isinstance(exc, TemplateError | ValueError | TypeError) else (
            f"{type(exc).__name__}: {exc}")
        raise DraftingError(f"The template '{template.id}' could not be filled in: {detail}. "
                            "Fix the template file.") from None
    text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
    return text, problems, audience_id


def user_texts(data: Any, prefix: str = "") -> list[tuple[str, str]]:
    """Every text the user wrote in ``data``, with the path of its field (list items counted
    from 1, as problems' paths are): ``[("headline", "…"), ("posts[2].text", "…")]``."""
    out: list[tuple[str, str]] = []
    if isinstance(data, Mapping):
        for key, value in data.items():
            out += user_texts(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(data, list):
        for k, value in enumerate(data, start=1):
            out += user_texts(value, f"{prefix}[{k}]")
    elif isinstance(data, str) and data.strip():
        out.append((prefix, data))
    return out


def field_of(texts: Sequence[tuple[str, str]], words: str) -> str | None:
    """The path of the first field whose text holds ``words`` (the words of a flag, Markdown
    marks left out), or None: the template's own text or a toolkit figure."""
    plain = re.sub(r"[*_#`>\\]+", "", words).strip().lower()
    if not plain:
        return None
    return next((path for path, text in texts if plain in text.lower()), None)


def draft_notice(problems: list[FieldProblem], limit: int = 12) -> str:
    """A line that marks an unfinished document as a draft, naming what is still missing."""
    labels = list(dict.fromkeys(p.label for p in problems if p.label))
    notice = "> **DRAFT: not finished.**"
    if labels:
        more = f" and {len(labels) - limit} more" if len(labels) > limit else ""
        notice += f" Still to complete or check: {'; '.join(labels[:limit])}{more}."
    return notice + "\n\n"


def render(tk: Toolkit, template_id: str, data: Mapping[str, Any] | None, fmt: str = "md",
           profile: str | None = None, mode: Mode = "final",
           audience: str | None = None, mark_draft: bool = False) -> Document:
    """Render a template into Markdown, HTML or Word, with the phrase-check report.
    ``mark_draft`` (draft mode) opens the document with a notice that it is a draft."""
    if fmt not in FORMATS:
        raise DraftingError(f"Unknown format '{fmt}'; choose one of: {', '.join(FORMATS)}.")
    text, problems, audience_id = render_markdown(tk, template_id, data, profile, mode, audience)
    if mark_draft and mode == "draft":
        text = draft_notice(problems) + text
    template = get_template(tk, template_id)
    title = _first_heading(text) or template.title
    if fmt == "md":
        content = text.encode("utf-8")
    elif fmt == "html":
        content = render_html_page(tk, text, title).encode("utf-8")
    else:
        from messaging.docx_writer import markdown_to_docx

        content = markdown_to_docx(text, title, draft=mark_draft and mode == "draft")
    report = check_text(tk, text, audience_id)
    return Document(content=content, media_type=MEDIA_TYPES[fmt],
                    filename=f"{template.id}.{fmt}", text=text, title=title, report=report,
                    problems=problems)


def render_html_page(tk: Toolkit, markdown: str, title: str) -> str:
    """A clean, printable HTML page around the Markdown's HTML."""
    from jinja2 import TemplateSyntaxError
    from markupsafe import Markup

    from messaging.docx_writer import markdown_to_html

    body = Markup(markdown_to_html(markdown))  # noqa: S704 - markdown-it, raw HTML disabled
    try:
        page = _environment(tk, "html").get_template(PAGE_LAYOUT)
        return page.render(title=title, body=body)
    except TemplateSyntaxError as exc:
        raise DraftingError(f"The template file '{exc.name or PAGE_LAYOUT}' has a mistake "
                            f"at line {exc.lineno}: {(exc.message or '').rstrip('.')}. "
                            "Fix the template.") from None
    except Exception as exc:  # the layout is the toolkit's code too
        raise DraftingError(f"The page layout '{PAGE_LAYOUT}' could not be filled in: "
                            f"{type(exc).__name__}: {exc}. Fix the template file.") from None


