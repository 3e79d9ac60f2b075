"""The device monitor: polls every device, turns changes into events and keeps the fault log
in step with what it finds.

    monitor = DeviceMonitor([PrinterProbe(get_print_service), DiskProbe(data_dir, 500)], faults)
    monitor.add_listener(on_event)      # called on the polling thread
    monitor.tick()                      # poll every device once, escalate, send handovers
    runner = MonitorRunner(monitor, 30).start()   # the same on a thread, every 30 s and on demand

A probe reads one device and reports the conditions that hold (paper_out, disk_low …). The
monitor compares them with the last reading: a new condition is an event with ``active`` set and
opens (or continues) its fault; a condition gone is an event with ``active`` cleared and
auto-resolves it. Things that happen rather than hold (a failed print, a database error, an
unhandled exception) are reported with ``report``. Nothing here touches Qt: the kiosk's window
subscribes to the events, and ``kiosk devices check`` runs one tick.
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import socket
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Protocol

from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError

from drivers.printer.status import PrinterStatus, StatusKind
from kiosk.clock import Clock, system_clock
from kiosk.devices.kinds import EVENT_KINDS, device_label, kind_info
from kiosk.db import DISK_FULL, FULL_BELOW_BYTES, READ_ONLY, storage_problem
from kiosk.devices.models import DeviceCounter, DeviceStateRecord

log = logging.getLogger(__name__)

#: printer conditions that mean the status could not be read at all: while they hold, the
#: conditions found before (paper out …) are neither confirmed nor cleared
BLIND_PRINTER_KINDS = frozenset({StatusKind.DISCONNECTED, StatusKind.NO_RESPONSE, StatusKind.TIMEOUT})
SEVERITY_ORDER = {"ok": 0, "info": 1, "warning": 2, "error": 3}


@dataclass(frozen=True)
class Condition:
    kind: str
    severity: str
    message_zh: str
    message_en: str


def condition(kind: str, message_zh: str = "", message_en: str = "") -> Condition:
    info = kind_info(kind)
    return Condition(kind, info.severity, message_zh or info.zh, message_en or info.en)


@dataclass(frozen=True)
class DeviceReading:
    """What one look at a device found."""

    device: str
    conditions: tuple[Condition, ...] = ()
    read_at: datetime | None = None
    #: the raw replies (hex) and facts worth showing a maintainer (free bytes, URI …)
    raw: dict[str, str] = field(default_factory=dict)
    detail: str = ""
    #: the device could not be read: earlier conditions are neither confirmed nor cleared
    blind: bool = False
    #: "poll", "job" (a print job found it), "kiosk" (read by the kiosk's monitor, from the database)
    source: str = "poll"
    reporter: str = ""

    @property
    def kinds(self) -> set[str]:
        return {c.kind for c in self.conditions}

    @property
    def severity(self) -> str:
        return max((c.severity for c in self.conditions), key=SEVERITY_ORDER.__getitem__, default="ok")

    @property
    def usable(self) -> bool:
        return self.severity != "error"

    @property
    def label_zh(self) -> str:
        return device_label(self.device)

    @property
    def message_zh(self) -> str:
        """Short state for a banner or a panel: 正常, 缺纸、上盖打开 …"""
        if not self.conditions:
            return "正常"
        return "、".join(c.message_zh for c in sorted(self.conditions, key=lambda c: -SEVERITY_ORDER[c.severity]))

    @property
    def message_en(self) -> str:
        return ", ".join(c.message_en for c in self.conditions) or "ok"

    def to_dict(self) -> dict[str, object]:
        return {
            "device": self.device,
            "label_zh": self.label_zh,
            "severity": self.severity,
            "usable": self.usable,
            "conditions": sorted(self.kinds),
            "message_zh": self.message_zh,
            "message_en": self.message_en,
            "raw": dict(self.raw),
            "detail": self.detail,
            "read_at": self.read_at.isoformat(timespec="seconds") if self.read_at else None,
            "source": self.source,
            "reporter": self.reporter,
        }


@dataclass(frozen=True)
class DeviceEvent:
    """A change: ``kind`` began (active) or went away (not active) on ``device``."""

    device: str
    kind: str
    severity: str
    active: bool
    message_zh: str
    message_en: str
    at: datetime
    detail: str = ""
    #: the device's reading after the change (None for reported happenings)
    reading: DeviceReading | None = None

    @property
    def label_zh(self) -> str:
        return device_label(self.device)


DeviceListener = Callable[[DeviceEvent], None]


class Probe(Protocol):
    #: the device's name in the fault log (printer, disk, database …)
    name: str
    #: true when only one process may talk to the device at a time (a USB or port-9100
    #: printer): `kiosk devices check` leaves it to the running kiosk
    exclusive: bool
    #: the kinds this probe decides on (a poll that no longer finds one clears it)
    kinds: frozenset[str]

    def read(self, now: datetime) -> DeviceReading: ...


# --- probes -----------------------------------------------------------------------------------


PRINTER_KINDS = frozenset(k.value for k in StatusKind if k not in (StatusKind.OK, StatusKind.UNKNOWN)) | {"printer_config"}


def printer_reading(status: PrinterStatus, now: datetime, source: str = "poll") -> DeviceReading:
    conditions = tuple(
        condition(k.value)
        for k in status.kinds
        if k not in (StatusKind.OK, StatusKind.UNKNOWN)
    )
    raw = {("DLE EOT " + key if key.isdigit() else "GS r 1"): value.hex() or "（无应答）" for key, value in status.raw.items()}
    if StatusKind.UNKNOWN in status.conditions:
        raw["status"] = "unknown: " + (status.detail or "no status")
    return DeviceReading(
        "printer", conditions, status.read_at or now, raw, status.detail,
        blind=bool(status.conditions & BLIND_PRINTER_KINDS), source=source,
    )


class PrinterProbe:
    """The receipt printer, through the print service (created on first use)."""

    name = "printer"
    kinds = PRINTER_KINDS

    def __init__(self, get_service: Callable[[], object], *, exclusive: bool | None = None):
        self._get_service = get_service
        self._service = None
        self._listener: Callable | None = None
        self._exclusive = exclusive
        self._config_error = ""
        self._reading = threading.local()
        self.on_status_change: Callable[[DeviceReading], None] | None = None
        #: called with (PrintOutcome, Document) after every print through the service
        self.on_print_outcome: Callable[[object, object], None] | None = None

    @property
    def exclusive(self) -> bool:
        if self._exclusive is not None:
            return self._exclusive
        service = self.service()
        uri = getattr(service, "uri", "") if service is not None else ""
        return not uri.startswith(("sim:", "file:"))

    def service(self):
        if self._service is None:
            try:
                self._service = self._get_service()
            except Exception as exc:  # noqa: BLE001 - a misconfigured printer is a condition
                log.error("printer unusable: %s", exc)
                self._config_error = str(exc)
                return None
            add = getattr(self._service, "add_listener", None)
            if add is not None:
                self._listener = self._status_changed
                add(self._listener)
            outcomes = getattr(self._service, "outcome_listeners", None)
            if outcomes is not None:
                outcomes.append(self._print_outcome)
        return self._service

    def _print_outcome(self, outcome, document) -> None:
        if self.on_print_outcome is not None:
            self.on_print_outcome(outcome, document)

    def _status_changed(self, event) -> None:
        """Someone else's use of the printer changed its state: a print job (paper ran out while
        printing …) or a status read outside the monitor (a test page reads it first)."""
        if getattr(self._reading, "active", False) or self.on_status_change is None:
            return  # our own poll: read() returns the reading
        status = self._service.last_status if self._service is not None else None
        if status is not None:
            self.on_status_change(printer_reading(status, event.at, event.source))

    def read(self, now: datetime) -> DeviceReading:
        service = self.service()
        if service is None:
            return DeviceReading(
                "printer", (condition("printer_config"),), now, {}, self._config_error, blind=True
            )
        self._reading.active = True
        try:
            status = service.status()
        finally:
            self._reading.active = False
        reading = printer_reading(status, now)
        raw = dict(reading.raw)
        raw["uri"] = service.uri
        raw["profile"] = service.profile.name
        return replace(reading, raw=raw)

    def reconnect(self) -> None:
        service = self.service()
        if service is not None:
            service.printer.release()


class DiskProbe:
    """Free space on the disk holding the data folder (database, sim printer, logs): a warning
    below ``min_free_mb``, an error (nothing can be saved) below 1 MB."""

    name = "disk"
    exclusive = False
    kinds = frozenset({"disk_low", "disk_full"})

    def __init__(self, path: Path, min_free_mb: int, *, usage: Callable = shutil.disk_usage):
        self.path = Path(path)
        self.min_free_mb = min_free_mb
        self.usage = usage

    def read(self, now: datetime) -> DeviceReading:
        path = self.path
        while not path.exists() and path.parent != path:
            path = path.parent
        total, _used, free = self.usage(path)
        free_mb = free // (1024 * 1024)
        raw = {"path": str(self.path), "free_mb": str(free_mb), "total_mb": str(total // (1024 * 1024))}
        if free < FULL_BELOW_BYTES:
            return DeviceReading(
                "disk", (condition("disk_full", "磁盘已满，无法保存", f"disk full ({free} bytes free)"),),
                now, raw, f"{free} bytes free",
            )
        if free_mb < self.min_free_mb:
            return DeviceReading(
                "disk",
                (condition("disk_low", f"存储空间不足（剩余 {free_mb} MB）", f"disk nearly full ({free_mb} MB free)"),),
                now, raw, f"{free_mb} MB free < {self.min_free_mb} MB",
            )
        return DeviceReading("disk", (), now, raw)


class DatabaseProbe:
    """The database answers a query and takes a write: a counter (database/write_checks) is
    raised and committed each round, so a disk remounted read-only or full is found even while
    reads still work."""

    name = "database"
    exclusive = False
    kinds = frozenset({"database_unavailable", "database_read_only", "disk_full"})

    def __init__(self, database, terminal: str = ""):
        self.database = database
        self.terminal = terminal

    def read(self, now: datetime) -> DeviceReading:
        raw = {"backend": self.database.engine.dialect.name}
        try:
            with self.database.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except SQLAlchemyError as exc:
            return self._failed(exc, now, raw, "database_unavailable")
        try:
            with self.database.session() as session:
                row = session.get(DeviceCounter, (self.terminal, "database", "write_checks"))
                if row is None:
                    row = DeviceCounter(terminal=self.terminal, device="database", name="write_checks", value=0)
                    session.add(row)
                row.value = (row.value or 0) + 1
                row.updated_at = now or datetime.now()
        except SQLAlchemyError as exc:
            code = getattr(getattr(exc, "orig", None), "sqlite_errorcode", None)
            if isinstance(code, int) and code & 0xFF in (5, 6):  # SQLITE_BUSY, SQLITE_LOCKED: a long write elsewhere
                return DeviceReading("database", (), now, raw, "write check skipped: the database is busy")
            return self._failed(exc, now, raw, "database_unavailable")
        return DeviceReading("database", (), now, raw)

    def _failed(self, exc: SQLAlchemyError, now, raw: dict, fallback: str) -> DeviceReading:
        problem = storage_problem(exc, self.database.sqlite_path)
        kind = {READ_ONLY: "database_read_only", DISK_FULL: "disk_full"}.get(problem, fallback)
        return DeviceReading("database", (condition(kind),), now, raw, str(exc).splitlines()[0][:300])


# --- the monitor ------------------------------------------------------------------------------


def _monitor_work(method):
    """Marks the thread as doing the monitor's own work while ``method`` runs, so that a
    database error it causes is not reported back to it (see DeviceMonitor.busy_here)."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        depth = getattr(self._busy, "depth", 0)
        self._busy.depth = depth + 1
        try:
            return method(self, *args, **kwargs)
        finally:
            self._busy.depth = depth

    return wrapper


