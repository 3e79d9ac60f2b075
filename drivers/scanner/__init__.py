"""QR code and barcode scanners: a serial scanner (``SerialScanner``) and the recognition of a
keyboard-wedge (USB HID) scanner's typing (``WedgeDetector``). See docs/idcard.md."""

from drivers.scanner.serial import ScannerStatus, SerialScanner, SimScannerPort
from drivers.scanner.wedge import Scan, WedgeDetector

__all__ = ["Scan", "ScannerStatus", "SerialScanner", "SimScannerPort", "WedgeDetector"]
