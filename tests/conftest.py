"""Fixtures shared by every test module. Keep module-specific fixtures in their own modules."""

from __future__ import annotations

import pytest

from toolkit import Toolkit, load_toolkit


@pytest.fixture(scope="session")
def toolkit() -> Toolkit:
    """The shipped toolkit, loaded and validated once per test run."""
    return load_toolkit()
