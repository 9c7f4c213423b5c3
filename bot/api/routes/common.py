"""Small helpers shared by routes: source references, problems, drafting errors."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from bot.api.errors import ApiError
from bot.api.schemas import ProblemOut, SourceRef

if TYPE_CHECKING:
    from bot.api.services import Services
    from messaging.drafting import FieldProblem
    from toolkit import Toolkit

T = TypeVar("T")


def source_refs(tk: Toolkit, ids: Iterable[str]) -> list[SourceRef]:
    return [
        SourceRef(id=s.id, title=s.title, author=s.author, year=s.year) for s in tk.cite(ids)
    ]


def problem_out(problem: FieldProblem | dict[str, Any]) -> ProblemOut:
    if isinstance(problem, dict):
        return ProblemOut(**{k: v for k, v in problem.items() if v is not None})
    return ProblemOut(path=problem.path, label=problem.label, message=problem.message,
                      level=problem.level)


def check_template(tk: Toolkit, template: str, profile: str | None) -> None:
    """Unknown names raise toolkit.names.UnknownName: one handler, one sentence."""
    from toolkit.names import require_profile, require_template

    require_template(tk, template)
    if profile is not None:
        require_profile(tk, profile)


def drafting_call(services: Services, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call a drafting function; its DraftingError becomes a 422 with the field paths."""
    from messaging.drafting import DraftingError

    try:
        return fn(*args, **kwargs)
    except DraftingError as exc:
        problems = [problem_out(p) for p in exc.problems]
        errors = [p for p in problems if p.level == "error"] or problems
        first = errors[0] if errors else None
        message = (f"{first.label or first.path}: {first.message}" if first and
                   (first.label or first.path) else first.message if first else
                   str(exc.message or exc))
        if len(errors) > 1:
            message += f" (and {len(errors) - 1} more)"
        raise ApiError(
            422, message or "The document could not be made.",
            path=errors[0].path if errors else None,
            details=[p.model_dump(exclude_none=True) for p in problems],
        ) from exc


def safe_filename(name: str, default: str = "document") -> str:
    """An ASCII file name for a download; accented letters keep their base letter
    ("Señora Núñez" -> "Senora-Nunez"), anything else becomes "-"."""
    import unicodedata

    folded = "".join(c for c in unicodedata.normalize("NFKD", name)
                     if not unicodedata.combining(c))
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", folded.replace("..", ".")).strip(".-")
    return cleaned[:100] or default


def attachment(name: str, suffix: str) -> str:
    """A Content-Disposition header for downloading ``name`` + ``suffix``: an ASCII
    ``filename`` for old clients and, when the name has other letters ("Boletín de otoño"),
    the name itself as RFC 6266/5987 ``filename*``, which browsers prefer."""
    from urllib.parse import quote

    ascii_name = safe_filename(name) + suffix
    header = f'attachment; filename="{ascii_name}"'
    own = re.sub(r"[^\w.-]+", "-", name.replace("..", "."), flags=re.UNICODE).strip(".-_")[:100]
    if own and own + suffix != ascii_name:
        header += f"; filename*=UTF-8''{quote(own + suffix, safe='')}"
    return header


def to_dict(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    if hasattr(value, "to_dict"):
        result = value.to_dict()
        if isinstance(result, dict):
            return result
    from dataclasses import asdict, is_dataclass

    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    raise TypeError(f"cannot convert {type(value).__name__} to a dict")
