"""The admin summary (统计概览): ratings per level and the satisfaction rate, open complaints
and suggestions, faults per device, and the helpers' cases per type, for a period."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from kiosk.db import Database
from kiosk.devices.kinds import device_label
from kiosk.devices.models import ACTIVE_STATUSES, DeviceFault
from kiosk.feedback.choices import GOOD_LEVELS, LEVELS, OPEN_STATUSES, POOR_LEVELS
from kiosk.feedback.models import Complaint, Rating
from kiosk.feedback.service import ComplaintInfo, complaint_info
from kiosk.assistance import HELP_TYPES, OUTCOMES
from kiosk.reports.base import Period
from kiosk.reports.tables import ledger_entries


@dataclass(frozen=True)
class DeviceFaults:
    device: str
    label_zh: str
    count: int
    active: int


@dataclass(frozen=True)
class Summary:
    period: Period
    #: level → number of ratings, every level present (5 … 1)
    ratings: dict[int, int]
    #: poor ratings that left a phone for the callback
    callbacks: int
    complaints: int
    suggestions: int
    #: complaints and suggestions not answered yet (whenever they came), oldest first
    open_cases: tuple[ComplaintInfo, ...]
    faults: tuple[DeviceFaults, ...]
    #: help type (Chinese) → cases
    helper_cases: dict[str, int] = field(default_factory=dict)
    #: entries in the helpers' ledger
    helper_total: int = 0

    @property
    def rated(self) -> int:
        return sum(self.ratings.values())

    @property
    def good(self) -> int:
        return sum(n for level, n in self.ratings.items() if level in GOOD_LEVELS)

    @property
    def poor(self) -> int:
        return sum(n for level, n in self.ratings.items() if level in POOR_LEVELS)

    @property
    def satisfaction(self) -> float | None:
        """满意率: 基本满意 or better among all ratings (None without ratings)."""
        return self.good / self.rated if self.rated else None

    @property
    def satisfaction_text(self) -> str:
        return "—" if self.satisfaction is None else f"{self.satisfaction * 100:.1f}%"

    def to_dict(self) -> dict[str, object]:
        return {
            "from": f"{self.period.first:%Y-%m-%d}",
            "to": f"{self.period.last:%Y-%m-%d}",
            "ratings": {str(level): n for level, n in self.ratings.items()},
            "rated": self.rated,
            "satisfaction": None if self.satisfaction is None else round(self.satisfaction, 4),
            "poor": self.poor,
            "callbacks": self.callbacks,
            "complaints": self.complaints,
            "suggestions": self.suggestions,
            "open_cases": [c.number for c in self.open_cases],
            "faults": {f.device: {"count": f.count, "active": f.active} for f in self.faults},
            "helper_cases": self.helper_cases,
            "helper_total": self.helper_total,
        }


def helper_cases_by_type(entries) -> dict[str, int]:
    """Ledger entries per help type (帮网办 …; a case of several types counts for each); calls
    nobody helped with count under their outcome (群众取消呼叫, 无人响应)."""
    counts: dict[str, int] = {}
    for entry in entries:
        keys = [HELP_TYPES.get(k, k) for k in entry.help_types] or [f"未帮办（{OUTCOMES.get(entry.outcome, entry.outcome)}）"]
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
    order = {label: index for index, label in enumerate(HELP_TYPES.values())}
    return dict(sorted(counts.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])))


def center_summary(database: Database, period: Period, *, terminal: str | None = None) -> Summary:
    with database.session() as session:
        query = select(Rating.level, func.count()).where(Rating.rated_at >= period.start, Rating.rated_at < period.end)
        callbacks = select(func.count()).select_from(Rating).where(
            Rating.rated_at >= period.start, Rating.rated_at < period.end, Rating.level.in_(POOR_LEVELS), Rating.phone != ""
        )
        cases = select(Complaint.kind, func.count()).where(
            Complaint.created_at >= period.start, Complaint.created_at < period.end
        )
        open_cases = select(Complaint).where(Complaint.status.in_(OPEN_STATUSES))
        faults = select(DeviceFault).where(DeviceFault.first_seen < period.end, DeviceFault.last_seen >= period.start)
        if terminal:
            query = query.where(Rating.terminal == terminal)
            callbacks = callbacks.where(Rating.terminal == terminal)
            cases = cases.where(Complaint.terminal == terminal)
            open_cases = open_cases.where(Complaint.terminal == terminal)
            faults = faults.where(DeviceFault.terminal == terminal)
        counted = dict(session.execute(query.group_by(Rating.level)).all())
        ratings = {level: int(counted.get(level, 0)) for level in LEVELS}
        by_kind = dict(session.execute(cases.group_by(Complaint.kind)).all())
        open_list = tuple(complaint_info(c) for c in session.scalars(open_cases.order_by(Complaint.created_at, Complaint.id)))
        per_device: dict[str, list[int]] = {}
        for fault in session.scalars(faults):
            entry = per_device.setdefault(fault.device, [0, 0])
            entry[0] += 1
            entry[1] += fault.status in ACTIVE_STATUSES
        callback_count = session.scalar(callbacks) or 0
    ledger = ledger_entries(database, period, terminal)
    fault_rows = tuple(
        DeviceFaults(device, device_label(device), n, active)
        for device, (n, active) in sorted(per_device.items(), key=lambda kv: (-kv[1][0], kv[0]))
    )
    return Summary(
        period, ratings, int(callback_count), int(by_kind.get("complaint", 0)), int(by_kind.get("suggestion", 0)),
        open_list, fault_rows, helper_cases_by_type(ledger), len(ledger),
    )
