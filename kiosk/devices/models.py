"""The fault log (故障记录), its timeline, the devices' last known state and their counters."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.db.base import Base

FAULT_STATUSES = ("open", "acknowledged", "resolved", "auto_resolved")
ACTIVE_STATUSES = ("open", "acknowledged")


class DeviceFault(Base):
    """One episode of one condition of one device: a printer out of paper for an hour is one
    row whose last_seen moves on, not one row per status poll."""

    __tablename__ = "device_fault"

    id: Mapped[int] = mapped_column(primary_key=True)
    terminal: Mapped[str] = mapped_column(String(40), index=True)
    #: printer, disk, database, app (a scanner or card reader later)
    device: Mapped[str] = mapped_column(String(40))
    #: paper_out, cover_open, print_failed, disk_low, unhandled_exception … (kiosk/devices/kinds.py)
    kind: Mapped[str] = mapped_column(String(40))
    severity: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), index=True)
    #: "terminal|device|kind" while open or acknowledged, NULL afterwards: the unique
    #: constraint keeps one active episode per condition even with two writers
    active_key: Mapped[str | None] = mapped_column(String(140), unique=True, nullable=True)
    message: Mapped[str] = mapped_column(String(200), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    first_seen: Mapped[datetime] = mapped_column(DateTime)
    last_seen: Mapped[datetime] = mapped_column(DateTime)
    #: how many times it happened in this episode (onsets, failed prints, exceptions)
    count: Mapped[int] = mapped_column(Integer, default=1)
    assigned_to: Mapped[str | None] = mapped_column(String(20), nullable=True)
    #: "A", "B", "admin", or "" when nobody is assigned
    assigned_role: Mapped[str] = mapped_column(String(8), default="")
    assigned_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)
    acknowledged_by: Mapped[str | None] = mapped_column(String(60), nullable=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    resolved_by: Mapped[str | None] = mapped_column(String(60), nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")


class FaultEvent(Base):
    """The timeline of a fault: opened, seen again, notified, escalated, acknowledged, resolved."""

    __tablename__ = "fault_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    fault_id: Mapped[int] = mapped_column(ForeignKey("device_fault.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    action: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(60), default="")
    detail: Mapped[str] = mapped_column(Text, default="")


class DeviceStateRecord(Base):
    """The last reading of a device, written by whoever polled it (the kiosk's monitor or
    `kiosk devices check`); also the monitor's heartbeat."""

    __tablename__ = "device_state"

    terminal: Mapped[str] = mapped_column(String(40), primary_key=True)
    device: Mapped[str] = mapped_column(String(40), primary_key=True)
    conditions: Mapped[list[str]] = mapped_column(JSON)
    severity: Mapped[str] = mapped_column(String(16))
    message: Mapped[str] = mapped_column(String(200), default="")
    raw: Mapped[dict[str, str]] = mapped_column(JSON)
    detail: Mapped[str] = mapped_column(Text, default="")
    read_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    #: "kiosk:PID@HOST" or "cli:PID@HOST"
    reporter: Mapped[str] = mapped_column(String(80), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class DeviceCounter(Base):
    """Running totals per device (slips printed, test pages)."""

    __tablename__ = "device_counter"

    terminal: Mapped[str] = mapped_column(String(40), primary_key=True)
    device: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
