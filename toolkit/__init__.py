"""The communications toolkit: content (YAML, Jinja2 templates, state profiles) and its loader."""

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
