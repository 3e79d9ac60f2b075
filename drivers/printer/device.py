"""ReceiptPrinter: the one printer interface the rest of the program sees.

UnifiedPOS in spirit: the device is opened (URI and profile checked, nothing touched),
claimed (connected), enabled (first status read); it reports typed status events to
registered listeners; it answers health checks at three depths (internal: our side only,
external: ask the device, interactive: print a test page). All ESC/POS logic is here; the
transports only open, write, read and close.

Every operation is bounded in time: connecting and each write make progress within
``timeout`` seconds, each status reply comes within ``status_timeout`` seconds, the end of a
job within ``timeout`` plus the paper's travel time (every status request of the round after a
job may also wait for the paper the printer's buffer still holds). A lost connection (USB unplugged, TCP
printer restarted) is re-established on the next status read or job.

Thread safety: one lock serialises all device access, so the UI's worker thread may print
while a timer thread polls the status. Listeners are called on the thread doing the I/O.
"""

from __future__ import annotations

import enum
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from drivers.printer.document import Document, layout
from drivers.printer.errors import DisconnectedError, PrinterError, PrinterFaultError, PrinterTimeoutError
from drivers.printer.escpos import PAPER_SENSOR_STATUS, dle_eot, job_header, line_bytes
from drivers.printer.profiles import PrinterProfile, get_profile
from drivers.printer.status import (
    PrinterStatus,
    Severity,
    StatusEvent,
    StatusKind,
    decode_paper_sensor,
    decode_realtime,
    is_paper_sensor_byte,
    is_status_byte,
    severity_of,
    simplify,
)
from drivers.printer.transports import Transport, create_transport

log = logging.getLogger(__name__)

StatusListener = Callable[[StatusEvent], None]

DEFAULT_TIMEOUT = 3.0
DEFAULT_STATUS_TIMEOUT = 1.0
#: what a printer's receive buffer holds at most (bytes): printed after our side sent everything
PRINTER_BUFFER_BYTES = 64 * 1024


class DeviceState(enum.Enum):
    CLOSED = "closed"
    OPENED = "opened"  # configured, not connected
    CLAIMED = "claimed"  # connected
    ENABLED = "enabled"  # connected and status known
    BUSY = "busy"  # printing


class HealthLevel(enum.Enum):
    INTERNAL = "internal"  # our side only: profile, URI, font, renderer
    EXTERNAL = "external"  # ask the device for its status
    INTERACTIVE = "interactive"  # print a test page


@dataclass(frozen=True)
class HealthReport:
    level: HealthLevel
    ok: bool
    text: str
    status: PrinterStatus | None = None
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PrintResult:
    """A job that went out. ``confirmed``: the printer said it processed the job (GS r 1) or a
    status read after the data found it well; False when the profile can't tell."""

    bytes_sent: int
    seconds: float
    status_before: PrinterStatus
    status_after: PrinterStatus | None
    confirmed: bool
    warnings: tuple[StatusKind, ...] = ()


def _error_for(status: PrinterStatus, detail: str) -> PrinterError:
    kind = status.primary
    if kind is StatusKind.DISCONNECTED:
        return DisconnectedError(detail, status=status)
    if kind is StatusKind.TIMEOUT:
        return PrinterTimeoutError(detail, status=status)
    return PrinterFaultError(detail, status=status)


