"""Where the five seed documents are: ``MASTERY_SEEDS_DIR``, or ``shared/seeds`` in a folder
above the checkout (``../shared/seeds`` in the project's workspace). Tests that need them skip
with a reason when they are not on the machine."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def find_seeds() -> Path | None:
    env = os.environ.get("MASTERY_SEEDS_DIR")
    if env:
        return Path(env)
    for parent in ROOT.parents:
        candidate = parent / "shared" / "seeds"
        if candidate.is_dir():
            return candidate
    return None
