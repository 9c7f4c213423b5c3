"""The Slack bot: one bolt ``AsyncApp`` served over HTTP (inside ``mastery serve``) or
Socket Mode (``mastery slack``). See :mod:`bot.slack.app`."""

from __future__ import annotations

from bot.slack.app import SLACK_EVENTS_PATH, SlackNotConfigured, build_app, missing_settings
from bot.slack.http import slack_router

__all__ = [
    "SLACK_EVENTS_PATH",
    "SlackNotConfigured",
    "build_app",
    "missing_settings",
    "slack_router",
]
