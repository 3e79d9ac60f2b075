"""tcp://HOST[:PORT]: a network printer's raw port."""

from __future__ import annotations

import fcntl
import select
import socket
import struct
import termios

from drivers.printer.errors import DisconnectedError, PrinterTimeoutError
from drivers.printer.transports.base import CHUNK, Transport
from drivers.printer.transports.uri import DEFAULT_TCP_PORT


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

    def unsent(self) -> int | None:
        """The socket's send queue (SIOCOUTQ): bytes the printer's TCP has not acknowledged,
        i.e. that did not fit into its receive buffer yet."""
        sock = self._sock
        if sock is None:
            return None
        try:
            return struct.unpack("i", fcntl.ioctl(sock.fileno(), termios.TIOCOUTQ, b"\0\0\0\0"))[0]
        except (OSError, ValueError, AttributeError):
            return None

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
