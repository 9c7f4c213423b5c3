"""The drafts store: the only stateful part of mastery-comms.

It keeps

* **drafts** — a template id, optional state profile, the form data, an owner and a
  version number, with every saved version kept in ``draft_versions`` so that earlier
  versions can be listed and restored;
* **users and API tokens** — tokens are 32 random bytes shown once; only their SHA-256
  is stored (a fast hash is right for high-entropy secrets);
* **the unanswered-question log** — questions the FAQ could not answer, or whose answer
  was marked unhelpful, from the web page, Slack or the CLI;
* **Slack's short-lived state**, shared by every app instance on the database: the
  ``event_id`` of each Slack event already taken (so a retry that lands on another
  instance is not answered twice) and the text behind each "Check wording" report (so
  picking an audience re-checks it on any instance, after a restart too). Both expire
  and are pruned.

Owners are plain strings: ``"local"`` for the single-user local tool, ``"user:NAME"``
for token users, ``"slack:TEAM:USER"`` for Slack users. Every draft operation takes the
owner and treats another owner's draft exactly like a missing one.

The API is synchronous (plain SQLAlchemy sessions), usable from FastAPI's thread pool,
Slack listeners and the CLI alike. Updates use compare-and-swap on the version, so two
app instances sharing PostgreSQL can never overwrite each other's work silently.

The store is one class, :class:`DraftStore`, assembled from one module per concern:
:mod:`bot.store.drafts`, :mod:`bot.store.users` (users and tokens),
:mod:`bot.store.questions` (the question log) and :mod:`bot.store.slack_state`, on the
connection of :mod:`bot.store.base`; the tables are in :mod:`bot.store.schema`. Import
what you need from ``bot.store``.
"""

from __future__ import annotations

from bot.store.base import StoreBase, WriteLock
from bot.store.common import (
    CHANNELS,
    CHECK_TEXT_KEEP,
    EVENT_ID_MAX,
    LOCAL_OWNER,
    MAX_DRAFT_BYTES,
    MAX_DRAFT_FIELDS,
    MAX_DRAFT_VERSIONS,
    MAX_VERSION,
    ROLES,
    SLACK_EVENT_KEEP,
    TITLE_MAX,
    USER_NAME_RE,
    InvalidInput,
    StoreError,
    hash_token,
    new_token,
    utcnow,
)
from bot.store.drafts import (
    Draft,
    DraftInfo,
    DraftNotFound,
    DraftsMixin,
    DraftTooLarge,
    DraftVersion,
    StaleVersion,
    VersionNotFound,
)
from bot.store.questions import QuestionLogMixin, UnansweredQuestion
from bot.store.schema import (
    Base,
    CheckTextRow,
    DraftRow,
    DraftVersionRow,
    SlackEventRow,
    TokenRow,
    UnansweredRow,
    UserRow,
)
from bot.store.slack_state import SlackStateMixin
from bot.store.users import TokenInfo, User, UserExists, UsersMixin


class DraftStore(DraftsMixin, UsersMixin, QuestionLogMixin, SlackStateMixin):
    """Drafts, users and tokens, the unanswered-question log and Slack's shared state, in
    one SQL database (``DraftStore.open(url)``)."""


__all__ = [
    "CHANNELS", "CHECK_TEXT_KEEP", "EVENT_ID_MAX", "LOCAL_OWNER", "MAX_DRAFT_BYTES",
    "MAX_DRAFT_FIELDS", "MAX_DRAFT_VERSIONS", "MAX_VERSION", "ROLES", "SLACK_EVENT_KEEP",
    "TITLE_MAX", "USER_NAME_RE", "Base", "CheckTextRow", "Draft", "DraftInfo",
    "DraftNotFound", "DraftRow", "DraftStore", "DraftTooLarge", "DraftVersion",
    "DraftVersionRow", "InvalidInput", "SlackEventRow", "StaleVersion", "StoreBase",
    "StoreError", "TokenInfo", "TokenRow", "UnansweredQuestion", "UnansweredRow", "User",
    "UserExists", "UserRow", "VersionNotFound", "WriteLock", "hash_token", "new_token",
    "utcnow",
]
