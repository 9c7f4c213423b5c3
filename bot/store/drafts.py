"""Drafts and their saved versions (compare-and-swap on the version number)."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.core.errors import DraftConflict
from bot.store.base import StoreBase
from bot.store.common import (
    MAX_DRAFT_BYTES,
    MAX_DRAFT_FIELDS,
    MAX_VERSION,
    TITLE_MAX,
    InvalidInput,
    StoreError,
    aware,
    clean_text,
    utcnow,
)
from bot.store.schema import DraftRow, DraftVersionRow


@dataclass(frozen=True)
class Draft:
    """One draft as it was read (or saved)."""

    id: str
    owner: str
    template: str
    profile: str | None
    title: str
    data: dict[str, Any]
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    #: the audience the document is for (None: the template's own)
    audience: str | None = None

    @classmethod
    def of(cls, row: DraftRow) -> Draft:
        return cls(
            id=row.id, owner=row.owner, template=row.template, profile=row.profile,
            title=row.title, data=dict(row.data or {}), version=row.version,
            created_at=aware(row.created_at), updated_at=aware(row.updated_at),
            audience=row.audience,
        )


@dataclass(frozen=True)
class DraftVersion:
    draft_id: str
    version: int
    profile: str | None
    title: str
    data: dict[str, Any]
    saved_at: dt.datetime
    note: str = ""
    audience: str | None = None

    @classmethod
    def of(cls, row: DraftVersionRow) -> DraftVersion:
        return cls(
            draft_id=row.draft_id, version=row.version, profile=row.profile, title=row.title,
            data=dict(row.data or {}), saved_at=aware(row.saved_at), note=row.note or "",
            audience=row.audience,
        )


@dataclass(frozen=True)
class DraftInfo:
    """A draft without its form data (for lists)."""

    id: str
    owner: str
    template: str
    profile: str | None
    title: str
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    audience: str | None = None


class DraftNotFound(StoreError):
    def __init__(self, draft_id: str) -> None:
        super().__init__(f"There is no draft with id {draft_id!r}.")
        self.draft_id = draft_id


class VersionNotFound(StoreError):
    def __init__(self, draft_id: str, version: int) -> None:
        super().__init__(f"Draft {draft_id!r} has no version {version}.")


class StaleVersion(StoreError, DraftConflict):
    """The update was based on an older version than the one saved."""

    def __init__(self, draft: Draft, base_version: int) -> None:
        if base_version > draft.version:  # not a newer save elsewhere: no such version yet
            message = (
                f"This draft has no version {base_version} yet (it is at version "
                f"{draft.version}). Nothing was saved: reload the draft and save your changes "
                f"on top of version {draft.version}."
            )
        else:
            message = (
                f"This draft was saved elsewhere (now version {draft.version}; your changes "
                f"were based on version {base_version}). Nothing was overwritten: reload the "
                "draft, or copy your changes and save them on top of the newer version."
            )
        super().__init__(message)
        self.current = draft
        self.base_version = base_version


class _Stale(Exception):
    pass


class DraftTooLarge(InvalidInput):
    """The draft's data is over the size limit (answered with 413)."""


#: the columns of a draft, in the order Draft takes them (UPDATE … RETURNING)
_DRAFT_COLUMNS = (DraftRow.id, DraftRow.owner, DraftRow.template, DraftRow.profile,
                  DraftRow.title, DraftRow.version, DraftRow.created_at, DraftRow.updated_at,
                  DraftRow.audience)



