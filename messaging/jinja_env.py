"""The one Jinja2 environment factory used by every renderer.

Templates are content (they live in the toolkit, and an agency may edit its own
copy), so they run in Jinja2's immutable sandbox with ``StrictUndefined``: a
misspelt variable is an error, not an empty string. User values are *data*:
they reach a template only through the render context and are never compiled,
so a value of ``{{ config }}`` appears literally.

Two output kinds:

* ``"markdown"`` — every ``{{ … }}`` result passes through :func:`md_escape`, so
  Markdown specials in a value (``*``, ``#``, ``_``, ``<``, ``[``…) are shown as
  typed and cannot change the document's structure. Template text itself is
  Markdown and is not touched.
* ``"html"`` — Jinja2's HTML autoescaping; a value ``<script>`` is shown, never run.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

from jinja2 import BaseLoader, StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

Output = Literal["markdown", "html"]


class MdSafe(str):
    """Text that is already Markdown (produced by our own code): not escaped again."""

    __slots__ = ()


class Placeholder:
    """Stands in for a value still to be written, in a draft."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return f"[{self.text}]"

    def __bool__(self) -> bool:
        return True


# ------------------------------------------------------------- Markdown escaping
# Characters that start Markdown syntax anywhere in a line.
_INLINE_SPECIALS = re.compile(r"([\\`*_\[\]<>|~])")
# An HTML entity such as &amp; or &#60; would be decoded; escape its ampersand.
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# Constructs that only count at the start of a line (after the escaping above), as
# CommonMark reads them: an ATX heading's #s and a list marker need a space or the end of
# the line after them ("#hashtag", "-5 degrees" and "1.5 million" stay as typed); a line
# of = or - underlines the paragraph above it; > always opens a quote.
_LINE_START = re.compile(
    r"^(#{1,6}(?=[ \t]|$)|>|[-+](?=[ \t]|$)|=+[ \t]*$|-+[ \t]*$|\d{1,9}(?=[.)](?:[ \t]|$)))"
)


