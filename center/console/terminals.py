"""The terminal board (终端总览): every terminal the center has heard of, with when it was last
heard from, its devices' states, open faults, A/B and last activity.

It reads the domain tables that every terminal's records land in (device_state, device_fault,
terminal_assignment, help_call). When the center's own terminal registry (issue 14) has a
table of enrolled terminals with heartbeats, ``_registry`` adds their names, zones and
heartbeats; without it the board works from the domain tables alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, inspect, select, text

from kiosk.db import Database
from kiosk.devices.kinds import DEVICE_LABELS, SEVERITY_LABELS, kind_info
from kiosk.devices.models import ACTIVE_STATUSES, DeviceFault, DeviceStateRecord
from kiosk.assistance.models import HelpCall
from kiosk.staff.models import Staff, TerminalAssignment

#: a terminal not heard from for this long is shown as silent (the center's heartbeat rule)
SILENT_AFTER = timedelta(minutes=2)


@dataclass
class DeviceLine:
    device: str
    severity: str
    message: str
    conditions: list[str]
    updated_at: datetime

    @property
    def label(self) -> str:
        return DEVICE_LABELS.get(self.device, self.device)

    @property
    def severity_zh(self) -> str:
        return SEVERITY_LABELS.get(self.severity, self.severity)

    @property
    def conditions_zh(self) -> list[str]:
        return [kind_info(c).zh for c in self.conditions]


@dataclass
class TerminalLine:
    terminal: str
    name: str = ""
    zone: str = ""
    last_heard: datetime | None = None
    last_sync: datetime | None = None
    devices: list[DeviceLine] = field(default_factory=list)
    open_faults: int = 0
    worst_fault: str = ""
    a_name: str = ""
    b_name: str = ""
    last_call: datetime | None = None
    revoked: bool = False

    def silent_for(self, now: datetime) -> timedelta | None:
        if self.last_heard is None:
            return None
        gap = now - self.last_heard
        return gap if gap > SILENT_AFTER else None

    @property
    def printer(self) -> DeviceLine | None:
        return next((d for d in self.devices if d.device == "printer"), None)


def _registry(session) -> dict[str, dict]:
    """Enrolled terminals with name/zone/last heartbeat from the center's registry, if any."""
    tables = set(inspect(session.get_bind()).get_table_names())
    for table in ("center_terminal", "terminal", "terminals"):
        if table not in tables:
            continue
        columns = {c["name"] for c in inspect(session.get_bind()).get_columns(table)}
        key = next((c for c in ("terminal_id", "id", "terminal") if c in columns), None)
        if key is None:
            continue
        wanted = {k: next((c for c in names if c in columns), None) for k, names in {
            "name": ("name", "display_name"), "zone": ("zone", "location"),
            "heard": ("last_heartbeat_at", "last_seen_at", "last_seen", "heartbeat_at"),
            "sync": ("last_sync_at", "last_push_at", "synced_at"), "revoked": ("revoked_at",),
        }.items()}
        picked = ", ".join(f'"{c}" AS {k}' for k, c in wanted.items() if c) or "NULL AS none"
        rows = session.execute(text(f'SELECT "{key}" AS tid, {picked} FROM "{table}"')).mappings()
        return {str(r["tid"]): dict(r) for r in rows}
    return {}


def overview(database: Database, now: datetime, *, registry: Database | None = None) -> list[TerminalLine]:
    """``database``: where the terminals' records are; ``registry``: where the center's
    terminal registry is (the same database unless the console reads a mirror)."""
    lines: dict[str, TerminalLine] = {}

    def line(tid: str) -> TerminalLine:
        return lines.setdefault(tid, TerminalLine(tid))

    registered: set[str] = set()
    with (registry or database).session() as session:
        for tid, row in _registry(session).items():
            registered.add(tid)
            t = line(tid)
            t.name, t.zone = row.get("name") or "", row.get("zone") or ""
            t.last_heard, t.last_sync = row.get("heard"), row.get("sync")
            t.revoked = bool(row.get("revoked"))
            for key in ("heard", "sync"):
                value = getattr(t, "last_heard" if key == "heard" else "last_sync")
                if value is not None and value.tzinfo is not None:  # the center stamps UTC; pages show local time
                    setattr(t, "last_heard" if key == "heard" else "last_sync", value.astimezone().replace(tzinfo=None))
    with database.session() as session:
        for state in session.scalars(select(DeviceStateRecord)):
            t = line(state.terminal)
            t.devices.append(DeviceLine(state.device, state.severity, state.message, list(state.conditions or []), state.updated_at))
            if state.terminal not in registered and (t.last_heard is None or state.updated_at > t.last_heard):
                t.last_heard = state.updated_at  # no heartbeats: the device monitor's last reading
        for tid, count in session.execute(
            select(DeviceFault.terminal, func.count()).where(DeviceFault.status.in_(ACTIVE_STATUSES)).group_by(DeviceFault.terminal)
        ):
            line(tid).open_faults = count
        names = {s.id: s.name for s in session.scalars(select(Staff))}
        for a in session.scalars(select(TerminalAssignment)):
            t = line(a.terminal)
            t.a_name, t.b_name = names.get(a.a_staff_id or "", ""), names.get(a.b_staff_id or "", "")
        for tid, last in session.execute(select(HelpCall.terminal, func.max(HelpCall.raised_at)).group_by(HelpCall.terminal)):
            line(tid).last_call = last
        for call in session.scalars(select(HelpCall).order_by(HelpCall.raised_at)):
            if call.terminal_name and call.terminal_name != call.terminal and not (lines[call.terminal].name and call.terminal in registered):
                lines[call.terminal].name = call.terminal_name  # the name the terminal gives itself
    for t in lines.values():
        t.devices.sort(key=lambda d: d.device)
    return sorted(lines.values(), key=lambda t: (t.silent_for(now) is None, -t.open_faults, t.terminal))


def detail(database: Database, terminal: str, now: datetime, *, registry: Database | None = None) -> TerminalLine | None:
    return next((t for t in overview(database, now, registry=registry) if t.terminal == terminal), None)
