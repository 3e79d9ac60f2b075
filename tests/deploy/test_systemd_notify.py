"""sd_notify over a real datagram socket, and the UI's READY/WATCHDOG pings."""

from __future__ import annotations

import socket
import time

import pytest

from kiosk import systemd


@pytest.fixture
def notify_socket(tmp_path):
    path = tmp_path / "notify"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(path))
    sock.settimeout(2)
    yield str(path), sock
    sock.close()


def receive_all(sock, wait: float = 0.05) -> list[str]:
    sock.settimeout(wait)
    messages = []
    try:
        while True:
            messages.append(sock.recv(4096).decode())
    except TimeoutError:
        return messages


def test_notify_sends_the_state_to_the_socket(notify_socket):
    path, sock = notify_socket
    assert systemd.notify("READY=1\nSTATUS=ok", {"NOTIFY_SOCKET": path})
    assert sock.recv(4096) == b"READY=1\nSTATUS=ok"


def test_abstract_socket_address():
    name = f"kiosk-test-{time.monotonic_ns()}"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind("\0" + name)
        sock.settimeout(2)
        assert systemd.notify(systemd.WATCHDOG, {"NOTIFY_SOCKET": "@" + name})
        assert sock.recv(4096) == b"WATCHDOG=1"


def test_no_socket_means_nothing_is_sent():
    assert systemd.notify(systemd.READY, {}) is False


def test_a_vanished_socket_is_reported_not_raised(tmp_path, caplog):
    assert systemd.notify(systemd.READY, {"NOTIFY_SOCKET": str(tmp_path / "gone")}) is False
    assert "sd_notify READY=1 failed" in caplog.text
    assert systemd.notify(systemd.READY, {"NOTIFY_SOCKET": "relative/path"}) is False


@pytest.mark.parametrize(
    ("value", "seconds", "ping_ms"),
    [("30000000", 30.0, 15000), ("500000", 0.5, 250), ("100", 0.0001, 100), ("", None, None), ("x", None, None), ("0", None, None)],
)
def test_watchdog_interval(value, seconds, ping_ms):
    env = {"WATCHDOG_USEC": value}
    assert systemd.watchdog_interval(env) == seconds
    assert systemd.ping_interval_ms(env) == ping_ms


def test_ui_sends_ready_then_pings_and_stops_when_the_event_loop_hangs(qtbot, notify_socket):
    from ui.qt import QWidget
    from ui.watchdog import SystemdNotifier

    path, sock = notify_socket
    window = QWidget()
    qtbot.addWidget(window)
    notifier = SystemdNotifier(window, env={"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "200000"})
    assert notifier.interval_ms == 100
    window.show()
    notifier.start("YC-HALL-01 ready")
    qtbot.wait(450)
    messages = receive_all(sock)
    assert messages[0] == "READY=1\nSTATUS=YC-HALL-01 ready"
    assert messages.count("WATCHDOG=1") >= 3
    assert messages.count("READY=1\nSTATUS=YC-HALL-01 ready") == 1

    time.sleep(0.5)  # the UI thread is busy: no event loop, so no pings
    assert receive_all(sock) == []

    qtbot.wait(250)  # the loop runs again: pings again
    assert "WATCHDOG=1" in receive_all(sock)
    notifier.stopping()
    assert receive_all(sock) == ["STOPPING=1"]
    qtbot.wait(250)
    assert receive_all(sock) == []


def test_ui_notifier_is_idle_without_systemd(qtbot):
    from ui.qt import QWidget
    from ui.watchdog import SystemdNotifier

    window = QWidget()
    qtbot.addWidget(window)
    notifier = SystemdNotifier(window, env={"WATCHDOG_USEC": "200000"})
    notifier.start()
    qtbot.wait(50)
    assert not notifier.timer.isActive() and notifier.pings == 0
