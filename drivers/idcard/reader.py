"""IdCardReader: the one ID card reader interface the rest of the program sees.

UnifiedPOS in spirit, like the receipt printer: the device is opened (URI checked, nothing
touched), claimed (port opened), enabled (the SAM answered its status); it reports typed
status events to listeners; it answers health checks at three depths (internal: the URI,
external: SAM status, interactive: a test read of the card on the reader).

Every exchange is bounded in time: each reply within ``timeout`` seconds (``read_timeout``
for the basic information, the longest reply). Nothing raises for a device problem: a read
is a ``CardRead`` and a status is a ``ReaderStatus``, each with a ``ReadKind`` that names
what happened (no card, card removed, SAM error, timeout, partial frame, bad checksum,
invalid reply, disconnected).

Thread safety: one lock serialises all device access. A status poll while a card is being
read does not wait: it answers the last status (``busy``).
"""

from __future__ import annotations

import enum
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from drivers.idcard.ports import Port, ReaderUriError, create_port
from drivers.idcard.protocol import Command, FrameError, FrameReader, Reply, ReplyCode, decode_reply, encode_request, reply_text
from drivers.idcard.record import PHOTO_SIZE, TEXT_BLOCK_SIZE, CardDataError, IdCardRecord, parse_text_block
from drivers.idcard.status import READ_KIND_INFO, ReadKind

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 1.0
DEFAULT_READ_TIMEOUT = 3.0
#: how often ``wait_for_card`` asks whether a card is there
POLL_INTERVAL = 0.25

#: SW3 codes that mean the security module itself is at fault
SAM_FAULT_CODES = frozenset({0x10, 0x11, 0x21, 0x23, 0x24, 0x47, 0x60, 0x66})
#: SW3 codes that mean this card could not be used (not an ID card, failed authentication)
CARD_FAULT_CODES = frozenset({0x31, 0x32, 0x33, 0x40, 0x81})


class ReaderState(enum.Enum):
    CLOSED = "closed"
    OPENED = "opened"  # configured, port not open
    CLAIMED = "claimed"  # port open
    ENABLED = "enabled"  # the SAM answered
    BUSY = "busy"  # reading a card


class HealthLevel(enum.Enum):
    INTERNAL = "internal"  # the URI, no I/O
    EXTERNAL = "external"  # SAM status
    INTERACTIVE = "interactive"  # read the card on the reader


@dataclass(frozen=True)
class ReaderStatus:
    kind: ReadKind
    detail: str = ""
    read_at: datetime | None = None
    sam_id: str = ""
    #: the status is the last one known: the reader was busy reading a card
    busy: bool = False

    @property
    def ok(self) -> bool:
        return self.kind is ReadKind.OK

    @property
    def message_zh(self) -> str:
        return "正常" if self.ok else READ_KIND_INFO[self.kind].zh

    @property
    def message_en(self) -> str:
        return "ready" if self.ok else READ_KIND_INFO[self.kind].en

    def __str__(self) -> str:
        text = f"{self.message_zh} / {self.message_en}"
        return f"{text}: {self.detail}" if self.detail else text


@dataclass(frozen=True, repr=False)
class CardRead:
    """What one read came to: a record (``kind`` OK) or the reason there is none."""

    kind: ReadKind
    record: IdCardRecord | None = None
    detail: str = ""
    seconds: float = 0.0
    #: the SW3 code of the failing reply, if a reply said it
    sw3: int | None = None

    @property
    def ok(self) -> bool:
        return self.kind is ReadKind.OK and self.record is not None

    @property
    def advice_zh(self) -> str:
        return READ_KIND_INFO[self.kind].advice_zh

    @property
    def device_fault(self) -> bool:
        return READ_KIND_INFO[self.kind].device_fault

    def __repr__(self) -> str:
        return f"<CardRead {self.kind.value} {self.record!r} {self.detail}>"


@dataclass(frozen=True)
class ReaderEvent:
    """The reader's status changed (to ``status``, from ``previous``)."""

    status: ReaderStatus
    previous: ReadKind | None
    uri: str
    at: datetime
    source: str  # "poll" or "read"


@dataclass(frozen=True)
class HealthReport:
    level: HealthLevel
    ok: bool
    text: str
    details: dict[str, Any] = field(default_factory=dict)
    read: CardRead | None = None


ReaderListener = Callable[[ReaderEvent], None]


class _Failed(Exception):
    def __init__(self, kind: ReadKind, detail: str, sw3: int | None = None):
        self.kind, self.detail, self.sw3 = kind, detail, sw3
        super().__init__(detail)


