"""Transports: how bytes reach a printer. Each implements only open, write, read and close,
and every write and read has a timeout; the logic lives in ``device.ReceiptPrinter``.

URIs (configuration ``printer.uri``, ``$KIOSK_PRINTER`` or ``--printer``)::

    usb://0416:5011[?interface=0&in_ep=0x81&out_ep=0x03&serial=ABC]
    tcp://192.168.1.50[:9100]
    serial:///dev/ttyUSB0?baudrate=9600[&rtscts=1&xonxoff=0&parity=N&bytesize=8&stopbits=1]
    file:///dev/usb/lp0
    sim://[FOLDER]          (drivers/printer/sim.py)

Errors: ``DisconnectedError`` when the device can't be reached or went away (the printer
reconnects on its next operation), ``PrinterTimeoutError`` when written data makes no
progress for ``timeout`` seconds. ``read`` returns b"" when nothing came in time.
"""

from __future__ import annotations

import errno
import logging
import os
import select
import socket
import stat
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote, urlsplit

from drivers.printer.errors import DisconnectedError, PrinterTimeoutError, PrinterUriError

if TYPE_CHECKING:  # pragma: no cover
    from drivers.printer.document import Document
    from drivers.printer.profiles import PrinterProfile

log = logging.getLogger(__name__)

DEFAULT_TCP_PORT = 9100
#: largest piece written at once: a stalled printer shows as a write making no progress
CHUNK = 4096


class Transport(ABC):
    """A connection to a printer. Not thread-safe: ReceiptPrinter serialises access."""

    #: whether the device can answer (status requests need it)
    can_read: bool = True

    def __init__(self, uri: str):
        self.uri = uri

    @property
    @abstractmethod
    def is_open(self) -> bool: ...

    @abstractmethod
    def open(self, timeout: float) -> None:
        """Connect. Raises DisconnectedError (not found, refused, no permission)."""

    @abstractmethod
    def write(self, data: bytes, timeout: float) -> None:
        """Send all of ``data``. PrinterTimeoutError when no byte is taken for ``timeout`` s."""

    @abstractmethod
    def read(self, size: int, timeout: float) -> bytes:
        """Up to ``size`` bytes, waiting at most ``timeout`` s; b"" when nothing came."""

    @abstractmethod
    def close(self) -> None:
        """Disconnect; never raises."""

    # Optional hooks -----------------------------------------------------------------------

    def attach_document(self, document: Document, profile: PrinterProfile) -> None:
        """Called before a job's bytes are written: a simulated printer draws the document
        itself (sim://); real transports ignore it."""

    def drain(self, limit: int = 4096) -> bytes:
        """Discard whatever the device sent unasked (late replies to earlier requests)."""
        got = bytearray()
        while len(got) < limit:
            chunk = self.read(limit - len(got), 0)
            if not chunk:
                break
            got += chunk
        return bytes(got)

    def describe(self) -> str:
        return self.uri

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.uri}>"


# --- URIs ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PrinterUri:
    scheme: str
    host: str = ""
    port: int | None = None
    path: str = ""
    params: dict[str, str] = field(default_factory=dict)
    text: str = ""


SCHEMES = ("usb", "tcp", "serial", "file", "sim")


def parse_printer_uri(uri: str) -> PrinterUri:
    text = uri.strip()
    if "://" not in text:
        raise PrinterUriError(
            f"打印机地址无效 / not a printer URI: {uri!r} (e.g. usb://0416:5011, tcp://10.0.0.9:9100, sim://)"
        )
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise PrinterUriError(f"不支持的打印机连接方式 / unknown printer URI scheme {scheme!r} in {uri!r}; known: {', '.join(SCHEMES)}")
    params = {k.lower(): v for k, v in parse_qsl(parts.query, keep_blank_values=True)}
    port = None
    if scheme == "tcp":
        try:
            port = parts.port
        except ValueError:
            raise PrinterUriError(f"端口无效 / invalid port in {uri!r}") from None
        host = parts.hostname or ""
    else:
        # usb://0416:5011 is VID:PID, not host:port; sim://~/x and file paths keep their case.
        host = parts.netloc
    return PrinterUri(scheme, host, port, unquote(parts.path), params, text)


