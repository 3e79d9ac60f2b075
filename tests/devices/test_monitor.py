"""The monitor's events, its thread, and the app's own faults: disk space, database errors,
unhandled exceptions."""

from __future__ import annotations

import threading
from collections import namedtuple

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from kiosk.db import Database
from kiosk.devices import DatabaseProbe, MonitorRunner
from maintenance_support import sent

Usage = namedtuple("Usage", "total used free")
MB = 1024 * 1024


def test_changes_become_events_with_what_to_show(devices, emulator, clock):
    events = []
    devices.monitor.add_listener(events.append)
    devices.poll(["printer"])
    assert events == [] and devices.monitor.readiness("printer") == (True, "正常")
    emulator.state.update(paper="out", cover_open=True)
    devices.poll(["printer"])
    devices.poll(["printer"])  # no change, no event
    assert sorted((e.kind, e.active) for e in events) == [("cover_open", True), ("paper_out", True)]
    usable, message = devices.monitor.readiness("printer")
    assert not usable and "缺纸" in message and "上盖打开" in message
    events.clear()
    emulator.state.update(paper="ok", cover_open=False)
    devices.poll(["printer"])
    assert sorted((e.kind, e.active, e.message_zh) for e in events) == [
        ("cover_open", False, "上盖打开已恢复"), ("paper_out", False, "缺纸已恢复"),
    ]
    assert devices.monitor.readiness("printer") == (True, "正常")


def test_the_runner_polls_off_the_calling_thread_on_demand_and_stops(devices, emulator):
    seen = threading.Event()
    threads = []

    def listener(event):
        threads.append(threading.current_thread().name)
        if event.kind == "paper_out":
            seen.set()

    devices.monitor.add_listener(listener)
    runner = MonitorRunner(devices.monitor, interval=3600).start()
    try:
        emulator.state.update(paper="out")
        runner.poll_now()
        assert seen.wait(5), "poll_now wakes the runner at once, not after the interval"
        assert threads and all(name == "kiosk-device-monitor" for name in threads)
    finally:
        runner.stop(timeout=5)
    assert not runner.running


def test_a_nearly_full_disk_is_a_warning_that_clears(make_devices, clock):
    free = {"mb": 100}
    devices = make_devices(printer=False, disk_usage=lambda path: Usage(1000 * MB, 0, free["mb"] * MB))
    devices.poll(["disk"])
    [fault] = devices.faults.list("active")
    assert (fault.device, fault.kind, fault.severity) == ("disk", "disk_low", "warning")
    assert "剩余 100 MB" in fault.message
    free["mb"] = 5000
    clock.advance(minutes=1)
    devices.poll(["disk"])
    assert devices.faults.list("active") == []


def test_database_errors_in_the_kiosk_are_recorded_as_faults(make_devices, database):
    devices = make_devices(printer=False)
    devices.watch_database()
    with pytest.raises(OperationalError):
        with database.session() as session:
            session.execute(text("SELECT * FROM no_such_table"))
    assert devices.flush_database_errors() == 1
    [fault] = devices.faults.list("active")
    assert (fault.device, fault.kind) == ("database", "database_error")
    assert "no_such_table" in fault.detail
    with pytest.raises(OperationalError):
        with database.session() as session:
            session.execute(text("SELECT * FROM no_such_table"))
    devices.flush_database_errors()
    assert devices.faults.get(fault.id).count == 2
    devices.poll(["database"])
    assert devices.faults.get(fault.id).status == "open", "a happening waits for a person, the probe does not clear it"


def test_in_the_kiosk_a_database_error_wakes_the_monitor_which_records_it(make_devices, database):
    devices = make_devices(printer=False)
    recorded = threading.Event()
    devices.monitor.add_listener(lambda event: event.kind == "database_error" and recorded.set())
    devices.start()  # the kiosk: the runner thread and the database hook
    try:
        assert devices.runner.running
        with pytest.raises(OperationalError):
            with database.session() as session:
                session.execute(text("SELECT * FROM missing_table"))
        assert recorded.wait(5), "recorded at once, not at the next 30 s round"
    finally:
        devices.close()
    assert [f.kind for f in devices.faults.list("active")] == ["database_error"]


def test_an_unreadable_database_is_reported_by_its_probe(tmp_path):
    path = tmp_path / "broken.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    broken = Database("sqlite:///" + str(path))
    try:
        reading = DatabaseProbe(broken).read(None)
    finally:
        broken.dispose()
    assert reading.kinds == {"database_unavailable"} and not reading.usable


def test_when_the_fault_log_cannot_be_written_the_maintainers_are_told_anyway(make_devices, monkeypatch, notifier):
    devices = make_devices(printer=False)

    def fail(*args, **kwargs):
        raise OperationalError("INSERT", {}, Exception("disk I/O error"))

    monkeypatch.setattr(devices.faults, "observe", fail)
    devices.monitor.report("app", "unhandled_exception", detail="boom")
    devices.monitor.report("app", "unhandled_exception", detail="boom")
    [message] = sent(notifier, "fault_opened")
    assert "故障记录无法写入数据库" in message.text and "disk I/O error" in message.text


def test_a_crash_of_the_last_run_becomes_one_fault_when_the_kiosk_starts_again(make_devices, data_dir):
    """kiosk/crash.py writes a record when an unhandled exception ends the kiosk; on the next
    start it is handed to the monitor's report(), which files it in the fault log."""
    from kiosk import crash

    try:
        raise ValueError("坏数据")
    except ValueError as exc:
        record = crash.make_record(type(exc), exc, exc.__traceback__, "worker-1", "kiosk run")
    crash.write_record(data_dir, record)
    devices = make_devices(printer=False)
    assert crash.report_pending(data_dir, devices.monitor.report) is not None
    assert crash.report_pending(data_dir, devices.monitor.report) is None, "reported once"
    [fault] = devices.faults.list("active")
    assert (fault.device, fault.kind, fault.count, fault.severity) == ("app", "unhandled_exception", 1, "error")
    assert "ValueError: 坏数据" in fault.detail and "[kiosk run, worker-1]" in fault.detail
    assert fault.title_zh == "终端程序异常"
    devices.report_exception("[main] KeyError: 'x'")
    assert devices.faults.get(fault.id).count == 2, "the same kind of fault counts up until a person resolves it"