def _sw3_kind(command: Command, sw3: int) -> ReadKind:
    if sw3 in SAM_FAULT_CODES:
        return ReadKind.SAM_ERROR
    if sw3 == ReplyCode.NO_CARD:
        return ReadKind.NO_CARD
    if sw3 in CARD_FAULT_CODES:
        return ReadKind.SELECT_FAILED
    if sw3 == ReplyCode.READ_FAILED:
        return ReadKind.CARD_REMOVED
    if sw3 == ReplyCode.NO_CONTENT:
        return ReadKind.BAD_CARD_DATA
    return ReadKind.INVALID_RESPONSE


class IdCardReader:
    """A second-generation ID card reader reached through a URI (see drivers/idcard/ports.py)."""

    def __init__(
        self,
        uri: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        read_timeout: float = DEFAULT_READ_TIMEOUT,
        port: Port | None = None,
        clock: Callable[[], datetime] = datetime.now,
    ):
        self.uri = uri
        self.timeout = timeout
        self.read_timeout = read_timeout
        self._port = port
        self._frames: FrameReader | None = None
        self._clock = clock
        self._lock = threading.RLock()
        self._listeners: list[ReaderListener] = []
        self._state = ReaderState.CLOSED
        self._last: ReaderStatus | None = None
        self._sam_id = ""
        #: running totals since start (the maintainer's screen shows the stored ones)
        self.stats: dict[str, int] = {"reads": 0, "reads_ok": 0, "no_card": 0, "faults": 0}

    # --- lifecycle ---------------------------------------------------------------------------

    @property
    def state(self) -> ReaderState:
        return self._state

    @property
    def last_status(self) -> ReaderStatus | None:
        return self._last

    def open(self) -> IdCardReader:
        """Check the URI and create the port; no I/O. Raises ReaderUriError."""
        with self._lock:
            if self._port is None:
                self._port = create_port(self.uri)
            if self._frames is None:
                port = self._port
                self._frames = FrameReader(lambda size, timeout: port.read(size, timeout))
            if self._state is ReaderState.CLOSED:
                self._state = ReaderState.OPENED
            return self

    def claim(self) -> None:
        """Open the port. Raises FrameError (DISCONNECTED)."""
        with self._lock:
            self.open()
            assert self._port is not None
            if not self._port.is_open:
                self._port.open(self.timeout)
                self._frames.clear()
                self._state = ReaderState.CLAIMED

    def enable(self) -> ReaderStatus:
        """Claim and ask the SAM for its status (the baseline for events)."""
        with self._lock:
            status = self.status()
            if status.ok:
                self._state = ReaderState.ENABLED
            return status

    def release(self) -> None:
        """Close the port, keeping the configuration (the next operation reopens it)."""
        with self._lock:
            if self._port is not None:
                self._port.close()
            if self._frames is not None:
                self._frames.clear()
            if self._state is not ReaderState.CLOSED:
                self._state = ReaderState.OPENED

    def close(self) -> None:
        with self._lock:
            self.release()
            self._state = ReaderState.CLOSED

    def __enter__(self) -> IdCardReader:
        return self.open()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- listeners ---------------------------------------------------------------------------

    def add_listener(self, listener: ReaderListener) -> None:
        with self._lock:
            if listener not in self._listeners:
                self._listeners.append(listener)

    def remove_listener(self, listener: ReaderListener) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def _update(self, status: ReaderStatus, source: str) -> None:
        previous = self._last.kind if self._last is not None else None
        self._last = status
        if previous is status.kind:
            return
        level = logging.WARNING if READ_KIND_INFO[status.kind].device_fault else logging.INFO
        log.log(level, "card reader %s: %s (%s)", self.uri, status, source)
        event = ReaderEvent(status, previous, self.uri, status.read_at or self._clock(), source)
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:  # noqa: BLE001 - a broken listener must not stop reading
                log.exception("card reader listener %r failed", listener)

    # --- exchanges ---------------------------------------------------------------------------

    def _transact(self, command: Command, timeout: float | None = None) -> Reply:
        """Send one request and wait for its reply. Raises _Failed."""
        try:
            self.claim()
            port = self._port
            assert port is not None and self._frames is not None
            stale = port.discard_input()
            self._frames.clear()
            if stale:
                log.debug("card reader %s: discarded %d stale bytes", self.uri, len(stale))
            port.write(encode_request(command), self.timeout)
            reply = decode_reply(self._frames.read_frame(timeout or self.timeout))
        except FrameError as exc:
            if exc.kind in (ReadKind.DISCONNECTED, ReadKind.TIMEOUT):
                self.release()  # a fresh port next time (a USB adapter plugged back)
            raise _Failed(exc.kind, f"{command.label}: {exc.detail}") from None
        if reply.sw1 != 0 or reply.sw2 != 0:
            log.debug("card reader %s: %s answered SW1 SW2 %02X %02X", self.uri, command.label, reply.sw1, reply.sw2)
        return reply

    def _expect(self, command: Command, reply: Reply, *ok: int) -> Reply:
        if reply.sw3 in ok:
            return reply
        raise _Failed(_sw3_kind(command, reply.sw3), f"{command.label}: {reply.text}", reply.sw3)

    # --- SAM ---------------------------------------------------------------------------------

    def status(self) -> ReaderStatus:
        """Ask the SAM for its status (11 FF) and tell listeners about a change. Never raises.
        While a card is being read, answers the last status at once (``busy``)."""
        if not self._lock.acquire(blocking=False):
            last = self._last or ReaderStatus(ReadKind.OK, read_at=self._clock())
            return ReaderStatus(last.kind, last.detail, last.read_at, last.sam_id, busy=True)
        try:
            try:
                self.open()
                self._expect(Command.SAM_STATUS, self._transact(Command.SAM_STATUS), ReplyCode.OK)
                if not self._sam_id:
                    self._sam_id = self._read_sam_id()
                status = ReaderStatus(ReadKind.OK, "", self._clock(), self._sam_id)
            except ReaderUriError:
                raise
            except _Failed as exc:
                if exc.kind in (ReadKind.NO_CARD, ReadKind.SELECT_FAILED, ReadKind.CARD_REMOVED, ReadKind.BAD_CARD_DATA):
                    kind = ReadKind.SAM_ERROR  # a card answer to a SAM question: the SAM is confused
                else:
                    kind = exc.kind
                status = ReaderStatus(kind, exc.detail, self._clock(), self._sam_id)
            if self._state is ReaderState.CLAIMED and status.ok:
                self._state = ReaderState.ENABLED
            self._update(status, "poll")
            return status
        finally:
            self._lock.release()

    def _read_sam_id(self) -> str:
        """The SAM's serial number as printed on it (best effort: '' when it won't say)."""
        try:
            reply = self._expect(Command.SAM_ID, self._transact(Command.SAM_ID), ReplyCode.OK)
        except _Failed:
            return ""
        data = reply.data
        if len(data) < 16:
            return data.hex()
        # 2 bytes + 2 bytes + 4 bytes + 4 bytes + 4 bytes, little-endian, shown as 05.01-20101224-0012345678-1234567890
        a = int.from_bytes(data[0:2], "little")
        b = int.from_bytes(data[2:4], "little")
        c = int.from_bytes(data[4:8], "little")
        d = int.from_bytes(data[8:12], "little")
        e = int.from_bytes(data[12:16], "little")
        return f"{a:02d}.{b:02d}-{c:08d}-{d:010d}-{e:010d}"

    def reset(self) -> ReaderStatus:
        """Reset the SAM (10 FF), then read its status."""
        with self._lock:
            try:
                self._expect(Command.RESET_SAM, self._transact(Command.RESET_SAM, self.read_timeout), ReplyCode.OK)
            except _Failed as exc:
                status = ReaderStatus(exc.kind, exc.detail, self._clock(), self._sam_id)
                self._update(status, "poll")
                return status
            self._sam_id = ""
            return self.status()

    # --- cards -------------------------------------------------------------------------------

    def card_present(self) -> ReadKind:
        """Find card (20 01): OK when a card is on the reader, NO_CARD, or the fault."""
        with self._lock:
            try:
                self._expect(Command.FIND_CARD, self._transact(Command.FIND_CARD), ReplyCode.CARD_FOUND, ReplyCode.OK)
            except _Failed as exc:
                return exc.kind
            return ReadKind.OK

    def read_card(self) -> CardRead:
        """Find, select and read the card on the reader. Never raises for a device problem."""
        started = time.monotonic()
        with self._lock:
            self.open()
            previous_state = self._state
            self._state = ReaderState.BUSY
            try:
                result = self._read_card()
            finally:
                if self._state is ReaderState.BUSY:
                    self._state = previous_state if previous_state is not ReaderState.OPENED else ReaderState.CLAIMED
                    if self._port is None or not self._port.is_open:
                        self._state = ReaderState.OPENED
            result = CardRead(result.kind, result.record, result.detail, time.monotonic() - started, result.sw3)
            self.stats["reads"] += 1
            if result.ok:
                self.stats["reads_ok"] += 1
            elif result.kind is ReadKind.NO_CARD:
                self.stats["no_card"] += 1
            elif result.device_fault:
                self.stats["faults"] += 1
            if result.device_fault:
                self._update(ReaderStatus(result.kind, result.detail, self._clock(), self._sam_id), "read")
            elif result.ok or result.kind is not ReadKind.CANCELLED:
                if self._last is not None and not self._last.ok:
                    # the reader answered card commands: whatever was wrong is over
                    self._update(ReaderStatus(ReadKind.OK, "", self._clock(), self._sam_id), "read")
            return result

    def _read_card(self) -> CardRead:
        try:
            self._expect(Command.FIND_CARD, self._transact(Command.FIND_CARD), ReplyCode.CARD_FOUND, ReplyCode.OK)
            self._expect(Command.SELECT_CARD, self._transact(Command.SELECT_CARD), ReplyCode.OK)
            reply = self._expect(
                Command.READ_BASIC, self._transact(Command.READ_BASIC, self.read_timeout), ReplyCode.OK
            )
        except _Failed as exc:
            if exc.kind in (ReadKind.PARTIAL_FRAME, ReadKind.TIMEOUT, ReadKind.CHECKSUM_ERROR) or exc.sw3 == ReplyCode.READ_FAILED:
                # was the card taken away? then that is what happened, not a line fault
                if self._removed():
                    return CardRead(ReadKind.CARD_REMOVED, None, exc.detail, sw3=exc.sw3)
            return CardRead(exc.kind, None, exc.detail, sw3=exc.sw3)
        data = reply.data
        if len(data) < 4:
            return CardRead(ReadKind.INVALID_RESPONSE, None, f"read_basic: reply of {len(data)} bytes")
        text_len = int.from_bytes(data[0:2], "big")
        photo_len = int.from_bytes(data[2:4], "big")
        if text_len != TEXT_BLOCK_SIZE or len(data) < 4 + text_len + photo_len or photo_len > 4 * PHOTO_SIZE:
            return CardRead(
                ReadKind.INVALID_RESPONSE, None,
                f"read_basic: text {text_len} + photo {photo_len} bytes announced, {len(data) - 4} sent",
            )
        block = data[4 : 4 + text_len]
        photo = data[4 + text_len : 4 + text_len + photo_len]
        try:
            record = parse_text_block(block, photo)
        except CardDataError as exc:
            return CardRead(ReadKind.BAD_CARD_DATA, None, f"read_basic: {exc}")
        return CardRead(ReadKind.OK, record)

    def _removed(self) -> bool:
        try:
            reply = self._transact(Command.FIND_CARD)
        except _Failed:
            return False
        return reply.sw3 == ReplyCode.NO_CARD

    def wait_for_card(
        self,
        timeout: float,
        *,
        cancel: threading.Event | None = None,
        interval: float = POLL_INTERVAL,
    ) -> CardRead:
        """Wait up to ``timeout`` seconds for a card, then read it. Returns NO_CARD when none
        came, CANCELLED when ``cancel`` was set, a device fault at once when the reader fails."""
        deadline = time.monotonic() + timeout
        while True:
            if cancel is not None and cancel.is_set():
                return CardRead(ReadKind.CANCELLED)
            present = self.card_present()
            if present is ReadKind.OK:
                return self.read_card()
            if present is not ReadKind.NO_CARD:
                if READ_KIND_INFO[present].device_fault:
                    with self._lock:
                        self._update(ReaderStatus(present, "find_card", self._clock(), self._sam_id), "read")
                return CardRead(present, None, "find_card")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return CardRead(ReadKind.NO_CARD, None, f"no card within {timeout:g} s")
            if cancel is not None:
                if cancel.wait(min(interval, remaining)):
                    return CardRead(ReadKind.CANCELLED)
            else:
                time.sleep(min(interval, remaining))

    # --- health ------------------------------------------------------------------------------

    def check_health(self, level: HealthLevel = HealthLevel.EXTERNAL, *, today: date | None = None) -> HealthReport:
        """UnifiedPOS checkHealth. INTERNAL touches no device; EXTERNAL asks the SAM;
        INTERACTIVE reads the card on the reader (the report holds it masked, and the record)."""
        details: dict[str, Any] = {"uri": self.uri}
        try:
            self.open()
        except ReaderUriError as exc:
            return HealthReport(level, False, f"配置错误 / configuration: {exc}", details)
        details["port"] = type(self._port).__name__
        if level is HealthLevel.INTERNAL:
            return HealthReport(level, True, "内部检查通过 / internal check passed", details)
        status = self.status()
        if status.sam_id:
            details["sam_id"] = status.sam_id
        if level is HealthLevel.EXTERNAL or not status.ok:
            return HealthReport(level, status.ok, str(status), details)
        read = self.read_card()
        details["seconds"] = round(read.seconds, 2)
        if not read.ok:
            return HealthReport(level, False, f"{READ_KIND_INFO[read.kind].zh} / {READ_KIND_INFO[read.kind].en}: {read.detail}", details, read)
        record = read.record
        problems = record.problems(today or self._clock().date())
        text = "读卡成功 / card read" + (f" ({', '.join(problems)})" if problems else "")
        return HealthReport(level, True, text, details, read)


__all__ = [
    "CardRead",
    "HealthLevel",
    "HealthReport",
    "IdCardReader",
    "ReaderEvent",
    "ReaderState",
    "ReaderStatus",
    "reply_text",
]