def _int_param(params: dict[str, str], name: str, default: int | None, uri: str) -> int | None:
    if name not in params or params[name] == "":
        return default
    try:
        return int(params[name], 0)
    except ValueError:
        raise PrinterUriError(f"参数无效 / {name}={params[name]!r} in {uri!r} is not a number") from None


def _bool_param(params: dict[str, str], name: str, default: bool) -> bool:
    value = params.get(name)
    if value is None or value == "":
        return default
    return value.lower() in ("1", "true", "yes", "on")


def create_transport(uri: str, *, default_sim_folder: str | os.PathLike[str] | None = None, **options: Any) -> Transport:
    """The transport for ``uri``. ``options`` go to its constructor (``backend`` for usb)."""
    parsed = parse_printer_uri(uri)
    if parsed.scheme == "tcp":
        if not parsed.host:
            raise PrinterUriError(f"缺少主机 / no host in {uri!r} (tcp://HOST[:PORT])")
        return TcpTransport(parsed.host, parsed.port or DEFAULT_TCP_PORT, uri=parsed.text)
    if parsed.scheme == "usb":
        return UsbTransport.from_uri(parsed, **options)
    if parsed.scheme == "serial":
        return SerialTransport.from_uri(parsed)
    if parsed.scheme == "file":
        path = (parsed.host and "/" + parsed.host or "") + parsed.path
        if not path:
            raise PrinterUriError(f"缺少设备路径 / no path in {uri!r} (file:///dev/usb/lp0)")
        return FileTransport(path, uri=parsed.text)
    from drivers.printer.sim import SimTransport  # sim

    folder_text = (parsed.host or "") + parsed.path if (parsed.host or parsed.path) else ""
    if folder_text:
        folder = Path(folder_text).expanduser()
    elif default_sim_folder is not None:
        folder = Path(default_sim_folder)
    else:
        raise PrinterUriError(f"模拟打印机需要目录 / sim:// needs a folder here: sim:///path/to/folder ({uri!r})")
    return SimTransport(folder, uri=parsed.text)


def _remaining(deadline: float) -> float:
    return max(0.0, deadline - time.monotonic())


# --- TCP -------------------------------------------------------------------------------------


class TcpTransport(Transport):
    """A network printer's raw port (JetDirect / AppSocket, 9100)."""

    def __init__(self, host: str, port: int = DEFAULT_TCP_PORT, *, uri: str | None = None):
        super().__init__(uri or f"tcp://{host}:{port}")
        self.host = host
        self.port = port
        self._sock: socket.socket | None = None

    @property
    def is_open(self) -> bool:
        return self._sock is not None

    def open(self, timeout: float) -> None:
        self.close()
        try:
            sock = socket.create_connection((self.host, self.port), timeout=max(0.1, timeout))
        except socket.timeout:
            raise DisconnectedError(f"{self.host}:{self.port} did not accept a connection within {timeout:g} s") from None
        except OSError as exc:
            raise DisconnectedError(f"{self.host}:{self.port}: {exc.strerror or exc}") from None
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        self._sock = sock

    def _socket(self) -> socket.socket:
        if self._sock is None:
            raise DisconnectedError("not connected")
        return self._sock

    def _check_alive(self, sock: socket.socket) -> None:
        """A peer that closed the connection (printer restarted) makes the socket readable
        with nothing to read: notice that before sending a job into the void."""
        try:
            readable, _, _ = select.select([sock], [], [], 0)
            if readable and sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b"":
                raise DisconnectedError(f"{self.host}:{self.port} closed the connection")
        except (BlockingIOError, InterruptedError):
            pass
        except OSError as exc:
            raise DisconnectedError(f"{self.host}:{self.port}: {exc.strerror or exc}") from None

    def write(self, data: bytes, timeout: float) -> None:
        sock = self._socket()
        self._check_alive(sock)
        view = memoryview(data)
        sent = 0
        try:
            while sent < len(view):
                sock.settimeout(max(0.05, timeout))
                try:
                    n = sock.send(view[sent : sent + CHUNK * 4])
                except socket.timeout:
                    raise PrinterTimeoutError(
                        f"{self.host}:{self.port} took no data for {timeout:g} s ({sent} of {len(data)} bytes sent)"
                    ) from None
                if n == 0:
                    raise DisconnectedError(f"{self.host}:{self.port} closed the connection")
                sent += n
        except (ConnectionError, OSError) as exc:
            if isinstance(exc, (PrinterTimeoutError, DisconnectedError)):
                raise
            raise DisconnectedError(f"{self.host}:{self.port}: {exc.strerror or exc}") from None

    def read(self, size: int, timeout: float) -> bytes:
        sock = self._socket()
        try:
            if timeout <= 0:
                readable, _, _ = select.select([sock], [], [], 0)
                if not readable:
                    return b""
                sock.settimeout(0.05)
            else:
                sock.settimeout(timeout)
            data = sock.recv(size)
        except socket.timeout:
            return b""
        except (BlockingIOError, InterruptedError):
            return b""
        except OSError as exc:
            raise DisconnectedError(f"{self.host}:{self.port}: {exc.strerror or exc}") from None
        if data == b"":
            raise DisconnectedError(f"{self.host}:{self.port} closed the connection")
        return data

    def close(self) -> None:
        sock, self._sock = self._sock, None
        if sock is None:
            return
        # Closing with unread bytes (a late status reply) makes the kernel reset the connection,
        # which can discard the end of a job still on its way: read them first, then send FIN.
        try:
            sock.setblocking(False)
            for _ in range(64):
                if not sock.recv(4096):
                    break
        except OSError:
            pass
        try:
            sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        sock.close()


