"""The Transport interface every printer connection implements (open, write, read, close, each
with a timeout), and what the transports share."""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from drivers.printer.document import Document
    from drivers.printer.profiles import PrinterProfile

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

    def unsent(self) -> int | None:
        """Bytes written that the device has not taken yet (still queued on our side), or None
        when the transport cannot tell. While a long job prints, this shrinks; a device that
        stopped taking data (a jam) keeps it where it is."""
        return None

    def describe(self) -> str:
        return self.uri

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.uri}>"


def _remaining(deadline: float) -> float:
    return max(0.0, deadline - time.monotonic())
