"""The fault log: one record per episode of a condition, routed to the terminal's A or B
maintainer, escalated when nobody acknowledges it, resolved by a person or by the device's
recovery, and summarised for A on return (交接).

Lifecycle: open → acknowledged → resolved, or auto_resolved when the device recovers by itself.
A condition that comes back within ``faults.reopen_within_minutes`` of clearing by itself
continues its old record (a flapping paper sensor is one fault, not fifty).
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import IO

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError

from kiosk.clock import Clock, system_clock
from kiosk.config import FaultsConfig
from kiosk.i18n import in_language, tr
from kiosk.db import Database
from kiosk.devices.kinds import SEVERITY_LABELS, device_label, fault_title, join_title, kind_info
from kiosk.devices.models import ACTIVE_STATUSES, FAULT_STATUSES, DeviceFault, FaultEvent
from kiosk.notify import LogNotifier, Notification, Notifier
from kiosk.staff import AbsenceInfo, StaffService
from kiosk.staff.service import Responder
from kiosk.errors import KioskError, iso_or_none as _iso

log = logging.getLogger(__name__)

STATUS_LABELS = {"open": "待处理", "acknowledged": "已确认", "resolved": "已解决", "auto_resolved": "已自动恢复"}
ROLE_NAMES = {"A": "A岗", "B": "B岗", "admin": "管理员", "": "未指定"}
ESCALATION_ORDER = {"": -1, "A": 0, "B": 1, "admin": 2}
MAX_NOTE = 500
#: the CSV export's columns, in order
CSV_FIELDS = (
    "id", "terminal", "device", "kind", "kind_zh", "severity", "status", "assigned_to", "assigned_role",
    "first_seen", "last_seen", "count", "acknowledged_by", "acknowledged_at", "resolved_by", "resolved_at",
    "note", "message", "detail",
)


class FaultError(KioskError):
    """A request about a fault that cannot be carried out; ``zh`` for the person, ``en`` for logs."""



@dataclass(frozen=True)
class FaultView:
    id: int
    terminal: str
    device: str
    kind: str
    severity: str
    status: str
    message: str
    detail: str
    first_seen: datetime
    last_seen: datetime
    count: int
    assigned_to: str | None
    assigned_role: str
    escalation_level: int
    acknowledged_by: str | None
    acknowledged_at: datetime | None
    resolved_by: str | None
    resolved_at: datetime | None
    note: str
    assigned_name: str = ""

    @property
    def active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def kind_zh(self) -> str:
        return self.message or kind_info(self.kind).zh

    @property
    def device_zh(self) -> str:
        return device_label(self.device)

    @property
    def title_zh(self) -> str:
        """The device and what is wrong: 打印机缺纸, 存储空间不足（剩余 100 MB）."""
        return join_title(self.device_zh, self.kind_zh)

    @property
    def status_zh(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def severity_zh(self) -> str:
        return SEVERITY_LABELS.get(self.severity, self.severity)

    @property
    def fix_zh(self) -> str:
        return kind_info(self.kind).fix_zh

    @property
    def assignee_zh(self) -> str:
        if not self.assigned_to:
            return "未指定"
        who = self.assigned_name or self.assigned_to
        return f"{who}（{ROLE_NAMES.get(self.assigned_role, self.assigned_role)}）"

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "terminal": self.terminal,
            "device": self.device,
            "kind": self.kind,
            "kind_zh": kind_info(self.kind).zh,
            "severity": self.severity,
            "status": self.status,
            "assigned_to": self.assigned_to,
            "assigned_role": self.assigned_role,
            "escalation_level": self.escalation_level,
            "first_seen": _iso(self.first_seen),
            "last_seen": _iso(self.last_seen),
            "count": self.count,
            "acknowledged_by": self.acknowledged_by,
            "acknowledged_at": _iso(self.acknowledged_at),
            "resolved_by": self.resolved_by,
            "resolved_at": _iso(self.resolved_at),
            "note": self.note,
            "message": self.message,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class Observation:
    """What recording a condition did: "opened" a new fault, "reopened" one that had just
    cleared, "recurred" (counted again) or was "seen" (still there)."""

    outcome: str
    fault: FaultView


@dataclass(frozen=True)
class FaultEventInfo:
    at: datetime
    action: str
    actor: str
    detail: str


@dataclass(frozen=True)
class Handover:
    """What happened on A's terminal while A was away (AB岗工作制度 第五条)."""

    absence: AbsenceInfo
    faults: tuple[FaultView, ...] = field(default_factory=tuple)

    @property
    def handled_by(self) -> list[str]:
        names: list[str] = []
        for fault in self.faults:
            for who in (fault.acknowledged_by, fault.resolved_by):
                if who and who not in names and who != self.absence.staff_id:
                    names.append(who)
        return names

    def summary_lines(self, names: dict[str, str] | None = None, *, language: str | None = None) -> list[str]:
        """One line per fault, in ``language`` (default: the screen's, kiosk/i18n.py)."""
        with in_language(language):
            return self._summary_lines(names or {})

    def _summary_lines(self, names: dict[str, str]) -> list[str]:
        lines = []
        for f in self.faults:
            template = tr("{device}：{problem}")  # translated: another language than Chinese
            title = fault_title(f.device, f.kind) if template == "{device}：{problem}" else template.format(
                device=tr(device_label(f.device)), problem=tr(kind_info(f.kind).zh))
            facts = {"id": f.id, "title": title, "first": f"{f.first_seen:%m-%d %H:%M}",
                     "count": f.count, "status": tr(f.status_zh), "note": f.note}
            if f.resolved_by:
                line = tr("#{id} {title}（{first}，{count}次）{status}，{name}处理").format(
                    name=names.get(f.resolved_by, f.resolved_by), **facts)
            elif f.acknowledged_by:
                line = tr("#{id} {title}（{first}，{count}次）{status}，{name}已确认").format(
                    name=names.get(f.acknowledged_by, f.acknowledged_by), **facts)
            else:
                line = tr("#{id} {title}（{first}，{count}次）{status}").format(**facts)
            if f.note:
                line += tr("：{note}").format(note=tr(f.note))
            lines.append(line)
        return lines

    def to_dict(self) -> dict[str, object]:
        return {"absence": self.absence.to_dict(), "faults": [f.to_dict() for f in self.faults]}


