"""Unhandled exceptions: logged with their traceback, kept as a crash record, then the process
ends so that systemd starts a fresh kiosk; the next start turns the record into a fault.

    install_hooks(data_dir, on_crash=...)     # early: cli.main, ui.app.run
    report_pending(data_dir, monitor.report)  # on the next start: one fault-log entry

The record is ``<data_dir>/crash/last.json`` (written atomically; personal data masked like the
log). ``report_pending`` hands it to ``report(device, kind, detail=...)`` (the signature of
``kiosk.devices.monitor.DeviceMonitor.report``) and only then moves it to ``previous.json``, so
a record survives a start whose fault log is unreachable.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from kiosk.logs import mask_personal_data
from kiosk.privacy import create_private

log = logging.getLogger(__name__)

#: the exit status after an unhandled exception (BSD's EX_SOFTWARE)
EXIT_CRASH = 70
CRASH_DIR = "crash"
LAST = "last.json"
PREVIOUS = "previous.json"
FAULT_DEVICE = "app"
FAULT_KIND = "unhandled_exception"

DataDir = Path | Callable[[], Path]


@dataclass(frozen=True)
class CrashRecord:
    at: str  # local time, ISO 8601
    where: str  # "main" or the thread's name
    type: str
    message: str
    location: str  # innermost frame: file:line in function
    traceback: str
    pid: int
    version: str = ""
    command: str = ""  # "kiosk run", "kiosk db backup" …

    def summary(self) -> str:
        """One line for the fault log."""
        where = f"{self.command}, {self.where}" if self.command else self.where
        text = f"[{where}] {self.type}: {self.message}"
        if self.location:
            text += f" at {self.location}"
        return f"{text} (异常退出于 {self.at})"[:500]


def crash_file(data_dir: Path) -> Path:
    return Path(data_dir) / CRASH_DIR / LAST


def make_record(exc_type, exc, tb, where: str = "main", command: str = "") -> CrashRecord:
    from kiosk import __version__

    frames = traceback.extract_tb(tb) if tb is not None else []
    location = f"{Path(frames[-1].filename).name}:{frames[-1].lineno} in {frames[-1].name}" if frames else ""
    text = "".join(traceback.format_exception(exc_type, exc, tb))
    return CrashRecord(
        at=datetime.now().isoformat(timespec="seconds"),
        where=where,
        type=getattr(exc_type, "__qualname__", str(exc_type)),
        message=mask_personal_data(str(exc))[:300],
        location=location,
        traceback=mask_personal_data(text)[-20000:],
        pid=os.getpid(),
        version=__version__,
        command=command,
    )


def write_record(data_dir: Path, record: CrashRecord) -> Path:
    """Write ``crash/last.json`` atomically. A second crash of the same process does not replace
    the first (the first is the cause; what follows is usually its consequence)."""
    path = crash_file(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        existing = json.loads(path.read_text(encoding="utf-8"))
        if existing.get("pid") == record.pid:
            return path
    except (OSError, ValueError, AttributeError):
        pass
    tmp = path.with_name(f".{LAST}.{os.getpid()}.tmp")
    create_private(tmp)  # 0600: a traceback may hold what the masking missed
    tmp.write_text(json.dumps(asdict(record), ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)
    return path


def read_pending(data_dir: Path) -> CrashRecord | None:
    """The crash record a previous run left, if any (an unreadable one is moved aside)."""
    path = crash_file(data_dir)
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return CrashRecord(**{k: data[k] for k in CrashRecord.__dataclass_fields__ if k in data})
    except (OSError, ValueError, TypeError) as exc:
        log.error("crash record %s unreadable (%s); moved aside", path, exc)
        try:
            os.replace(path, path.with_name("unreadable.json"))
        except OSError:
            pass
        return None


def report_pending(data_dir: Path, report: Callable[..., object] | None) -> CrashRecord | None:
    """Turn a previous run's crash record into a fault: ``report("app", "unhandled_exception",
    detail=summary)``. Returns the record when one was handed over. Without ``report`` (no fault
    log on this installation) the record is only logged and kept for a later start."""
    record = read_pending(data_dir)
    if record is None:
        return None
    log.warning("上次运行异常退出 / the previous run crashed: %s", record.summary())
    if report is None:
        return None
    report(FAULT_DEVICE, FAULT_KIND, detail=record.summary())
    path = crash_file(data_dir)
    try:
        os.replace(path, path.with_name(PREVIOUS))
    except OSError as exc:
        log.error("crash record %s not moved after reporting: %s", path, exc)
    return record


# --- the hooks -----------------------------------------------------------------------------------


class _Hooks:
    def __init__(self) -> None:
        self.data_dir: DataDir | None = None
        self.on_crash: Callable[[], None] | None = None
        self.command = ""
        self.previous_sys = None
        self.previous_thread = None
        self.lock = threading.Lock()

    def resolve_dir(self) -> Path | None:
        source = self.data_dir
        try:
            return Path(source()) if callable(source) else (Path(source) if source is not None else None)
        except Exception:  # noqa: BLE001 - e.g. a configuration that cannot be read
            from kiosk.config import default_data_dir

            return default_data_dir()

    def handle(self, exc_type, exc, tb, where: str) -> None:
        with self.lock:
            log.critical("未处理的异常 / unhandled exception in %s", where, exc_info=(exc_type, exc, tb))
            data_dir = self.resolve_dir()
            if data_dir is not None:
                try:
                    path = write_record(data_dir, make_record(exc_type, exc, tb, where, self.command))
                    log.critical("crash record written: %s", path)
                except Exception:  # noqa: BLE001 - never fail inside an exception hook
                    log.exception("could not write the crash record")

    def sys_hook(self, exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            return sys.__excepthook__(exc_type, exc, tb)
        self.handle(exc_type, exc, tb, "main")
        if self.previous_sys not in (None, sys.__excepthook__):
            self.previous_sys(exc_type, exc, tb)
        self.crashed()

    def thread_hook(self, args) -> None:
        if args.exc_type is SystemExit:
            return
        name = args.thread.name if args.thread is not None else "thread"
        self.handle(args.exc_type, args.exc_value, args.exc_traceback, name)
        if self.previous_thread not in (None, threading.__excepthook__):
            self.previous_thread(args)
        self.crashed()

    def crashed(self) -> None:
        if self.on_crash is not None:
            try:
                self.on_crash()
            except Exception:  # noqa: BLE001
                log.exception("on_crash failed; exiting")
                os._exit(EXIT_CRASH)


_hooks = _Hooks()


def install_hooks(data_dir: DataDir, *, on_crash: Callable[[], None] | None = None, command: str = "") -> None:
    """Install sys.excepthook and threading.excepthook (once per process; a later call changes
    the data folder and ``on_crash``). Hooks installed before these are still called after them.
    ``on_crash`` runs after the record is written; without it the main thread's exception ends
    the process as Python does (exit status 1) and a thread's exception ends only its thread."""
    _hooks.data_dir = data_dir
    if command:
        _hooks.command = command
    if on_crash is not None:
        _hooks.on_crash = on_crash
    if sys.excepthook != _hooks.sys_hook:
        _hooks.previous_sys = sys.excepthook
        sys.excepthook = _hooks.sys_hook
    if threading.excepthook != _hooks.thread_hook:
        _hooks.previous_thread = threading.excepthook
        threading.excepthook = _hooks.thread_hook


def uninstall_hooks() -> None:
    """Put back the hooks found by install_hooks (tests)."""
    if sys.excepthook == _hooks.sys_hook:
        sys.excepthook = _hooks.previous_sys or sys.__excepthook__
    if threading.excepthook == _hooks.thread_hook:
        threading.excepthook = _hooks.previous_thread or threading.__excepthook__
    _hooks.data_dir = None
    _hooks.on_crash = None
    _hooks.command = ""


def exit_soon(request_exit: Callable[[int], None], grace_seconds: float = 10.0) -> Callable[[], None]:
    """An ``on_crash`` for the kiosk: ask the event loop to end with EXIT_CRASH (an orderly
    shutdown), and end the process anyway after ``grace_seconds`` if that does not happen."""

    def on_crash() -> None:
        timer = threading.Timer(grace_seconds, os._exit, (EXIT_CRASH,))
        timer.daemon = True
        timer.start()
        request_exit(EXIT_CRASH)

    return on_crash
