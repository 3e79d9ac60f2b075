"""A keyboard-wedge (USB HID) scanner on the kiosk's window: the Qt side of
drivers/scanner/wedge.py.

``ScanFilter`` watches every key press of the application and feeds the detector with its text
and time. Keys pass through as typed (a person's typing is never delayed). When the
terminator completes a scan, ``handler(text)`` is asked; if it takes the code (returns True),
the terminator is swallowed and the scanned characters are taken back out of the field they
were typed into, so a code scanned while the verification field had the focus does not stay
there. A code nobody takes goes on as typing (the search screen's Enter still works).

A serial scanner's codes (kiosk ScannerService) arrive on its thread; ``post_scan`` brings them
to the UI thread and the same handler.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from drivers.scanner import WedgeDetector
from ui.qt import QApplication, QEvent, QLineEdit, QObject, Qt, Signal

#: keys whose text is not what they mean
_TERMINATOR_KEYS = {Qt.Key.Key_Return: "\r", Qt.Key.Key_Enter: "\r", Qt.Key.Key_Tab: "\t"}


def monotonic_ms() -> float:
    return time.monotonic() * 1000


class ScanFilter(QObject):
    #: a code from a serial scanner, carried to the UI thread
    serial_code = Signal(str)

    def __init__(
        self, detector: WedgeDetector, handler: Callable[[str], bool], *, clock: Callable[[], float] = monotonic_ms,
        parent=None, scope=None,
    ):
        super().__init__(parent)
        #: only keys typed in this widget's window count (another window has its own filter)
        self.scope = scope
        self.detector = detector
        self.handler = handler
        self.clock = clock
        self.scans = 0
        self._target: QLineEdit | None = None
        self.serial_code.connect(self._serial)

    def post_scan(self, code: str) -> None:
        """From any thread."""
        self.serial_code.emit(code)

    def _serial(self, code: str) -> None:
        if self.handler(code):
            self.scans += 1

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        if event.type() != QEvent.Type.KeyPress or event.isAutoRepeat():
            return False
        # one key reaches the filter once per widget it passes through: count it at its target
        focus = QApplication.focusWidget()
        if focus is not None and watched is not focus:
            return False
        if self.scope is not None:
            target = focus if focus is not None else watched
            if not hasattr(target, "window") or target.window() is not self.scope.window():
                return False
        at = self.clock()
        text = _TERMINATOR_KEYS.get(event.key(), event.text())
        if not self.detector.is_terminator(text):
            if not self.detector.in_burst(at):
                self._target = focus if isinstance(focus, QLineEdit) else None
            self.detector.key(text, at)
            return False
        scan = self.detector.key(text, at)
        if scan is None or not self.handler(scan.text):
            return False
        self.scans += 1
        self._take_back(scan.text)
        return True

    def _take_back(self, text: str) -> None:
        field = self._target
        self._target = None
        if field is not None and field.text().endswith(text):
            field.setText(field.text()[: -len(text)])  # setText: no undo history of the scan


def attach_scanner(shell) -> ScanFilter | None:
    """The kiosk window hears scanners: a keyboard-wedge one through its key presses
    (``scanner.wedge``), a serial one (``scanner.uri``) through the kiosk's ScannerService."""
    config = shell.config.scanner
    detector = WedgeDetector(max_interval_ms=config.max_key_interval_ms, min_length=config.min_length, terminator=config.terminator)
    scan_filter = ScanFilter(detector, lambda text: handle_scan(shell, text), parent=shell, scope=shell)
    app = QApplication.instance()
    if config.wedge and app is not None:
        app.installEventFilter(scan_filter)
    scanner = shell.services.scanner
    if scanner.available:
        scanner.on_code = scan_filter.post_scan
        scanner.start()
    return scan_filter


def handle_scan(shell, text: str) -> bool:
    """The screen on show decides first (``Screen.handle_scan``); otherwise a 办件 code opens 进度查询
    with its number. Other codes are left to whatever has the focus."""
    from kiosk.scans import resolve_scan

    screen = shell.current_screen()
    if screen is not None and screen.handle_scan(text):
        return True
    code = resolve_scan(text)
    if code.kind == "application" and shell.current_name() in ("home", "browse", "item", "selfservice", "checklist"):
        shell.note_activity()
        shell.go("progress", number=code.value)
        return True
    return False
