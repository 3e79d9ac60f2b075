"""The reader and the scanner in the device monitor (kiosk/devices): their conditions in the
fault log, the state on the maintainer's screen, their counters."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from drivers.idcard import CardRead, ReadKind
from drivers.idcard.ports import ReaderUriError
from drivers.idcard.status import READ_KIND_INFO
from kiosk.devices.monitor import DeviceReading, condition

log = logging.getLogger(__name__)

#: the driver's fault kinds → the fault log's kinds of the card reader
READER_FAULTS = {
    ReadKind.DISCONNECTED: "reader_disconnected",
    ReadKind.TIMEOUT: "reader_no_response",
    ReadKind.INVALID_RESPONSE: "reader_invalid_response",
    ReadKind.PARTIAL_FRAME: "reader_invalid_response",
    ReadKind.CHECKSUM_ERROR: "reader_invalid_response",
    ReadKind.SAM_ERROR: "reader_sam_error",
}
READER_KINDS = frozenset(READER_FAULTS.values()) | {"reader_config"}
SCANNER_KINDS = frozenset({"scanner_disconnected", "scanner_config"})


def reader_reading(kind: ReadKind, detail: str, now: datetime, *, raw: dict[str, str] | None = None, source: str = "poll") -> DeviceReading:
    fault = READER_FAULTS.get(kind)
    conditions = (condition(fault),) if fault else ()
    return DeviceReading("card_reader", conditions, now, dict(raw or {}), detail if fault else "", source=source)


class CardReaderProbe:
    name = "card_reader"
    kinds = READER_KINDS

    def __init__(self, get_service: Callable[[], object]):
        self._get_service = get_service
        self._service = None
        #: the monitor's update: a fault found by a citizen's read goes to the fault log at once
        self.on_status_change: Callable[[DeviceReading], None] | None = None
        self.count: Callable[[str, str], None] | None = None
        self.service()  # listen to reads from the start (creating the service does no I/O)

    def service(self):
        if self._service is None:
            self._service = self._get_service()
            self._service.read_listeners.append(self._read_done)
        return self._service

    @property
    def exclusive(self) -> bool:
        return self.service().exclusive

    def _read_done(self, read: CardRead) -> None:
        if self.count is not None:
            name = "reads_ok" if read.ok else "no_card" if read.kind is ReadKind.NO_CARD else "reads_failed"
            self.count("card_reader", name)
        if self.on_status_change is None:
            return
        if read.device_fault:
            self.on_status_change(reader_reading(read.kind, read.detail, datetime.now(), source="read"))
        elif read.kind is not ReadKind.CANCELLED:
            # the reader answered: whatever was wrong with it is over
            self.on_status_change(reader_reading(ReadKind.OK, "", datetime.now(), raw={"uri": self.service().uri}, source="read"))

    def read(self, now: datetime) -> DeviceReading:
        service = self.service()
        try:
            status = service.status()
        except ReaderUriError as exc:
            return DeviceReading("card_reader", (condition("reader_config"),), now, {"uri": service.uri}, str(exc))
        raw = {"uri": service.uri}
        if status.sam_id:
            raw["sam_id"] = status.sam_id
        if status.busy:
            raw["busy"] = "reading a card"
        return reader_reading(status.kind, status.detail, now, raw=raw)

    def reconnect(self) -> None:
        service = self.service()
        try:
            service.reader.release()
        except ReaderUriError:
            pass


class ScannerProbe:
    """A serial scanner: healthy while its port opens."""

    name = "scanner"
    kinds = SCANNER_KINDS

    def __init__(self, get_service: Callable[[], object]):
        self._get_service = get_service

    @property
    def exclusive(self) -> bool:
        return not self._get_service().config.uri.startswith("sim:")

    def read(self, now: datetime) -> DeviceReading:
        service = self._get_service()
        raw = {"uri": service.config.uri, "codes": str(service.codes)}
        try:
            status = service.status()
        except ReaderUriError as exc:
            return DeviceReading("scanner", (condition("scanner_config"),), now, raw, str(exc))
        if not status.ok:
            kind = "scanner_config" if status.detail.startswith("configuration") else "scanner_disconnected"
            return DeviceReading("scanner", (condition(kind),), now, raw, status.detail)
        return DeviceReading("scanner", (), now, raw)


def reader_advice(kind: ReadKind) -> str:
    return READ_KIND_INFO[kind].advice_zh
