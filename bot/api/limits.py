"""A pure ASGI middleware that refuses request bodies over the size limit with 413.

It checks the declared ``Content-Length`` first and also counts the bytes actually
received, so chunked bodies without a length cannot slip past.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.api.errors import BodyTooLarge, body_too_large_message, error_body


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def _reply(self, send: Send, status: int, message: str) -> None:
        payload = json.dumps(error_body(message)).encode("utf-8")
        await send({
            "type": "http.response.start", "status": status,
            "headers": [(b"content-type", b"application/json"),
                        (b"content-length", str(len(payload)).encode()),
                        (b"connection", b"close")],
        })
        await send({"type": "http.response.body", "body": payload})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = None
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await self._reply(send, 400, "The Content-Length header is not a number.")
                    return
        path = str(scope.get("path", ""))
        if declared is not None and declared > self.max_bytes:
            await self._reply(send, 413, body_too_large_message(self.max_bytes, path))
            return

        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes, path)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await self._reply(send, 413, body_too_large_message(self.max_bytes, path))

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"BodyLimitMiddleware(max_bytes={self.max_bytes!r})"


__all__: list[Any] = ["BodyLimitMiddleware"]