class DraftsMixin(StoreBase):
    def create_draft(
        self,
        owner: str,
        template: str,
        data: dict[str, Any] | None = None,
        *,
        profile: str | None = None,
        title: str = "",
        audience: str | None = None,
    ) -> Draft:
        data = self._check(data)
        now = utcnow()
        draft_id = uuid.uuid4().hex
        title = _clean_title(title)
        with self.session(write=True) as session:
            session.add(DraftRow(
                id=draft_id, owner=owner, template=template, profile=profile, title=title,
                audience=audience,
                data=data, version=1, created_at=now, updated_at=now,
            ))
            session.flush()
            session.add(DraftVersionRow(
                draft_id=draft_id, version=1, profile=profile, title=title, data=data,
                audience=audience,
                saved_at=now, note="created",
            ))
        return self.get_draft(owner, draft_id)

    def _row(self, session: Session, owner: str, draft_id: str) -> DraftRow:
        row = session.get(DraftRow, draft_id) if _valid_id(draft_id) else None
        if row is None or row.owner != owner:
            raise DraftNotFound(draft_id)
        return row

    def get_draft(self, owner: str, draft_id: str) -> Draft:
        with self.session() as session:
            return Draft.of(self._row(session, owner, draft_id))

    def draft_summaries(self, owner: str, *, template: str | None = None) -> list[DraftInfo]:
        """The owner's drafts without their form data, latest first (for lists)."""
        columns = (DraftRow.id, DraftRow.owner, DraftRow.template, DraftRow.profile,
                   DraftRow.title, DraftRow.version, DraftRow.created_at, DraftRow.updated_at,
                   DraftRow.audience)
        query = select(*columns).where(DraftRow.owner == clean_text(owner))
        if template:
            query = query.where(DraftRow.template == clean_text(template))
        query = query.order_by(DraftRow.updated_at.desc(), DraftRow.id)
        with self.session() as session:
            return [
                DraftInfo(id=r.id, owner=r.owner, template=r.template, profile=r.profile,
                          title=r.title, version=r.version, created_at=aware(r.created_at),
                          updated_at=aware(r.updated_at), audience=r.audience)
                for r in session.execute(query)
            ]

    def _check(self, data: dict[str, Any] | None) -> dict[str, Any]:
        return _check_data(data, max_bytes=self.max_draft_bytes,
                           max_fields=self.max_draft_fields)

    def list_drafts(self, owner: str, *, template: str | None = None) -> list[Draft]:
        query = select(DraftRow).where(DraftRow.owner == clean_text(owner))
        if template:
            template = clean_text(template)
            query = query.where(DraftRow.template == template)
        query = query.order_by(DraftRow.updated_at.desc(), DraftRow.id)
        with self.session() as session:
            return [Draft.of(row) for row in session.scalars(query)]

    def update_draft(
        self,
        owner: str,
        draft_id: str,
        *,
        base_version: int,
        data: dict[str, Any],
        title: str | None = None,
        profile: str | None = None,
        keep_profile: bool = True,
        note: str = "",
        audience: str | None = None,
        keep_audience: bool = True,
    ) -> Draft:
        """Save new data on top of ``base_version``; raise :class:`StaleVersion` if the
        saved version moved on (nothing is written then)."""
        data = self._check(data)
        if not 1 <= base_version <= MAX_VERSION:
            raise StaleVersion(self.get_draft(owner, draft_id), base_version)
        now = utcnow()
        values: dict[str, Any] = {
            "data": data, "version": DraftRow.version + 1, "updated_at": now,
        }
        if title is not None:
            values["title"] = _clean_title(title)
        if not (keep_profile and profile is None):
            values["profile"] = profile
        if not (keep_audience and audience is None):
            values["audience"] = audience
        stale = False
        if _valid_id(draft_id):
            try:
                # the version check and the increment are one atomic statement, which
                # also returns the saved row (UPDATE … RETURNING: no second read)
                save = (update(DraftRow)
                        .where(DraftRow.id == draft_id, DraftRow.owner == owner,
                               DraftRow.version == base_version)
                        .values(**values)
                        .returning(*_DRAFT_COLUMNS))
                with self.transaction(write=True) as connection:
                    row = connection.execute(save).first()
                    if row is None:
                        raise _Stale
                    connection.execute(insert(DraftVersionRow).values(
                        draft_id=draft_id, version=row.version, profile=row.profile,
                        audience=row.audience, title=row.title, data=data, saved_at=now,
                        note=note[:200]))
                    if row.version > self.max_draft_versions:
                        # keep the newest versions only (one indexed delete)
                        connection.execute(
                            delete(DraftVersionRow)
                            .where(DraftVersionRow.draft_id == draft_id,
                                   DraftVersionRow.version
                                   <= row.version - self.max_draft_versions))
                    saved = Draft(
                        id=row.id, owner=row.owner, template=row.template,
                        profile=row.profile, title=row.title, data=dict(data),
                        version=row.version, created_at=aware(row.created_at),
                        updated_at=aware(row.updated_at), audience=row.audience)
            except (_Stale, IntegrityError):
                stale = True
        else:
            raise DraftNotFound(draft_id)
        if stale:
            raise StaleVersion(self.get_draft(owner, draft_id), base_version)
        return saved

    def delete_draft(self, owner: str, draft_id: str) -> None:
        if not _valid_id(draft_id):
            raise DraftNotFound(draft_id)
        with self.session(write=True) as session:
            owned = select(DraftRow.id).where(DraftRow.id == draft_id, DraftRow.owner == owner)
            session.execute(delete(DraftVersionRow).where(DraftVersionRow.draft_id.in_(owned)))
            result = session.execute(
                delete(DraftRow).where(DraftRow.id == draft_id, DraftRow.owner == owner)
            )
            if getattr(result, "rowcount", 0) != 1:
                raise DraftNotFound(draft_id)

    def history(self, owner: str, draft_id: str) -> list[DraftVersion]:
        """Every saved version of the draft, newest first."""
        with self.session() as session:
            self._row(session, owner, draft_id)
            rows = session.scalars(
                select(DraftVersionRow)
                .where(DraftVersionRow.draft_id == draft_id)
                .order_by(DraftVersionRow.version.desc())
            )
            return [DraftVersion.of(row) for row in rows]

    def get_version(self, owner: str, draft_id: str, version: int) -> DraftVersion:
        with self.session() as session:
            self._row(session, owner, draft_id)
            if not 1 <= version <= MAX_VERSION:
                raise VersionNotFound(draft_id, version)
            row = session.scalars(
                select(DraftVersionRow).where(
                    DraftVersionRow.draft_id == draft_id, DraftVersionRow.version == version
                )
            ).first()
            if row is None:
                raise VersionNotFound(draft_id, version)
            return DraftVersion.of(row)

    def restore(
        self, owner: str, draft_id: str, version: int, *, base_version: int | None = None
    ) -> Draft:
        """Make an earlier version the current one, as a new version (history is kept)."""
        old = self.get_version(owner, draft_id, version)
        base = base_version if base_version is not None else self.get_draft(owner, draft_id).version
        return self.update_draft(
            owner, draft_id, base_version=base, data=old.data, title=old.title,
            profile=old.profile, keep_profile=False, note=f"restored version {version}",
            audience=old.audience, keep_audience=False,
        )

    def claim_drafts(self, from_owner: str, to_owner: str) -> int:
        """Move every draft of one owner to another (e.g. linking a Slack user)."""
        with self.session(write=True) as session:
            result = session.execute(
                update(DraftRow).where(DraftRow.owner == from_owner).values(owner=to_owner)
            )
            return int(getattr(result, "rowcount", 0) or 0)