def md_escape(value: Any) -> str:
    """Render ``value`` as Markdown text that displays exactly as typed.

    Each line of the value becomes its own paragraph (a person pressing Enter in
    a form means a new paragraph); blank lines add nothing; leading indentation
    is dropped (it would make a code block).
    """
    if value is None:
        return ""
    if isinstance(value, MdSafe):
        return str(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    lines = []
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            continue
        line = _INLINE_SPECIALS.sub(r"\\\1", line)
        line = _ENTITY.sub(r"\\&", line)
        m = _LINE_START.match(line)
        if m:
            if m.group(1)[0].isdigit():
                end = m.end()
                line = line[:end] + "\\" + line[end:]
            else:
                line = "\\" + line
        lines.append(line)
    return "\n\n".join(lines)


def make_environment(
    loader: BaseLoader, output: Output = "markdown"
) -> ImmutableSandboxedEnvironment:
    """A sandboxed environment for ``output``; the only way this project builds one."""
    if output == "markdown":
        env = ImmutableSandboxedEnvironment(
            loader=loader,
            undefined=StrictUndefined,
            autoescape=False,
            finalize=md_escape,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
    elif output == "html":
        env = ImmutableSandboxedEnvironment(
            loader=loader,
            undefined=StrictUndefined,
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
    else:  # pragma: no cover - guarded by the type
        raise ValueError(f"unknown output {output!r}")
    env.filters.update(FILTERS)
    return env


# ------------------------------------------------------------------- filters
def _longdate(value: Any) -> Any:
    """2026-09-01 -> September 1, 2026 (placeholders and text pass through)."""
    if isinstance(value, dt.date):
        return f"{value:%B} {value.day}, {value.year}"
    return value


#: a list marker opening a line of a value ("- $500", "• coaches")
_ITEM_MARK = re.compile(r"[-*+•]\s+")


def _oneline(value: Any) -> Any:
    """Collapse line breaks and runs of spaces: for table cells and list items. Separate
    lines stay apart with "; " ("Grade 6-8 teachers" / "Instructional coaches", or "- $500" /
    "- books" -> "$500; books"); a wrapped sentence (the next line in lower case, or the
    line ending in punctuation) runs on with a space."""
    if value is None or isinstance(value, Placeholder):
        return value
    lines = [" ".join(line.split()) for line in str(value).splitlines()]
    items = [line for line in lines if line]
    listed = len(items) > 1 and all(_ITEM_MARK.match(line) for line in items)
    out = ""
    for line in items:
        if listed:
            line = _ITEM_MARK.sub("", line, count=1)
        if out:
            # a wrapped sentence runs on ("review" / "then share"); separate items do not
            runs_on = not listed and (out[-1] in ".,;:!?)-–—" or line[:1].islower())
            out += " " if runs_on else "; "
        out += line
    return out


def _number(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,}"
    return f"{int(value):,}"


def _words(value: Any) -> int:
    if value is None or isinstance(value, Placeholder):
        return 0
    return len(re.findall(r"[\w'’-]+", str(value)))


def _chars(value: Any) -> int:
    if value is None or isinstance(value, Placeholder):
        return 0
    return len(str(value))


def _paragraphs(value: Any) -> list[Any]:
    """A value's paragraphs (split at blank lines), each on one line as :func:`_oneline`
    makes it: a quotation of several paragraphs is printed as several (each opens with a
    quotation mark, only the last closes, as AP style has it)."""
    if value is None or isinstance(value, Placeholder):
        return [value]
    parts = [_oneline(part) for part in re.split(r"\n\s*\n", str(value))]
    return [part for part in parts if part] or [""]


def _said(value: Any) -> Any:
    """A quotation before "said …": "We are ready," said … — no comma after a question or
    an exclamation ("Are we ready?" said …), and no full stop before the comma."""
    if value is None or isinstance(value, Placeholder):
        return f"{value}," if value is not None else value
    text = str(value).rstrip()
    if text.endswith(("?", "!", "…", "?”", "!”")):
        return text
    return text.rstrip(".,;: ") + ","


def _nodot(value: Any) -> Any:
    """Drop one full stop at the end, where the template adds its own ("Jr." + "." -> "Jr.")."""
    if value is None or isinstance(value, Placeholder):
        return value
    text = str(value).rstrip()
    return text[:-1] if text.endswith(".") and not text.endswith("..") else text


#: titles kept before a surname in a greeting ("Hi Dr. Lee,")
_TITLES = frozenset(("dr", "mr", "mrs", "ms", "mx", "prof", "professor", "rev", "sen",
                     "rep", "senator", "representative", "superintendent"))


def _greeting_name(value: Any) -> Any:
    """The name a greeting uses: the first name ("Sam Ortiz" -> "Sam"), or a title and the
    surname ("Dr. Ana Lee" -> "Dr. Lee"); one word, a placeholder or nothing as it is."""
    if value is None or isinstance(value, Placeholder):
        return value
    words = str(value).split()
    if len(words) < 2:
        return str(value).strip()
    if words[0].rstrip(".").lower() in _TITLES:
        return f"{words[0]} {words[-1]}"
    return words[0]


#: a web address or e-mail address that can be a Markdown autolink as it stands: no spaces,
#: angle brackets, quotes or backslashes (a template's url and email fields are checked
#: for their shape before they get here)
_AUTOLINK_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"\\`]+\Z", re.IGNORECASE)
_AUTOLINK_EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*"
                             r"[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+\Z")


def _link(value: Any) -> Any:
    """A web or e-mail address as a link (clickable in the HTML and Word exports); anything
    else (a placeholder, text of another shape) is left to be shown as typed."""
    if value is None or isinstance(value, Placeholder):
        return value
    text = str(value).strip()
    if _AUTOLINK_EMAIL.match(text):
        return MdSafe(f"<{text}>")
    if _AUTOLINK_URL.match(text):
        if text.lower().startswith("www."):
            return MdSafe(f"[{md_escape(text)}](<https://{text}>)")
        return MdSafe(f"<{text}>")
    return value


FILTERS = {
    "greeting_name": _greeting_name,
    "link": _link,
    "said": _said,
    "nodot": _nodot,
    "longdate": _longdate,
    "oneline": _oneline,
    "paragraphs": _paragraphs,
    "number": _number,
    "words": _words,
    "chars": _chars,
}

__all__ = ["MdSafe", "Output", "Placeholder", "make_environment", "md_escape"]
