"""One APIRouter per resource, assembled here (the only place routes are registered)."""

from __future__ import annotations

from fastapi import APIRouter

from bot.api.routes import ask, check, check_docx, content, drafts, health, pages, templates

#: every router of the app, in the order they appear in /docs
ROUTERS: list[APIRouter] = [
    ask.router,
    check.router,
    check_docx.router,
    content.router,
    templates.router,
    drafts.router,
    health.router,
    pages.router,
]
