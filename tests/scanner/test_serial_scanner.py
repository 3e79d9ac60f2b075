"""A serial scanner over a real pty and a real TCP socket; the scanned payload resolves to an
application number."""

from __future__ import annotations

import os
import socket
import threading
import tty
import pytest

from drivers.scanner import SerialScanner, SimScannerPort
from kiosk.scans import resolve_scan


def test_codes_from_a_pty_serial_port():
    master, slave = os.openpty()
    tty.setraw(master)
    tty.setraw(slave)
    try:
        scanner = SerialScanner(f"serial://{os.ttyname(slave)}")
        assert scanner.status().ok
        os.write(master, b"YC2511170007\r\nZWFW-BJ:?number=YC2511060002\r")
        assert scanner.read_code(2) == "YC2511170007"
        assert scanner.read_code(2) == "ZWFW-BJ:?number=YC2511060002"
        assert scanner.read_code(0.2) is None
        assert scanner.codes_read == 2
        scanner.stop()
    finally:
        os.close(master)
        os.close(slave)


def test_codes_from_tcp_on_a_thread():
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    got: list[str] = []
    done = threading.Event()
    opened = threading.Event()

    def serve():
        conn, _ = listener.accept()
        opened.wait(3)  # pyserial's socket:// discards what came before open() returned
        with conn:
            conn.sendall(b"YC25111")
            conn.sendall(b"70007\n")
            done.wait(3)

    threading.Thread(target=serve, daemon=True).start()
    scanner = SerialScanner(f"tcp://127.0.0.1:{port}")
    assert scanner.status().ok
    opened.set()

    def on_code(code):
        got.append(code)
        done.set()

    scanner.start(on_code)
    assert done.wait(3)
    scanner.stop()
    listener.close()
    assert got == ["YC2511170007"]


def test_a_missing_port_is_an_unhealthy_scanner():
    status = SerialScanner("serial:///dev/ttyACM-not-here").status()
    assert not status.ok and status.message_zh == "扫描器未连接"
    assert not SerialScanner("usb://1").status().ok


def test_the_sim_scanner():
    port = SimScannerPort()
    scanner = SerialScanner("sim:", port=port)
    port.open(0)
    port.inject("YC2511170007")
    assert scanner.read_code(1) == "YC2511170007"


@pytest.mark.parametrize(
    "payload, number",
    [
        ("ZWFW-BJ:?number=YC2511170007", "YC2511170007"),
        ("https://zwfw.example.gov.cn/progress?bjbh=yc2511170007", "YC2511170007"),
        ("YC-2511-170007", "YC2511170007"),
        ("https://www.example.com/pay", None),
        ("hello", None),
        ("", None),
    ],
)
def test_scanned_payloads(payload, number):
    code = resolve_scan(payload)
    assert (code.value if code.kind == "application" else None) == number
