"""Everything about a terminal's devices and faults, put together from the configuration:
the staff directory, the fault log with its notifier, the monitor and its thread.

The kiosk builds one (KioskServices.devices); `kiosk devices check` builds one per run.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.exc import InterfaceError, InternalError, OperationalError

from kiosk import __version__
from kiosk.clock import Clock, system_clock
from kiosk.i18n import tr
from kiosk.config import Config
from kiosk.db import Database
from kiosk.devices.faults import FaultLog, FaultView
from kiosk.devices.kinds import device_label
from kiosk.devices.monitor import (
    DatabaseProbe,
    DeviceMonitor,
    DeviceReading,
    DiskProbe,
    MonitorRunner,
    PrinterProbe,
    reporter_name,
)
from kiosk.notify import Notifier, build_notifier
from kiosk.staff import StaffService, StaffSession, require_maintainer

log = logging.getLogger(__name__)

#: the title drivers/printer/testpage.py gives the test page's document
TEST_PAGE_TITLE = "打印机测试页"
#: errors that mean the database itself is in trouble (not our own constraint checks)
DATABASE_TROUBLE = (OperationalError, InterfaceError, InternalError)


def week_start(now: datetime) -> datetime:
    """Monday 00:00 of the week of ``now``."""
    return datetime(now.year, now.month, now.day) - timedelta(days=now.weekday())


@dataclass(frozen=True)
class DeviceView:
    """One device on the maintainer's panel."""

    device: str
    label_zh: str
    reading: DeviceReading | None
    counters: dict[str, int] = field(default_factory=dict)
    faults_this_week: int = 0
    active_faults: tuple[FaultView, ...] = ()
    #: when the reading was taken by another process (the kiosk, seen from the command line)
    stored_at: datetime | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "device": self.device,
            "label_zh": self.label_zh,
            "reading": self.reading.to_dict() if self.reading else None,
            "counters": dict(self.counters),
            "faults_this_week": self.faults_this_week,
            "active_faults": [f.id for f in self.active_faults],
        }


@dataclass(frozen=True)
class CheckReport:
    """What `kiosk devices check` found."""

    readings: tuple[DeviceReading, ...]
    #: devices left to the running kiosk (it holds them), with its last reading
    delegated: tuple[str, ...]
    active_faults: tuple[FaultView, ...]
    escalated: tuple[FaultView, ...] = ()

    @property
    def ok(self) -> bool:
        return all(r.usable for r in self.readings)

    def to_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "devices": [r.to_dict() for r in self.readings],
            "delegated_to_kiosk": list(self.delegated),
            "active_faults": [f.to_dict() for f in self.active_faults],
            "escalated": [f.id for f in self.escalated],
        }


@dataclass(frozen=True)
class TerminalInfo:
    version: str
    terminal_id: str
    terminal_name: str
    zone: str
    configuration: dict[str, object]
    database_bytes: int | None
    disk_free_bytes: int | None
    disk_total_bytes: int | None
    started_at: datetime
    now: datetime
    monitor_running: bool
    last_poll: datetime | None
    notifications: str
    #: the configuration keys whose value the center set (docs/fleet.md), marked on the screen
    from_center: frozenset[str] = frozenset()
    #: the center's settings pulled while running that take effect at the next start
    restart_pending: tuple[str, ...] = ()

    @property
    def uptime(self) -> timedelta:
        return self.now - self.started_at


def human_bytes(n: int | None) -> str:
    if n is None:
        return "—"
    value = float(n)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if value < 1024 or unit == "TB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{n} B"


