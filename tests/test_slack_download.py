"""Downloading a shared Word file reads it to the end: a file that arrives in pieces (a busy
machine or a slow network) is not cut short, and a file past the limit stops being read
just past it. A real HTTP server on loopback sends the pieces."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

from aiohttp import web

from bot.slack.listeners.files import download

BODY = bytes(range(256)) * 2000  # 512,000 bytes


async def _serve(pieces: int, pause: float) -> tuple[web.AppRunner, str]:
    async def handler(request: web.Request) -> web.StreamResponse:
        assert request.headers["Authorization"] == "Bearer xoxb-test"
        response = web.StreamResponse(headers={"Content-Type": "application/octet-stream"})
        await response.prepare(request)
        step = len(BODY) // pieces + 1
        for start in range(0, len(BODY), step):
            await response.write(BODY[start:start + step])
            await asyncio.sleep(pause)  # the next piece comes later
        await response.write_eof()
        return response

    app = web.Application()
    app.router.add_get("/files/doc.docx", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}/"


async def _download(limit: int) -> bytes:
    runner, base = await _serve(pieces=20, pause=0.02)
    try:
        client: Any = SimpleNamespace(base_url=base + "api/", token="xoxb-test")
        return await download(client, {"url_private_download": base + "files/doc.docx"}, limit)
    finally:
        await runner.cleanup()


def test_a_file_that_arrives_in_pieces_is_read_to_the_end() -> None:
    assert asyncio.run(_download(limit=10_000_000)) == BODY


def test_a_file_past_the_limit_stops_being_read_just_past_it() -> None:
    data = asyncio.run(_download(limit=100_000))
    assert 100_000 < len(data) < len(BODY)
    assert data == BODY[: len(data)]
