"""ReceiptPrinter against a scripted transport: status decoding, faults, events, completion,
reconnect, health checks, and the rule "send nothing else until the reply comes"."""

from __future__ import annotations

import threading
import time
from collections import deque

import pytest

from drivers.printer.device import DeviceState, HealthLevel, ReceiptPrinter
from drivers.printer.document import Document
from drivers.printer.errors import DisconnectedError, PrinterFaultError, PrinterTimeoutError
from drivers.printer.escpos import PAPER_SENSOR_STATUS, dle_eot
from drivers.printer.profiles import get_profile
from drivers.printer.status import (
    PrinterStatus,
    Severity,
    StatusKind,
    decode_paper_sensor,
    decode_realtime,
    is_status_byte,
)
from drivers.printer.transports import Transport

QUERIES = {dle_eot(n): n for n in (1, 2, 3, 4)}


class ScriptedPrinter(Transport):
    """A printer on a wire: answers DLE EOT n from ``realtime`` (None = silent), GS r 1 from
    ``paper_sensor``; can be unplugged, restarted (the connection drops once), or stalled."""

    def __init__(self):
        super().__init__("fake://printer")
        self.realtime: dict[int, int | None] = {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12}
        self.paper_sensor: int | None = 0x00
        self.unplugged = False
        self.drop_next_write = False
        self.stall = False
        self.opens = 0
        self.writes: list[bytes] = []
        self.replies: deque[int] = deque()
        self.violations: list[str] = []
        self._open = False
        self._waiting = False

    @property
    def is_open(self) -> bool:
        return self._open

    def open(self, timeout):
        if self.unplugged:
            raise DisconnectedError("not found")
        self.opens += 1
        self._open = True
        self.replies.clear()

    def write(self, data, timeout):
        if not self._open:
            raise DisconnectedError("not connected")
        if self.drop_next_write:
            self.drop_next_write = False
            self._open = False
            raise DisconnectedError("connection reset by peer")
        if self.stall and data not in QUERIES:
            time.sleep(timeout)
            raise PrinterTimeoutError(f"took no data for {timeout} s")
        if self._waiting:
            self.violations.append(f"wrote {data[:8].hex()} while a reply was due")
        self.writes.append(bytes(data))
        if data in QUERIES:
            reply = self.realtime.get(QUERIES[data])
        elif data == PAPER_SENSOR_STATUS:
            reply = self.paper_sensor
        else:
            return
        if reply is not None:
            self.replies.append(reply)
            self._waiting = True

    def read(self, size, timeout):
        if not self._open:
            raise DisconnectedError("not connected")
        if not self.replies:
            time.sleep(min(timeout, 0.05))
            return b""
        self._waiting = len(self.replies) > 1
        return bytes([self.replies.popleft()])

    def close(self):
        self._open = False
        self.replies.clear()
        self._waiting = False

    @property
    def jobs(self) -> list[bytes]:
        return [w for w in self.writes if w not in QUERIES and w != PAPER_SENSOR_STATUS and w]


def make(profile="generic-80", **kwargs):
    fake = ScriptedPrinter()
    printer = ReceiptPrinter("fake://printer", profile, transport=fake, timeout=0.5, status_timeout=0.2, **kwargs)
    events = []
    printer.add_listener(events.append)
    return printer, fake, events


def slip() -> Document:
    return Document("slip").text("一次性告知单", bold=True).text("材料：居民身份证").cut()


# --- decoding ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "value", "kinds"),
    [
        (1, 0x12, set()),
        (1, 0x1A, {StatusKind.OFFLINE}),
        (2, 0x16, {StatusKind.COVER_OPEN}),
        (2, 0x32, {StatusKind.PAPER_OUT}),
        (2, 0x52, {StatusKind.ERROR}),
        (3, 0x1A, {StatusKind.CUTTER_ERROR}),
        (3, 0x32, {StatusKind.UNRECOVERABLE_ERROR}),
        (3, 0x52, {StatusKind.RECOVERABLE_ERROR}),
        (4, 0x1E, {StatusKind.PAPER_NEAR_END}),
        (4, 0x72, {StatusKind.PAPER_OUT}),
    ],
)
def test_decode_realtime(n, value, kinds):
    assert is_status_byte(value)
    assert decode_realtime(n, value) == kinds


@pytest.mark.parametrize("value", [0x00, 0xFF, 0x10, 0x02, 0x92, 0x13])
def test_replies_that_break_the_fixed_bits_are_invalid(value):
    assert not is_status_byte(value)


def test_decode_paper_sensor():
    assert decode_paper_sensor(0x00) == set()
    assert decode_paper_sensor(0x03) == {StatusKind.PAPER_NEAR_END}
    assert decode_paper_sensor(0x0F) >= {StatusKind.PAPER_OUT}


def test_status_names_the_worst_condition_first_in_chinese():
    status = PrinterStatus(frozenset({StatusKind.PAPER_NEAR_END, StatusKind.COVER_OPEN}))
    assert status.primary is StatusKind.COVER_OPEN
    assert status.message_zh == "上盖打开、纸将尽"
    assert not status.can_print
    assert PrinterStatus(frozenset({StatusKind.PAPER_NEAR_END})).can_print
    assert PrinterStatus().to_dict()["status"] == "ok"


