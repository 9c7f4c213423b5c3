"""The start-up-critical part of the settings, readable without importing pydantic.

``mastery check`` must start faster than a whole ``proselint`` process; building
:class:`bot.settings.Settings` imports pydantic-settings (~0.2 s), and the only
setting the check and ask commands need is the toolkit folder. This module reads
that one variable with the same meaning as ``Settings.toolkit``; everything else
is read by ``Settings``.
"""

from __future__ import annotations

import os
from pathlib import Path

TOOLKIT_ENV = "MASTERY_TOOLKIT"


def toolkit_path_from_env() -> Path | None:
    """``MASTERY_TOOLKIT`` as a path; unset or blank means the shipped toolkit."""
    value = os.environ.get(TOOLKIT_ENV, "").strip()
    return Path(value) if value else None