def _view(fault: DeviceFault, names: dict[str, str] | None = None) -> FaultView:
    return FaultView(
        fault.id, fault.terminal, fault.device, fault.kind, fault.severity, fault.status, fault.message, fault.detail,
        fault.first_seen, fault.last_seen, fault.count, fault.assigned_to, fault.assigned_role or "",
        fault.escalation_level, fault.acknowledged_by, fault.acknowledged_at, fault.resolved_by, fault.resolved_at,
        fault.note or "", (names or {}).get(fault.assigned_to or "", ""),
    )


class FaultLog:
    def __init__(
        self,
        database: Database,
        staff: StaffService,
        *,
        terminal: str,
        terminal_name: str = "",
        config: FaultsConfig | None = None,
        notifier: Notifier | None = None,
        clock: Clock = system_clock,
    ):
        self.database = database
        self.staff = staff
        self.terminal = terminal
        self.terminal_name = terminal_name or terminal
        self.config = config or FaultsConfig()
        self.notifier = notifier or LogNotifier()
        self.clock = clock

    def _key(self, device: str, kind: str) -> str:
        return f"{self.terminal}|{device}|{kind}"

    def _names(self) -> dict[str, str]:
        return {s.id: s.name for s in self.staff.list_staff()}

    @staticmethod
    def _event(session, fault: DeviceFault, at: datetime, action: str, actor: str = "", detail: str = "") -> None:
        session.add(FaultEvent(fault_id=fault.id, at=at, action=action, actor=actor, detail=detail))

    # --- recording conditions ---------------------------------------------------------------------

    def active_kinds(self, device: str | None = None) -> set[str]:
        """The kinds with an open or acknowledged fault (of one device, or "device:kind" for all)."""
        with self.database.session() as session:
            query = select(DeviceFault.device, DeviceFault.kind).where(
                DeviceFault.terminal == self.terminal, DeviceFault.status.in_(ACTIVE_STATUSES)
            )
            if device is not None:
                return {kind for d, kind in session.execute(query.where(DeviceFault.device == device))}
            return {f"{d}:{kind}" for d, kind in session.execute(query)}

    def observe(self, device: str, kind: str, *, onset: bool = True, message: str = "", detail: str = "") -> Observation:
        """Record that ``kind`` holds (or happened) on ``device``. ``onset``: it has just begun
        (or happened once more); False: a poll found it still there."""
        try:
            return self._observe(device, kind, onset, message, detail)
        except IntegrityError:
            # Another process opened the same episode between our look and our insert.
            log.info("fault %s/%s opened concurrently; updating it instead", device, kind)
            return self._observe(device, kind, onset, message, detail)

    def _observe(self, device: str, kind: str, onset: bool, message: str, detail: str) -> Observation:
        now = self.clock()
        info = kind_info(kind)
        notify: tuple[str, DeviceFault] | None = None
        with self.database.session() as session:
            key = self._key(device, kind)
            fault = session.scalar(select(DeviceFault).where(DeviceFault.active_key == key))
            if fault is not None:
                fault.last_seen = now
                if detail:
                    fault.detail = detail[:2000]
                outcome = "seen"
                if onset:
                    fault.count += 1
                    outcome = "recurred"
                    self._event(session, fault, now, "recurred", "", detail[:500])
                result = Observation(outcome, _view(fault))
            else:
                recent = None
                if self.config.reopen_within_minutes > 0:
                    recent = session.scalar(
                        select(DeviceFault)
                        .where(
                            DeviceFault.terminal == self.terminal, DeviceFault.device == device, DeviceFault.kind == kind,
                            DeviceFault.status == "auto_resolved",
                            DeviceFault.resolved_at >= now - timedelta(minutes=self.config.reopen_within_minutes),
                        )
                        .order_by(DeviceFault.resolved_at.desc())
                    )
                if recent is not None:
                    fault = recent
                    fault.status = "acknowledged" if fault.acknowledged_by else "open"
                    fault.active_key = key
                    fault.count += 1
                    fault.last_seen = now
                    fault.resolved_at = None
                    fault.resolved_by = None
                    if fault.status == "open":
                        fault.assigned_at = now
                    if detail:
                        fault.detail = detail[:2000]
                    session.flush()
                    self._event(session, fault, now, "reopened", "", detail[:500])
                    outcome = "reopened"
                    notify = ("fault_reopened", fault)
                else:
                    chain = self.staff.responders(now, self.terminal)
                    first = chain[0] if chain else None
                    fault = DeviceFault(
                        terminal=self.terminal, device=device, kind=kind, severity=info.severity, status="open",
                        active_key=key, message=(message or info.zh)[:200], detail=detail[:2000], first_seen=now,
                        last_seen=now, count=1, assigned_to=first.staff.id if first else None,
                        assigned_role=first.role if first else "", assigned_at=now, escalation_level=0, note="",
                    )
                    session.add(fault)
                    session.flush()
                    assigned = f"→ {first.role} {first.staff.id}" if first else "→ nobody (no A/B/admin)"
                    self._event(session, fault, now, "opened", "", f"{detail[:400]} {assigned}".strip())
                    outcome = "opened"
                    notify = ("fault_opened", fault)
                result = Observation(outcome, _view(fault))
        if notify is not None:
            self._notify_fault(notify[0], result.fault)
        if outcome in ("opened", "reopened"):
            log.warning("fault #%d %s: %s %s (%s)", result.fault.id, outcome, device, kind, detail)
        return result

    def clear(self, device: str, kind: str, *, detail: str = "") -> FaultView | None:
        """The condition went away by itself: its fault (if any) is auto-resolved."""
        now = self.clock()
        with self.database.session() as session:
            fault = session.scalar(select(DeviceFault).where(DeviceFault.active_key == self._key(device, kind)))
            if fault is None:
                return None
            fault.status = "auto_resolved"
            fault.active_key = None
            fault.resolved_at = now
            fault.resolved_by = "system"
            fault.last_seen = max(fault.last_seen, now)
            self._event(session, fault, now, "auto_resolved", "system", detail[:500])
            view = _view(fault)
        log.info("fault #%d auto-resolved: %s %s", view.id, device, kind)
        self._notify_fault("fault_recovered", view)
        return view

    # --- people ------------------------------------------------------------------------------------

    def _get(self, session, fault_id) -> DeviceFault:
        try:
            fault_id = int(fault_id)
        except (TypeError, ValueError):
            raise FaultError(f"故障编号“{fault_id}”无效", f"invalid fault id {fault_id!r}") from None
        fault = session.get(DeviceFault, fault_id) if 0 < fault_id < 2**63 else None
        if fault is None:
            raise FaultError(f"没有编号为 {fault_id} 的故障记录", f"no fault #{fault_id}")
        return fault

    def acknowledge(self, fault_id: int, actor: str) -> FaultView:
        now = self.clock()
        with self.database.session() as session:
            fault = self._get(session, fault_id)
            if fault.status == "acknowledged":
                raise FaultError(f"故障 #{fault.id} 已由 {fault.acknowledged_by} 确认", f"fault #{fault.id} is acknowledged already")
            if fault.status not in ACTIVE_STATUSES:
                raise FaultError(f"故障 #{fault.id} 已{STATUS_LABELS[fault.status]}，无需确认", f"fault #{fault.id} is {fault.status}")
            fault.status = "acknowledged"
            fault.acknowledged_by = actor
            fault.acknowledged_at = now
            self._event(session, fault, now, "acknowledged", actor)
            return _view(fault, self._names())

    def resolve(self, fault_id: int, actor: str, note: str) -> FaultView:
        note = (note or "").strip()
        if not note:
            raise FaultError("请写明处理情况（如：已更换纸卷）", "give a note saying what was done")
        if len(note) > MAX_NOTE:
            raise FaultError(f"处理情况最多{MAX_NOTE}字", f"the note is longer than {MAX_NOTE} characters")
        now = self.clock()
        with self.database.session() as session:
            fault = self._get(session, fault_id)
            if fault.status not in ACTIVE_STATUSES:
                raise FaultError(f"故障 #{fault.id} 已{STATUS_LABELS[fault.status]}", f"fault #{fault.id} is {fault.status} already")
            if fault.acknowledged_by is None:
                fault.acknowledged_by, fault.acknowledged_at = actor, now
            fault.status = "resolved"
            fault.active_key = None
            fault.resolved_by = actor
            fault.resolved_at = now
            fault.note = note
            self._event(session, fault, now, "resolved", actor, note)
            view = _view(fault, self._names())
        self._notify_fault("fault_resolved", view)
        return view

    # --- reading -----------------------------------------------------------------------------------

    def get(self, fault_id: int) -> FaultView:
        with self.database.session() as session:
            return _view(self._get(session, fault_id), self._names())

    def list(
        self,
        status: str | None = None,
        *,
        device: str | None = None,
        since: datetime | None = None,
        all_terminals: bool = False,
        limit: int | None = 500,
    ) -> list[FaultView]:
        """Faults, newest first. ``status``: one of the statuses, "active" (open or
        acknowledged), or None/"all"."""
        with self.database.session() as session:
            query = select(DeviceFault).order_by(DeviceFault.last_seen.desc(), DeviceFault.id.desc())
            if not all_terminals:
                query = query.where(DeviceFault.terminal == self.terminal)
            if status == "active":
                query = query.where(DeviceFault.status.in_(ACTIVE_STATUSES))
            elif status not in (None, "all"):
                if status not in FAULT_STATUSES:
                    raise FaultError(
                        f"状态“{status}”无效，可选：open、acknowledged、resolved、auto_resolved、active、all",
                        f"unknown status {status!r}",
                    )
                query = query.where(DeviceFault.status == status)
            if device:
                query = query.where(DeviceFault.device == device)
            if since is not None:
                query = query.where(DeviceFault.last_seen >= since)
            if limit:
                query = query.limit(limit)
            names = self._names()
            return [_view(f, names) for f in session.scalars(query)]

    def events(self, fault_id: int) -> list[FaultEventInfo]:
        with self.database.session() as session:
            self._get(session, fault_id)
            rows = session.scalars(select(FaultEvent).where(FaultEvent.fault_id == fault_id).order_by(FaultEvent.id))
            return [FaultEventInfo(e.at, e.action, e.actor, e.detail) for e in rows]

    def count_since(self, since: datetime, device: str | None = None) -> int:
        """Faults that began (or began again) since ``since``."""
        with self.database.session() as session:
            query = select(func.count()).select_from(DeviceFault).where(
                DeviceFault.terminal == self.terminal, DeviceFault.last_seen >= since,
                or_(DeviceFault.first_seen >= since, DeviceFault.status.in_(ACTIVE_STATUSES)),
            )
            if device:
                query = query.where(DeviceFault.device == device)
            return session.scalar(query) or 0

    @staticmethod
    def write_csv(faults: Iterable[FaultView], out: IO[str]) -> int:
        """The faults as CSV (UTF-8; open the file with a BOM so Excel and WPS read Chinese)."""
        writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, extrasaction="ignore")
        writer.writeheader()
        n = 0
        for fault in faults:
            row = fault.to_dict()
            row = {k: ("" if v is None else v) for k, v in row.items()}
            writer.writerow(row)
            n += 1
        return n

    # --- escalation ----------------------------------------------------------------------------------

    def _next_responder(self, current_role: str, now: datetime) -> Responder | None:
        order = ESCALATION_ORDER.get(current_role, -1)
        for responder in self.staff.responders(now, self.terminal):
            if ESCALATION_ORDER[responder.role] > order:
                return responder
        return None

    def escalate_due(self) -> list[FaultView]:
        """Open faults of severity error not acknowledged within faults.escalate_after_minutes go
        to the next post (A → B → admin); with nobody further, the last one is reminded. Each
        step is claimed with a conditional update, so two processes never escalate twice."""
        now = self.clock()
        limit = timedelta(minutes=self.config.escalate_after_minutes)
        with self.database.session() as session:
            due = session.scalars(
                select(DeviceFault).where(
                    DeviceFault.terminal == self.terminal, DeviceFault.status == "open", DeviceFault.severity == "error",
                    DeviceFault.assigned_at <= now - limit,
                )
            ).all()
            candidates = [(f.id, f.escalation_level, f.assigned_role or "", f.assigned_at) for f in due]
        escalated: list[FaultView] = []
        for fault_id, level, role, assigned_at in candidates:
            nxt = self._next_responder(role, now)
            with self.database.session() as session:
                values = {"escalation_level": level + 1, "assigned_at": now}
                if nxt is not None:
                    values.update(assigned_to=nxt.staff.id, assigned_role=nxt.role)
                claimed = session.execute(
                    update(DeviceFault)
                    .where(DeviceFault.id == fault_id, DeviceFault.status == "open", DeviceFault.escalation_level == level)
                    .values(**values)
                ).rowcount
                if not claimed:
                    continue
                fault = session.get(DeviceFault, fault_id)
                session.refresh(fault)
                minutes = int((now - assigned_at).total_seconds() // 60) if assigned_at else 0
                if nxt is not None:
                    self._event(session, fault, now, "escalated", "system", f"{minutes} min unacknowledged: to {nxt.role} {nxt.staff.id}")
                else:
                    self._event(session, fault, now, "reminded", "system", f"{minutes} min unacknowledged, nobody further")
                view = _view(fault, self._names())
            self._notify_fault("fault_escalated" if nxt is not None else "fault_reminder", view, minutes=minutes)
            escalated.append(view)
        return escalated

    # --- handover (交接) -------------------------------------------------------------------------------

    def handovers(self, staff_id: str, *, include_seen: bool = False) -> list[Handover]:
        """For A of this terminal: each finished absence (not yet read) with the faults that
        happened or were handled on the terminal meanwhile."""
        now = self.clock()
        posts = dict(self.staff.terminals_of(staff_id))
        if posts.get(self.terminal) != "A":
            return []
        out = []
        for absence in self.staff.absences(staff_id):
            if absence.ends_at > now or (absence.handover_seen_at and not include_seen):
                continue
            out.append(Handover(absence, tuple(self._faults_during(absence.starts_at, absence.ends_at))))
        return out

    def _faults_during(self, start: datetime, end: datetime) -> list[FaultView]:
        with self.database.session() as session:
            ids = session.scalars(
                select(FaultEvent.fault_id)
                .join(DeviceFault, DeviceFault.id == FaultEvent.fault_id)
                .where(DeviceFault.terminal == self.terminal, FaultEvent.at >= start, FaultEvent.at < end)
                .distinct()
            ).all()
            if not ids:
                return []
            names = self._names()
            rows = session.scalars(select(DeviceFault).where(DeviceFault.id.in_(ids)).order_by(DeviceFault.first_seen))
            return [_view(f, names) for f in rows]

    def acknowledge_handover(self, absence_id: int, staff_id: str) -> None:
        absences = {a.id: a for a in self.staff.absences(staff_id)}
        if absence_id not in absences:
            raise FaultError(f"没有 {staff_id} 的编号为 {absence_id} 的不在岗记录", f"no absence {absence_id} of {staff_id}")
        self.staff.mark_handover(absence_id, seen=True)

    def notify_handovers(self, within_days: int = 7) -> int:
        """Tell A, when an absence has ended, what was handled meanwhile (once per absence)."""
        now = self.clock()
        assignment = self.staff.assignment(self.terminal)
        if assignment.a is None:
            return 0
        sent = 0
        names = self._names()
        for absence in self.staff.absences(assignment.a.id, since=now - timedelta(days=within_days)):
            if absence.ends_at > now or absence.handover_notified_at is not None:
                continue
            handover = Handover(absence, tuple(self._faults_during(absence.starts_at, absence.ends_at)))
            self.staff.mark_handover(absence.id, notified=True)
            if not handover.faults:
                continue
            lines = [
                f"{assignment.a.name}：您不在岗期间（{absence.span_text()}，{absence.reason}）本终端的故障处理情况：",
                *handover.summary_lines(names, language="zh_CN"),  # staff chat: Chinese whatever the screen
                "详情请在终端维护模式“故障”页查看，阅后点“已阅”。",
            ]
            self.notifier.send(
                Notification("handover", f"【交接】{self.terminal_name}（{self.terminal}）", tuple(lines),
                             terminal=self.terminal, recipients=(assignment.a.name,))
            )
            sent += 1
        return sent

    # --- notifications ----------------------------------------------------------------------------------

    def _notify_fault(self, event: str, fault: FaultView, *, minutes: int = 0) -> None:
        titles = {
            "fault_opened": "【自助终端故障】",
            "fault_reopened": "【故障再次出现】",
            "fault_escalated": "【故障升级】",
            "fault_reminder": "【故障仍未处理】",
            "fault_recovered": "【故障已自动恢复】",
            "fault_resolved": "【故障已处理】",
        }
        who = self.staff.get(fault.assigned_to) if fault.assigned_to else None
        lines = [
            f"终端：{self.terminal_name}（{self.terminal}）",
            f"设备：{fault.device_zh}　故障：{kind_info(fault.kind).zh}（{fault.severity_zh}）",
            f"编号：#{fault.id}　首次发现：{fault.first_seen:%Y-%m-%d %H:%M}" + (f"　共 {fault.count} 次" if fault.count > 1 else ""),
        ]
        if event in ("fault_escalated", "fault_reminder"):
            lines.append(f"已 {minutes} 分钟无人确认。")
        if event == "fault_resolved":
            resolver = self.staff.get(fault.resolved_by) if (fault.resolved_by or "").isdigit() else None
            lines.append(f"处理人：{resolver.name if resolver else fault.resolved_by}　处理情况：{fault.note}")
        elif event == "fault_recovered":
            lines.append("设备已恢复正常，无需处理。")
        else:
            lines.append(f"处理人：{who.name + '（' + ROLE_NAMES.get(fault.assigned_role, '') + '）' if who else '未指定（请设置A/B岗）'}")
            if fault.fix_zh:
                lines.append(f"建议：{fault.fix_zh}")
            lines.append(f"请到终端确认处理（维护模式，或命令 kiosk faults ack {fault.id}）。")
        base = {"fault_reopened": "fault_opened", "fault_reminder": "fault_escalated"}.get(event, event)
        notification = Notification(
            base, titles[event] + f"{self.terminal_name} {fault_title(fault.device, fault.kind)}", tuple(lines),
            fault_id=fault.id, terminal=self.terminal, recipients=(who.name,) if who else (),
        )
        try:
            self.notifier.send(notification)
        except Exception:  # noqa: BLE001 - a notifier must never break the fault log
            log.exception("notification failed")
