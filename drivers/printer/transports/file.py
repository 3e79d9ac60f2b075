"""file:///dev/usb/lp0: a printer device node (or, for development, a regular file)."""

from __future__ import annotations

import errno
import os
import select
import stat
import time

from drivers.printer.errors import DisconnectedError, PrinterTimeoutError
from drivers.printer.transports.base import CHUNK, Transport, _remaining


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
