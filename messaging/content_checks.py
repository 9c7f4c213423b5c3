"""The checks of toolkit content that need messaging's engines (the checker, the renderer).

:func:`bot.core.validate.validate_content` runs these after the loader; they are here, not
in ``toolkit/``, because ``toolkit`` imports neither the checker nor Jinja2 rendering.
Every problem is a ``file:line: message`` string, the file relative to the toolkit folder.

* :func:`rule_problems` — every rule's patterns compile and every rule flags each of its
  should-flag examples and none of its should-pass ones (the same test a ``--rules`` file
  gets, :func:`messaging.checker.example_problems`).
* :func:`template_problems` — every template file compiles; every name it (or a file it
  includes) uses is a declared field or a context helper; no attribute is asked of a plain
  value (``{{ headline.nope.deeper }}``); every declared field is shown; the example data
  of every template renders in every format.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from messaging import drafting
from messaging.checker import Checker, RuleFileError, example_problems

if TYPE_CHECKING:
    from jinja2 import Environment

    from toolkit import Toolkit
    from toolkit.models import Template

#: attributes a template may ask of a plain value, by field type
_SCALAR_ATTRS: dict[str, frozenset[str]] = {
    **{kind: frozenset(dir(str)) for kind in ("text", "longtext", "email", "phone", "url",
                                              "choice")},
    "number": frozenset(dir(int)) | frozenset(dir(float)),
    "date": frozenset(dir(dt.date)),
}


# ----------------------------------------------------------------- rules
def rule_problems(tk: Toolkit) -> list[str]:
    """Patterns that do not compile and examples a rule gets wrong, at their lines."""
    from toolkit.yamlio import YamlProblem, load_yaml_file

    try:  # the raw file again, for the line of each rule's examples
        raw_rules = load_yaml_file(tk.root / "rules.yaml", display="rules.yaml")
    except (OSError, YamlProblem):
        raw_rules = None
    raws = {item.get("id"): item for item in raw_rules or () if isinstance(item, dict)}
    try:
        checker = Checker.from_toolkit(tk)
    except RuleFileError as exc:  # a pattern that does not compile: fix that first
        return list(exc.problems)
    problems: list[str] = []
    for rule in tk.rules.values():
        compiled = checker.rules[rule.id]
        file, _, line = tk.where("rules", rule.id).rpartition(":")
        problems.extend(example_problems(rule, compiled, file or "rules.yaml",
                                         raws.get(rule.id), int(line) if line.isdigit() else 1))
    return list(dict.fromkeys(problems))


# ------------------------------------------------------------- templates
def template_problems(tk: Toolkit) -> list[str]:
    """Everything wrong with the toolkit's templates, at the line of the template file."""
    problems = drafting.template_problems(tk)  # syntax of every file, names of each own file
    broken = {p.split(":", 1)[0] for p in problems}
    env = drafting._environment(tk, "markdown")
    for template in tk.templates.values():
        if f"templates/{template.file}" in broken:
            continue
        found = _name_problems(tk, env, template)
        problems.extend(p for p in found if p not in problems)
        if not found:
            problems.extend(_render_problems(tk, template))
    return problems


def _display(tk: Toolkit, filename: str | None, fallback: str) -> str:
    """``templates/…`` for a template file of the toolkit (or of the shipped one)."""
    if not filename:
        return fallback
    path = Path(filename)
    from toolkit import default_toolkit_path

    for root in (tk.templates_dir, default_toolkit_path() / "templates"):
        try:
            return "templates/" + path.resolve().relative_to(root.resolve()).as_posix()
        except (ValueError, OSError):
            continue
    return fallback


