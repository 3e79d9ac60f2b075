"""QR code and barcode scanners: a serial scanner (``SerialScanner``) and the recognition of a
keyboard-wedge (USB HID) scanner's typing (``WedgeDetector``). See docs/idcard.md."""

from typing import TYPE_CHECKING, Any

from drivers.scanner.wedge import Scan, WedgeDetector

if TYPE_CHECKING:  # pragma: no cover
    from drivers.scanner.serial import ScannerStatus, SerialScanner, SimScannerPort

_SERIAL = ("ScannerStatus", "SerialScanner", "SimScannerPort")


def __getattr__(name: str) -> Any:
    # The kiosk's window needs only the wedge detector at start-up; the serial scanner (pyserial,
    # the ID card reader's ports) is imported when a terminal has one (docs/performance.md).
    if name in _SERIAL:
        from drivers.scanner import serial

        return getattr(serial, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["Scan", "ScannerStatus", "SerialScanner", "SimScannerPort", "WedgeDetector"]
