"""Examples: a filled example of a template, and the commented YAML data file to start from."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import yaml

from messaging.drafting.lookups import _choices, get_profile, get_template
from messaging.drafting.model import (
    TYPE_NAMES,
)

if TYPE_CHECKING:

    from toolkit import Toolkit
    from toolkit.models import TemplateField


def example_data(tk: Toolkit, template_id: str) -> dict[str, Any]:
    """A filled example, from the ``example`` values in the field declarations."""
    template = get_template(tk, template_id)
    return {f.name: _plain(f.example) for f in template.fields if f.example is not None}


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return str(value)
    return value


class _ExampleDumper(yaml.SafeDumper):
    """Writes every value as plain text where it can: data files are read as text,
    so ``410`` and ``2026-09-01`` need no quotes. Multi-line text uses ``|``."""


_ExampleDumper.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers
            if tag not in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
                           "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null",
                           "tag:yaml.org,2002:timestamp")]
    for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()
}


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_ExampleDumper.add_representer(str, _represent_str)


def example_yaml(tk: Toolkit, template_id: str) -> str:
    """The example as a commented YAML data file to start from."""
    template = get_template(tk, template_id)
    data = example_data(tk, template_id)
    prof = get_profile(tk, template, None)
    out = [f"# {template.title}: example data. Edit the values, then run:",
           f"#   mastery draft {template.id} --data THIS_FILE.yaml --format docx -o "
           f"{template.id}.docx",
           "# Long text may run on over indented lines, as below; for several paragraphs,",
           "# write '|' after the colon and each paragraph on its own indented lines, with",
           "# a blank line between. Dates: YYYY-MM-DD. '*' marks a required field.", ""]
    if prof is not None:
        out[5:5] = [f"# Required sections come from the '{prof.id}' profile ({prof.name}).",
                    f"# Check them with: mastery draft {template.id} --data THIS_FILE.yaml --check"]
    current_section: str | None = None
    titles = {s.id: s.title for s in template.sections}
    for f in template.fields:
        if f.section != current_section and f.section:
            current_section = f.section
            out.append(f"# ===== {titles.get(f.section, f.section)} =====")
        star = " *" if f.required else ""
        about = f"{f.label}{star} ({_type_label(tk, f)}){': ' + f.help if f.help else ''}"
        out.extend(textwrap.wrap(about, width=90, initial_indent="# ",
                                 subsequent_indent="#   ", break_on_hyphens=False))
        for sub in f.fields:
            sub_star = " *" if sub.required else ""
            out.append(f"#   - {sub.name}: {sub.label}{sub_star} ({_type_label(tk, sub)})")
        if f.name in data:
            dumped = yaml.dump({f.name: data[f.name]}, Dumper=_ExampleDumper, sort_keys=False,
                               allow_unicode=True, default_flow_style=False,
                               width=88 if f.type == "longtext" else 4096)
            out.append(dumped.rstrip("\n"))
        else:
            out.append(f"{f.name}:")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _type_label(tk: Toolkit, f: TemplateField) -> str:
    if f.type == "choice" or (f.type == "list" and not f.fields and (f.choices or f.choices_from)):
        choices = _choices(tk, f)
        shown = ", ".join(choices[:10]) + (" …" if len(choices) > 10 else "")
        prefix = "list of: " if f.type == "list" else "one of: "
        return prefix + shown
    if f.type == "list":
        return "list" if not f.fields else "list of items"
    label = TYPE_NAMES[f.type]
    if f.max_length:
        label += f", at most {f.max_length} characters"
    return label


