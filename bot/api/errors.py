"""Every error the API returns is JSON: ``{"error": {"message": ..., "path": ...}}``.

Messages are written for a communications person. Validation errors carry the field
path (``data.action_steps[2].timeline``); nothing ever answers with a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from bot import store as st

log = logging.getLogger("bot.api")


class ApiError(Exception):
    """An error with an HTTP status and a message for the person using the tool."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        path: str | None = None,
        details: list[dict[str, Any]] | None = None,
        extra: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.path = path
        self.details = details
        self.extra = extra or {}
        self.headers = headers


class BodyTooLarge(StarletteHTTPException):
    def __init__(self, limit: int, path: str = "") -> None:
        super().__init__(413, body_too_large_message(limit, path))


def body_too_large_message(limit: int, path: str = "") -> str:
    if path.endswith("/docx"):
        # a Word file is mostly its pictures: splitting the text is not the way out
        return (
            f"The Word file is too large: the limit is {limit:,} bytes. Pictures make Word "
            "files large: check a copy saved without them, check the file with `mastery check "
            "FILE.docx` (up to 25 MB), or ask the administrator to raise "
            "MASTERY_MAX_BODY_BYTES."
        )
    return (
        f"The request is too large: the limit is {limit:,} bytes. Split the text into "
        "smaller parts, or ask the administrator to raise MASTERY_MAX_BODY_BYTES."
    )


