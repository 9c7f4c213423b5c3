"""Fill toolkit templates from declared fields: validate, render, report completeness.

The templates and their field declarations are content (``toolkit/content/templates``);
this package is generic. One template gives three formats: the Jinja2 template
renders Markdown (user values escaped by :func:`messaging.jinja_env.md_escape`),
then markdown-it turns it into HTML or a Word document.

Validation has two modes:

* ``draft`` — saving always succeeds: wrong types are reported (level ``error``),
  missing required fields and length limits are ``warning``\\ s. A draft still
  renders, with a bracketed placeholder where a value is missing or unusable.
* ``final`` — required fields, length limits and list sizes are enforced.

Some values are refused in every mode because they are never safe to keep:
control characters, a value larger than :data:`HARD_MAX_CHARS`, data that is
not a set of ``field: value`` pairs.

Paths name a field the way a person counts: ``action_steps[2].timeline`` is the
timeline of the *second* action step (item numbers start at 1).
The drafter is a package of parts, each with one job; everything is importable from here
(``from messaging.drafting import render``):

* :mod:`~messaging.drafting.model` — modes, limits, problems, documents, results;
* :mod:`~messaging.drafting.lookups` — templates, profiles and choices by name;
* :mod:`~messaging.drafting.fields` — reading data files, converting and validating fields;
* :mod:`~messaging.drafting.completeness` — which sections are done, thin or missing;
* :mod:`~messaging.drafting.rendering` — Markdown, HTML and Word, with the phrase check;
* :mod:`~messaging.drafting.examples` — example data and the commented YAML to start from;
* :mod:`~messaging.drafting.describe` — JSON-ready descriptions for forms;
* :mod:`~messaging.drafting.cache` — the compiled engines (:data:`ENGINES`), in one place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from messaging.drafting.cache import ENGINES, EngineCache
from messaging.drafting.completeness import completeness
from messaging.drafting.describe import (
    FieldDescription,
    SectionDescription,
    TemplateDescription,
    describe_field,
    describe_profile,
    describe_template,
    field_description,
)
from messaging.drafting.examples import example_data, example_yaml
from messaging.drafting.fields import read_data, validate
from messaging.drafting.lookups import UnknownDraftingName, get_profile, get_template
from messaging.drafting.model import (
    CONTEXT_HELPERS,
    FORMATS,
    HARD_MAX_CHARS,
    HARD_MAX_ITEMS,
    MAX_DATA_BYTES,
    MEDIA_TYPES,
    PAGE_LAYOUT,
    TYPE_NAMES,
    Completeness,
    Document,
    DraftingError,
    FieldProblem,
    Format,
    Mode,
    Problem,
    SectionStatus,
)
from messaging.drafting.rendering import (
    ToolkitView,
    _environment,
    _first_heading,
    check_text,
    draft_notice,
    field_of,
    render,
    render_html_page,
    render_markdown,
    template_problems,
    user_texts,
)
from messaging.jinja_env import MdSafe

if TYPE_CHECKING:
    from messaging.checker import Checker
    from toolkit import Toolkit


def share_checker(tk: Toolkit, checker: Checker) -> None:
    """Check ``tk``'s documents with ``checker``, already built (``bot.core.engines.Core``)."""
    ENGINES.share_checker(tk, checker)


__all__ = [
    "CONTEXT_HELPERS",
    "ENGINES",
    "FORMATS",
    "HARD_MAX_CHARS",
    "HARD_MAX_ITEMS",
    "MAX_DATA_BYTES",
    "MEDIA_TYPES",
    "PAGE_LAYOUT",
    "TYPE_NAMES",
    "Completeness",
    "Document",
    "DraftingError",
    "EngineCache",
    "FieldDescription",
    "FieldProblem",
    "Format",
    "MdSafe",
    "Mode",
    "Problem",
    "SectionDescription",
    "SectionStatus",
    "TemplateDescription",
    "ToolkitView",
    "UnknownDraftingName",
    "_environment",
    "_first_heading",
    "check_text",
    "completeness",
    "describe_field",
    "describe_profile",
    "describe_template",
    "draft_notice",
    "example_data",
    "example_yaml",
    "field_description",
    "field_of",
    "get_profile",
    "get_template",
    "read_data",
    "render",
    "render_html_page",
    "render_markdown",
    "share_checker",
    "template_problems",
    "user_texts",
    "validate",
]
