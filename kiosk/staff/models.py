"""Staff, their absences, each terminal's A and B maintainer, sign-in lockout and the audit log.

Times are the terminal's local wall-clock time (naive datetimes), as everywhere in the kiosk.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.db.base import Base

ROLES = ("maintainer", "helper", "admin")
ROLE_LABELS = {"maintainer": "维护人员", "helper": "帮办人员", "admin": "管理员"}


class Staff(Base):
    """A member of staff who may sign in on a terminal (工作人员)."""

    __tablename__ = "staff"

    #: the staff number (工号), digits only so that it can be typed on the PIN pad
    id: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    #: the catalog department's code ("" when not tied to one department)
    department: Mapped[str] = mapped_column(String(64), default="")
    roles: Mapped[list[str]] = mapped_column(JSON)
    #: scrypt$N$r$p$salt$hash (kiosk/staff/pins.py); never the PIN itself
    pin_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    pin_changed_at: Mapped[datetime] = mapped_column(DateTime)


class StaffAbsence(Base):
    """A staff member away (会议、出差、培训、请休假): faults go to the B post meanwhile."""

    __tablename__ = "staff_absence"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[str] = mapped_column(ForeignKey("staff.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime)
    ends_at: Mapped[datetime] = mapped_column(DateTime)
    reason: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(60), default="")
    #: when the returning staff member read the handover summary (交接)
    handover_seen_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    #: when the handover summary was sent to them as a notification
    handover_notified_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class TerminalAssignment(Base):
    """Who keeps a terminal running: A (主岗) and B (备岗), AB岗工作制度."""

    __tablename__ = "terminal_assignment"

    terminal: Mapped[str] = mapped_column(String(40), primary_key=True)
    a_staff_id: Mapped[str | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
    b_staff_id: Mapped[str | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class SigninGuard(Base):
    """Wrong PINs on a terminal; after too many, sign-in is locked for a while (kept across restarts)."""

    __tablename__ = "signin_guard"

    terminal: Mapped[str] = mapped_column(String(40), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class AuditEntry(Base):
    """One sign-in, sign-out or staff action (操作日志)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    terminal: Mapped[str] = mapped_column(String(40))
    #: a staff id, "cli:USER" for the command line, "system" for the kiosk itself
    actor: Mapped[str] = mapped_column(String(60))
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str] = mapped_column(String(100), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    ok: Mapped[bool] = mapped_column(Boolean, default=True)
