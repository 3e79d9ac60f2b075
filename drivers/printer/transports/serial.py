"""serial:///dev/ttyUSB0?baudrate=9600: an RS-232 printer through pyserial."""

from __future__ import annotations

from typing import Any

from drivers.printer.errors import DisconnectedError, PrinterTimeoutError, PrinterUriError
from drivers.printer.transports.base import CHUNK, Transport
from drivers.printer.transports.uri import PrinterUri, _bool_param, _int_param


class SerialTransport(Transport):
    """An RS-232 printer (or a USB-serial adapter) through pyserial."""

    def __init__(self, port: str, *, uri: str | None = None, **settings: Any):
        super().__init__(uri or f"serial://{port}")
        self.port = port
        self.settings = settings
        self._serial = None

    @classmethod
    def from_uri(cls, parsed: PrinterUri) -> SerialTransport:
        port = (parsed.host and "/" + parsed.host or "") + parsed.path
        if not port:
            raise PrinterUriError(f"缺少串口 / no port in {parsed.text!r} (serial:///dev/ttyUSB0?baudrate=9600)")
        p = parsed.params
        settings = {
            "baudrate": _int_param(p, "baudrate", 9600, parsed.text),
            "bytesize": _int_param(p, "bytesize", 8, parsed.text),
            "parity": (p.get("parity") or "N").upper()[:1],
            "stopbits": float(p.get("stopbits") or 1),
            "rtscts": _bool_param(p, "rtscts", False),
            "dsrdtr": _bool_param(p, "dsrdtr", False),
            "xonxoff": _bool_param(p, "xonxoff", False),
        }
        if settings["parity"] not in "NEOMS":
            raise PrinterUriError(f"parity must be N, E, O, M or S in {parsed.text!r}")
        return cls(port, uri=parsed.text, **settings)

    @property
    def is_open(self) -> bool:
        return self._serial is not None

    def open(self, timeout: float) -> None:
        import serial

        self.close()
        stopbits = self.settings.get("stopbits", 1)
        try:
            self._serial = serial.Serial(
                self.port,
                baudrate=self.settings.get("baudrate", 9600),
                bytesize=self.settings.get("bytesize", 8),
                parity=self.settings.get("parity", "N"),
                stopbits=int(stopbits) if stopbits in (1, 2) else stopbits,
                rtscts=self.settings.get("rtscts", False),
                dsrdtr=self.settings.get("dsrdtr", False),
                xonxoff=self.settings.get("xonxoff", False),
                timeout=timeout,
                write_timeout=timeout,
            )
        except (serial.SerialException, OSError, ValueError) as exc:
            raise DisconnectedError(f"{self.port}: {exc}") from None

    def _port(self):
        if self._serial is None:
            raise DisconnectedError("not connected")
        return self._serial

    def write(self, data: bytes, timeout: float) -> None:
        import serial

        port = self._port()
        port.write_timeout = max(0.05, timeout)
        # Chunks small enough to go through in ``timeout`` at this baud rate (10 bits a byte).
        chunk = max(16, min(CHUNK, int(self.settings.get("baudrate", 9600) / 10 * timeout / 2)))
        sent = 0
        try:
            while sent < len(data):
                n = port.write(data[sent : sent + chunk]) or 0
                sent += n
            port.flush()
        except serial.SerialTimeoutException:
            raise PrinterTimeoutError(f"{self.port} took no data for {timeout:g} s ({sent} of {len(data)} bytes sent)") from None
        except (serial.SerialException, OSError) as exc:
            raise DisconnectedError(f"{self.port}: {exc}") from None

    def read(self, size: int, timeout: float) -> bytes:
        import serial

        port = self._port()
        try:
            port.timeout = max(0.0, timeout)
            return bytes(port.read(size))
        except (serial.SerialException, OSError) as exc:
            raise DisconnectedError(f"{self.port}: {exc}") from None

    def close(self) -> None:
        port, self._serial = self._serial, None
        if port is not None:
            try:
                port.close()
            except Exception:  # noqa: BLE001 - closing must not fail
                pass