class ReceiptPrinter:
    """A thermal receipt printer reached through a URI and described by a profile."""

    def __init__(
        self,
        uri: str,
        profile: PrinterProfile | str = "generic-80",
        *,
        timeout: float = DEFAULT_TIMEOUT,
        status_timeout: float = DEFAULT_STATUS_TIMEOUT,
        sim_folder: str | os.PathLike[str] | None = None,
        transport: Transport | None = None,
        clock: Callable[[], datetime] = datetime.now,
        **transport_options: Any,
    ):
        self.uri = uri
        self.profile = get_profile(profile) if isinstance(profile, str) else profile
        self.timeout = timeout
        self.status_timeout = status_timeout
        self._sim_folder = sim_folder
        self._transport = transport
        self._transport_options = transport_options
        self._clock = clock
        self._lock = threading.RLock()
        self._listeners: list[StatusListener] = []
        self._state = DeviceState.CLOSED
        self._last: PrinterStatus | None = None
        self._reported: frozenset[StatusKind] = frozenset()

    # --- lifecycle ---------------------------------------------------------------------------

    @property
    def state(self) -> DeviceState:
        return self._state

    @property
    def last_status(self) -> PrinterStatus | None:
        """The status found by the last read (no I/O)."""
        return self._last

    @property
    def transport(self) -> Transport:
        """The transport (opening the device first if needed)."""
        self.open()
        assert self._transport is not None
        return self._transport

    def open(self) -> ReceiptPrinter:
        """Check the URI and create the transport; no I/O. Raises PrinterUriError."""
        with self._lock:
            if self._transport is None:
                self._transport = create_transport(
                    self.uri, default_sim_folder=self._sim_folder, **self._transport_options
                )
            if self._state is DeviceState.CLOSED:
                self._state = DeviceState.OPENED
            return self

    def claim(self) -> None:
        """Connect to the device. Raises DisconnectedError."""
        with self._lock:
            transport = self.transport
            if not transport.is_open:
                transport.open(self.timeout)
                self._state = DeviceState.CLAIMED

    def enable(self) -> PrinterStatus:
        """Claim and read the status (the baseline for events)."""
        with self._lock:
            status = self.read_status()
            if status.primary is not StatusKind.DISCONNECTED:
                self._state = DeviceState.ENABLED
            return status

    def release(self) -> None:
        """Disconnect, keeping the configuration (the next operation reconnects)."""
        with self._lock:
            if self._transport is not None:
                self._transport.close()
            if self._state is not DeviceState.CLOSED:
                self._state = DeviceState.OPENED

    def close(self) -> None:
        with self._lock:
            self.release()
            self._state = DeviceState.CLOSED

    def __enter__(self) -> ReceiptPrinter:
        return self.open()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- listeners ---------------------------------------------------------------------------

    def add_listener(self, listener: StatusListener) -> None:
        with self._lock:
            if listener not in self._listeners:
                self._listeners.append(listener)

    def remove_listener(self, listener: StatusListener) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def _emit(self, event: StatusEvent) -> None:
        log_level = {Severity.ERROR: logging.WARNING, Severity.WARNING: logging.INFO}.get(event.severity, logging.DEBUG)
        log.log(log_level, "printer %s: %s / %s (%s)", self.uri, event.message_zh, event.message_en, event.source)
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:  # noqa: BLE001 - a broken listener must not stop printing
                log.exception("printer status listener %r failed", listener)

    def _update(self, status: PrinterStatus, source: str) -> set[StatusKind]:
        """Remember the status and tell listeners what changed; returns the new conditions."""
        self._last = status
        now = status.read_at or self._clock()
        current = frozenset(status.conditions)
        new = current - self._reported
        gone = self._reported - current
        for kind in [k for k in status.kinds if k in new]:
            self._emit(StatusEvent.of(kind, status, self.uri, now, source))
        if gone and not (current - {StatusKind.UNKNOWN}):
            self._emit(StatusEvent.of(StatusKind.OK, status, self.uri, now, source, cleared=frozenset(gone)))
        self._reported = current
        return set(new)

    # --- status ------------------------------------------------------------------------------

    def read_status(self) -> PrinterStatus:
        """Ask the device (what its profile answers) and tell listeners about changes.
        Never raises for device problems: they are the status (DISCONNECTED, NO_RESPONSE …)."""
        with self._lock:
            status = self._read_status()
            self._update(status, "poll")
            return status

    def _status(self, kinds: set[StatusKind], raw: dict[str, bytes], detail: str = "") -> PrinterStatus:
        return PrinterStatus(simplify(kinds), raw, self._clock(), detail)

    def _read_status(self, *, retry: bool = True) -> PrinterStatus:
        try:
            self.claim()
        except DisconnectedError as exc:
            self.release()
            return self._status({StatusKind.DISCONNECTED}, {}, exc.detail)
        transport = self.transport
        try:
            if not self.profile.answers_status or not transport.can_read:
                transport.write(b"", self.timeout)  # notices a connection the peer closed
                why = "profile answers no status" if not self.profile.answers_status else "transport can't read"
                return self._status({StatusKind.UNKNOWN}, {}, why)
            return self._query_realtime(transport)
        except DisconnectedError as exc:
            self.release()
            if retry:
                # A printer that restarted or was plugged back: one fresh connection.
                log.info("printer %s: connection lost (%s), reconnecting", self.uri, exc.detail)
                return self._read_status(retry=False)
            return self._status({StatusKind.DISCONNECTED}, {}, exc.detail)
        except PrinterTimeoutError as exc:
            self.release()
            return self._status({StatusKind.TIMEOUT}, {}, exc.detail)

    def _query_realtime(self, transport: Transport, after_job: tuple[int, Document] | None = None) -> PrinterStatus:
        """DLE EOT n for each n the profile answers; one request at a time, each reply
        awaited (nothing else is sent before it comes) and validated. ``after_job`` (bytes,
        document): the first request follows a job's data and may wait for its paper."""
        stale = transport.drain()
        if stale:
            log.debug("printer %s: discarded %d stale bytes %s", self.uri, len(stale), stale.hex())
        kinds: set[StatusKind] = set()
        raw: dict[str, bytes] = {}
        requests = sorted(self.profile.realtime_status)
        details = []
        # After a job, the later requests of this round can queue behind the paper still in the
        # printer's buffer (a raster block prints as a whole before the next bytes are read):
        # each waits for that paper at the profile's speed too, not only the reply's time-out.
        later_wait = self.status_timeout
        if after_job is not None:
            later_wait += self._buffered_paper_seconds(*after_job)
        for n in requests:
            transport.write(dle_eot(n), self.timeout)
            if after_job is not None:
                reply = self._await_reply(transport, *after_job)
                waited = self._completion_timeout(after_job[1])
                after_job = None
            else:
                reply = transport.read(1, later_wait)
                waited = later_wait
            raw[str(n)] = reply
            if not reply:
                kinds.add(StatusKind.NO_RESPONSE)
                details.append(f"no reply to DLE EOT {n} within {waited:g} s")
                break  # a silent printer: don't stack up requests
            if not is_status_byte(reply[0]):
                kinds.add(StatusKind.INVALID_RESPONSE)
                details.append(f"DLE EOT {n} reply {reply.hex()} does not match 0xx1xx10")
                continue
            kinds |= decode_realtime(n, reply[0], error_cause_known=3 in requests)
        return self._status(kinds, raw, "; ".join(details))

    # --- printing ----------------------------------------------------------------------------

    def print(self, document: Document) -> PrintResult:
        """Print a document: status checked before (a fault stops the job, paper near end
        prints with a warning event), the data sent, completion confirmed where the profile can.
        Raises PrinterError (PrinterFaultError, DisconnectedError, PrinterTimeoutError)."""
        data = self.render(document)
        with self._lock:
            return self._print(document, data)

    def render(self, document: Document) -> bytes:
        """The document as this printer's bytes (no I/O)."""
        out = bytearray(job_header(self.profile))
        for line in layout(document, self.profile):
            out += line_bytes(line, self.profile)
        return bytes(out)

    def _print(self, document: Document, data: bytes) -> PrintResult:
        started = time.monotonic()
        before = self._read_status()
        new = self._update(before, "job")
        if not before.can_print:
            if before.primary not in new:
                self._emit(StatusEvent.of(before.primary, before, self.uri, self._clock(), "job"))
            raise _error_for(before, before.detail)
        warnings = tuple(k for k in before.kinds if severity_of(k) is Severity.WARNING)
        for kind in warnings:
            if kind not in new:
                self._emit(StatusEvent.of(kind, before, self.uri, self._clock(), "job"))
        transport = self.transport
        self._state = DeviceState.BUSY
        try:
            try:
                transport.attach_document(document, self.profile)
                transport.write(data, self.timeout)
                after, confirmed = self._confirm(transport, len(data), document)
            except (DisconnectedError, PrinterTimeoutError) as exc:
                self.release()
                status = self._status({exc.kind}, {}, exc.detail)
                self._update(status, "job")
                if exc.kind not in new:
                    self._emit(StatusEvent.of(exc.kind, status, self.uri, self._clock(), "job"))
                exc.status = status
                raise
        finally:
            if self._state is DeviceState.BUSY:
                self._state = DeviceState.ENABLED
        if after is not None:
            new_after = self._update(after, "job")
            if not after.can_print:
                if after.primary not in new_after:
                    self._emit(StatusEvent.of(after.primary, after, self.uri, self._clock(), "job"))
                raise _error_for(
                    after, "打印可能不完整 / the job may be incomplete" + (f": {after.detail}" if after.detail else "")
                )
        return PrintResult(
            bytes_sent=len(data),
            seconds=time.monotonic() - started,
            status_before=before,
            status_after=after,
            confirmed=confirmed,
            warnings=warnings,
        )

    def _paper_seconds(self, document: Document) -> float:
        """How long the document's paper takes at the profile's (slowest) speed."""
        height = sum(line.pitch for line in layout(document, self.profile))
        return height / (self.profile.paper_speed_mm_s * 8)

    def _buffered_paper_seconds(self, size: int, document: Document) -> float:
        """How long the paper of what the printer's buffer can hold of this job takes."""
        return self._paper_seconds(document) * min(1.0, PRINTER_BUFFER_BYTES / max(1, size))

    def _completion_timeout(self, document: Document) -> float:
        """The longest wait for the answer after a job: the paper at the profile's speed, plus
        the usual time-outs. Where the transport shows the printer taking the data, a stall is
        found long before this (``_await_reply``)."""
        return self.timeout + self.status_timeout + self._paper_seconds(document)

    def _await_reply(self, transport: Transport, size: int, document: Document) -> bytes:
        """A reply queued behind a job's data: wait while the printer is still taking the data
        (the transport's unsent bytes shrink), up to the job's paper time where that cannot be
        seen; PrinterTimeoutError as soon as the printer has taken nothing for ``timeout``
        seconds in the middle of the job (a jam, a printer that stopped)."""
        started = time.monotonic()
        budget = self._completion_timeout(document)
        deadline = started + budget
        # once everything left our side: what the printer holds in its buffer still has to print
        tail = self.timeout + self.status_timeout + self._buffered_paper_seconds(size, document)
        last, moved = transport.unsent(), started
        while True:
            now = time.monotonic()
            reply = transport.read(1, max(0.0, min(0.2, deadline - now)))
            if reply:
                return reply
            now = time.monotonic()
            unsent = transport.unsent()
            if unsent is not None:
                if last is None or unsent < last:
                    last, moved = unsent, now
                    deadline = max(deadline, now + (tail if unsent == 0 else self.timeout + tail))
                elif unsent > 0 and now - moved > self.timeout:
                    raise PrinterTimeoutError(
                        f"打印机在打印中途不再接收数据 / the printer stopped taking data in the middle of the job: "
                        f"{unsent} of {size} bytes not taken for {now - moved:.1f} s"
                    )
            if now >= deadline:
                return b""

    def _confirm(self, transport: Transport, size: int, document: Document) -> tuple[PrinterStatus | None, bool]:
        """After the data: GS r 1 (answered once the data before it is processed) where the
        profile has it, then the real-time status. Returns (status, confirmed)."""
        if not transport.can_read or not self.profile.confirms_completion:
            return None, False
        kinds: set[StatusKind] = set()
        raw: dict[str, bytes] = {}
        details: list[str] = []
        if self.profile.paper_sensor_status:
            transport.write(PAPER_SENSOR_STATUS, self.timeout)
            reply = self._await_reply(transport, size, document)
            raw["gs_r"] = reply
            if not reply:
                wait = self._completion_timeout(document)
                status = self._status(
                    {StatusKind.NO_RESPONSE}, raw, f"no reply to GS r 1 within {wait:.1f} s after {size} bytes"
                )
                return status, False
            if not is_paper_sensor_byte(reply[0]):
                kinds.add(StatusKind.INVALID_RESPONSE)
                details.append(f"GS r 1 reply {reply.hex()} is not a paper sensor status")
            else:
                kinds |= decode_paper_sensor(reply[0])
        if self.profile.answers_status:
            # Without GS r 1 the first real-time request is the one queued behind the job.
            realtime = self._query_realtime(transport, after_job=None if self.profile.paper_sensor_status else (size, document))
            kinds |= realtime.conditions
            raw.update(realtime.raw)
            if realtime.detail:
                details.append(realtime.detail)
        status = self._status(kinds, raw, "; ".join(details))
        return status, status.can_print

    # --- health ------------------------------------------------------------------------------

    def check_health(self, level: HealthLevel = HealthLevel.EXTERNAL, *, test_page: Document | None = None) -> HealthReport:
        """UnifiedPOS checkHealth. INTERNAL touches no device; EXTERNAL reads the status;
        INTERACTIVE prints ``test_page`` (default: drivers.printer.testpage)."""
        details: dict[str, Any] = {"uri": self.uri, "profile": self.profile.name}
        try:
            self.open()
        except ValueError as exc:
            return HealthReport(level, False, f"配置错误 / configuration: {exc}", details=details)
        if level is HealthLevel.INTERNAL:
            try:
                from drivers.printer.fonts import slip_font_face

                face = slip_font_face()
                details["font"] = f"{face.path}#{face.index} {face.family}"
                sample = Document("health").text("自检 ¥ 123").qr("health")
                details["sample_bytes"] = len(self.render(sample))
            except Exception as exc:  # noqa: BLE001 - report, don't raise
                return HealthReport(level, False, f"内部检查失败 / internal check failed: {exc}", details=details)
            details["transport"] = type(self._transport).__name__
            return HealthReport(level, True, "内部检查通过 / internal check passed", details=details)
        if level is HealthLevel.EXTERNAL:
            status = self.read_status()
            return HealthReport(level, status.can_print, str(status), status, details)
        from drivers.printer.testpage import build_test_page

        status = self.read_status()
        page = test_page or build_test_page(self.profile, status, uri=self.uri, printed_at=self._clock())
        try:
            result = self.print(page)
        except PrinterError as exc:
            return HealthReport(level, False, str(exc), exc.status or status, details)
        details["bytes_sent"] = result.bytes_sent
        return HealthReport(level, True, "测试页已打印 / test page printed", result.status_after or status, details)
