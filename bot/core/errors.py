"""The core's typed errors, importable by any interface (and by the store) at no cost."""

from __future__ import annotations

from typing import Any


class DraftConflict(Exception):
    """A draft was saved elsewhere after ``base_version``: nothing was overwritten.
    ``current`` is the draft as saved now. The store's ``StaleVersion`` is one; the API
    answers it with 409, Slack with a "saved elsewhere" view."""

    current: Any
    base_version: int


__all__ = ["DraftConflict"]
