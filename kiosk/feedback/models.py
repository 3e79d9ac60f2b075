"""Ratings (好差评), complaints and suggestions (投诉建议) and the history of each case.

Of the citizen only the optional callback phone is kept, in full (the center has to call
back), erased after the retention period (docs/privacy.md); it is shown masked everywhere.
Times are the terminal's local wall-clock time (naive datetimes), as everywhere in the kiosk.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.db.base import Base


class Rating(Base):
    """One rating of one visit (一次一评): the level, and for a poor one the reasons and a phone."""

    __tablename__ = "feedback_rating"

    id: Mapped[int] = mapped_column(primary_key=True)
    terminal: Mapped[str] = mapped_column(String(40), index=True)
    #: what the citizen had just done: print, progress, tile (the 评价建议 tile)
    source: Mapped[str] = mapped_column(String(16), default="")
    #: the service item, when there was one (its code and name as they were)
    item_code: Mapped[str] = mapped_column(String(64), default="")
    item_name: Mapped[str] = mapped_column(String(300), default="")
    rated_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    #: 5 非常满意 … 1 非常不满意 (kiosk/feedback/choices.py)
    level: Mapped[int] = mapped_column(Integer)
    #: reason codes of a poor rating
    reasons: Mapped[list[str]] = mapped_column(JSON)
    #: the callback phone (digits), "" when none was given or after the retention period
    phone: Mapped[str] = mapped_column(String(20), default="")
    #: when the reasons and phone were added (a poor rating gets them once)
    details_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    phone_erased_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class Complaint(Base):
    """A complaint (投诉) or suggestion (建议) with its number, receipt and status."""

    __tablename__ = "feedback_complaint"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: TS-20260302-001 (投诉) or JY-20260302-001 (建议), numbered per day
    number: Mapped[str] = mapped_column(String(24), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    terminal: Mapped[str] = mapped_column(String(40), index=True)
    item_code: Mapped[str] = mapped_column(String(64), default="")
    item_name: Mapped[str] = mapped_column(String(300), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    #: received → forwarded → answered
    status: Mapped[str] = mapped_column(String(16), index=True)
    #: to whom it was forwarded (a department or person), by whom, when
    forwarded_to: Mapped[str] = mapped_column(String(100), default="")
    forwarded_by: Mapped[str] = mapped_column(String(60), default="")
    forwarded_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_by: Mapped[str] = mapped_column(String(60), default="")
    answered_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    #: whether the center was told through the notifier
    notified_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    phone_erased_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class ComplaintEvent(Base):
    """A case's history: received, forwarded (to whom), answered — who and when."""

    __tablename__ = "feedback_complaint_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("feedback_complaint.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(16))
    #: a staff id, "cli:USER", or "kiosk" for the citizen's own submission
    actor: Mapped[str] = mapped_column(String(60), default="")
    note: Mapped[str] = mapped_column(Text, default="")
