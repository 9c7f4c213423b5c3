"""Safe YAML reading that remembers line numbers and refuses duplicate keys.

Every mapping is returned as a :class:`LineDict` that knows the line it
started on and the line of each key, so a validation error deep inside a
file can be reported as ``file:line: message``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

try:  # libyaml's parser is several times faster; the constructor stays in Python
    from yaml import CSafeLoader as _BaseSafe
except ImportError:  # pragma: no cover - PyYAML wheels ship libyaml
    from yaml import SafeLoader as _BaseSafe  # type: ignore[assignment]


class LineDict(dict[Any, Any]):
    """A dict that remembers where it (and each of its keys) was in the file."""

    line: int = 0
    key_lines: dict[Any, int]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.key_lines = {}


class LineList(list[Any]):
    line: int = 0
    item_lines: list[int]

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.item_lines = []


class YamlProblem(Exception):
    """A file that cannot be read as YAML, with the line it failed on."""

    def __init__(self, file: str, line: int, message: str) -> None:
        super().__init__(f"{file}:{line}: {message}")
        self.file = file
        self.line = line
        self.message = message


def _construct_mapping(loader: Any, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "a key here is not a plain value", key_node.start_mark
            ) from None
        if key in result:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"duplicate key {key!r} (first given on line {result.key_lines[key]})",
                key_node.start_mark,
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: Any, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


def _construct_str(loader: Any, node: yaml.ScalarNode) -> str:
    return str(loader.construct_scalar(node))


class ContentLoader(_BaseSafe):  # type: ignore[misc,valid-type]
    """Safe loader for toolkit content: YAML 1.1 scalars, line numbers, no duplicates."""


ContentLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
ContentLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


class TextLoader(ContentLoader):
    """Like :class:`ContentLoader`, but every scalar stays text.

    Used for user data files, where ``NO`` must stay the text "NO" and
    ``01234`` the text "01234"; values are converted later by field type.
    """


for _tag in ("bool", "int", "float", "null", "timestamp"):
    TextLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _construct_str)


def load_yaml(source: str | bytes, file: str, *, text_only: bool = False) -> Any:
    """Parse ``source``; raise :class:`YamlProblem` with a line number on failure."""
    if isinstance(source, bytes):
        try:
            source = source.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise YamlProblem(file, 1, f"the file is not UTF-8 text ({exc.reason})") from None
    loader_class = TextLoader if text_only else ContentLoader
    try:
        return yaml.load(source, Loader=loader_class)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        what = exc.problem or str(exc)
        if exc.context and exc.context not in what:
            what = f"{exc.context}: {what}"
        if "mapping values are not allowed" in what:
            # "headline: Story idea: seniors …": a value with ": " in it needs quotes
            what += ('; a value that contains ": " must be in quotes, e.g. '
                     'headline: "Story idea: seniors show what they know"')
        raise YamlProblem(file, line, f"this is not valid YAML: {what}") from None
    except yaml.YAMLError as exc:
        raise YamlProblem(file, 1, f"this is not valid YAML: {exc}") from None


def load_yaml_file(path: Path, *, text_only: bool = False, display: str | None = None) -> Any:
    name = display or str(path)
    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        raise YamlProblem(name, 1, "this is a folder, not a file") from None
    except FileNotFoundError:
        raise YamlProblem(name, 1, "file not found") from None
    except OSError as exc:
        raise YamlProblem(name, 1, f"cannot read the file: {exc.strerror}") from None
    return load_yaml(raw, name, text_only=text_only)


def descend(data: Any, path: tuple[Any, ...]) -> tuple[Any, int | None, bool]:
    """Follow ``path`` (keys and list indexes) into ``data``.

    Returns the node reached, the line of the last step taken (None if none was)
    and whether the whole path was followed.
    """
    node, line = data, None
    for part in path:
        if isinstance(node, LineDict) and part in node:
            line = node.key_lines.get(part, line)
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            line = node.item_lines[part]
            node = node[part]
        else:
            return node, line, False
    return node, line, True


def line_of(data: Any, loc: tuple[Any, ...]) -> int:
    """The best line number for a pydantic error location inside ``data``."""
    _, line, _ = descend(data, loc)
    return line or getattr(data, "line", 1) or 1
