"""The center's tables (PostgreSQL only).

What terminals send is kept as **records**: one row per record made on a terminal, keyed by its
global id (a UUIDv7 made on the terminal), with the record's columns as sent (JSONB) and the
``seq`` of the terminal's last event applied to it, plus the raw **events** (each stored once:
the primary key is the event's id, so a resend is a no-op). Live help calls get their own table
because the center decides who takes one. Center-owned data (catalog, applications, staff …)
is published as numbered **snapshots**.

Times the center stamps are timezone-aware (UTC in the database); times inside records are the
terminal's local wall-clock time, as everywhere in the kiosk.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, DateTime, ForeignKey, Index, Integer, MetaData, Sequence, String, Text
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kiosk.db.base import NAMING_CONVENTION


class CenterBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


TZ = DateTime(timezone=True)


class Terminal(CenterBase):
    """An enrolled (or about to be enrolled) terminal and its credential."""

    __tablename__ = "center_terminal"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    #: SHA-256 of the terminal's bearer token (the token itself is never stored)
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    created_at: Mapped[datetime] = mapped_column(TZ)
    enrolled_at: Mapped[datetime | None] = mapped_column(TZ, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(TZ, nullable=True)
    revoked_by: Mapped[str] = mapped_column(String(60), default="")
    last_seen_at: Mapped[datetime | None] = mapped_column(TZ, nullable=True)
    last_address: Mapped[str] = mapped_column(String(64), default="")
    #: what the last heartbeat said (outbox backlog, snapshot versions, app version)
    last_status: Mapped[dict] = mapped_column(JSONB, default=dict)


class EnrollmentCode(CenterBase):
    """A one-time code an admin made for one terminal id."""

    __tablename__ = "center_enrollment_code"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    terminal_id: Mapped[str] = mapped_column(ForeignKey("center_terminal.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(TZ)
    created_by: Mapped[str] = mapped_column(String(60), default="")
    expires_at: Mapped[datetime] = mapped_column(TZ)
    used_at: Mapped[datetime | None] = mapped_column(TZ, nullable=True)


class Event(CenterBase):
    """One change pushed by a terminal, stored exactly once (its id is the terminal's UUIDv7)."""

    __tablename__ = "center_event"
    __table_args__ = (Index("ix_center_event_terminal_seq", "terminal_id", "seq"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    terminal_id: Mapped[str] = mapped_column(ForeignKey("center_terminal.id"))
    #: the terminal's outbox order
    seq: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(32))
    record_uid: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), index=True)
    op: Mapped[str] = mapped_column(String(8))
    made_at: Mapped[datetime] = mapped_column(DateTime)
    received_at: Mapped[datetime] = mapped_column(TZ)
    data: Mapped[dict] = mapped_column(JSONB)


class Record(CenterBase):
    """A record made on a terminal, in its latest state."""

    __tablename__ = "center_record"
    __table_args__ = (
        Index("ix_center_record_kind_terminal", "kind", "terminal_id"),
        Index("ix_center_record_terminal_kind_local", "terminal_id", "kind", "local_id"),
    )

    uid: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    terminal_id: Mapped[str] = mapped_column(ForeignKey("center_terminal.id"))
    kind: Mapped[str] = mapped_column(String(32))
    #: its primary key on the terminal (other records of that terminal refer to it by this)
    local_id: Mapped[str] = mapped_column(String(120))
    #: the seq of the terminal event whose state this is (a late, older event never wins)
    seq: Mapped[int] = mapped_column(BigInteger)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    data: Mapped[dict] = mapped_column(JSONB)
    received_at: Mapped[datetime] = mapped_column(TZ)
    updated_at: Mapped[datetime] = mapped_column(TZ)


class Snapshot(CenterBase):
    """One published version of center-owned data: catalog, applications, staff, workdays, config."""

    __tablename__ = "center_snapshot"

    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    published_at: Mapped[datetime] = mapped_column(TZ)
    published_by: Mapped[str] = mapped_column(String(60), default="")
    sha256: Mapped[str] = mapped_column(String(64))
    #: the document, JSON text in the kind's exchange format (kiosk-catalog/1, kiosk-progress/1 …)
    document: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text, default="")


class LiveCall(CenterBase):
    """A help call as the whole center sees it. ``version`` comes from one sequence, so a
    helper's screen asks for "everything after version N" (long-poll)."""

    __tablename__ = "center_help_call"

    uid: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    terminal_id: Mapped[str] = mapped_column(ForeignKey("center_terminal.id"), index=True)
    local_id: Mapped[str] = mapped_column(String(120))
    day: Mapped[date] = mapped_column(Date)
    seq: Mapped[int] = mapped_column(Integer)
    terminal_name: Mapped[str] = mapped_column(String(100), default="")
    screen_label: Mapped[str] = mapped_column(String(100), default="")
    item_code: Mapped[str] = mapped_column(String(64), default="")
    item_name: Mapped[str] = mapped_column(String(300), default="")
    #: open → taken → closed; cancelled; expired (kiosk.assistance.models.CALL_STATUSES)
    status: Mapped[str] = mapped_column(String(16), index=True)
    raised_at: Mapped[datetime] = mapped_column(DateTime)
    taken_by: Mapped[str | None] = mapped_column(String(20), nullable=True)
    taken_by_name: Mapped[str] = mapped_column(String(100), default="")
    #: where the take was decided: the center (a helper on any terminal or the console) or the
    #: raising terminal itself (offline)
    taken_via: Mapped[str] = mapped_column(String(60), default="")
    taken_at: Mapped[datetime | None] = mapped_column(TZ, nullable=True)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    version: Mapped[int] = mapped_column(BigInteger, index=True)
    updated_at: Mapped[datetime] = mapped_column(TZ)


class CenterFault(CenterBase):
    """A fault the center raises itself: a terminal gone silent."""

    __tablename__ = "center_fault"

    id: Mapped[int] = mapped_column(primary_key=True)
    terminal_id: Mapped[str] = mapped_column(ForeignKey("center_terminal.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(16), index=True)
    #: "terminal|kind" while open, NULL after: one open episode per condition
    active_key: Mapped[str | None] = mapped_column(String(100), unique=True, nullable=True)
    message: Mapped[str] = mapped_column(String(200), default="")
    opened_at: Mapped[datetime] = mapped_column(TZ)
    resolved_at: Mapped[datetime | None] = mapped_column(TZ, nullable=True)
    notified_at: Mapped[datetime | None] = mapped_column(TZ, nullable=True)


#: the version counter of live help calls (and anything else a screen long-polls)
CHANGE_SEQ = Sequence("center_change_seq", metadata=CenterBase.metadata)


__all__ = ["CHANGE_SEQ", "CenterBase", "CenterFault", "EnrollmentCode", "Event", "LiveCall", "Record", "Snapshot", "Terminal"]