def _valid_id(draft_id: str) -> bool:
    return bool(re.fullmatch(r"[0-9a-f]{32}", draft_id or ""))


def _clean_title(title: str | None) -> str:
    return clean_text(" ".join((title or "").split()))[:TITLE_MAX]


def _count_fields(value: Any, limit: int) -> int:
    """How many keys and list items ``value`` holds, counting up to just past ``limit``."""
    count = 0
    stack = [value]
    while stack and count <= limit:
        item = stack.pop()
        if isinstance(item, dict):
            count += len(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            count += len(item)
            stack.extend(item)
    return count


def _check_data(
    data: dict[str, Any] | None, *, max_bytes: int = MAX_DRAFT_BYTES,
    max_fields: int = MAX_DRAFT_FIELDS,
) -> dict[str, Any]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InvalidInput("Draft data must be an object of field names and values.")
    if _count_fields(data, max_fields) > max_fields:
        raise InvalidInput(
            f"This draft has too many fields and list items (the limit is {max_fields:,}). "
            "Remove fields the template does not use, or split it into several drafts.")
    try:
        encoded = json.dumps(data, allow_nan=False, ensure_ascii=False)
        size = len(encoded.encode("utf-8"))
    except (TypeError, ValueError) as exc:  # NaN, Infinity, surrogates, non-JSON values
        raise InvalidInput(f"Draft data cannot be saved: {exc}") from exc
    if size > max_bytes:
        raise DraftTooLarge(
            f"This draft is too large to save ({size:,} bytes; the limit is {max_bytes:,}). "
            "Shorten the longest fields, or ask the administrator to raise "
            "MASTERY_MAX_DRAFT_BYTES.")
    if "\\u0000" in encoded:
        raise InvalidInput("Draft data cannot contain NUL characters.")
    return data