# --- status reads -----------------------------------------------------------------------------


def test_status_ok_reads_what_the_profile_answers():
    printer, fake, events = make("generic-58")  # answers DLE EOT 1, 2, 4
    status = printer.read_status()
    assert status.ok and status.can_print
    assert [w for w in fake.writes] == [dle_eot(1), dle_eot(2), dle_eot(4)]
    assert status.raw == {"1": b"\x12", "2": b"\x12", "4": b"\x12"}
    assert events == []
    assert printer.state is DeviceState.CLAIMED


@pytest.mark.parametrize(
    ("replies", "kind", "zh"),
    [
        ({2: 0x32, 4: 0x72, 1: 0x1A}, StatusKind.PAPER_OUT, "缺纸"),
        ({2: 0x16, 1: 0x1A}, StatusKind.COVER_OPEN, "上盖打开"),
        ({1: 0x1A}, StatusKind.OFFLINE, "打印机离线"),
        ({3: 0x1A, 2: 0x52}, StatusKind.CUTTER_ERROR, "切刀故障"),
        ({3: 0x32, 2: 0x52}, StatusKind.UNRECOVERABLE_ERROR, "打印机故障"),
        ({3: 0x52, 2: 0x52}, StatusKind.RECOVERABLE_ERROR, "打印机暂时故障"),
    ],
)
def test_each_fault_is_typed_and_stops_the_job(replies, kind, zh):
    printer, fake, events = make()
    fake.realtime.update(replies)
    with pytest.raises(PrinterFaultError) as caught:
        printer.print(slip())
    assert caught.value.kind is kind
    assert caught.value.message_zh == zh  # the implied "offline" / "near end" are not listed
    assert "联系工作人员" in caught.value.advice_zh
    assert fake.jobs == []  # nothing printed
    assert [e.kind for e in events] == [kind]
    assert events[0].severity is Severity.ERROR and events[0].source == "job"
    assert events[0].raw  # the raw replies travel with the event


def test_paper_near_end_prints_with_a_warning_event():
    printer, fake, events = make()
    fake.realtime[4] = 0x1E
    result = printer.print(slip())
    assert fake.jobs and result.warnings == (StatusKind.PAPER_NEAR_END,)
    assert [(e.kind, e.severity) for e in events] == [(StatusKind.PAPER_NEAR_END, Severity.WARNING)]
    printer.print(slip())  # every job warns, not only the first
    assert [e.kind for e in events] == [StatusKind.PAPER_NEAR_END] * 2


def test_silence_is_a_fault_within_the_status_timeout():
    printer, fake, events = make()
    fake.realtime = {1: None, 2: None, 3: None, 4: None}
    started = time.monotonic()
    status = printer.read_status()
    assert time.monotonic() - started < 1.0
    assert status.primary is StatusKind.NO_RESPONSE and not status.can_print
    assert fake.writes == [dle_eot(1)]  # no stacking of requests on a silent printer
    with pytest.raises(PrinterFaultError) as caught:
        printer.print(slip())
    assert caught.value.kind is StatusKind.NO_RESPONSE
    assert fake.jobs == []


def test_an_invalid_reply_is_a_fault():
    printer, fake, _ = make()
    fake.realtime[2] = 0x00
    status = printer.read_status()
    assert StatusKind.INVALID_RESPONSE in status.conditions
    assert not status.can_print
    assert "0xx1xx10" in status.detail


def test_a_profile_without_status_prints_unconfirmed():
    printer, fake, events = make("basic-58")
    status = printer.read_status()
    assert status.primary is StatusKind.UNKNOWN and status.can_print
    result = printer.print(slip())
    assert not result.confirmed and result.status_after is None
    assert [w for w in fake.writes if w in QUERIES] == []
    assert [e.kind for e in events] == [StatusKind.UNKNOWN]


# --- completion -------------------------------------------------------------------------------


def test_completion_is_confirmed_with_gs_r_after_the_data():
    printer, fake, _ = make("generic-80")
    result = printer.print(slip())
    assert result.confirmed
    job_index = fake.writes.index(fake.jobs[0])
    assert fake.writes[job_index + 1] == PAPER_SENSOR_STATUS
    assert result.status_after is not None and result.status_after.raw["gs_r"] == b"\x00"


def test_completion_without_gs_r_reads_the_realtime_status_after_the_data():
    printer, fake, _ = make("generic-58")
    result = printer.print(slip())
    assert result.confirmed
    job_index = fake.writes.index(fake.jobs[0])
    assert fake.writes[job_index + 1 :] == [dle_eot(1), dle_eot(2), dle_eot(4)]


def test_paper_running_out_during_the_job_is_reported():
    printer, fake, events = make("generic-80")
    fake.paper_sensor = 0x0C
    with pytest.raises(PrinterFaultError) as caught:
        printer.print(slip())
    assert caught.value.kind is StatusKind.PAPER_OUT
    assert "不完整" in str(caught.value)
    assert events[-1].kind is StatusKind.PAPER_OUT


