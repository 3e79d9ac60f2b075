"""The driver against the emulator over real byte streams: TCP, a pty opened as a serial
port, pyserial's loop://, and the in-process sim: port."""

from __future__ import annotations

import threading
import time
from datetime import date

import pytest

from drivers.idcard import HealthLevel, IdCardReader, ReaderState, ReadKind
from drivers.idcard.ports import ReaderUriError, create_port, parse_reader_uri

TODAY = date(2026, 12, 5)


def test_a_full_read_over_tcp(tcp_server, emulated):
    reader = IdCardReader(tcp_server.uri, timeout=0.5)
    assert reader.state is ReaderState.CLOSED
    reader.open()
    assert reader.state is ReaderState.OPENED
    status = reader.enable()
    assert status.ok and reader.state is ReaderState.ENABLED
    assert status.sam_id == "05.01-20101224-0012345678-1234567890"
    read = reader.read_card()
    assert read.ok, read
    record = read.record
    assert (record.name, record.sex, record.nation) == ("样卡甲", "女", "汉")
    assert record.birth == date(1985, 3, 12) and record.id_number == "411481198503122426"
    assert record.address == "演示省样例县测试路1号" and record.issuer == "样例县公安局"
    assert len(record.photo) == 1024 and record.problems(TODAY) == ()
    # find, select, read went over the wire in that order (after SAM status and SAM ID)
    assert [(r.cmd, r.para) for r in emulated.received][-3:] == [(0x20, 0x01), (0x20, 0x02), (0x30, 0x01)]
    assert reader.stats["reads_ok"] == 1
    reader.close()
    assert reader.state is ReaderState.CLOSED


def test_a_full_read_over_a_pty_serial_port(pty_server):
    assert pty_server.uri.startswith("serial:///dev/")
    reader = IdCardReader(pty_server.uri, timeout=0.5)
    assert reader.status().ok
    read = reader.read_card()
    assert read.ok and read.record.name == "样卡甲"
    reader.close()


def test_reset_and_sam_status(tcp_server, emulated):
    reader = IdCardReader(tcp_server.uri, timeout=0.5)
    assert reader.reset().ok
    assert (0x10, 0xFF) in [(r.cmd, r.para) for r in emulated.received]
    emulated.set_fault("sam_fault")
    status = reader.status()
    assert status.kind is ReadKind.SAM_ERROR and "60" in status.detail
    assert reader.reset().kind is ReadKind.SAM_ERROR


def test_expired_long_term_and_bad_check_digit_cards(tcp_server, emulated):
    reader = IdCardReader(tcp_server.uri, timeout=0.5)
    emulated.place_card(1)
    assert reader.read_card().record.problems(TODAY) == ("expired",)
    emulated.place_card(2)
    record = reader.read_card().record
    assert record.valid_to is None and record.problems(TODAY) == () and record.nation == "回"
    emulated.place_card(3)
    assert reader.read_card().record.problems(TODAY) == ("id_check_digit",)


@pytest.mark.parametrize(
    "fault, kind",
    [
        ("no_card", ReadKind.NO_CARD),
        ("select_fail", ReadKind.SELECT_FAILED),
        ("sam_fault", ReadKind.SAM_ERROR),
        ("garbage", ReadKind.INVALID_RESPONSE),
        ("checksum", ReadKind.CHECKSUM_ERROR),
        ("partial", ReadKind.PARTIAL_FRAME),
        ("removed", ReadKind.CARD_REMOVED),
        ("slow", ReadKind.TIMEOUT),
        ("silent", ReadKind.TIMEOUT),
    ],
)
def test_every_fault_mode_is_a_clear_status_and_no_hang(tcp_server, emulated, fault, kind):
    # generous timeouts: the machine running the tests may be busy
    reader = IdCardReader(tcp_server.uri, timeout=1.0, read_timeout=1.5)
    assert reader.status().ok
    emulated.set_fault(fault, 2.0)
    started = time.monotonic()
    read = reader.read_card()
    elapsed = time.monotonic() - started
    assert read.kind is kind, read
    assert read.record is None and read.advice_zh
    # bounded: at most find + select + read + one more find (card removed?) timeouts
    assert elapsed < 1.0 * 3 + 1.5 + 1.0
    emulated.set_fault("none")
    emulated.place_card(0)
    time.sleep(2.1 if fault == "slow" else 0)  # the slow reply arrives late and is discarded
    assert reader.read_card().ok


def test_an_empty_reader_and_the_card_pulled_away(tcp_server, emulated):
    reader = IdCardReader(tcp_server.uri, timeout=0.4)
    emulated.remove_card()
    assert reader.card_present() is ReadKind.NO_CARD
    assert reader.read_card().kind is ReadKind.NO_CARD
    emulated.place_card(0)
    emulated.set_fault("removed")
    assert reader.read_card().kind is ReadKind.CARD_REMOVED
    assert emulated.card is None


