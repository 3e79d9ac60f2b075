"""The reader and the scanner behind the kiosk's screens. Every method may block (seconds for
a read); the UI calls them off its thread (ui/operations.py, the devices pool)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from drivers.idcard import CardRead, IdCardReader, ReadKind, ReaderStatus
from drivers.idcard.ports import ReaderUriError, parse_reader_uri
from drivers.idcard.status import READ_KIND_INFO
from kiosk.config import IdCardConfig, ScannerConfig
from kiosk.i18n import tr
from kiosk.idcard.identity import CardIdentity

log = logging.getLogger(__name__)

OutcomeKind = Literal["ok", "unusable", "no_card", "cancelled", "retry", "fault"]

#: reads that went wrong because of how the card was placed: try again
RETRY_KINDS = frozenset({ReadKind.SELECT_FAILED, ReadKind.CARD_REMOVED, ReadKind.PARTIAL_FRAME, ReadKind.CHECKSUM_ERROR, ReadKind.BAD_CARD_DATA})


@dataclass(frozen=True, repr=False)
class CardOutcome:
    kind: OutcomeKind
    #: for the citizen
    message: str = ""
    identity: CardIdentity | None = None
    read_kind: ReadKind | None = None

    @property
    def ok(self) -> bool:
        return self.kind == "ok" and self.identity is not None

    def __repr__(self) -> str:
        return f"<CardOutcome {self.kind} {self.identity!r}>"


def outcome_of(read: CardRead, today: date) -> CardOutcome:
    if read.ok:
        identity = CardIdentity.from_record(read.record, today)
        if not identity.usable:
            return CardOutcome("unusable", tr(identity.problem_text), identity, read.kind)
        return CardOutcome("ok", "", identity, read.kind)
    message = tr(READ_KIND_INFO[read.kind].advice_zh)
    if read.kind is ReadKind.CANCELLED:
        return CardOutcome("cancelled", message, read_kind=read.kind)
    if read.kind is ReadKind.NO_CARD:
        return CardOutcome("no_card", tr("没有读到身份证。请将身份证平放在读卡区，或改用其他方式。"), read_kind=read.kind)
    if read.kind in RETRY_KINDS:
        return CardOutcome("retry", message, read_kind=read.kind)
    return CardOutcome("fault", message, read_kind=read.kind)


class IdCardService:
    """The configured reader (``idcard.uri``); ``available`` is False without one."""

    def __init__(self, config: IdCardConfig, *, reader: IdCardReader | None = None, clock: Callable[[], datetime] = datetime.now):
        self.config = config
        self.clock = clock
        self._reader = reader
        self._lock = threading.Lock()
        #: called with every CardRead (the device monitor counts reads and records faults)
        self.read_listeners: list[Callable[[CardRead], None]] = []

    @property
    def uri(self) -> str:
        return self._reader.uri if self._reader is not None else self.config.uri

    @property
    def available(self) -> bool:
        return bool(self.uri)

    @property
    def exclusive(self) -> bool:
        """Only one process may use a serial port or a serial server's TCP port."""
        return not self.uri.startswith("sim:")

    @property
    def reader(self) -> IdCardReader:
        with self._lock:
            if self._reader is None:
                if not self.config.uri:
                    raise ReaderUriError("未配置读卡器 / no card reader configured (idcard.uri)")
                parse_reader_uri(self.config.uri)
                self._reader = IdCardReader(
                    self.config.uri, timeout=self.config.timeout_ms / 1000, read_timeout=self.config.read_timeout_ms / 1000
                )
            return self._reader

    def status(self) -> ReaderStatus:
        return self.reader.status()

    def _note(self, read: CardRead) -> None:
        for listener in list(self.read_listeners):
            try:
                listener(read)
            except Exception:  # noqa: BLE001 - counting must not break a read
                log.exception("card read listener failed")

    def wait_for_card(self, cancel: threading.Event | None = None, *, seconds: float | None = None) -> CardOutcome:
        """Wait for the citizen's card and read it (up to ``idcard.wait_seconds``)."""
        try:
            reader = self.reader
        except ReaderUriError as exc:
            log.error("card reader unusable: %s", exc)
            return CardOutcome("fault", tr(READ_KIND_INFO[ReadKind.DISCONNECTED].advice_zh), read_kind=ReadKind.DISCONNECTED)
        read = reader.wait_for_card(seconds if seconds is not None else self.config.wait_seconds, cancel=cancel)
        if read.kind is not ReadKind.CANCELLED:
            self._note(read)
        log.info("card read: %s in %.1f s", read.kind.value, read.seconds)  # the kind only, never the card
        return outcome_of(read, self.clock().date())

    def test_read(self) -> tuple[CardRead, dict[str, str] | None]:
        """A maintainer's test read: the read, and the card masked (None when there is none)."""
        from kiosk.idcard.identity import masked_card

        read = self.reader.read_card()
        self._note(read)
        return read, (masked_card(read.record, self.clock().date()) if read.ok else None)

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()


class ScannerService:
    """A serial scanner (``scanner.uri``); a keyboard-wedge scanner needs none of this (the UI
    recognises its typing, ui/scanning.py). Codes go to ``on_code`` on the scanner's thread."""

    def __init__(self, config: ScannerConfig, *, clock: Callable[[], datetime] = datetime.now):
        self.config = config
        self.clock = clock
        self._scanner = None
        self.on_code: Callable[[str], None] | None = None
        self.codes = 0

    @property
    def available(self) -> bool:
        return bool(self.config.uri)

    @property
    def scanner(self):
        if self._scanner is None:
            from drivers.scanner import SerialScanner

            self._scanner = SerialScanner(self.config.uri, clock=self.clock)
        return self._scanner

    def start(self) -> None:
        if self.available:
            self.scanner.start(self._code)

    def _code(self, code: str) -> None:
        self.codes += 1
        if self.on_code is not None:
            self.on_code(code)

    def status(self):
        return self.scanner.status()

    def close(self) -> None:
        if self._scanner is not None:
            self._scanner.stop()
