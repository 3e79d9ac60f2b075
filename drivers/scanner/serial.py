"""A scanner on a serial port (RS-232, or a USB scanner in "USB COM port" mode: /dev/ttyACM0):
each code arrives as a line of text ended by CR and/or LF.

URIs (configuration ``scanner.uri``) as for the ID card reader (drivers/idcard/ports.py), with
9600 baud by default::

    serial:///dev/ttyACM0?baud=9600
    tcp://HOST:PORT
    sim:               (a queue in this process: ``port.inject("YC2511170007")``)

A scanner can't be asked for its status; the port opening (and staying open) is its health.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from drivers.idcard.ports import Port, ReaderUriError, create_port, parse_reader_uri
from drivers.idcard.protocol import FrameError
from drivers.idcard.status import ReadKind

log = logging.getLogger(__name__)

DEFAULT_SCANNER_BAUD = 9600
MAX_CODE = 4096


@dataclass(frozen=True)
class ScannerStatus:
    ok: bool
    detail: str = ""
    read_at: datetime | None = None

    @property
    def message_zh(self) -> str:
        return "正常" if self.ok else "扫描器未连接"


class SimScannerPort:
    """The ``sim:`` scanner: codes pushed with ``inject`` come out as lines."""

    def __init__(self, uri: str = "sim:"):
        self.uri = uri
        self._open = False
        self._data = bytearray()
        self._ready = threading.Condition()

    @property
    def is_open(self) -> bool:
        return self._open

    def open(self, timeout: float) -> None:
        self._open = True

    def close(self) -> None:
        self._open = False

    def inject(self, code: str) -> None:
        with self._ready:
            self._data += code.encode("utf-8") + b"\r\n"
            self._ready.notify_all()

    def write(self, data: bytes, timeout: float) -> None:
        pass

    def read(self, size: int, timeout: float) -> bytes:
        with self._ready:
            if not self._data:
                self._ready.wait(timeout)
            chunk = bytes(self._data[:size])
            del self._data[:size]
            return chunk

    def discard_input(self) -> bytes:
        with self._ready:
            data = bytes(self._data)
            self._data.clear()
            return data


def create_scanner_port(uri: str):
    parsed = parse_reader_uri(uri)
    if parsed.scheme == "sim":
        return SimScannerPort(parsed.text)
    if parsed.scheme == "serial" and not any(k in parsed.params for k in ("baud", "baudrate")):
        sep = "&" if "?" in parsed.text else "?"
        return create_port(f"{parsed.text}{sep}baud={DEFAULT_SCANNER_BAUD}")
    return create_port(uri)


class SerialScanner:
    """Reads codes from a serial scanner; ``start(on_code)`` reads on a daemon thread."""

    def __init__(self, uri: str, *, port: Port | SimScannerPort | None = None, clock: Callable[[], datetime] = datetime.now):
        self.uri = uri
        self._port = port
        self._clock = clock
        self._buffer = bytearray()
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last: ScannerStatus | None = None
        self.codes_read = 0

    @property
    def port(self):
        if self._port is None:
            self._port = create_scanner_port(self.uri)  # raises ReaderUriError
        return self._port

    def status(self) -> ScannerStatus:
        """Whether the port is (or can be) open. Never raises for a device problem."""
        with self._lock:
            try:
                port = self.port
                if not port.is_open:
                    port.open(1.0)
                status = ScannerStatus(True, "", self._clock())
            except ReaderUriError as exc:
                status = ScannerStatus(False, f"configuration: {exc}", self._clock())
            except FrameError as exc:
                status = ScannerStatus(False, exc.detail, self._clock())
            self._last = status
            return status

    @property
    def last_status(self) -> ScannerStatus | None:
        return self._last

    def read_code(self, timeout: float) -> str | None:
        """The next code within ``timeout`` seconds, or None. Raises FrameError (DISCONNECTED)."""
        deadline = time.monotonic() + timeout
        while True:
            for sep in (b"\r", b"\n"):
                index = self._buffer.find(sep)
                if index >= 0:
                    line = bytes(self._buffer[:index])
                    del self._buffer[: index + 1]
                    text = line.decode("utf-8", "replace").strip()
                    if text:
                        self.codes_read += 1
                        return text
                    break
            else:
                if len(self._buffer) > MAX_CODE:
                    self._buffer.clear()
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                port = self.port
                if not port.is_open:
                    port.open(1.0)
                self._buffer += port.read(256, min(remaining, 0.5))
                continue

    def start(self, on_code: Callable[[str], None]) -> SerialScanner:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, args=(on_code,), name="kiosk-scanner", daemon=True)
            self._thread.start()
        return self

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        port, self._port = self._port, None
        if port is not None:
            port.close()

    def _run(self, on_code: Callable[[str], None]) -> None:
        while not self._stop.is_set():
            try:
                code = self.read_code(0.5)
            except (FrameError, ReaderUriError) as exc:
                self._last = ScannerStatus(False, str(exc), self._clock())
                if self._port is not None:
                    self._port.close()
                self._stop.wait(2.0)  # unplugged: try again later
                continue
            if code is not None:
                try:
                    on_code(code)
                except Exception:  # noqa: BLE001 - a broken handler must not stop the scanner
                    log.exception("scanner handler failed")


__all__ = ["ReadKind", "ScannerStatus", "SerialScanner", "SimScannerPort", "create_scanner_port"]