# --- serial ----------------------------------------------------------------------------------


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


# --- file (a printer device node such as /dev/usb/lp0) ---------------------------------------


class FileTransport(Transport):
    """A printer device node (usblp ``/dev/usb/lp0``, parallel ``/dev/lp0``) or, for
    development, a regular file that collects the bytes. Non-blocking I/O with select, so a
    stalled printer times out. A device node is opened for reading too (usblp passes the
    printer's answers back); a regular file can't answer (status unknown)."""

    def __init__(self, path: str, *, uri: str | None = None):
        super().__init__(uri or f"file://{path}")
        self.path = path
        self._fd: int | None = None
        self.can_read = False

    @property
    def is_open(self) -> bool:
        return self._fd is not None

    def open(self, timeout: float) -> None:
        self.close()
        path = self.path
        try:
            st = os.stat(path)
            is_device = stat.S_ISCHR(st.st_mode)
        except FileNotFoundError:
            if path.startswith("/dev/"):
                raise DisconnectedError(f"{path} does not exist (printer unplugged or off?)") from None
            is_device = False
        except OSError as exc:
            raise DisconnectedError(f"{path}: {exc.strerror}") from None
        try:
            if is_device:
                try:
                    self._fd = os.open(path, os.O_RDWR | os.O_NONBLOCK | os.O_NOCTTY)
                    self.can_read = True
                except OSError:
                    self._fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK | os.O_NOCTTY)
                    self.can_read = False
            else:
                self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
                self.can_read = False
        except OSError as exc:
            hint = " (add the user to group lp, see docs/printers.md)" if exc.errno == errno.EACCES else ""
            raise DisconnectedError(f"{path}: {exc.strerror}{hint}") from None

    def _descriptor(self) -> int:
        if self._fd is None:
            raise DisconnectedError("not connected")
        return self._fd

    def write(self, data: bytes, timeout: float) -> None:
        fd = self._descriptor()
        view = memoryview(data)
        sent = 0
        while sent < len(view):
            try:
                _, writable, _ = select.select([], [fd], [], max(0.0, timeout))
                if not writable:
                    raise PrinterTimeoutError(f"{self.path} took no data for {timeout:g} s ({sent} of {len(data)} bytes sent)")
                sent += os.write(fd, view[sent : sent + CHUNK])
            except (BlockingIOError, InterruptedError):
                continue
            except OSError as exc:
                if exc.errno == errno.EAGAIN:
                    continue
                raise DisconnectedError(f"{self.path}: {exc.strerror}") from None

    def read(self, size: int, timeout: float) -> bytes:
        if not self.can_read:
            return b""
        fd = self._descriptor()
        deadline = time.monotonic() + max(0.0, timeout)
        while True:
            try:
                readable, _, _ = select.select([fd], [], [], _remaining(deadline))
                if readable:
                    data = os.read(fd, size)
                    if data:
                        return data
            except (BlockingIOError, InterruptedError):
                pass
            except OSError as exc:
                if exc.errno != errno.EAGAIN:
                    raise DisconnectedError(f"{self.path}: {exc.strerror}") from None
            if time.monotonic() >= deadline:
                return b""
            time.sleep(0.01)  # usblp reports readable with nothing to read: poll gently

    def close(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            try:
                os.close(fd)
            except OSError:
                pass


# --- USB (pyusb) -----------------------------------------------------------------------------


class UsbTransport(Transport):
    """A USB printer through pyusb (libusb), the way python-escpos's ``Usb`` reaches it, with
    its faults fixed: every transfer has a timeout (python-escpos writes with timeout 0, which
    libusb takes as "wait forever"), opening does not reset the device, the interface is
    claimed and released, the endpoints are found from the descriptors unless given, and a
    vanished device is reported as DisconnectedError so that the next operation finds it again.

    ``backend``: a pyusb backend (tests pass a fake one; None = pyusb's default, libusb1).
    """

    def __init__(
        self,
        vendor_id: int,
        product_id: int,
        *,
        interface: int = 0,
        in_ep: int | None = None,
        out_ep: int | None = None,
        serial_number: str | None = None,
        backend: Any = None,
        uri: str | None = None,
    ):
        super().__init__(uri or f"usb://{vendor_id:04x}:{product_id:04x}")
        self.vendor_id = vendor_id
        self.product_id = product_id
        self.interface = interface
        self.in_ep_address = in_ep
        self.out_ep_address = out_ep
        self.serial_number = serial_number
        self.backend = backend
        self._device = None
        self._in_ep: int | None = None
        self._out_ep: int | None = None
        self._in_size = 64
        self._buffer = bytearray()
        self._detached = False

    @classmethod
    def from_uri(cls, parsed: PrinterUri, **options: Any) -> UsbTransport:
        ids = (parsed.host + parsed.path).strip("/")
        try:
            vid_text, pid_text = ids.split(":", 1)
            vid, pid = int(vid_text, 16), int(pid_text, 16)
        except ValueError:
            raise PrinterUriError(f"USB 地址应为 usb://VID:PID（十六进制）/ expected usb://VID:PID in hex, got {parsed.text!r}") from None
        p = parsed.params
        return cls(
            vid,
            pid,
            interface=_int_param(p, "interface", 0, parsed.text) or 0,
            in_ep=_int_param(p, "in_ep", None, parsed.text),
            out_ep=_int_param(p, "out_ep", None, parsed.text),
            serial_number=p.get("serial") or None,
            uri=parsed.text,
            **options,
        )

    @property
    def is_open(self) -> bool:
        return self._device is not None

    @property
    def can_read(self) -> bool:  # type: ignore[override]
        return self._device is None or self._in_ep is not None

    def open(self, timeout: float) -> None:
        import usb.core
        import usb.util

        self.close()
        where = f"{self.vendor_id:04x}:{self.product_id:04x}"
        kwargs: dict[str, Any] = {"idVendor": self.vendor_id, "idProduct": self.product_id}
        if self.backend is not None:
            kwargs["backend"] = self.backend
        if self.serial_number:
            wanted = self.serial_number
            kwargs["custom_match"] = lambda d: _usb_serial(d) == wanted
        try:
            device = usb.core.find(**kwargs)
        except usb.core.NoBackendError:
            raise DisconnectedError("no USB backend (install libusb-1.0)") from None
        except usb.core.USBError as exc:
            raise DisconnectedError(f"USB {where}: {exc}") from None
        if device is None:
            raise DisconnectedError(f"USB printer {where} not found (unplugged or switched off?)")
        try:
            try:
                if device.is_kernel_driver_active(self.interface):
                    device.detach_kernel_driver(self.interface)  # usblp holds it otherwise
                    self._detached = True
            except (NotImplementedError, usb.core.USBError):
                pass
            try:
                config = device.get_active_configuration()
            except usb.core.USBError:
                config = None
            if config is None:
                device.set_configuration()  # only when unconfigured; never reset
                config = device.get_active_configuration()
            intf = config[(self.interface, 0)]
            usb.util.claim_interface(device, self.interface)
            out_ep = self.out_ep_address
            in_ep = self.in_ep_address
            in_size = 64
            for ep in intf:
                is_in = usb.util.endpoint_direction(ep.bEndpointAddress) == usb.util.ENDPOINT_IN
                is_bulk = usb.util.endpoint_type(ep.bmAttributes) == usb.util.ENDPOINT_TYPE_BULK
                if not is_bulk:
                    continue
                if is_in and in_ep is None:
                    in_ep = ep.bEndpointAddress
                if not is_in and out_ep is None:
                    out_ep = ep.bEndpointAddress
                if is_in and ep.bEndpointAddress == in_ep:
                    in_size = ep.wMaxPacketSize or 64
            if out_ep is None:
                raise DisconnectedError(f"USB {where}: interface {self.interface} has no bulk OUT endpoint")
        except usb.core.USBError as exc:
            usb.util.dispose_resources(device)
            hint = " (no permission: install the udev rule, see docs/printers.md)" if exc.errno == errno.EACCES else ""
            raise DisconnectedError(f"USB {where}: {exc}{hint}") from None
        except (KeyError, IndexError):
            usb.util.dispose_resources(device)
            raise DisconnectedError(f"USB {where}: no interface {self.interface}") from None
        self._device = device
        self._out_ep, self._in_ep, self._in_size = out_ep, in_ep, in_size
        self._buffer.clear()

    def _dev(self):
        if self._device is None:
            raise DisconnectedError("not connected")
        return self._device

    def _lost(self, exc: Exception) -> DisconnectedError:
        self.close()
        return DisconnectedError(f"USB {self.vendor_id:04x}:{self.product_id:04x}: {exc}")

    def write(self, data: bytes, timeout: float) -> None:
        import usb.core

        device = self._dev()
        ms = max(1, int(timeout * 1000))  # never 0: libusb takes 0 as "no timeout"
        sent = 0
        while sent < len(data):
            try:
                sent += device.write(self._out_ep, data[sent : sent + CHUNK], timeout=ms)
            except usb.core.USBTimeoutError:
                raise PrinterTimeoutError(
                    f"USB printer took no data for {timeout:g} s ({sent} of {len(data)} bytes sent)"
                ) from None
            except usb.core.USBError as exc:
                raise self._lost(exc) from None

    def read(self, size: int, timeout: float) -> bytes:
        import usb.core

        if self._in_ep is None:
            return b""
        device = self._dev()
        if not self._buffer:
            ms = max(1, int(timeout * 1000))
            try:
                self._buffer += bytes(device.read(self._in_ep, max(size, self._in_size), timeout=ms))
            except usb.core.USBTimeoutError:
                return b""
            except usb.core.USBError as exc:
                raise self._lost(exc) from None
        out = bytes(self._buffer[:size])
        del self._buffer[:size]
        return out

    def close(self) -> None:
        device, self._device = self._device, None
        if device is None:
            return
        import usb.util

        try:
            usb.util.release_interface(device, self.interface)
        except Exception:  # noqa: BLE001 - the device may be gone
            pass
        if self._detached:
            try:
                device.attach_kernel_driver(self.interface)
            except Exception:  # noqa: BLE001
                pass
            self._detached = False
        try:
            usb.util.dispose_resources(device)
        except Exception:  # noqa: BLE001
            pass


def _usb_serial(device) -> str | None:
    import usb.util

    try:
        return usb.util.get_string(device, device.iSerialNumber) if device.iSerialNumber else None
    except Exception:  # noqa: BLE001 - no permission to read strings
        return None
