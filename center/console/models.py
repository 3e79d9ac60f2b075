"""The console's own tables: console passwords (one row per staff member who may use the
console) and server-side sessions. They live beside the center's tables with their own Alembic
chain (version table ``console_alembic_version``), so they never collide with the center's.

Staff, roles, absences, AB assignments and the audit log are the domain's own tables
(kiosk/staff/models.py); the console reads and writes them through kiosk.staff.service.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kiosk.db.base import NAMING_CONVENTION


class ConsoleBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ConsoleAccount(ConsoleBase):
    """A console password (argon2id) of a staff member; the roles stay in ``staff``."""

    __tablename__ = "console_account"

    staff_id: Mapped[str] = mapped_column(String(20), primary_key=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    #: wrong passwords in a row, counted with one UPDATE ... RETURNING (atomic across workers)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    changed_at: Mapped[datetime] = mapped_column(DateTime)
    changed_by: Mapped[str] = mapped_column(String(60), default="")


class ConsoleSession(ConsoleBase):
    """A signed-in browser. The cookie holds a random token; only its SHA-256 is stored."""

    __tablename__ = "console_session"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    staff_id: Mapped[str] = mapped_column(String(20), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    user_agent: Mapped[str] = mapped_column(String(200), default="")
    #: a one-shot message for the next page (“已接单”, errors after a redirect)
    flash: Mapped[str] = mapped_column(Text, default="")


class ConsoleUpload(ConsoleBase):
    """A catalog or applications file uploaded in the console, kept until it is published (or
    replaced by a newer upload) so that the diff page and the publish button see the same file."""

    __tablename__ = "console_upload"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: "catalog" (kiosk-catalog/1) or "progress" (the applications file)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    file_name: Mapped[str] = mapped_column(String(200), default="")
    content: Mapped[str] = mapped_column(Text)
    uploaded_by: Mapped[str] = mapped_column(String(20))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime)
    #: "draft", "published" or "superseded"
    status: Mapped[str] = mapped_column(String(16), default="draft")
    published_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    summary: Mapped[str] = mapped_column(Text, default="")


class CenterWorkday(ConsoleBase):
    """The center's holiday/调休 table, edited in the console (工作日): one row per date that
    differs from the plain week (a holiday on a weekday, a working Saturday). It overrides the
    holiday library, which has no data for years the State Council has not published yet."""

    __tablename__ = "center_workday"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    is_workday: Mapped[bool] = mapped_column(Boolean)
    name: Mapped[str] = mapped_column(String(40), default="")
    changed_at: Mapped[datetime] = mapped_column(DateTime)
    changed_by: Mapped[str] = mapped_column(String(60), default="")


class ConsoleTransition(ConsoleBase):
    """A change the console made to a record a terminal sent (the center owns it: a complaint's
    workflow, a fault's acknowledgement or resolution): the changed columns, applied again
    over the terminal's record every time the console's read model is refreshed
    (center/console/mirror.py)."""

    __tablename__ = "console_transition"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the center record's id (its UUID, as text)
    record: Mapped[str] = mapped_column(String(40), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    terminal: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(60))
    at: Mapped[datetime] = mapped_column(DateTime)
    #: JSON: column → new value
    patch: Mapped[str] = mapped_column(Text)
