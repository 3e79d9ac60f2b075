"""Applications (办件) as the terminal keeps them, and the per-terminal query failure record.

Of the applicant only what verification and display need is stored (docs/privacy.md): the
masked name, the masked ID number and phone, their last four characters, and keyed hashes
(kiosk.privacy) of the full values. Staff names are stored masked too.

An application stores its item's code, name and promised time limit as they were at import
(no foreign key): a catalog re-import with --replace never breaks an application. The
deadline, when the center's system did not send one, is computed at query time from the
acceptance time and that limit (kiosk.workdays), so it is never stale.

Times are naive datetimes in China Standard Time (UTC+8, no daylight saving).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.db.base import Base

#: status code → the name the citizen reads
STATUS_LABELS = {
    "accepted": "已受理",
    "reviewing": "审查中",
    "correction": "补正中",
    "finished": "已办结",
    "rejected": "不予受理",
    "delivered": "已送达",
}
STATUSES = tuple(STATUS_LABELS)
#: statuses after which nothing more happens: the time limit no longer runs
CLOSED_STATUSES = frozenset({"finished", "rejected", "delivered"})


class Application(Base):
    """One application (办件) with what the citizen may see of it."""

    __tablename__ = "progress_application"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: 办件编号, upper case letters and digits (what a citizen types or scans)
    number: Mapped[str] = mapped_column(String(64), unique=True)

    item_code: Mapped[str] = mapped_column(String(64), index=True)
    item_name: Mapped[str] = mapped_column(String(300))
    #: the item's promised limit (承诺办结时限) at import: value and working_day | natural_day
    limit_value: Mapped[int] = mapped_column(Integer)
    limit_unit: Mapped[str] = mapped_column(String(16))

    applicant_name: Mapped[str] = mapped_column(String(100))  # masked: 张*三
    applicant_id_masked: Mapped[str] = mapped_column(String(40))  # 4****************7
    applicant_id_last4: Mapped[str] = mapped_column(String(4))
    applicant_id_hash: Mapped[str] = mapped_column(String(64))  # HMAC-SHA256, hex
    applicant_phone_masked: Mapped[str] = mapped_column(String(40), default="")  # 138****5678
    applicant_phone_last4: Mapped[str] = mapped_column(String(4), default="")
    applicant_phone_hash: Mapped[str] = mapped_column(String(64), default="")

    applied_at: Mapped[datetime] = mapped_column(DateTime)
    accepted_at: Mapped[datetime] = mapped_column(DateTime)
    department: Mapped[str] = mapped_column(String(200))
    window: Mapped[str] = mapped_column(String(100), default="")
    accepted_by: Mapped[str] = mapped_column(String(100))  # masked: 王*
    status: Mapped[str] = mapped_column(String(16))
    #: the deadline the center's system sent; None: computed from accepted_at and the limit
    promised_deadline: Mapped[date | None] = mapped_column(Date, nullable=True)

    result_finished_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    result_outcome: Mapped[str] = mapped_column(Text, default="")
    result_certificate_name: Mapped[str] = mapped_column(String(200), default="")
    result_certificate_number: Mapped[str] = mapped_column(String(200), default="")
    result_collect: Mapped[str] = mapped_column(Text, default="")

    #: when the terminal last received this application (for retention)
    imported_at: Mapped[datetime] = mapped_column(DateTime)

    steps: Mapped[list[Step]] = relationship(
        back_populates="application", order_by="Step.position", cascade="all, delete-orphan"
    )


class Step(Base):
    """One step (环节) of an application: 受理, 审查, 决定, 制证, 送达 …"""

    __tablename__ = "progress_step"
    __table_args__ = (UniqueConstraint("application_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("progress_application.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    #: None: not started yet (a step still to come)
    started_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    #: None: in progress (or not started)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    staff: Mapped[str] = mapped_column(String(100), default="")  # masked
    opinion: Mapped[str] = mapped_column(Text, default="")

    application: Mapped[Application] = relationship(back_populates="steps")


class QueryFailure(Base):
    """A failed progress query (wrong number or verification) on one terminal."""

    __tablename__ = "progress_query_failure"

    id: Mapped[int] = mapped_column(primary_key=True)
    terminal_id: Mapped[str] = mapped_column(String(40), index=True)
    failed_at: Mapped[datetime] = mapped_column(DateTime)


class QueryLock(Base):
    """A terminal whose progress queries are paused until ``locked_until``."""

    __tablename__ = "progress_query_lock"

    terminal_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    locked_until: Mapped[datetime] = mapped_column(DateTime)
