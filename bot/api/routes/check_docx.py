"""Check a Word document (.docx) uploaded as a file; get a JSON report or the annotated copy."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response

from bot.api.deps import OwnerDep, ServicesDep
from bot.api.errors import ApiError
from bot.api.routes.ask import _audience_id
from bot.api.routes.common import attachment
from bot.api.schemas import ERROR_RESPONSES, TOO_LARGE, CheckOut, ErrorOut, FlagOut, Out


class LocationOut(Out):
    part: str  # body | header | footer | footnote | endnote
    paragraph: int  # 1-based, every paragraph of that part counted (table cells too)
    table: int | None = None
    row: int | None = None
    cell: int | None = None
    style: str | None = None
    heading: bool = False
    section: str | None = None  # the nearest heading above it (body)
    start: int
    end: int
    excerpt: str


class DocxFlagOut(FlagOut):
    location: LocationOut


class CheckDocxOut(CheckOut):
    flags: list[DocxFlagOut] = []  # type: ignore[assignment]
    quoted: list[DocxFlagOut] = []  # type: ignore[assignment]
    counts: dict[str, int] = {}
    paragraphs: int = 0
    filename: str | None = None


router = APIRouter(prefix="/api", tags=["check"], responses={**ERROR_RESPONSES, **TOO_LARGE})

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FIELDS = {"file", "audience", "annotate", "track_changes"}
#: DocxProblem.kind -> HTTP status
STATUS = {"unsupported": 415, "too_large": 413, "damaged": 422, "empty": 422}


@router.post(
    "/check/docx",
    response_model=CheckDocxOut,
    summary="Check a Word document (.docx); JSON findings by paragraph, or the annotated copy",
    description=(
        "Upload the document as multipart form field `file`. Every finding carries a "
        "`location` (paragraph number, table cell, excerpt; `start`/`end` are offsets into "
        "that paragraph's text). With `annotate=true` the answer is the document itself "
        "with a Word comment on each finding (author \"mastery-comms\"); `track_changes=true` "
        "also writes each replacement suggestion as a tracked change. Nothing else in the "
        "document changes. Old .doc files, password-protected, macro-enabled (.docm), "
        "damaged and oversized files are refused with a message saying so."
    ),
    responses={
        200: {"content": {DOCX_MEDIA_TYPE: {}},
              "description": "The report (JSON), or with annotate=true the annotated .docx"},
        415: {"model": ErrorOut, "description": "Not a .docx: an old .doc, a password-protected "
                                                "or macro-enabled file, a workbook…"},
    },
)
async def check_docx(
    request: Request,
    file: Annotated[UploadFile, File(description="The Word document (.docx)")],
    services: ServicesDep,
    _owner: OwnerDep,
    audience: Annotated[str | None, Form(max_length=80,
                                         description="Who will read it")] = None,
    annotate: Annotated[bool, Form(description="Answer with the annotated .docx")] = False,
    track_changes: Annotated[bool, Form(
        description="With annotate: replacements as tracked changes")] = False,
) -> Any:
    import anyio.to_thread

    from messaging.docx_reader import MAX_DOCX_BYTES

    unknown = sorted(set((await request.form()).keys()) - FIELDS)
    if unknown:
        raise ApiError(422, f"Unknown form field {unknown[0]!r}; send {', '.join(sorted(FIELDS))}.",
                       path=unknown[0])
    if track_changes and not annotate:
        # as the CLI says: the changes go into the annotated copy, which was not asked for
        raise ApiError(422, "track_changes=true needs annotate=true (the changes are written "
                       "into the annotated copy).", path="track_changes")
    aud = _audience_id(services, audience)
    data = await file.read(MAX_DOCX_BYTES + 1)
    return await anyio.to_thread.run_sync(
        _answer, services, data, file.filename, aud, annotate, track_changes)


def _answer(services: Any, data: bytes, filename: str | None, aud: str | None,
            annotate: bool, track_changes: bool) -> Any:
    from messaging.docx_reader import DocxProblem
    from messaging.docx_reader import check_docx as check

    try:
        report = check(services.checker(), data, audience=aud)
        if not annotate:
            return CheckDocxOut(filename=filename, **report.to_dict())
        from messaging.docx_annotate import annotate as write_back

        document = write_back(report, track_changes=track_changes)
    except DocxProblem as exc:
        raise ApiError(STATUS.get(exc.kind, 422), _sentence(str(exc)), path="file") from None
    stem = (filename or "document").rsplit(".", 1)[0]
    counts = report.counts()
    return Response(
        document,
        media_type=DOCX_MEDIA_TYPE,
        headers={
            "Content-Disposition": attachment(stem, "-checked.docx"),
            "X-Mastery-Findings": str(len(report.findings)),
            "X-Mastery-Counts": ",".join(f"{k}={v}" for k, v in counts.items()),
        },
    )


def _sentence(message: str) -> str:
    """'the document is damaged' -> 'The document is damaged.'"""
    message = message[:1].upper() + message[1:]
    return message if message.endswith((".", ")")) else message + "."