def _files(env: Environment, name: str, seen: set[str]) -> Iterator[tuple[str, Any]]:
    """The parsed template ``name`` and every file it includes, once each."""
    from jinja2 import TemplateError, meta

    if name in seen or env.loader is None:
        return
    seen.add(name)
    try:
        source, filename, _ = env.loader.get_source(env, name)
        tree = env.parse(source, name, filename)
    except (OSError, ValueError, TemplateError):
        return  # reported by the syntax check
    yield filename or name, tree
    for child in meta.find_referenced_templates(tree):
        if child is not None:
            yield from _files(env, child, seen)


def _name_problems(tk: Toolkit, env: Environment, template: Template) -> list[str]:
    from jinja2 import meta, nodes

    fields = {f.name: f for f in template.fields}
    context = set(drafting.CONTEXT_HELPERS) | set(env.globals)
    declaration = f"templates/{template.id}.yaml"
    problems: list[str] = []
    used: set[str] = set()
    for filename, tree in _files(env, template.file, set()):
        display = _display(tk, filename, f"templates/{template.file}")
        names = meta.find_undeclared_variables(tree)
        used |= names
        reported: set[str] = set()
        assigned = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
        for node in tree.find_all(nodes.Name):
            name = node.name
            if name in names and name not in fields and name not in context \
                    and name not in reported:
                reported.add(name)
                problems.append(f"{display}:{node.lineno}: '{name}' is not a field of the "
                                f"template '{template.id}' (see {declaration})")
        for node in tree.find_all(nodes.Getattr):
            target = node.node
            if not isinstance(target, nodes.Name) or target.name in assigned:
                continue
            declared = fields.get(target.name)
            allowed = _SCALAR_ATTRS.get(declared.type) if declared is not None else None
            if allowed is not None and node.attr not in allowed:
                problems.append(
                    f"{display}:{node.lineno}: '{target.name}.{node.attr}' is undefined: "
                    f"'{target.name}' is a {declared.type} field of the template "  # type: ignore[union-attr]
                    f"'{template.id}', not a record (see {declaration})")
    for name in sorted(set(fields) - used):
        where = tk.where("templates", template.id)
        problems.append(f"{where}: field '{name}' is declared but the template file "
                        f"templates/{template.file} never shows it")
    return problems


def _template_frame(tk: Toolkit, tb: TracebackType | None, fallback: str) -> str:
    """``file:line`` of the innermost template frame of a rendering error."""
    found = fallback
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = f"{_display(tk, filename, fallback.rsplit(':', 1)[0])}:{tb.tb_lineno}"
        tb = tb.tb_next
    return found


def _render_problems(tk: Toolkit, template: Template) -> list[str]:
    """The template's example data, rendered in every format: what goes wrong.

    The Markdown is rendered once; HTML and Word are made from it as
    :func:`messaging.drafting.render` makes them (without its phrase check)."""
    from messaging.docx_writer import markdown_to_docx

    data = drafting.example_data(tk, template.id)
    fmt = "md"
    try:
        text, _, _ = drafting.render_markdown(tk, template.id, data, mode="final")
        title = drafting._first_heading(text) or template.title
        fmt = "html"
        drafting.render_html_page(tk, text, title)
        fmt = "docx"
        markdown_to_docx(text, title)
    except drafting.DraftingError as exc:
        if exc.problems:
            where = tk.where("templates", template.id)
            return [f"{where}: the example of '{p.path or template.id}' is not valid: "
                    f"{p.message}" for p in exc.problems]
        cause = exc.__context__
        fallback = f"templates/{template.file}:1"
        where = _template_frame(tk, cause.__traceback__ if cause else None, fallback)
        detail = f"{type(cause).__name__}: {cause}" if cause else exc.message
        return [f"{where}: the example of the template '{template.id}' does not render "
                f"as {fmt}: {detail}"]
    except Exception as exc:  # the Word writer on odd Markdown: report, never crash
        return [f"templates/{template.file}:1: the example of the template '{template.id}' "
                f"does not render as {fmt}: {type(exc).__name__}: {exc}"]
    return []


__all__ = ["rule_problems", "template_problems"]
