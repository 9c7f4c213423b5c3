"""The words every interface shares: no answer, out of scope, severity names, citations.

The CLI, Slack (``bot/slack/texts.py``), the web page (through its boot data,
:func:`for_web`) and the documents a template fills (their source notes) all take these
from here, so a person sees the same sentence and the same citation everywhere. It lives
in ``toolkit`` because the lowest layer is the one every other may import.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

#: Function words of languages other than English that families write in (Spanish above
#: all, then Portuguese, French, Vietnamese, Somali...), accent-free (compare :func:`fold`ed
#: words). Plain language data: the FAQ engine reads a question made mostly of these as not
#: English, and the checker does not score the readability of a text full of them.
_OTHER_LANGUAGE_TEXT = """
    el la los las un una unos unas del al que qué como cómo por para porque con sin es son
    está están esta este estos mi mis su sus tu hijo hija hijos niño niña niños escuela
    cuál cuando cuándo donde dónde quién puede pueden tiene tienen hay lo le les se muy
    pero más también sí o y en de no significa quiere decir ya
    o os um uma em meu minha seu sua filho filha escola não são está como quando onde
    le les des du un une mon ma mes est sont pour avec dans pas enfant école quoi
    co gi khong nhu nao cua toi con cho duoc
    sidee waa iyo ma maxay ardayda
"""
OTHER_LANGUAGE_WORDS: frozenset[str] = frozenset(
    unicodedata.normalize("NFKD", w).encode("ascii", "ignore").decode()
    for w in _OTHER_LANGUAGE_TEXT.split()
) - {"a", "i", "no", "on", "me", "son", "as", "us", "ma", "co"}


def fold(text: str) -> str:
    """Lower-case and strip accents (NFKD), so 'Café' and 'cafe' are one word."""
    if text.isascii():  # the common case: nothing to strip
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


#: the toolkit has nothing that matches the question
NO_ANSWER = "The toolkit has no answer for that yet."
#: ...when the question asks which states do something and no close entry names any
NO_LIST = "It does not list which states do that; the topics below are the closest."
#: ...said where the question was logged for the content editors (web page, Slack)
NOTED = "It has been noted for the content editors."
#: the question is about an everyday school matter the toolkit does not cover
OUT_OF_SCOPE = "That question is outside this toolkit, which covers mastery-based learning."
#: the question is in another language (the toolkit's answers are in English)
ENGLISH_ONLY = "I can answer in English only."
#: ...said in Spanish too, to a question written in the Latin alphabet (Spanish above all:
#: the families in the message testing included Spanish-speaking ones)
SPANISH_NOTE = "(Solo puedo responder en inglés.)"
#: the heading of the toolkit topics offered with the English-only reply
CLOSEST_IN_ENGLISH = "The closest topics, in English:"
#: ...with its Spanish words, to a question in the Latin alphabet
CLOSEST_SPANISH = "(temas cercanos, en inglés)"


def _latin(question: str | None) -> bool:
    """Whether the letters of ``question`` are mostly of the Latin alphabet (a Spanish
    question, not one in Arabic, Chinese or Russian)."""
    letters = [c for c in question or "" if c.isalpha()]
    latin = sum(1 for c in letters if c <= "\u024f")
    return bool(letters) and latin * 2 > len(letters)


def english_only(question: str | None) -> str:
    """The English-only reply to ``question``: with the Spanish note when its letters are
    mostly of the Latin alphabet (not to a question in Arabic, Chinese or Russian)."""
    return f"{ENGLISH_ONLY} {SPANISH_NOTE}" if _latin(question) else ENGLISH_ONLY


def closest_in_english(question: str | None) -> str:
    """The heading of the topics offered with the English-only reply: in Spanish too only to
    a question in the Latin alphabet, as :func:`english_only`."""
    if _latin(question):
        return f"{CLOSEST_IN_ENGLISH[:-1]} {CLOSEST_SPANISH}:"
    return CLOSEST_IN_ENGLISH


#: how a severity is named to a person
SEVERITY_NAMES: Mapping[str, str] = {
    "error": "Error",
    "warning": "Warning",
    "suggestion": "Suggestion",
}


def citation(title: str | None, author: str | None = None, year: int | str | None = None) -> str:
    """One citation format everywhere: ``Author, “Title” (Year)``; parts left out when
    unknown (``“Title” (Year)``, ``Author, “Title”``)."""
    text = f"\u201c{title}\u201d" if title else ""
    if author:
        text = f"{author}, {text}" if text else author
    return f"{text} ({year})" if year else text


def cite(source: Any) -> str:
    """:func:`citation` of a source: a toolkit ``Source`` or a mapping with ``title``,
    ``author``, ``year`` (and ``id``, used when there is no title)."""
    if isinstance(source, Mapping):
        title, author, year = (source.get("title") or source.get("id"), source.get("author"),
                               source.get("year"))
    else:
        title = getattr(source, "title", None) or getattr(source, "id", None)
        author, year = getattr(source, "author", None), getattr(source, "year", None)
    return citation(str(title) if title else None, author, year)


def for_web() -> dict[str, Any]:
    """The shared words for the web page's boot data."""
    return {
        "noAnswer": NO_ANSWER,
        "noted": NOTED,
        "noList": NO_LIST,
        "outOfScope": OUT_OF_SCOPE,
        "englishOnly": ENGLISH_ONLY,
        "spanishNote": SPANISH_NOTE,
        "closestInEnglish": CLOSEST_IN_ENGLISH,
        "closestSpanish": CLOSEST_SPANISH,
        "severityNames": dict(SEVERITY_NAMES),
    }


__all__ = ["CLOSEST_IN_ENGLISH", "CLOSEST_SPANISH", "ENGLISH_ONLY", "NOTED", "NO_ANSWER",
           "NO_LIST", "OUT_OF_SCOPE", "SEVERITY_NAMES", "SPANISH_NOTE", "citation", "cite",
           "closest_in_english", "english_only", "for_web"]