def test_no_answer_after_the_job_is_a_fault():
    printer, fake, _ = make("generic-80")
    fake.paper_sensor = None
    started = time.monotonic()
    with pytest.raises(PrinterFaultError) as caught:
        printer.print(slip())
    assert caught.value.kind is StatusKind.NO_RESPONSE
    assert time.monotonic() - started < 3


def test_a_stalled_printer_times_out():
    printer, fake, events = make("generic-80")
    fake.stall = True
    started = time.monotonic()
    with pytest.raises(PrinterTimeoutError):
        printer.print(slip())
    assert time.monotonic() - started < 2
    assert events[-1].kind is StatusKind.TIMEOUT
    assert printer.state is DeviceState.OPENED  # released: the next job reconnects


# --- connection -------------------------------------------------------------------------------


def test_a_dropped_connection_is_reopened_on_the_next_status_read():
    printer, fake, events = make()
    assert printer.read_status().ok
    fake.drop_next_write = True  # the printer restarted: our connection is dead
    assert printer.read_status().ok
    assert fake.opens == 2
    assert events == []


def test_unplugged_then_plugged_back():
    printer, fake, events = make()
    assert printer.read_status().ok
    fake.unplugged = True
    fake.drop_next_write = True
    status = printer.read_status()
    assert status.primary is StatusKind.DISCONNECTED and status.message_zh == "打印机未连接"
    with pytest.raises(DisconnectedError):
        printer.print(slip())
    fake.unplugged = False
    assert printer.read_status().ok
    printer.print(slip())
    assert len(fake.jobs) == 1
    assert [e.kind for e in events] == [StatusKind.DISCONNECTED, StatusKind.DISCONNECTED, StatusKind.OK]
    assert events[-1].cleared == {StatusKind.DISCONNECTED}
    assert "恢复正常" in events[-1].message_zh


def test_events_report_changes_not_every_poll():
    printer, fake, events = make()
    fake.realtime[2] = 0x16
    fake.realtime[1] = 0x1A
    for _ in range(3):
        printer.read_status()
    fake.realtime.update({1: 0x12, 2: 0x12})
    printer.read_status()
    printer.read_status()
    assert [e.kind for e in events] == [StatusKind.COVER_OPEN, StatusKind.OK]
    assert all(e.source == "poll" for e in events)


def test_a_failing_listener_does_not_stop_printing(caplog):
    printer, fake, _ = make()

    def broken(event):
        raise RuntimeError("listener bug")

    printer.add_listener(broken)
    fake.realtime[4] = 0x1E
    printer.print(slip())
    assert fake.jobs
    assert "listener" in caplog.text
    printer.remove_listener(broken)


def test_concurrent_polls_and_jobs_never_interleave_requests():
    printer, fake, _ = make("generic-80")
    errors = []

    def poll():
        for _ in range(20):
            try:
                printer.read_status()
            except Exception as exc:  # pragma: no cover - reported below
                errors.append(exc)

    def jobs():
        for _ in range(5):
            try:
                printer.print(slip())
            except Exception as exc:  # pragma: no cover
                errors.append(exc)

    threads = [threading.Thread(target=poll), threading.Thread(target=jobs), threading.Thread(target=poll)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert errors == [] and fake.violations == []
    assert len(fake.jobs) == 5


# --- health -----------------------------------------------------------------------------------


def test_health_checks_at_three_depths():
    printer, fake, _ = make()
    internal = printer.check_health(HealthLevel.INTERNAL)
    assert internal.ok and fake.opens == 0 and fake.writes == []
    assert "font" in internal.details
    external = printer.check_health(HealthLevel.EXTERNAL)
    assert external.ok and external.status is not None and fake.writes
    interactive = printer.check_health(HealthLevel.INTERACTIVE)
    assert interactive.ok and len(fake.jobs) == 1
    assert "打印机测试页".encode("gb18030") in fake.jobs[0]
    fake.realtime[2] = 0x32
    failed = printer.check_health(HealthLevel.INTERACTIVE)
    assert not failed.ok and "缺纸" in failed.text


def test_lifecycle_open_claim_enable_release_close():
    printer, fake, _ = make()
    assert printer.state is DeviceState.CLOSED
    printer.open()
    assert printer.state is DeviceState.OPENED and fake.opens == 0
    printer.claim()
    assert printer.state is DeviceState.CLAIMED and fake.opens == 1
    assert printer.enable().ok
    assert printer.state is DeviceState.ENABLED
    printer.release()
    assert printer.state is DeviceState.OPENED and not fake.is_open
    printer.close()
    assert printer.state is DeviceState.CLOSED


def test_unknown_profile_is_refused():
    with pytest.raises(ValueError, match="未知"):
        ReceiptPrinter("sim:///tmp/x", "no-such-printer")


def test_profiles_are_what_the_printer_uses():
    printer, _, _ = make("tm-t20ii")
    assert printer.profile is get_profile("tm-t20ii")
