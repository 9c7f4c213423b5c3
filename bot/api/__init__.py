"""The HTTP API and web workspace (FastAPI). Start with :func:`create_app`."""

from __future__ import annotations

from bot.api.app import EXTENSIONS, create_app, register_extension
from bot.api.auth import make_login_link

__all__ = ["EXTENSIONS", "create_app", "make_login_link", "register_extension"]
