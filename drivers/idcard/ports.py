"""How bytes reach an ID card reader: a URI names the port, pyserial opens it.

URIs (configuration ``idcard.uri``, ``$KIOSK_IDCARD`` or ``--uri``), in the printer's style::

    serial:///dev/ttyUSB0?baud=115200[&parity=N&bytesize=8&stopbits=1&rtscts=0]
    tcp://HOST:PORT                 (a reader behind a serial server, or `kiosk idcard emulate --tcp`)
    loop://                         (pyserial's loopback: every request comes back as the "reply")
    sim:[?cards=FILE&card=N&fault=MODE]   (the emulator in this process, see emulators/idcard)

``baudrate=`` is accepted as well as ``baud=`` (the printer's spelling). The default speed is
115200 baud, the SAM modules' usual one.

Every read and write has a timeout; a port that can't be opened or goes away raises a
FrameError of kind DISCONNECTED.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from drivers.idcard.protocol import FrameError
from drivers.idcard.status import ReadKind

log = logging.getLogger(__name__)

SCHEMES = ("serial", "tcp", "loop", "sim")
DEFAULT_BAUD = 115200


class ReaderUriError(ValueError):
    """A reader URI that names no known port or is malformed."""


@dataclass(frozen=True)
class ReaderUri:
    scheme: str
    host: str = ""
    port: int | None = None
    path: str = ""
    params: dict[str, str] = field(default_factory=dict)
    text: str = ""


def parse_reader_uri(uri: str) -> ReaderUri:
    text = (uri or "").strip()
    scheme = text.split(":", 1)[0].lower() if ":" in text else ""
    if scheme not in SCHEMES:
        raise ReaderUriError(
            f"读卡器地址无效 / not a card reader URI: {uri!r} (e.g. serial:///dev/ttyUSB0?baud=115200, tcp://10.0.0.9:4001, sim:)"
        )
    parts = urlsplit(text)
    params = {k.lower(): v for k, v in parse_qsl(parts.query, keep_blank_values=True)}
    port = None
    host = parts.netloc
    if scheme == "tcp":
        try:
            port = parts.port
        except ValueError:
            raise ReaderUriError(f"端口无效 / invalid port in {uri!r}") from None
        host = parts.hostname or ""
        if not host or not port:
            raise ReaderUriError(f"缺少主机或端口 / tcp://HOST:PORT needed, got {uri!r}")
    return ReaderUri(scheme, host, port, unquote(parts.path), params, text)


def _int(params: dict[str, str], names: tuple[str, ...], default: int, uri: str) -> int:
    for name in names:
        if params.get(name):
            try:
                return int(params[name], 0)
            except ValueError:
                raise ReaderUriError(f"参数无效 / {name}={params[name]!r} in {uri!r} is not a number") from None
    return default


def _bool(params: dict[str, str], name: str) -> bool:
    return (params.get(name) or "").lower() in ("1", "true", "yes", "on")


class Port:
    """A pyserial port (a device, ``socket://`` or ``loop://``) with bounded reads and writes."""

    def __init__(self, url: str, *, uri: str, settings: dict[str, Any] | None = None):
        self.url = url
        self.uri = uri
        self.settings = settings or {}
        self._serial = None

    @property
    def is_open(self) -> bool:
        return self._serial is not None

    def open(self, timeout: float) -> None:
        import serial

        self.close()
        try:
            port = serial.serial_for_url(self.url, do_not_open=True, timeout=timeout, write_timeout=timeout, **self.settings)
            port.open()
        except (serial.SerialException, OSError, ValueError) as exc:
            raise FrameError(ReadKind.DISCONNECTED, f"{self.url}: {exc}") from None
        self._serial = port

    def _port(self):
        if self._serial is None:
            raise FrameError(ReadKind.DISCONNECTED, "not connected")
        return self._serial

    def write(self, data: bytes, timeout: float) -> None:
        import serial

        port = self._port()
        try:
            port.write_timeout = max(0.05, timeout)
            port.write(data)
            port.flush()
        except serial.SerialTimeoutException:
            raise FrameError(ReadKind.TIMEOUT, f"{self.url} took no data for {timeout:g} s") from None
        except (serial.SerialException, OSError) as exc:
            raise FrameError(ReadKind.DISCONNECTED, f"{self.url}: {exc}") from None

    def read(self, size: int, timeout: float) -> bytes:
        import serial

        port = self._port()
        try:
            port.timeout = max(0.0, timeout)
            data = bytes(port.read(size))
        except (serial.SerialException, OSError) as exc:
            raise FrameError(ReadKind.DISCONNECTED, f"{self.url}: {exc}") from None
        return data

    def discard_input(self) -> bytes:
        """Whatever came in unasked (a late reply to an earlier request)."""
        got = bytearray()
        while len(got) < 65536:
            chunk = self.read(4096, 0)
            if not chunk:
                break
            got += chunk
        return bytes(got)

    def close(self) -> None:
        port, self._serial = self._serial, None
        if port is not None:
            try:
                port.close()
            except Exception:  # noqa: BLE001 - closing must not fail
                pass

    def __repr__(self) -> str:
        return f"<Port {self.uri}>"


def create_port(uri: str) -> Port:
    """The port for ``uri`` (no I/O). Raises ReaderUriError."""
    parsed = parse_reader_uri(uri)
    if parsed.scheme == "serial":
        device = (parsed.host and "/" + parsed.host or "") + parsed.path
        if not device:
            raise ReaderUriError(f"缺少串口 / no port in {uri!r} (serial:///dev/ttyUSB0?baud=115200)")
        p = parsed.params
        parity = (p.get("parity") or "N").upper()[:1]
        if parity not in "NEOMS":
            raise ReaderUriError(f"parity must be N, E, O, M or S in {uri!r}")
        stopbits = float(p.get("stopbits") or 1)
        settings = {
            "baudrate": _int(p, ("baud", "baudrate"), DEFAULT_BAUD, uri),
            "bytesize": _int(p, ("bytesize",), 8, uri),
            "parity": parity,
            "stopbits": int(stopbits) if stopbits in (1, 2) else stopbits,
            "rtscts": _bool(p, "rtscts"),
            "xonxoff": _bool(p, "xonxoff"),
        }
        return Port(device, uri=parsed.text, settings=settings)
    if parsed.scheme == "tcp":
        return Port(f"socket://{parsed.host}:{parsed.port}", uri=parsed.text)
    if parsed.scheme == "loop":
        return Port("loop://", uri=parsed.text)
    try:
        from emulators.idcard.sim import SimPort  # noqa: PLC0415 - a development tool, optional
    except ImportError:
        raise ReaderUriError("模拟读卡器不可用 / sim: needs the emulators package (emulators/idcard)") from None
    return SimPort.from_uri(parsed)
