"""What every part of the store shares: limits, time, text cleaning, the errors' base."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets

LOCAL_OWNER = "local"
CHANNELS = ("web", "slack", "cli")
USER_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
#: what a user may be: "editor" may also read the unanswered-question log
ROLES = ("user", "editor")
#: defaults of the per-draft limits (settings: max_draft_bytes, max_draft_fields,
#: max_draft_versions)
MAX_DRAFT_BYTES = 500_000
MAX_DRAFT_FIELDS = 2_000
MAX_DRAFT_VERSIONS = 50
TITLE_MAX = 200
#: the largest version number a column holds (INTEGER is 32-bit on PostgreSQL); a larger
#: one cannot exist, and binding it would fail in the driver instead of finding nothing
MAX_VERSION = 2**31 - 1
#: longest Slack ``event_id`` stored as is (Slack's are ~10 characters; longer ones are hashed)
EVENT_ID_MAX = 100
#: how long a handled Slack event is remembered (Slack retries within minutes)
SLACK_EVENT_KEEP = dt.timedelta(days=1)
#: how long the text of a "Check wording" report can be re-checked for an audience
CHECK_TEXT_KEEP = dt.timedelta(days=7)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def aware(value: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return "mst_" + secrets.token_urlsafe(32)


def clean_text(value: str) -> str:
    """Text every database accepts (and JSON can carry): no NUL characters, no broken
    surrogates. The API's models clean what they receive with it too."""
    if "\x00" in value:
        value = value.replace("\x00", "")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return value



class StoreError(Exception):
    """Base of the store's errors; the message is written for the person using the tool."""


class InvalidInput(StoreError):
    pass
