"""The terminal's side of the fleet: the outbox, record identities and sync state.

These tables exist on every terminal (the migration creates them) but stay empty in
single-terminal mode: nothing writes them unless a center is configured and the terminal is
enrolled (docs/fleet.md).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.db.base import Base


class OutboxEntry(Base):
    """One change of one record, written in the same transaction as the change and pushed to
    the center in ``seq`` order. ``id`` (a UUIDv7) is what makes a resend harmless: the center
    stores each id once."""

    __tablename__ = "sync_outbox"
    #: AUTOINCREMENT: a seq is never reused, even after sent rows are pruned, so the center can
    #: order a record's versions by it
    __table_args__ = {"sqlite_autoincrement": True}

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(36), unique=True)
    #: rating, complaint, help_call … (kiosk/fleet/records.py)
    kind: Mapped[str] = mapped_column(String(32))
    record_uid: Mapped[str] = mapped_column(String(36))
    #: the record's primary key on this terminal, as text
    local_id: Mapped[str] = mapped_column(String(120))
    #: upsert (the record's state after the change) or delete
    op: Mapped[str] = mapped_column(String(8), default="upsert")
    #: the record's columns as sent (what leaves the terminal: docs/privacy.md)
    payload: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    #: when the center confirmed it (None: still to send)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True, index=True)


class RecordIdentity(Base):
    """The global id (UUIDv7) of a record made on this terminal, by its table and local key."""

    __tablename__ = "sync_identity"

    table_name: Mapped[str] = mapped_column(String(64), primary_key=True)
    local_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)


class SyncState(Base):
    """Small facts of the sync: the snapshot versions applied, the last push, the last error."""

    __tablename__ = "sync_state"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[dict] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