def test_status_events_go_to_listeners(tcp_server, emulated):
    reader = IdCardReader(tcp_server.uri, timeout=0.3)
    events = []
    reader.add_listener(events.append)
    reader.status()
    emulated.set_fault("silent")
    reader.status()
    emulated.set_fault("none")
    reader.status()
    assert [(e.previous, e.status.kind) for e in events] == [
        (None, ReadKind.OK),
        (ReadKind.OK, ReadKind.TIMEOUT),
        (ReadKind.TIMEOUT, ReadKind.OK),
    ]


def test_a_server_that_goes_away_is_disconnected_then_reconnects(emulated):
    from emulators.idcard import TcpReaderServer

    server = TcpReaderServer(emulated).start()
    uri = server.uri
    reader = IdCardReader(uri, timeout=0.4)
    assert reader.status().ok
    server.stop()
    status = reader.status()
    assert status.kind in (ReadKind.DISCONNECTED, ReadKind.TIMEOUT)
    assert reader.status().kind is ReadKind.DISCONNECTED
    port = int(uri.rsplit(":", 1)[1])
    try:
        again = TcpReaderServer(emulated, port=port).start()
    except OSError:
        pytest.skip("port taken meanwhile")
    try:
        assert reader.status().ok
    finally:
        again.stop()


def test_an_unplugged_serial_port_is_disconnected():
    reader = IdCardReader("serial:///dev/ttyUSB-none-here?baud=115200", timeout=0.3)
    status = reader.status()
    assert status.kind is ReadKind.DISCONNECTED
    assert reader.read_card().kind is ReadKind.DISCONNECTED


def test_loop_echo_is_an_invalid_reply_not_a_hang():
    """pyserial's loop:// sends every request back: a shorted line or an echoing device."""
    reader = IdCardReader("loop://", timeout=0.3)
    assert reader.status().kind is ReadKind.INVALID_RESPONSE
    assert reader.read_card().kind is ReadKind.INVALID_RESPONSE


def test_wait_for_card_until_a_card_comes_or_cancelled(tcp_server, emulated):
    reader = IdCardReader(tcp_server.uri, timeout=0.4)
    emulated.remove_card()
    threading.Timer(0.3, lambda: emulated.place_card(2)).start()
    read = reader.wait_for_card(3, interval=0.05)
    assert read.ok and read.record.name == "样卡丙长期"
    emulated.remove_card()
    assert reader.wait_for_card(0.2, interval=0.05).kind is ReadKind.NO_CARD
    cancel = threading.Event()
    threading.Timer(0.2, cancel.set).start()
    started = time.monotonic()
    assert reader.wait_for_card(10, cancel=cancel, interval=0.05).kind is ReadKind.CANCELLED
    assert time.monotonic() - started < 2


def test_a_status_poll_during_a_read_does_not_wait(tcp_server, emulated):
    reader = IdCardReader(tcp_server.uri, timeout=0.4, read_timeout=2)
    assert reader.status().ok
    emulated.set_fault("slow", 1.0)
    worker = threading.Thread(target=reader.read_card)
    worker.start()
    time.sleep(0.1)
    started = time.monotonic()
    status = reader.status()
    assert status.busy and time.monotonic() - started < 0.5  # the read takes a second
    worker.join()


def test_health_checks(tcp_server, emulated):
    reader = IdCardReader(tcp_server.uri, timeout=0.4)
    assert reader.check_health(HealthLevel.INTERNAL).ok
    assert reader.check_health(HealthLevel.EXTERNAL).ok
    report = reader.check_health(HealthLevel.INTERACTIVE, today=TODAY)
    assert report.ok and report.read.record.name == "样卡甲"
    assert "样卡甲" not in report.text
    emulated.remove_card()
    report = reader.check_health(HealthLevel.INTERACTIVE)
    assert not report.ok and "未放置证件" in report.text
    assert not IdCardReader("bogus").check_health().ok


def test_sim_port_reads_the_sample_cards():
    reader = IdCardReader("sim:?card=2")
    assert reader.status().ok
    assert reader.read_card().record.name == "样卡丙长期"
    assert IdCardReader("sim:?card=none").read_card().kind is ReadKind.NO_CARD
    assert IdCardReader("sim:?fault=sam_fault").status().kind is ReadKind.SAM_ERROR


@pytest.mark.parametrize(
    "uri, url, baud",
    [
        ("serial:///dev/ttyUSB0?baud=115200", "/dev/ttyUSB0", 115200),
        ("serial:///dev/ttyS1?baudrate=9600", "/dev/ttyS1", 9600),
        ("serial:///dev/ttyUSB0", "/dev/ttyUSB0", 115200),
        ("tcp://10.0.0.9:4001", "socket://10.0.0.9:4001", None),
        ("loop://", "loop://", None),
    ],
)
def test_uris(uri, url, baud):
    port = create_port(uri)
    assert port.url == url
    assert port.settings.get("baudrate") == baud


@pytest.mark.parametrize("uri", ["", "usb://1:2", "tcp://host", "serial://?baud=1", "serial:///dev/x?baud=fast", "serial:///dev/x?parity=Q"])
def test_bad_uris_are_clear_errors(uri):
    with pytest.raises(ReaderUriError):
        create_port(uri)


def test_parse_keeps_the_text():
    assert parse_reader_uri("sim:?card=1").params == {"card": "1"}
