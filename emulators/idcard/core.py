"""The emulated reader: bytes of requests in, replies out (each with the delay before it),
so the same core serves a pty, a TCP socket and the in-process ``sim:`` port.

Fault modes (``set_fault``):

=============  =====================================================================
none           answers like a working reader
no_card        find card answers 80 (nothing on the reader), whatever card is set
select_fail    select card answers 81 (a card that can't be selected)
sam_fault      every command answers 60 (SAM self-test failed)
garbage        every reply is replaced by noise without a frame preamble
checksum       every reply carries a wrong checksum
partial        the read basic information reply stops halfway (then nothing)
removed        the card is pulled during read basic information: 41, then no card
slow           every reply comes after ``delay`` seconds (default 5, past the driver's timeout)
silent         no reply at all
=============  =====================================================================
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from emulators.idcard.cards import EmulatedCard

log = logging.getLogger(__name__)

PREAMBLE = b"\xaa\xaa\xaa\x96\x69"
FAULT_MODES = ("none", "no_card", "select_fail", "sam_fault", "garbage", "checksum", "partial", "removed", "slow", "silent")
DEFAULT_SLOW_DELAY = 5.0
DEFAULT_SAM_ID = bytes.fromhex("0500 0100 68B83201 4E61BC00 D2029649".replace(" ", ""))  # 05.01-20101224-0012345678-1234567890


def _xor(data: bytes) -> int:
    x = 0
    for b in data:
        x ^= b
    return x


def reply_frame(sw3: int, data: bytes = b"", *, bad_checksum: bool = False) -> bytes:
    body = (len(data) + 4).to_bytes(2, "big") + bytes([0, 0, sw3]) + data
    check = _xor(body) ^ (0xFF if bad_checksum else 0)
    return PREAMBLE + body + bytes([check])


@dataclass
class Received:
    """A request the emulator understood (for tests and the console)."""

    cmd: int
    para: int
    ok: bool = True


@dataclass
class EmulatedReader:
    cards: list[EmulatedCard]
    #: the card on the reader (index into ``cards``), None when empty
    card_index: int | None = 0
    fault: str = "none"
    delay: float = DEFAULT_SLOW_DELAY
    sam_id: bytes = DEFAULT_SAM_ID
    received: list[Received] = field(default_factory=list)
    _buffer: bytearray = field(default_factory=bytearray)
    _selected: bool = False
    lock: threading.RLock = field(default_factory=threading.RLock)

    def __post_init__(self) -> None:
        if self.card_index is not None and not (0 <= self.card_index < len(self.cards)):
            self.card_index = None
        self.set_fault(self.fault)

    # --- the console's / tests' controls --------------------------------------------------

    @property
    def card(self) -> EmulatedCard | None:
        return self.cards[self.card_index] if self.card_index is not None else None

    def place_card(self, index: int) -> None:
        with self.lock:
            if not 0 <= index < len(self.cards):
                raise IndexError(f"no card {index} (have {len(self.cards)})")
            self.card_index = index
            self._selected = False

    def remove_card(self) -> None:
        with self.lock:
            self.card_index = None
            self._selected = False

    def set_fault(self, mode: str, delay: float | None = None) -> None:
        if mode not in FAULT_MODES:
            raise ValueError(f"unknown fault mode {mode!r}; known: {', '.join(FAULT_MODES)}")
        with self.lock:
            self.fault = mode
            if delay is not None:
                self.delay = delay

    # --- the wire ------------------------------------------------------------------------------

    def feed(self, data: bytes) -> list[tuple[float, bytes]]:
        """Take bytes from the host; the replies due, each with the seconds to wait before it."""
        out: list[tuple[float, bytes]] = []
        with self.lock:
            self._buffer += data
            while True:
                start = self._buffer.find(PREAMBLE)
                if start < 0:
                    del self._buffer[: max(0, len(self._buffer) - (len(PREAMBLE) - 1))]
                    break
                del self._buffer[:start]
                if len(self._buffer) < 7:
                    break
                length = int.from_bytes(self._buffer[5:7], "big")
                if length < 1 or length > 0x1000:
                    del self._buffer[:5]
                    out += self._shape(reply_frame(0x11))
                    continue
                if len(self._buffer) < 7 + length:
                    break
                body = bytes(self._buffer[5 : 7 + length - 1])
                check = self._buffer[7 + length - 1]
                del self._buffer[: 7 + length]
                if _xor(body) != check or length < 3:
                    self.received.append(Received(body[2] if len(body) > 2 else 0, body[3] if len(body) > 3 else 0, False))
                    out += self._shape(reply_frame(0x10))
                    continue
                cmd, para = body[2], body[3]
                self.received.append(Received(cmd, para))
                out += self._answer(cmd, para)
        return out

    def _shape(self, frame: bytes, *, read_basic: bool = False) -> list[tuple[float, bytes]]:
        """Apply the fault mode to one reply frame."""
        fault = self.fault
        if fault == "silent":
            return []
        if fault == "garbage":
            noise = bytes((i * 37 + 11) % 251 for i in range(len(frame)))
            return [(0.0, noise.replace(b"\xaa", b"\x55"))]
        if fault == "checksum":
            frame = frame[:-1] + bytes([frame[-1] ^ 0xFF])
        if fault == "partial" and read_basic:
            return [(0.0, frame[: len(frame) // 2])]
        if fault == "slow":
            return [(self.delay, frame)]
        return [(0.0, frame)]

    def _answer(self, cmd: int, para: int) -> list[tuple[float, bytes]]:
        if self.fault == "sam_fault":
            return self._shape(reply_frame(0x60))
        if (cmd, para) == (0x10, 0xFF):  # reset SAM
            self._selected = False
            return self._shape(reply_frame(0x90))
        if (cmd, para) == (0x11, 0xFF):  # SAM status
            return self._shape(reply_frame(0x90))
        if (cmd, para) == (0x12, 0xFF):  # SAM ID
            return self._shape(reply_frame(0x90, self.sam_id))
        if (cmd, para) == (0x20, 0x01):  # find card
            if self.card is None or self.fault == "no_card":
                return self._shape(reply_frame(0x80, b"\x00\x00\x00\x00"))
            return self._shape(reply_frame(0x9F, b"\x00\x00\x00\x00"))
        if (cmd, para) == (0x20, 0x02):  # select card
            card = self.card
            if card is None or self.fault in ("no_card", "select_fail"):
                return self._shape(reply_frame(0x81))
            self._selected = True
            return self._shape(reply_frame(0x90, card.serial()))
        if (cmd, para) == (0x30, 0x01):  # read basic information
            card = self.card
            if card is None or not self._selected or self.fault == "no_card":
                return self._shape(reply_frame(0x41))
            if self.fault == "removed":
                self.card_index = None
                self._selected = False
                return self._shape(reply_frame(0x41))
            text, photo = card.text_block(), card.photo()
            data = len(text).to_bytes(2, "big") + len(photo).to_bytes(2, "big") + text + photo
            return self._shape(reply_frame(0x90, data), read_basic=True)
        return self._shape(reply_frame(0x21))