def human_duration(delta: timedelta) -> str:
    seconds = max(0, int(delta.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return tr("{d}天{h}小时").format(d=days, h=hours)
    if hours:
        return tr("{h}小时{m}分").format(h=hours, m=minutes)
    return tr("{m}分钟").format(m=minutes)


def maintainer_actor(who: StaffSession | str | None) -> str:
    """The audit log's actor for a maintainer's action: the command line's actor id as given; a
    signed-in person only when they may maintain (StaffError otherwise)."""
    if isinstance(who, str):
        return who
    return require_maintainer(who).staff_id


class DeviceService:
    def __init__(
        self,
        config: Config,
        database: Database,
        *,
        printing: Callable[[], object] | None = None,
        staff: StaffService | None = None,
        notifier: Notifier | None = None,
        clock: Clock = system_clock,
        role: str = "kiosk",
        disk_usage: Callable = shutil.disk_usage,
        printer_exclusive: bool | None = None,
        idcard: Callable[[], object] | None = None,
        scanner: Callable[[], object] | None = None,
        restart_pending: Callable[[], tuple[str, ...]] = tuple,
    ):
        self.config = config
        #: the center's settings pulled while running that take effect at the next start
        #: (kiosk.app.Application.restart_pending), shown in terminal_info
        self.restart_pending = restart_pending
        self.database = database
        self.clock = clock
        self.staff = staff or StaffService(database, terminal=config.terminal.id, config=config.staff, clock=clock)
        self.notifier = notifier or build_notifier(config)
        self.faults = FaultLog(
            database, self.staff, terminal=config.terminal.id, terminal_name=config.terminal.name,
            config=config.faults, notifier=self.notifier, clock=clock,
        )
        probes: list = []
        if printing is not None:
            self.printer_probe: PrinterProbe | None = PrinterProbe(printing, exclusive=printer_exclusive)
            self.printer_probe.on_print_outcome = self._on_print
            probes.append(self.printer_probe)
        else:
            self.printer_probe = None
        probes.append(DiskProbe(Path(config.data_dir), config.devices.disk_min_free_mb, usage=disk_usage))
        probes.append(DatabaseProbe(database, config.terminal.id))
        # the ID card reader and the serial scanner, when configured (docs/idcard.md)
        self._idcard = idcard
        reader_probe = scanner_probe = None
        if idcard is not None and config.idcard.uri:
            from kiosk.idcard.probes import CardReaderProbe

            reader_probe = CardReaderProbe(idcard)
            probes.append(reader_probe)
        if scanner is not None and config.scanner.uri:
            from kiosk.idcard.probes import ScannerProbe

            scanner_probe = ScannerProbe(scanner)
            probes.append(scanner_probe)
        self.monitor = DeviceMonitor(probes, self.faults, terminal=config.terminal.id, clock=clock, reporter=reporter_name(role))
        if reader_probe is not None:
            reader_probe.on_status_change = self.monitor.update
            reader_probe.count = self.monitor.count
        self.runner: MonitorRunner | None = None
        self._db_errors: list[str] = []
        self._db_errors_lock = threading.Lock()
        self._db_listening = False

    # --- running -------------------------------------------------------------------------------

    def start(self) -> None:
        """Start polling in the background (the kiosk process), and record database errors."""
        self.watch_database()
        if self.runner is None:
            self.runner = MonitorRunner(self.monitor, self.config.devices.poll_seconds, tick=self.tick).start()

    def poll_now(self) -> None:
        if self.runner is not None:
            self.runner.poll_now()

    def close(self, timeout: float = 2.0) -> None:
        """Stop polling and give pending notifications ``timeout`` seconds."""
        if self.runner is not None:
            self.runner.stop()
            self.runner = None
        if self._db_listening:
            event.remove(self.database.engine, "handle_error", self._on_database_error)
            self._db_listening = False
        self.notifier.close(timeout)

    def report_exception(self, text: str) -> None:
        """An unhandled exception, as one line (kiosk/crash.py hands the last run's crash
        record to monitor.report the same way when the kiosk starts again)."""
        self.monitor.report("app", "unhandled_exception", detail=text)

    # --- database errors ------------------------------------------------------------------------------

    def watch_database(self) -> None:
        if not self._db_listening:
            event.listen(self.database.engine, "handle_error", self._on_database_error)
            self._db_listening = True

    def _on_database_error(self, context) -> None:
        """Called by SQLAlchemy inside the failing call: only note it here; it is recorded by
        the next round of the monitor (writing to a failing database from here could deadlock)."""
        error = context.sqlalchemy_exception
        if not isinstance(error, DATABASE_TROUBLE) or self.monitor.busy_here():
            return
        text = str(context.original_exception)[:300]
        with self._db_errors_lock:
            if len(self._db_errors) < 100:
                self._db_errors.append(text)
        log.error("database error: %s", text)
        self.poll_now()

    def flush_database_errors(self) -> int:
        with self._db_errors_lock:
            errors, self._db_errors = self._db_errors, []
        for text in errors:
            self.monitor.report("database", "database_error", detail=text)
        return len(errors)

    # --- polling ----------------------------------------------------------------------------------------

    def tick(self, *, skip_exclusive: bool = False) -> list[DeviceReading]:
        self.flush_database_errors()
        return self.monitor.tick(skip_exclusive=skip_exclusive)

    def poll(self, devices: list[str] | None = None) -> list[DeviceReading]:
        self.flush_database_errors()
        return self.monitor.poll_once(devices)

    def kiosk_holds(self, device: str) -> tuple[DeviceReading, datetime] | None:
        """The running kiosk's last reading of an exclusive device, when it is fresh."""
        stored = self.monitor.stored_state(device)
        if stored is None:
            return None
        reading, updated_at = stored
        fresh = timedelta(seconds=max(60, 2 * self.config.devices.poll_seconds + 10))
        if reading.reporter.startswith("kiosk:") and reading.reporter != self.monitor.reporter and self.clock() - updated_at <= fresh:
            return reading, updated_at
        return None

    def check(self, *, direct: bool = False) -> CheckReport:
        """`kiosk devices check`: poll every device once (leaving a USB or network printer to a
        running kiosk, whose fresh reading is used), escalate, update the fault log."""
        delegated: list[DeviceReading] = []
        if not direct:
            for name, probe in self.monitor.probes.items():
                if probe.exclusive:
                    held = self.kiosk_holds(name)
                    if held is not None:
                        delegated.append(held[0])
        skip = {r.device for r in delegated}
        self.flush_database_errors()
        readings = self.monitor.poll_once([n for n in self.monitor.probes if n not in skip])
        escalated = self.faults.escalate_due()
        self.faults.notify_handovers()
        ordered = [r for name in self.monitor.probes for r in readings + delegated if r.device == name]
        return CheckReport(tuple(ordered), tuple(sorted(skip)), tuple(self.faults.list("active")), tuple(escalated))

    # --- the maintainer's panel ------------------------------------------------------------------------

    def overview(self) -> list[DeviceView]:
        now = self.clock()
        since = week_start(now)
        active = self.faults.list("active")
        views = []
        for name in self.monitor.probes:
            reading = self.monitor.reading(name)
            stored_at = None
            if reading is None:
                stored = self.monitor.stored_state(name)
                if stored is not None:
                    reading, stored_at = stored
            views.append(
                DeviceView(
                    name,
                    device_label(name),
                    reading,
                    self.monitor.counters(name),
                    self.faults.count_since(since, name),
                    tuple(f for f in active if f.device == name),
                    stored_at,
                )
            )
        return views

    def _on_print(self, outcome, document) -> None:
        self.note_print(outcome, slip="test_pages" if getattr(document, "title", "") == TEST_PAGE_TITLE else "slips_printed")

    def note_print(self, outcome, *, slip: str = "slips_printed") -> None:
        """After any print (every PrintService job comes here): count it, or record the failure."""
        if outcome.ok:
            self.monitor.count("printer", slip)
            self.monitor.recovered("printer", "print_failed", detail="a print succeeded")
        else:
            reason = outcome.printer_message or outcome.message
            self.monitor.report("printer", "print_failed", detail=f"{reason} / {outcome.message_en}" + (f": {outcome.detail}" if outcome.detail else ""))

    # --- a maintainer's actions, audited --------------------------------------------------------------
    # ``who``: a signed-in StaffSession (StaffError unless it may maintain), or the command line's
    # actor id (cli_actor(), a staff id given with --by) as the audit log's actor.

    def print_test_page(self, who: StaffSession | str):
        from kiosk.printing import PrintService

        actor = maintainer_actor(who)
        service = self.printer_probe.service() if self.printer_probe else None
        if not isinstance(service, PrintService):
            raise RuntimeError("打印机未正确配置 / the printer is not configured")
        outcome = service.print_test_page()  # counted by _on_print
        self.staff.audit(actor, "device.test_page", "printer", "printed" if outcome.ok else str(outcome), ok=outcome.ok)
        return outcome

    def reconnect(self, device: str, who: StaffSession | str) -> DeviceReading | None:
        actor = maintainer_actor(who)
        probe = self.monitor.probes.get(device)
        if probe is None:
            raise KeyError(device)
        if hasattr(probe, "reconnect"):
            probe.reconnect()
        readings = self.monitor.poll_once([device])
        reading = readings[0] if readings else None
        self.staff.audit(actor, "device.reconnect", device, reading.message_en if reading else "")
        return reading

    # --- faults, with the audit log ----------------------------------------------------------------------

    def acknowledge_fault(self, fault_id, who: StaffSession | str) -> FaultView:
        actor = maintainer_actor(who)
        try:
            view = self.faults.acknowledge(fault_id, actor)
        except Exception as exc:
            self.staff.audit(actor, "fault.ack", str(fault_id), str(exc), ok=False)
            raise
        self.staff.audit(actor, "fault.ack", str(view.id), f"{view.device} {view.kind}")
        return view

    def resolve_fault(self, fault_id, who: StaffSession | str, note: str) -> FaultView:
        actor = maintainer_actor(who)
        try:
            view = self.faults.resolve(fault_id, actor, note)
        except Exception as exc:
            self.staff.audit(actor, "fault.resolve", str(fault_id), str(exc), ok=False)
            raise
        self.staff.audit(actor, "fault.resolve", str(view.id), f"{view.device} {view.kind}: {view.note}")
        return view

    def refresh(self, who: StaffSession | str) -> list[DeviceView]:
        """Read every device now (maintainer mode's 刷新); the overview after it."""
        actor = maintainer_actor(who)
        self.poll()
        self.staff.audit(actor, "device.refresh", "all")
        return self.overview()

    def test_read_card(self, who: StaffSession | str):
        """A maintainer's test read of the ID card reader: (CardRead, the card masked or None)."""
        actor = maintainer_actor(who)
        if self._idcard is None:
            raise RuntimeError("身份证阅读器未配置 / the ID card reader is not configured")
        reader: Any = self._idcard()
        read, shown = reader.test_read()
        self.staff.audit(actor, "device.test_read", "card_reader", read.kind.value, ok=read.ok)
        return read, shown

    def terminal_info(self) -> TerminalInfo:
        now = self.clock()
        database_bytes = None
        if self.database.is_sqlite:
            path = self.database.engine.url.database
            if path and path != ":memory:":
                database_bytes = sum(
                    os.path.getsize(p) for p in (path, path + "-wal", path + "-shm") if os.path.exists(p)
                )
        free = total = None
        try:
            folder = Path(self.config.data_dir)
            while not folder.exists() and folder.parent != folder:
                folder = folder.parent
            usage = shutil.disk_usage(folder)
            free, total = usage.free, usage.total
        except OSError:
            pass
        notes = tr("仅写入日志")
        webhooks = [n for n in getattr(self.notifier, "notifiers", [self.notifier]) if hasattr(n, "delivered")]
        if webhooks:
            w = webhooks[0]
            notes = tr("群机器人：已送达 {delivered}，失败 {failed}，丢弃 {dropped}").format(
                delivered=w.delivered, failed=w.failed, dropped=w.dropped)
        return TerminalInfo(
            __version__, self.config.terminal.id, self.config.terminal.name, self.config.terminal.zone,
            self.config.redacted(), database_bytes, free, total, self.monitor.started_at, now,
            self.runner is not None and self.runner.running, self.monitor.last_tick, notes, self.config.center_keys,
            self.restart_pending(),
        )


__all__ = ["CheckReport", "DeviceService", "DeviceView", "TerminalInfo", "human_bytes", "human_duration", "week_start"]
