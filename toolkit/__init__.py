"""The communications toolkit: content (YAML, Jinja2 templates, state profiles) and its loader.

The loader's names are imported on first use, so that the light modules of this package
(``toolkit.layout``, ``toolkit.names``, ``toolkit.words``) can be imported without loading
pydantic and the models — the checker's cache reads ``toolkit.layout`` at start-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from toolkit.loader import (
        Problem,
        Toolkit,
        ToolkitError,
        default_toolkit_path,
        load_toolkit,
        validate_toolkit,
    )

__all__ = [
    "Problem",
    "Toolkit",
    "ToolkitError",
    "default_toolkit_path",
    "load_toolkit",
    "validate_toolkit",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from toolkit import loader

        return getattr(loader, name)
    raise AttributeError(f"module 'toolkit' has no attribute {name!r}")
