"""Unhandled exceptions: logged with the traceback, a crash record, a non-zero exit, and one
fault-log entry on the next start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from kiosk import crash

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def hooks(monkeypatch):
    """Our hooks over no-op ones (pytest's own would turn the exception into a test failure)."""
    monkeypatch.setattr(threading, "excepthook", lambda args: None)
    monkeypatch.setattr(sys, "excepthook", lambda *args: None)
    yield crash
    crash.uninstall_hooks()


def raise_and_hook(exc: BaseException) -> None:
    try:
        raise exc
    except BaseException:
        sys.excepthook(*sys.exc_info())


def test_main_thread_exception_is_logged_recorded_and_ends_the_run(hooks, data_dir, caplog):
    ended = []
    hooks.install_hooks(data_dir, on_crash=lambda: ended.append(True), command="kiosk run")
    raise_and_hook(ValueError("bad input from 13812345678"))
    assert ended == [True]
    record = json.loads(crash.crash_file(data_dir).read_text(encoding="utf-8"))
    assert record["type"] == "ValueError" and record["where"] == "main" and record["command"] == "kiosk run"
    assert record["message"] == "bad input from 138****5678"
    assert "Traceback" in record["traceback"] and "raise_and_hook" in record["traceback"]
    assert "13812345678" not in json.dumps(record)
    assert record["pid"] == os.getpid()
    assert "unhandled exception in main" in caplog.text and "ValueError" in caplog.text


def test_thread_exception_is_recorded_with_the_thread_name(hooks, data_dir):
    ended = []
    hooks.install_hooks(data_dir, on_crash=lambda: ended.append(True))

    def work():
        raise KeyError("lost")

    worker = threading.Thread(target=work, name="poller")
    worker.start()
    worker.join()
    record = crash.read_pending(data_dir)
    assert record is not None and record.where == "poller" and record.type == "KeyError"
    assert record.location.startswith("test_crash.py:") and record.location.endswith("in work")
    assert ended == [True]


def test_the_first_crash_of_a_process_is_kept(hooks, data_dir):
    hooks.install_hooks(data_dir)
    raise_and_hook(ValueError("first"))
    raise_and_hook(RuntimeError("consequence"))
    assert crash.read_pending(data_dir).message == "first"


def test_keyboard_interrupt_is_not_a_crash(hooks, data_dir, monkeypatch):
    monkeypatch.setattr(sys, "__excepthook__", lambda *args: None)
    hooks.install_hooks(data_dir, on_crash=lambda: pytest.fail("not a crash"))
    raise_and_hook(KeyboardInterrupt())
    assert crash.read_pending(data_dir) is None


def test_pending_record_is_reported_once_and_kept_when_reporting_fails(hooks, data_dir):
    hooks.install_hooks(data_dir)
    raise_and_hook(ZeroDivisionError("division by zero"))
    assert crash.report_pending(data_dir, None) is None  # no fault log: kept
    assert crash.crash_file(data_dir).is_file()

    def broken(*args, **kwargs):
        raise OSError("database locked")

    with pytest.raises(OSError):
        crash.report_pending(data_dir, broken)
    assert crash.crash_file(data_dir).is_file()

    reports = []
    record = crash.report_pending(data_dir, lambda device, kind, detail="": reports.append((device, kind, detail)))
    assert record is not None
    [(device, kind, detail)] = reports
    assert (device, kind) == ("app", "unhandled_exception")
    assert detail.startswith("[main] ZeroDivisionError: division by zero at test_crash.py:")
    assert not crash.crash_file(data_dir).exists()
    assert (data_dir / "crash" / "previous.json").is_file()
    assert crash.report_pending(data_dir, lambda *a, **k: reports.append(a)) is None
    assert len(reports) == 1


def test_unreadable_record_is_moved_aside(data_dir):
    path = crash.crash_file(data_dir)
    path.parent.mkdir(parents=True)
    path.write_text("{not json", encoding="utf-8")
    assert crash.read_pending(data_dir) is None
    assert (path.parent / "unreadable.json").is_file() and not path.exists()


def run_python(code: str, data_dir: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("NOTIFY_SOCKET", "WATCHDOG_USEC")}
    env.update(KIOSK_DATA_DIR=str(data_dir), QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


def test_kiosk_process_exits_70_after_an_exception_in_a_slot_and_the_next_start_logs_a_fault(data_dir):
    result = run_python(
        """
        import sys
        from kiosk.config import load_config
        from ui import deployment
        from ui.qt import QApplication, QTimer

        config = load_config()
        deployment.before_start(config)
        app = QApplication([])

        def slot():
            raise RuntimeError("the screen broke for 411481199003150017")

        QTimer.singleShot(0, slot)
        QTimer.singleShot(5000, lambda: app.exit(0))  # not reached when the hook works
        sys.exit(app.exec())
        """,
        data_dir,
    )
    assert result.returncode == crash.EXIT_CRASH, result.stderr
    record = crash.read_pending(data_dir)
    assert record.type == "RuntimeError" and record.command == "kiosk run"
    log_text = (data_dir / "logs" / "kiosk.log").read_text(encoding="utf-8")
    assert "unhandled exception in main" in log_text and "Traceback" in log_text
    assert "the screen broke for 4****************7" in log_text and "411481199003150017" not in log_text

    # The next start: the record becomes one fault of the app in the fault log.
    pytest.importorskip("kiosk.devices", reason="the fault log (kiosk/devices) is not in this build")
    from kiosk.config import load_config
    from kiosk.services import KioskServices
    from ui import deployment

    services = KioskServices(load_config())
    services.start()
    try:
        deployment.report_previous_crash(services.config, services)
        faults = services.devices.faults.list(device="app")
        assert [(f.kind, f.status) for f in faults] == [("unhandled_exception", "open")]
        assert "RuntimeError: the screen broke for 4****************7" in faults[0].detail
        deployment.report_previous_crash(services.config, services)  # reported once only
        assert faults[0].count == services.devices.faults.list(device="app")[0].count
    finally:
        services.close()
    assert crash.read_pending(data_dir) is None


def test_cli_crash_exits_non_zero_with_a_record(data_dir):
    result = run_python(
        """
        import sys
        from cli import db_commands
        from cli.main import main

        db_commands.current_command = lambda args, context: 1 / 0
        sys.exit(main(["db", "current"]))
        """,
        data_dir,
    )
    assert result.returncode == 1
    assert "ZeroDivisionError" in result.stderr and "Traceback" in result.stderr
    record = crash.read_pending(data_dir)
    assert record.command == "kiosk db" and record.type == "ZeroDivisionError"
