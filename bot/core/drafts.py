"""The draft workflow's shared rules, used by the web API and the Slack app alike."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from toolkit.models import Template

#: the longest draft title kept
MAX_TITLE = 200


def draft_title(template: Template, data: Mapping[str, Any]) -> str:
    """How every interface names a draft: the template's title, then the value of the
    field the template declares as its ``title_field`` (``Press release: Cedar Valley…``)."""
    value = data.get(template.title_field) if template.title_field else None
    if isinstance(value, str) and value.strip():
        return f"{template.title}: {' '.join(value.split())}"[:MAX_TITLE]
    return template.title[:MAX_TITLE]


__all__ = ["MAX_TITLE", "draft_title"]
