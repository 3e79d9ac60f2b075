"""Red-vest helpers (帮办代办): help calls raised at a terminal, proxy requests (代办) with the
materials handed over, and the ledger (台账) every case ends in.

Personal data (docs/helpers.md, docs/privacy.md): a help call holds none (terminal, screen,
item, times). A proxy request holds the citizen's name **masked** (张*三), the phone as masked
text, its last 4 digits and a keyed hash (kiosk.privacy) for verification when the citizen
follows up, and the home-visit address and reasons only while the case needs them: they are
erased ``helpers.purge_after_days`` after the request is closed (`kiosk helpers purge`). The
ledger holds no personal data: helper, time, terminal, item, help types, outcome, notes.

Times are the terminal's local wall-clock time (naive datetimes), as everywhere in the kiosk.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.db.base import Base

#: a call's states: open (waiting for a helper) → taken → closed; or cancelled by the citizen;
#: or expired (nobody took it within helpers.expire_after_minutes)
CALL_STATUSES = ("open", "taken", "closed", "cancelled", "expired")
ACTIVE_CALL_STATUSES = ("open", "taken")
PROXY_STATUSES = ("open", "closed")


class HelpCall(Base):
    """A citizen pressed 呼叫帮办 / 呼叫工作人员 on a terminal."""

    __tablename__ = "help_call"
    __table_args__ = (UniqueConstraint("day", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the call number the citizen sees is ``seq`` of its day, three digits: 007
    day: Mapped[date] = mapped_column(Date)
    seq: Mapped[int] = mapped_column(Integer)
    terminal: Mapped[str] = mapped_column(String(40), index=True)
    terminal_name: Mapped[str] = mapped_column(String(100), default="")
    #: the screen the citizen was on (its name and what it is called) and the item, if any
    screen: Mapped[str] = mapped_column(String(40), default="")
    screen_label: Mapped[str] = mapped_column(String(100), default="")
    item_code: Mapped[str] = mapped_column(String(64), default="")
    item_name: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(16), index=True)
    raised_at: Mapped[datetime] = mapped_column(DateTime)
    #: when the helpers were last told (the first time, then each re-raise)
    last_raised_at: Mapped[datetime] = mapped_column(DateTime)
    raise_count: Mapped[int] = mapped_column(Integer, default=1)
    taken_by: Mapped[str | None] = mapped_column(String(20), nullable=True)
    taken_by_name: Mapped[str] = mapped_column(String(100), default="")
    taken_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    #: closed, cancelled or expired: when and by whom ("citizen", a staff id, "system")
    ended_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    ended_by: Mapped[str] = mapped_column(String(60), default="")


class ProxyRequest(Base):
    """A proxy request (代办申请): the helper acts for the citizen, perhaps with a home visit."""

    __tablename__ = "proxy_request"
    __table_args__ = (UniqueConstraint("day", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: DB-YYYYMMDD-NNN
    number: Mapped[str] = mapped_column(String(20), unique=True)
    day: Mapped[date] = mapped_column(Date)
    seq: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    terminal: Mapped[str] = mapped_column(String(40))
    helper_id: Mapped[str] = mapped_column(String(20))
    helper_name: Mapped[str] = mapped_column(String(100))
    call_id: Mapped[int | None] = mapped_column(ForeignKey("help_call.id"), nullable=True)
    item_code: Mapped[str] = mapped_column(String(64))
    item_name: Mapped[str] = mapped_column(String(300))
    #: the citizen, masked at entry; erased by the purge
    citizen_name: Mapped[str] = mapped_column(String(100), default="")
    phone_masked: Mapped[str] = mapped_column(String(20), default="")
    phone_last4: Mapped[str] = mapped_column(String(4), default="")
    phone_hash: Mapped[str] = mapped_column(String(64), default="")
    home_visit: Mapped[bool] = mapped_column(Boolean, default=False)
    #: 行动不便, 高龄, 残疾 … (erased by the purge: health and disability are sensitive data)
    visit_reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: the home-visit address, as typed (only while the case needs it; erased by the purge)
    address: Mapped[str | None] = mapped_column(Text, nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), index=True)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    closed_by: Mapped[str] = mapped_column(String(60), default="")
    outcome: Mapped[str] = mapped_column(String(40), default="")
    #: when the personal data was erased (None while it is kept)
    purged_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    materials: Mapped[list[ProxyMaterial]] = relationship(
        back_populates="request", order_by="ProxyMaterial.position", cascade="all, delete-orphan"
    )


class ProxyMaterial(Base):
    """One material of the item's list, and whether the citizen handed it over."""

    __tablename__ = "proxy_material"
    __table_args__ = (UniqueConstraint("request_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("proxy_request.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(500))
    #: required | optional | deferrable (the catalog's necessity)
    necessity: Mapped[str] = mapped_column(String(16))
    copies: Mapped[int] = mapped_column(Integer, default=1)
    handed_over: Mapped[bool] = mapped_column(Boolean, default=False)

    request: Mapped[ProxyRequest] = relationship(back_populates="materials")


class LedgerEntry(Base):
    """One case in the helpers' ledger (帮办代办台账): every call and every proxy request ends
    in one. No personal data."""

    __tablename__ = "helper_ledger"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    #: "" for a call nobody took (cancelled by the citizen, or expired)
    helper_id: Mapped[str] = mapped_column(String(20), default="", index=True)
    helper_name: Mapped[str] = mapped_column(String(100), default="")
    terminal: Mapped[str] = mapped_column(String(40))
    item_code: Mapped[str] = mapped_column(String(64), default="")
    item_name: Mapped[str] = mapped_column(String(300), default="")
    #: keys of kiosk.assistance.service.HELP_TYPES
    help_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: a key of kiosk.assistance.service.OUTCOMES
    outcome: Mapped[str] = mapped_column(String(20))
    notes: Mapped[str] = mapped_column(Text, default="")
    call_id: Mapped[int | None] = mapped_column(ForeignKey("help_call.id"), nullable=True, index=True)
    proxy_id: Mapped[int | None] = mapped_column(ForeignKey("proxy_request.id"), nullable=True, index=True)
    #: when the case was finished (a proxy request's entry is written at intake and finished
    #: when the request is closed)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
