"""What a citizen is shown of an application, computed as of a day.

``ApplicationRecord`` is what a backend returns (plain, detached, already masked);
``build_view`` adds the deadline and the working days left or overdue, computed from the
calendar at the moment of the query — never stored, so never stale. ``ProgressView`` is what
the screen, the slip and the CLI show; ``ProgressView.to_json()`` is the CLI's JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from kiosk.catalog.present import limit_text
from kiosk.i18n import tr
from kiosk.progress.models import CLOSED_STATUSES, STATUS_LABELS
from kiosk.workdays import NATURAL_DAY, WorkCalendar

WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


@dataclass(frozen=True)
class StepRecord:
    name: str
    started_at: datetime | None
    finished_at: datetime | None
    staff: str  # masked
    opinion: str


@dataclass(frozen=True)
class ResultRecord:
    finished_at: datetime
    outcome: str
    certificate_name: str
    certificate_number: str
    collect: str


@dataclass(frozen=True)
class ApplicationRecord:
    """An application as a backend returns it. Personal data is masked; the last four
    characters and keyed hashes are there for verification only and never shown."""

    number: str
    item_code: str
    item_name: str
    limit_value: int
    limit_unit: str
    applicant_name: str
    applicant_id_masked: str
    applicant_phone_masked: str
    applied_at: datetime
    accepted_at: datetime
    department: str
    window: str
    accepted_by: str
    status: str
    promised_deadline: date | None
    steps: tuple[StepRecord, ...]
    result: ResultRecord | None
    id_last4: str = ""
    id_hash: str = ""
    phone_last4: str = ""
    phone_hash: str = ""

    def __repr__(self) -> str:  # keep verification material out of logs
        return f"ApplicationRecord(number={self.number!r}, item_code={self.item_code!r}, status={self.status!r})"


@dataclass(frozen=True)
class Contact:
    """Whom to ask about an application: from the catalog, at query time."""

    window_text: str  # A05 号窗口（一楼A区）, or the window as the center's system named it
    complaint_phone: str  # the item's 监督投诉电话, else the center's phone
    consult_phone: str


@dataclass(frozen=True)
class ProgressView:
    number: str
    item_code: str
    item_name: str
    status: str
    status_label: str
    closed: bool
    applicant_name: str
    applicant_id_masked: str
    applicant_phone_masked: str
    applied_at: datetime
    accepted_at: datetime
    department: str
    window: str
    window_text: str
    accepted_by: str
    limit_value: int
    limit_unit: str
    limit_text: str
    deadline: date
    #: the deadline came from the rule for a year no source knows (预计)
    estimated: bool
    #: the counts below involve such days (shown with 约)
    counts_estimated: bool
    #: True when the center's system sent the deadline; False when computed here
    deadline_given: bool
    as_of: date
    remaining_working_days: int
    remaining_days: int
    due_today: bool
    overdue: bool
    overdue_working_days: int
    overdue_days: int
    steps: tuple[StepRecord, ...]
    result: ResultRecord | None
    complaint_phone: str
    consult_phone: str

    @property
    def current_step(self) -> int | None:
        """Index of the step in progress (started, not finished), else None."""
        if self.closed:
            return None
        for index, step in enumerate(self.steps):
            if step.started_at is not None and step.finished_at is None:
                return index
        return None

    @property
    def natural_days(self) -> bool:
        return self.limit_unit == NATURAL_DAY

    def to_json(self) -> dict[str, Any]:
        def when(value: datetime | None) -> str | None:
            return value.isoformat(timespec="minutes") + "+08:00" if value is not None else None

        return {
            "number": self.number,
            "item_code": self.item_code,
            "item_name": self.item_name,
            "status": self.status,
            "status_label": self.status_label,
            "closed": self.closed,
            "applicant": {
                "name": self.applicant_name,
                "id_number": self.applicant_id_masked,
                "phone": self.applicant_phone_masked,
            },
            "applied_at": when(self.applied_at),
            "accepted_at": when(self.accepted_at),
            "department": self.department,
            "window": self.window,
            "accepted_by": self.accepted_by,
            "promised_limit": {"value": self.limit_value, "unit": self.limit_unit},
            "promised_deadline": self.deadline.isoformat(),
            "deadline_given": self.deadline_given,
            "estimated": self.estimated,
            "counts_estimated": self.counts_estimated,
            "as_of": self.as_of.isoformat(),
            "remaining_working_days": self.remaining_working_days,
            "remaining_days": self.remaining_days,
            "due_today": self.due_today,
            "overdue": self.overdue,
            "overdue_working_days": self.overdue_working_days,
            "overdue_days": self.overdue_days,
            "complaint_phone": self.complaint_phone,
            "steps": [
                {
                    "name": s.name,
                    "started_at": when(s.started_at),
                    "finished_at": when(s.finished_at),
                    "staff": s.staff,
                    "opinion": s.opinion,
                }
                for s in self.steps
            ],
            "result": None
            if self.result is None
            else {
                "finished_at": when(self.result.finished_at),
                "outcome": self.result.outcome,
                "certificate_name": self.result.certificate_name,
                "certificate_number": self.result.certificate_number,
                "collect": self.result.collect,
            },
        }


def build_view(record: ApplicationRecord, calendar: WorkCalendar, as_of: date, contact: Contact) -> ProgressView:
    """The application as of ``as_of``. For a closed application the clock stopped when it
    was finished: overdue then means it was finished after the deadline."""
    if record.promised_deadline is not None:
        deadline, estimated, given = record.promised_deadline, False, True
    else:
        computed = calendar.deadline(record.accepted_at, record.limit_value, record.limit_unit)
        deadline, estimated, given = computed.date, computed.estimated, False
    closed = record.status in CLOSED_STATUSES
    clock = record.result.finished_at.date() if closed and record.result is not None else as_of
    progress = calendar.progress(deadline, clock)
    low, high = min(clock, deadline), max(clock, deadline)
    counts_estimated = any(calendar.day_info(low + timedelta(days=n)).estimated for n in range(1, (high - low).days + 1))
    return ProgressView(
        number=record.number,
        item_code=record.item_code,
        item_name=record.item_name,
        status=record.status,
        status_label=tr(STATUS_LABELS.get(record.status, record.status)),
        closed=closed,
        applicant_name=record.applicant_name,
        applicant_id_masked=record.applicant_id_masked,
        applicant_phone_masked=record.applicant_phone_masked,
        applied_at=record.applied_at,
        accepted_at=record.accepted_at,
        department=record.department,
        window=record.window,
        window_text=contact.window_text,
        accepted_by=record.accepted_by,
        limit_value=record.limit_value,
        limit_unit=record.limit_unit,
        limit_text=limit_text(record.limit_value, record.limit_unit),
        deadline=deadline,
        estimated=estimated,
        counts_estimated=counts_estimated,
        deadline_given=given,
        as_of=as_of,
        remaining_working_days=0 if closed else progress.remaining_working_days,
        remaining_days=0 if closed else max(0, (deadline - clock).days),
        due_today=not closed and progress.due_today,
        overdue=progress.overdue,
        overdue_working_days=progress.overdue_working_days,
        overdue_days=max(0, (clock - deadline).days),
        steps=record.steps,
        result=record.result,
        complaint_phone=contact.complaint_phone,
        consult_phone=contact.consult_phone,
    )


# --- how it reads ---------------------------------------------------------------------------------


def format_date(value: date) -> str:
    """2026年11月27日（星期五）"""
    return f"{value.year}年{value.month}月{value.day}日（{tr(WEEKDAYS[value.weekday()])}）"


def format_datetime(value: datetime | None) -> str:
    """2026-11-27 09:30"""
    return value.strftime("%Y-%m-%d %H:%M") if value is not None else ""


def deadline_text(view: ProgressView) -> str:
    """承诺办结日期 as read: 2026年12月4日（星期五）（预计）"""
    text = format_date(view.deadline)
    return text + tr("（预计）") if view.estimated else text


def time_left_text(view: ProgressView) -> str:
    """One sentence on the time limit: 还剩 3 个工作日 / 今天到期 / 已超期 2 个工作日 / 按时办结."""
    about = tr("约") if view.counts_estimated else ""
    if view.closed:
        if view.result is None:
            return ""
        if view.status == "rejected":
            return tr("已于 {when} 作出不予受理决定").format(when=format_datetime(view.result.finished_at))
        if view.overdue:
            late = _late_amount(view, about)
            return tr("已于 {when} 办结，超过承诺办结日期{late}").format(when=format_datetime(view.result.finished_at), late=late)
        return tr("已于 {when} 办结，在承诺时限内").format(when=format_datetime(view.result.finished_at))
    if view.overdue:
        return tr("已超过承诺办结日期{late}").format(late=_late_amount(view, about))
    if view.due_today:
        return tr("今天是承诺办结日期")
    if view.natural_days:
        return tr("距承诺办结日期还有 {about}{n} 天").format(about=about, n=view.remaining_days)
    return tr("距承诺办结日期还有 {about}{n} 个工作日").format(about=about, n=view.remaining_working_days)


def _late_amount(view: ProgressView, about: str) -> str:
    if view.natural_days:
        return tr(" {about}{n} 天").format(about=about, n=view.overdue_days)
    if view.overdue_working_days:
        return tr(" {about}{n} 个工作日").format(about=about, n=view.overdue_working_days)
    return ""  # past the deadline, but only days off since (a Friday deadline, on Sunday)


def overdue_contact_text(view: ProgressView) -> str:
    """Whom to contact about an overdue application."""
    parts = []
    if view.window_text:
        parts.append(tr("到{window}询问").format(window=view.window_text))
    if view.complaint_phone:
        parts.append(tr("拨打监督投诉电话 {phone}").format(phone=view.complaint_phone))
    return tr("请") + tr("，或").join(parts) + "。" if parts else ""


def step_span_text(step: StepRecord) -> str:
    """When a step ran: 2026-11-17 08:40-10:30 (one day), 2026-11-17 08:40 至 2026-11-18 16:05,
    or its start alone while in progress; "" before it starts."""
    if step.started_at is None:
        return ""
    text = format_datetime(step.started_at)
    if step.finished_at is None:
        return text
    if step.finished_at.date() == step.started_at.date():
        return text + "-" + step.finished_at.strftime("%H:%M")
    return text + tr(" 至 ") + format_datetime(step.finished_at)


def step_mark(view: ProgressView, index: int) -> str:
    """✔ finished, ▶ in progress, ○ still to come."""
    step = view.steps[index]
    if step.finished_at is not None:
        return "✔"
    if step.started_at is not None and not view.closed:
        return "▶"
    return "○"


def step_state_text(view: ProgressView, index: int) -> str:
    step = view.steps[index]
    if step.finished_at is not None:
        return tr("已完成")
    if step.started_at is not None and not view.closed:
        return tr("办理中")
    return tr("未开始")
