"""The JSON of a check report, written without building the response models.

``POST /api/check`` answers with :class:`bot.api.schemas.CheckOut`. Building those
models for every flag and then validating and serialising them again took about a sixth
of a 300-word check's time; :func:`check_json` writes the same JSON straight from the
checker's report (``Report.to_dict()``): every field the models declare, with their
defaults, and each source's ``citation``. ``tests/test_api_check_json.py`` holds it to
the models' output. A value the short cut does not expect falls back to the
models. The JSON is written by orjson (as compact as pydantic's, NaN as ``null`` like
pydantic's).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import orjson


@lru_cache(maxsize=4096)
def _citation(source_id: str, title: str | None, author: str | None, year: int | None) -> str:
    from toolkit.words import cite

    return cite({"id": source_id, "title": title, "author": author, "year": year})


def _source(source: Any) -> dict[str, Any]:
    out = dict(source)
    source_id = out["id"]
    title = out.setdefault("title", None)
    author = out.setdefault("author", None)
    year = out.setdefault("year", None)
    if not (isinstance(source_id, str) and isinstance(title, str | None)
            and isinstance(author, str | None) and (year is None or type(year) is int)):
        raise _Unusual
    out["citation"] = _citation(source_id, title, author, year)
    return out


def _suggestion(suggestion: Any) -> dict[str, Any]:
    out = dict(suggestion)
    out.setdefault("kind", "advice")
    return out


def _flag(flag: dict[str, Any]) -> dict[str, Any]:
    out = dict(flag)
    out.setdefault("line", None)
    out.setdefault("column", None)
    out["suggestions"] = [_suggestion(s) for s in out.get("suggestions") or ()]
    out.setdefault("finding", None)
    out["sources"] = [_source(s) for s in out.get("sources") or ()]
    out.setdefault("quoted", False)
    return out


class _Unusual(Exception):
    """A value the short cut does not handle: the models write it."""


def check_document(report: dict[str, Any]) -> dict[str, Any]:
    """``CheckOut(**report)`` as plain JSON-ready data."""
    out = dict(report)
    out["flags"] = [_flag(f) for f in report.get("flags") or ()]
    out["quoted"] = [_flag(f) for f in report.get("quoted") or ()]
    out.setdefault("readability", None)
    out.setdefault("audience", None)
    return out


def check_json(report: dict[str, Any]) -> bytes:
    """The body of ``POST /api/check``'s answer for a report (``Report.to_dict()``)."""
    try:
        return orjson.dumps(check_document(report))
    except (_Unusual, TypeError, KeyError):  # orjson.JSONEncodeError is a TypeError
        from bot.api.schemas import CheckOut

        return CheckOut(**report).model_dump_json().encode("utf-8")
