"""uvicorn's HTTP protocols with a deadline for a request's headers (slow-header attacks).

uvicorn closes idle keep-alive connections but has no limit on how long a client may take
to send a request's headers: a client sending one byte every few seconds holds the
connection (and its memory) forever. These subclasses start a timer when a connection
opens and after every response; if the request line and headers have not all arrived
when it fires, the client gets ``408 Request Timeout`` and the connection is closed.

``mastery serve`` passes them to uvicorn as import strings (``bot.api.protocols:…``) so
that every worker process loads them; the deadline is ``Settings.header_timeout``.
"""

from __future__ import annotations

import asyncio
from functools import lru_cache
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

_BODY = b"The request headers did not arrive in time.\n"
TIMEOUT_RESPONSE = (b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8"
                    b"\r\nconnection: close\r\ncontent-length: " + str(len(_BODY)).encode()
                    + b"\r\n\r\n" + _BODY)


@lru_cache(maxsize=1)
def header_timeout() -> float:
    from bot.settings import Settings

    return Settings().header_timeout


class HeaderDeadline:
    """The timer; mixed into a uvicorn protocol class."""

    transport: asyncio.Transport
    loop: asyncio.AbstractEventLoop
    _header_timer: asyncio.TimerHandle | None = None

    def _arm_header_deadline(self) -> None:
        self._disarm_header_deadline()
        self._header_timer = self.loop.call_later(header_timeout(), self._headers_too_slow)

    def _disarm_header_deadline(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if not self.transport.is_closing():
            self.transport.write(TIMEOUT_RESPONSE)
            self.transport.close()


class GuardedH11Protocol(HeaderDeadline, H11Protocol):
    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        self._arm_header_deadline()

    def handle_events(self) -> None:
        super().handle_events()
        if self.conn.their_state is not h11.IDLE:  # the request's headers are in
            self._disarm_header_deadline()

    def on_response_complete(self) -> None:
        if not self.transport.is_closing():
            self._arm_header_deadline()  # for the next request on this connection
        super().on_response_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_header_deadline()
        super().connection_lost(exc)


try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # pragma: no cover - httptools not installed: h11 only
    GuardedHttpToolsProtocol: Any = None
else:
    class GuardedHttpToolsProtocol(HeaderDeadline, HttpToolsProtocol):  # type: ignore[no-redef]
        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            self._arm_header_deadline()

        def on_headers_complete(self) -> None:
            self._disarm_header_deadline()
            super().on_headers_complete()

        def on_response_complete(self) -> None:
            if not self.transport.is_closing():
                self._arm_header_deadline()
            super().on_response_complete()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm_header_deadline()
            super().connection_lost(exc)


def protocol_path() -> str:
    """The import string of the best protocol installed (httptools, else h11)."""
    if GuardedHttpToolsProtocol is not None:
        return "bot.api.protocols:GuardedHttpToolsProtocol"
    return "bot.api.protocols:GuardedH11Protocol"
