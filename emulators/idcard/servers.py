"""The emulated reader on a real byte stream: a TCP socket (like a reader behind a serial
device server) or a pseudo-terminal (a serial port for pyserial: ``serial:///dev/pts/N``).

Each server runs on a daemon thread; ``stop()`` returns within a second. Replies with a delay
(fault ``slow``) are sent by the same thread after sleeping, as a slow SAM would.
"""

from __future__ import annotations

import logging
import os
import select
import socket
import threading
import time
import tty

from emulators.idcard.core import EmulatedReader

log = logging.getLogger(__name__)


class _Server:
    def __init__(self, reader: EmulatedReader):
        self.reader = reader
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.connections = 0

    def start(self):
        self._thread = threading.Thread(target=self._run, name=type(self).__name__, daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        self._close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _send_replies(self, replies, send) -> bool:
        for delay, chunk in replies:
            if delay and self._stop.wait(delay):
                return False
            try:
                send(chunk)
            except OSError:
                return False
        return True

    def _run(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def _close(self) -> None:  # pragma: no cover - overridden
        pass


class TcpReaderServer(_Server):
    """One connection at a time, like a serial device server's TCP port."""

    def __init__(self, reader: EmulatedReader, host: str = "127.0.0.1", port: int = 0):
        super().__init__(reader)
        self._listener = socket.create_server((host, port))
        self._listener.settimeout(0.2)
        self.host, self.port = self._listener.getsockname()[:2]

    @property
    def uri(self) -> str:
        return f"tcp://{self.host}:{self.port}"

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _addr = self._listener.accept()
            except (TimeoutError, socket.timeout):
                continue
            except OSError:
                return
            self.connections += 1
            with conn:
                conn.settimeout(0.2)
                while not self._stop.is_set():
                    try:
                        data = conn.recv(4096)
                    except (TimeoutError, socket.timeout):
                        continue
                    except OSError:
                        break
                    if not data:
                        break
                    if not self._send_replies(self.reader.feed(data), conn.sendall):
                        break

    def _close(self) -> None:
        try:
            self._listener.close()
        except OSError:
            pass


class PtyReaderServer(_Server):
    """A pseudo-terminal whose other end is the reader: open ``path`` as a serial port."""

    def __init__(self, reader: EmulatedReader, *, link: str | None = None):
        super().__init__(reader)
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)  # no echo, no line editing: bytes pass as they are
        tty.setraw(self._master)
        self.path = os.ttyname(self._slave)
        self.link = link
        if link:
            try:
                os.unlink(link)
            except FileNotFoundError:
                pass
            os.symlink(self.path, link)

    @property
    def uri(self) -> str:
        return f"serial://{self.link or self.path}?baud=115200"

    def _send(self, chunk: bytes) -> None:
        view = memoryview(chunk)
        while view:
            _r, w, _x = select.select([], [self._master], [], 0.5)
            if w:
                n = os.write(self._master, view)
                view = view[n:]
            elif self._stop.is_set():
                return

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                readable, _, _ = select.select([self._master], [], [], 0.2)
            except (OSError, ValueError):
                return
            if not readable:
                continue
            try:
                data = os.read(self._master, 4096)
            except OSError:
                time.sleep(0.05)  # EIO while no one has the port open
                continue
            if data:
                self._send_replies(self.reader.feed(data), self._send)

    def _close(self) -> None:
        for fd in (self._master, self._slave):
            try:
                os.close(fd)
            except OSError:
                pass
        if self.link:
            try:
                os.unlink(self.link)
            except OSError:
                pass