def reporter_name(role: str) -> str:
    return f"{role}:{os.getpid()}@{socket.gethostname()}"


class DeviceMonitor:
    def __init__(
        self,
        probes: list,
        faults=None,
        *,
        terminal: str = "",
        clock: Clock = system_clock,
        reporter: str | None = None,
        store_state: bool = True,
    ):
        self.probes = {p.name: p for p in probes}
        self.faults = faults
        self.terminal = terminal or (faults.terminal if faults is not None else "")
        self.clock = clock
        self.reporter = reporter or reporter_name("kiosk")
        self.store_state = store_state and faults is not None
        self._listeners: list[DeviceListener] = []
        self._readings: dict[str, DeviceReading] = {}
        #: per device, the kinds the fault log has as active (None: not loaded yet)
        self._logged: dict[str, set[str] | None] = {}
        self._lock = threading.RLock()
        self._reporting = threading.local()
        self._alerted: set[str] = set()
        self._busy = threading.local()
        self.last_tick: datetime | None = None
        self.started_at = clock()
        for probe in probes:
            if isinstance(probe, PrinterProbe):
                probe.on_status_change = lambda reading: self.update(reading)

    def busy_here(self) -> bool:
        """Whether the calling thread is inside the monitor's own work."""
        return getattr(self._busy, "depth", 0) > 0

    # --- listeners -------------------------------------------------------------------------------

    def add_listener(self, listener: DeviceListener) -> None:
        if listener not in self._listeners:
            self._listeners.append(listener)

    def remove_listener(self, listener: DeviceListener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _emit(self, event: DeviceEvent) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:  # noqa: BLE001 - a broken listener must not stop monitoring
                log.exception("device listener %r failed", listener)

    # --- state --------------------------------------------------------------------------------------

    def reading(self, device: str) -> DeviceReading | None:
        return self._readings.get(device)

    def readings(self) -> dict[str, DeviceReading]:
        return dict(self._readings)

    def readiness(self, device: str = "printer") -> tuple[bool, str]:
        """(usable, short state in Chinese) from the last reading; (True, "") before any."""
        reading = self._readings.get(device)
        if reading is None:
            return True, ""
        return reading.usable, reading.message_zh

    # --- polling ------------------------------------------------------------------------------------

    def poll_once(self, devices: list[str] | None = None, *, skip_exclusive: bool = False) -> list[DeviceReading]:
        """Read every device (or the named ones) once; returns the readings."""
        out = []
        for name, probe in list(self.probes.items()):
            if devices is not None and name not in devices:
                continue
            if skip_exclusive and probe.exclusive:
                continue
            now = self.clock()
            try:
                reading = probe.read(now)
            except Exception as exc:  # noqa: BLE001 - a probe bug is the app's fault, not a crash
                log.exception("probe %s failed", name)
                self.report("app", "unhandled_exception", detail=f"probe {name}: {exc!r}")
                continue
            self.update(reading)
            out.append(reading)
        return out

    @_monitor_work
    def tick(self, *, skip_exclusive: bool = False) -> list[DeviceReading]:
        """One round: poll, then escalate unacknowledged faults and send due handovers."""
        readings = self.poll_once(skip_exclusive=skip_exclusive)
        if self.faults is not None:
            try:
                self.faults.escalate_due()
                self.faults.notify_handovers()
            except SQLAlchemyError as exc:
                log.error("escalation skipped: database error: %s", exc)
        self.last_tick = self.clock()
        return readings

    @_monitor_work
    def update(self, reading: DeviceReading) -> None:
        """Take a reading (from a poll, or from a print job): emit events for what changed and
        bring the fault log in step."""
        probe = self.probes.get(reading.device)
        managed = probe.kinds if probe is not None else reading.kinds
        with self._lock:
            previous = self._readings.get(reading.device)
            before = previous.kinds if previous is not None else set()
            seen = reading.kinds
            if reading.blind and previous is not None:
                # Can't see the device: keep what was known, plus the blindness itself.
                kept = tuple(c for c in previous.conditions if c.kind not in seen and c.kind not in PRINTER_BLIND_NAMES)
                reading = replace(reading, conditions=reading.conditions + kept)
            now_kinds = reading.kinds
            self._readings[reading.device] = reading
            at = reading.read_at or self.clock()
            events = []
            for c in reading.conditions:
                if c.kind not in before:
                    events.append(DeviceEvent(reading.device, c.kind, c.severity, True, c.message_zh, c.message_en, at, reading.detail, reading))
            for kind in sorted(before - now_kinds):
                info = kind_info(kind)
                events.append(DeviceEvent(reading.device, kind, info.severity, False, f"{info.zh}已恢复", f"{info.en} cleared", at, "", reading))
            self._sync_faults(reading, seen, managed)
            self._store(reading)
        for event in events:
            self._emit(event)
        if reading.device == "printer" and reading.source == "poll" and not reading.blind and not reading.conditions:
            # A failed print (a jam, a dropped connection) is over once the printer reads fine.
            self.recovered("printer", "print_failed", detail="打印机巡检正常 / the printer reads fine again")

    def _sync_faults(self, reading: DeviceReading, seen: set[str], managed: frozenset[str] | set[str]) -> None:
        """Open or continue a fault for each managed condition seen; auto-resolve the ones gone
        (but while the device can't be read, only its blindness can go away)."""
        if self.faults is None:
            return
        device = reading.device
        present = seen & set(managed)
        try:
            logged = self._logged.get(device)
            if logged is None:
                logged = {k for k in self.faults.active_kinds(device) if k in managed}
            messages = {c.kind: c.message_zh for c in reading.conditions}
            for kind in sorted(present):
                self.faults.observe(device, kind, onset=kind not in logged, message=messages.get(kind, ""), detail=reading.detail)
            gone = logged - present
            if reading.blind:
                gone &= PRINTER_BLIND_NAMES
            for kind in sorted(gone):
                self.faults.clear(device, kind, detail=f"{device_label(device)}恢复正常 / {device} recovered")
            self._logged[device] = present | (logged - gone)
            self._alerted.discard(device)
        except SQLAlchemyError as exc:
            # The fault log is in the database; if that fails, try again at the next reading.
            self._logged[device] = None
            log.error("fault log not updated for %s: %s", device, exc)
            if present:
                self._fallback_alert(device, sorted(present), str(exc))

    def _fallback_alert(self, device: str, kinds: list[str], error: str) -> None:
        """The fault log can't be written (the database is down): tell the maintainers directly,
        once per device until it can be written again."""
        if device in self._alerted:
            return
        self._alerted.add(device)
        from kiosk.notify import Notification

        names = "、".join(kind_info(k).zh for k in kinds)
        try:
            self.faults.notifier.send(
                Notification(
                    "fault_opened",
                    f"【自助终端故障】{self.faults.terminal_name} {device_label(device)}{names}",
                    (
                        f"终端：{self.faults.terminal_name}（{self.terminal}）",
                        f"设备：{device_label(device)}　故障：{names}",
                        "故障记录无法写入数据库，请尽快到现场检查。",
                        f"错误：{error.splitlines()[0][:200] if error else ''}",
                    ),
                    terminal=self.terminal,
                )
            )
        except Exception:  # noqa: BLE001
            log.exception("fallback notification failed")

    def _store(self, reading: DeviceReading) -> None:
        if not self.store_state:
            return
        try:
            with self.faults.database.session() as session:
                row = session.get(DeviceStateRecord, (self.terminal, reading.device))
                if row is None:
                    row = DeviceStateRecord(terminal=self.terminal, device=reading.device)
                    session.add(row)
                row.conditions = sorted(reading.kinds)
                row.severity = reading.severity
                row.message = reading.message_zh[:200]
                row.raw = dict(reading.raw)
                row.detail = reading.detail
                row.read_at = reading.read_at
                row.reporter = self.reporter
                row.updated_at = self.clock()
        except SQLAlchemyError as exc:
            log.error("device state not stored: %s", exc)

    def stored_state(self, device: str) -> tuple[DeviceReading, datetime] | None:
        """The last reading of ``device`` written by any process (the kiosk's, or a check's)."""
        if self.faults is None:
            return None
        with self.faults.database.session() as session:
            row = session.get(DeviceStateRecord, (self.terminal, device))
            if row is None:
                return None
            conditions = tuple(condition(k) for k in row.conditions)
            reading = DeviceReading(device, conditions, row.read_at, dict(row.raw), row.detail, source="stored", reporter=row.reporter)
            return reading, row.updated_at

    # --- things that happen --------------------------------------------------------------------------

    @_monitor_work
    def report(self, device: str, kind: str, *, detail: str = "", message_zh: str = "") -> None:
        """Something went wrong once (a print failed, a database call failed, an exception):
        an event, and a fault counted once more per happening."""
        if getattr(self._reporting, "active", False):
            return  # the fault log itself failed while reporting: don't recurse
        self._reporting.active = True
        try:
            info = kind_info(kind)
            now = self.clock()
            event = DeviceEvent(device, kind, info.severity, True, message_zh or info.zh, info.en, now, detail)
            if self.faults is not None:
                try:
                    self.faults.observe(device, kind, onset=True, message=message_zh, detail=detail)
                except SQLAlchemyError as exc:
                    log.error("fault %s/%s not recorded (database error: %s)", device, kind, exc)
                    self._fallback_alert(device, [kind], str(exc))
            self._emit(event)
        finally:
            self._reporting.active = False

    @_monitor_work
    def recovered(self, device: str, kind: str, *, detail: str = "") -> None:
        """A happening-type fault is over (a print succeeded after failed ones)."""
        if self.faults is None or kind not in EVENT_KINDS:
            return
        try:
            if kind in self.faults.active_kinds(device):
                self.faults.clear(device, kind, detail=detail)
                info = kind_info(kind)
                self._emit(DeviceEvent(device, kind, info.severity, False, f"{info.zh}已恢复", f"{info.en} cleared", self.clock(), detail))
        except SQLAlchemyError as exc:
            log.error("fault %s/%s not cleared: %s", device, kind, exc)

    # --- counters ----------------------------------------------------------------------------------------

    @_monitor_work
    def count(self, device: str, name: str, amount: int = 1) -> None:
        if self.faults is None:
            return
        try:
            with self.faults.database.session() as session:
                row = session.get(DeviceCounter, (self.terminal, device, name))
                if row is None:
                    row = DeviceCounter(terminal=self.terminal, device=device, name=name, value=0, updated_at=self.clock())
                    session.add(row)
                row.value = (row.value or 0) + amount
                row.updated_at = self.clock()
        except SQLAlchemyError as exc:
            log.error("counter %s/%s not updated: %s", device, name, exc)

    def counters(self, device: str) -> dict[str, int]:
        if self.faults is None:
            return {}
        with self.faults.database.session() as session:
            rows = session.scalars(
                select(DeviceCounter).where(DeviceCounter.terminal == self.terminal, DeviceCounter.device == device)
            )
            return {r.name: r.value for r in rows}


PRINTER_BLIND_NAMES = frozenset(k.value for k in BLIND_PRINTER_KINDS) | {"printer_config"}


class MonitorRunner:
    """Runs a round (``tick``, default ``monitor.tick``) on a daemon thread every ``interval``
    seconds, and at once when ``poll_now()`` is called. ``stop()`` returns within ``timeout``."""

    def __init__(self, monitor: DeviceMonitor, interval: float, *, tick: Callable[[], object] | None = None):
        self.monitor = monitor
        self.interval = interval
        self.tick = tick or monitor.tick
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.ticks = 0
        self.errors = 0

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> MonitorRunner:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="kiosk-device-monitor", daemon=True)
            self._thread.start()
        return self

    def poll_now(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.tick()
                self.ticks += 1
            except Exception:  # noqa: BLE001 - the monitor thread must not die
                self.errors += 1
                log.error("device monitor round failed:\n%s", traceback.format_exc())
            self._wake.wait(self.interval)
            self._wake.clear()
