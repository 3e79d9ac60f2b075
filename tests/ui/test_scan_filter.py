"""The keyboard-wedge filter on real widgets: a burst of keys with Enter is a scan (by timing,
not text); the scanned characters leave the field they were typed into; typing is untouched."""

from __future__ import annotations

import pytest

from drivers.scanner import WedgeDetector
from ui.qt import QApplication, QLineEdit, Qt
from ui.scanning import ScanFilter


class Clock:
    def __init__(self, step: float):
        self.now = 0.0
        self.step = step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


@pytest.fixture
def field(qtbot):
    widget = QLineEdit()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.setFocus()
    return widget


def install(step, taken=True):
    got: list[str] = []

    def handler(text):
        got.append(text)
        return taken

    scan_filter = ScanFilter(WedgeDetector(max_interval_ms=40, min_length=6), handler, clock=Clock(step))
    QApplication.instance().installEventFilter(scan_filter)
    return scan_filter, got


def test_a_fast_burst_is_a_scan_and_leaves_the_field(qtbot, field):
    field.setText("12")
    scan_filter, got = install(step=5)
    entered = []
    field.returnPressed.connect(lambda: entered.append(field.text()))
    try:
        qtbot.keyClicks(field, "YC2511170007")
        qtbot.keyClick(field, Qt.Key.Key_Return)
    finally:
        QApplication.instance().removeEventFilter(scan_filter)
    assert got == ["YC2511170007"]
    assert field.text() == "12" and entered == []  # Enter swallowed, the code taken back
    assert scan_filter.scans == 1


def test_typing_at_a_persons_speed_is_not_a_scan(qtbot, field):
    scan_filter, got = install(step=180)
    entered = []
    field.returnPressed.connect(lambda: entered.append(field.text()))
    try:
        qtbot.keyClicks(field, "YC2511170007")
        qtbot.keyClick(field, Qt.Key.Key_Return)
    finally:
        QApplication.instance().removeEventFilter(scan_filter)
    assert got == [] and entered == ["YC2511170007"]


def test_a_scan_nobody_takes_goes_on_as_typing(qtbot, field):
    scan_filter, got = install(step=5, taken=False)
    entered = []
    field.returnPressed.connect(lambda: entered.append(field.text()))
    try:
        qtbot.keyClicks(field, "6901234567892")
        qtbot.keyClick(field, Qt.Key.Key_Return)
    finally:
        QApplication.instance().removeEventFilter(scan_filter)
    assert got == ["6901234567892"] and entered == ["6901234567892"]


def test_a_serial_scanners_code_arrives_on_the_ui_thread(qtbot):
    import threading

    got = []
    scan_filter = ScanFilter(WedgeDetector(), lambda text: got.append((text, threading.current_thread() is threading.main_thread())) or True)
    threading.Thread(target=scan_filter.post_scan, args=("YC2511170007",)).start()
    qtbot.waitUntil(lambda: bool(got), timeout=2000)
    assert got == [("YC2511170007", True)]
