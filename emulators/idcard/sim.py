"""``sim:`` — the emulated reader inside this process, behind the driver's Port interface
(no pty, no socket): for windowed development and screenshots.

    sim:                                  the sample cards, card 0 on the reader
    sim:?cards=/path/cards.json&card=2    another file, another card
    sim:?card=none                        an empty reader
    sim:?fault=sam_fault                  a fault mode (emulators/idcard/core.py)
"""

from __future__ import annotations

import threading
import time

from drivers.idcard.ports import ReaderUri, ReaderUriError
from drivers.idcard.protocol import FrameError
from drivers.idcard.status import ReadKind
from emulators.idcard.cards import CardError, default_cards_path, load_cards
from emulators.idcard.core import EmulatedReader


class SimPort:
    def __init__(self, reader: EmulatedReader, *, uri: str = "sim:"):
        self.reader = reader
        self.uri = uri
        self._open = False
        self._pending: list[tuple[float, bytes]] = []  # (ready at, bytes)
        self._lock = threading.Lock()

    @classmethod
    def from_uri(cls, parsed: ReaderUri) -> SimPort:
        p = parsed.params
        path = p.get("cards") or str(default_cards_path())
        try:
            cards = load_cards(path)
        except CardError as exc:
            raise ReaderUriError(f"模拟读卡器的卡片文件无效 / sim: cards: {exc}") from None
        card = p.get("card", "0")
        index = None if card in ("", "none") else int(card) if card.isdigit() else 0
        try:
            reader = EmulatedReader(cards, card_index=index, fault=p.get("fault") or "none")
        except ValueError as exc:
            raise ReaderUriError(f"sim: {exc}") from None
        return cls(reader, uri=parsed.text)

    @property
    def is_open(self) -> bool:
        return self._open

    def open(self, timeout: float) -> None:
        self._open = True

    def close(self) -> None:
        self._open = False
        with self._lock:
            self._pending.clear()

    def write(self, data: bytes, timeout: float) -> None:
        if not self._open:
            raise FrameError(ReadKind.DISCONNECTED, "not connected")
        now = time.monotonic()
        with self._lock:
            at = max([now] + [t for t, _ in self._pending])
            for delay, chunk in self.reader.feed(data):
                at += delay
                self._pending.append((at, chunk))

    def read(self, size: int, timeout: float) -> bytes:
        if not self._open:
            raise FrameError(ReadKind.DISCONNECTED, "not connected")
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                now = time.monotonic()
                if self._pending and self._pending[0][0] <= now:
                    at, chunk = self._pending[0]
                    taken, rest = chunk[:size], chunk[size:]
                    if rest:
                        self._pending[0] = (at, rest)
                    else:
                        self._pending.pop(0)
                    return taken
                wait = (self._pending[0][0] - now) if self._pending else deadline - now
            wait = min(wait, deadline - time.monotonic())
            if wait <= 0:
                return b""
            time.sleep(min(wait, 0.05))

    def discard_input(self) -> bytes:
        with self._lock:
            now = time.monotonic()
            ready = [c for t, c in self._pending if t <= now]
            self._pending = [(t, c) for t, c in self._pending if t > now]
        return b"".join(ready)