def error_body(
    message: str,
    path: str | None = None,
    details: list[dict[str, Any]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    error: dict[str, Any] = {"message": message}
    if path:
        error["path"] = path
    if details:
        error["details"] = details
    error.update(extra)
    return {"error": error}


def error_response(
    status: int, message: str, path: str | None = None, **extra: Any
) -> JSONResponse:
    return JSONResponse(error_body(message, path, **extra), status_code=status)


def format_path(loc: Sequence[Any]) -> str:
    """('body', 'data', 'steps', 2, 'when') -> 'data.steps[2].when'."""
    parts = list(loc)
    if parts and parts[0] in {"body", "query", "path", "header", "cookie"}:
        parts = parts[1:]
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


BODY_NOT_OBJECT = "The request body must be a JSON object."

_PLAIN = {
    "missing": "is required",
    "string_type": "must be text",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "dict_type": "must be an object (field names and values)",
    "model_type": "must be an object (field names and values)",
    "list_type": "must be a list",
    "extra_forbidden": "is not a field this request accepts (check the spelling)",
    "string_unicode": "contains characters that could not be read (broken Unicode); "
                      "paste the text again",
    "float_parsing": "must be a number",
    "int_from_float": "must be a whole number",
}


def _describe(error: dict[str, Any]) -> dict[str, Any]:
    kind = error.get("type", "")
    where = format_path(error.get("loc", ()))
    if kind == "json_invalid":
        pos = error.get("loc", (None, None))[-1]
        reason = (error.get("ctx") or {}).get("error", "")
        return {"path": None, "message": f"The request body is not valid JSON ({reason} at "
                                         f"character {pos}). Check quotes, commas and brackets."}
    if kind == "literal_error":
        expected = (error.get("ctx") or {}).get("expected", "")
        message = f"must be one of {expected}"
    elif kind == "string_too_long":
        limit = (error.get("ctx") or {}).get("max_length")
        message = f"is too long (at most {limit:,} characters)" if limit else "is too long"
    elif kind in {"greater_than_equal", "less_than_equal"}:
        ctx = error.get("ctx") or {}
        bound = ctx.get("ge", ctx.get("le"))
        message = (f"must be at least {bound}" if kind == "greater_than_equal" else
                   f"must be at most {bound:,}" if isinstance(bound, int) else
                   f"must be at most {bound}")
    elif kind == "string_too_short":
        limit = (error.get("ctx") or {}).get("min_length")
        message = ("must not be empty" if limit == 1 else
                   f"is too short (at least {limit:,} characters)" if limit else "is too short")
    elif kind == "string_pattern_mismatch":
        message = "contains characters that are not allowed here"
    else:
        message = _PLAIN.get(kind) or str(error.get("msg", "is not valid")).removeprefix(
            "Value error, "
        )
    if where == "" and kind in {"model_attributes_type", "dict_type", "model_type"}:
        return {"path": None, "message": BODY_NOT_OBJECT}
    if where == "" and kind == "missing":
        return {"path": None, "message": "The request needs a JSON body."}
    return {"path": where or None, "message": f"'{where}' {message}" if where else message}


async def _validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    details = [_describe(e) for e in exc.errors()]
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    status = 422
    if kind != "application/json" and not kind.endswith("+json"):
        # the body was not even read as JSON: say so, not "must be a JSON object", with
        # 415 Unsupported Media Type (the body's type, not its content, is the problem)
        for detail in details:
            if detail["path"] is None and detail["message"] == BODY_NOT_OBJECT:
                sent = f"not {kind!r}" if kind else "it had none"
                detail["message"] = ("The request body must be JSON, sent with 'Content-Type: "
                                     f"application/json' ({sent}).")
                status = 415
    first = details[0] if details else {"message": "The request is not valid.", "path": None}
    message = str(first["message"])
    if len(details) > 1:
        message += f" (and {len(details) - 1} more problem{'s' if len(details) > 2 else ''})"
    return JSONResponse(error_body(message, first.get("path"), details), status_code=status)


_STATUS_MESSAGES = {
    400: "The request could not be read.",
    401: "Please sign in.",
    403: "You are not allowed to do that.",
    404: "There is nothing at this address.",
    405: "This address does not accept that kind of request.",
    413: "The request is too large.",
}


async def _http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 404:
        from bot.api.routes.pages import not_found_page, wants_html

        if wants_html(request):  # a person in a browser: a page with a way back
            return not_found_page()
    message = exc.detail if isinstance(exc.detail, str) else None
    if not message or message in {"Not Found", "Method Not Allowed"}:
        message = _STATUS_MESSAGES.get(exc.status_code, "The request could not be handled.")
    if message == "There was an error parsing the body":
        message = _unreadable_body(exc.__cause__)
    headers = dict(getattr(exc, "headers", None) or {})
    if exc.status_code == 405:
        headers["Allow"] = ", ".join(_allowed_methods(request)) or headers.get("Allow", "")
    return JSONResponse(error_body(message), status_code=exc.status_code,
                        headers=headers or None)


def _unreadable_body(cause: BaseException | None) -> str:
    """Why the JSON body could not be parsed, in words (FastAPI only says 'error')."""
    if isinstance(cause, RecursionError):
        return ("The request body is nested too deeply (lists or objects inside each other "
                "hundreds of times). Send flatter JSON.")
    if isinstance(cause, ValueError) and "digits" in str(cause):
        return ("The request body holds a number with thousands of digits. Send numbers "
                "of ordinary size (or send long digit runs as text).")
    return "The request body could not be read: send JSON encoded as UTF-8."


def _allowed_methods(request: Request) -> list[str]:
    """Every method the address accepts. Starlette's 405 names only the methods of the
    first route that matched the path, while GET and POST of one address are two routes;
    so ask each route whether it would take the request with each method."""
    from starlette.routing import Match

    routes = request.app.router.routes
    return [
        method for method in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
        if any(route.matches({**request.scope, "method": method})[0] is Match.FULL
               for route in routes)
    ]


async def _api(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return JSONResponse(
        error_body(exc.message, exc.path, exc.details, **exc.extra),
        status_code=exc.status, headers=exc.headers,
    )


async def _store(request: Request, exc: Exception) -> JSONResponse:
    if isinstance(exc, st.StaleVersion):
        from bot.api.schemas import draft_out

        return JSONResponse(
            error_body(str(exc), "base_version", current_version=exc.current.version,
                       current=draft_out(exc.current).model_dump(mode="json")),
            status_code=409,
        )
    if isinstance(exc, st.DraftNotFound | st.VersionNotFound):
        return error_response(404, str(exc))
    if isinstance(exc, st.UserExists):
        return error_response(409, str(exc))
    if isinstance(exc, st.DraftTooLarge):
        return error_response(413, str(exc))
    return error_response(422, str(exc))


#: where an unknown name was given, by kind (the JSON field of the request body)
_NAME_FIELDS = {"entry": "id"}


async def _unknown_name(request: Request, exc: Exception) -> JSONResponse:
    """toolkit.names.UnknownName: 404 for a name in the address, else 422 — the same
    sentence (with "did you mean") as the CLI and Slack."""
    from toolkit.names import UnknownName

    assert isinstance(exc, UnknownName)
    in_address = exc.name in {str(v) for v in request.path_params.values()}
    return error_response(404 if in_address else 422, str(exc),
                          None if in_address else _NAME_FIELDS.get(exc.kind, exc.kind),
                          did_you_mean=exc.suggestion, known=list(exc.known))


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return error_response(
        500, "Something went wrong on our side; nothing was changed. Please try again, "
        "and tell the administrator if it keeps happening."
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(ApiError, _api)
    app.add_exception_handler(st.StoreError, _store)
    from toolkit.names import UnknownName

    app.add_exception_handler(UnknownName, _unknown_name)
    app.add_exception_handler(Exception, _unexpected)
