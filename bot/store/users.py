"""Users, their API tokens and web sessions (only tokens' SHA-256 is stored)."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.store.base import StoreBase
from bot.store.common import (
    ROLES,
    USER_NAME_RE,
    InvalidInput,
    StoreError,
    aware,
    hash_token,
    new_token,
    utcnow,
)
from bot.store.schema import DraftRow, TokenRow, UserRow


@dataclass(frozen=True)
class User:
    id: int
    name: str
    created_at: dt.datetime
    role: str = "user"
    session_key: str = field(default="", compare=False, repr=False)

    @property
    def owner(self) -> str:
        return f"user:{self.name}"

    @property
    def is_editor(self) -> bool:
        return self.role == "editor"

    @classmethod
    def of(cls, row: UserRow) -> User:
        return cls(row.id, row.name, aware(row.created_at), row.role or "user",
                   row.session_key or "")


@dataclass(frozen=True)
class TokenInfo:
    """An API token as listed to its owner: never the token, only its last characters."""

    id: int
    hint: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None


class UserExists(StoreError):
    pass



class UsersMixin(StoreBase):
    def add_user(self, name: str, *, role: str = "user") -> tuple[User, str]:
        """Create a user and their first API token; the token is returned only here."""
        name = name.strip()
        if not USER_NAME_RE.match(name):
            raise InvalidInput(
                "A user name is 1–64 letters, digits, dots, dashes, underscores or @, "
                "starting with a letter or digit."
            )
        _check_role(role)
        token = new_token()
        now = utcnow()
        try:
            with self.session(write=True) as session:
                if session.scalars(select(UserRow).where(UserRow.name == name)).first():
                    raise UserExists(f"There is already a user called {name!r}.")
                row = UserRow(name=name, created_at=now, role=role,
                              session_key=secrets.token_hex(16))
                session.add(row)
                session.flush()
                session.add(_token_row(row.id, token, now))
                user = User.of(row)
        except IntegrityError as exc:
            raise UserExists(f"There is already a user called {name!r}.") from exc
        return user, token

    def _user_row(self, session: Session, name: str) -> UserRow:
        row = (session.scalars(select(UserRow).where(UserRow.name == name)).first()
               if USER_NAME_RE.match(name or "") else None)
        if row is None:
            raise InvalidInput(f"There is no user called {name!r}.")
        return row

    def new_token(self, name: str, *, keep: bool = False) -> str:
        """Issue a new token for an existing user. Unless ``keep``, it replaces every
        other token of theirs and signs them out of the web page everywhere (for a lost
        or leaked token)."""
        token = new_token()
        with self.session(write=True) as session:
            row = self._user_row(session, name)
            if not keep:
                session.execute(delete(TokenRow).where(TokenRow.user_id == row.id))
                row.session_key = secrets.token_hex(16)
            session.add(_token_row(row.id, token, utcnow()))
        return token

    def list_tokens(self, name: str) -> list[TokenInfo]:
        """The user's tokens, oldest first (their last characters only)."""
        with self.session() as session:
            row = self._user_row(session, name)
            rows = session.scalars(
                select(TokenRow).where(TokenRow.user_id == row.id).order_by(TokenRow.id))
            return [TokenInfo(id=t.id, hint=t.hint or "", created_at=aware(t.created_at),
                              last_used_at=aware(t.last_used_at) if t.last_used_at else None)
                    for t in rows]

    def revoke_token(self, name: str, token_id: int) -> None:
        """Revoke one of the user's tokens (by the id ``list_tokens`` shows)."""
        with self.session(write=True) as session:
            row = self._user_row(session, name)
            result = session.execute(
                delete(TokenRow).where(TokenRow.user_id == row.id, TokenRow.id == token_id))
            if not getattr(result, "rowcount", 0):
                raise InvalidInput(f"{name!r} has no token number {token_id}. List them with "
                                   f"`mastery users tokens {name}`.")

    def set_role(self, name: str, role: str) -> User:
        _check_role(role)
        with self.session(write=True) as session:
            row = self._user_row(session, name)
            row.role = role
            return User.of(row)

    def sign_out_everywhere(self, name: str) -> None:
        """End every web session of the user (their tokens keep working)."""
        with self.session(write=True) as session:
            self._user_row(session, name).session_key = secrets.token_hex(16)

    def remove_user(self, name: str) -> None:
        """Remove the user, their tokens and sessions for good. Their drafts stay in the
        database under ``removed:NAME:ID`` so that a new user given the same name later
        cannot open them."""
        with self.session(write=True) as session:
            row = self._user_row(session, name)
            session.execute(delete(TokenRow).where(TokenRow.user_id == row.id))
            session.execute(
                update(DraftRow).where(DraftRow.owner == f"user:{row.name}")
                .values(owner=f"removed:{row.name}:{secrets.token_hex(4)}")
                .execution_options(synchronize_session=False)
            )
            session.delete(row)

    def list_users(self) -> list[User]:
        with self.session() as session:
            rows = session.scalars(select(UserRow).order_by(UserRow.name))
            return [User.of(r) for r in rows]

    def get_user(self, name: str) -> User | None:
        if not USER_NAME_RE.match(name):
            return None
        with self.session() as session:
            row = session.scalars(select(UserRow).where(UserRow.name == name)).first()
            return User.of(row) if row else None

    def authenticate(self, token: str) -> User | None:
        """The user a token belongs to, or None. Constant work whatever the token."""
        if not token or len(token) > 200 or not token.isascii() or "\x00" in token:
            return None
        digest = hash_token(token)
        with self.session() as session:
            found = session.execute(
                select(TokenRow, UserRow)
                .join(UserRow, UserRow.id == TokenRow.user_id)
                .where(TokenRow.token_hash == digest)
            ).first()
            if found is None:
                return None
            token_row, user_row = found
            user = User.of(user_row)
            token_id, last = token_row.id, token_row.last_used_at
        now = utcnow()
        if last is None or now - aware(last) > dt.timedelta(minutes=5):
            # written apart from the read: on SQLite a reading transaction that starts to
            # write can fail at once ("database is locked") when another one wrote since
            with self.session(write=True) as session:
                session.execute(update(TokenRow).where(TokenRow.id == token_id)
                                .values(last_used_at=now)
                                .execution_options(synchronize_session=False))
        return user


def _token_row(user_id: int, token: str, now: dt.datetime) -> TokenRow:
    return TokenRow(user_id=user_id, token_hash=hash_token(token), created_at=now,
                    hint=token[-4:])


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise InvalidInput(f"A role is one of: {', '.join(ROLES)} (not {role!r}).")

