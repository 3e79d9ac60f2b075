"""Exceptions of the printer driver. Each names its condition (a StatusKind), in Chinese for the
citizen and in English for the log."""

from __future__ import annotations

from drivers.printer.status import KIND_INFO, PrinterStatus, StatusKind


class PrinterError(Exception):
    """A printer problem: ``kind`` says which, ``message_zh``/``advice_zh`` say it to the citizen."""

    kind: StatusKind = StatusKind.UNKNOWN

    def __init__(self, detail: str = "", *, kind: StatusKind | None = None, status: PrinterStatus | None = None):
        if kind is not None:
            self.kind = kind
        elif status is not None:
            self.kind = status.primary
        self.detail = detail
        self.status = status
        super().__init__(str(self))

    @property
    def message_zh(self) -> str:
        if self.status is not None and self.status.conditions:
            return self.status.message_zh
        return KIND_INFO[self.kind].zh

    @property
    def message_en(self) -> str:
        if self.status is not None and self.status.conditions:
            return self.status.message_en
        return KIND_INFO[self.kind].en

    @property
    def advice_zh(self) -> str:
        return KIND_INFO[self.kind].advice_zh

    def __str__(self) -> str:
        text = f"{self.message_zh} / {self.message_en}"
        return f"{text}: {self.detail}" if self.detail else text


class DisconnectedError(PrinterError):
    """The device can't be reached (not found, unplugged, connection refused or reset)."""

    kind = StatusKind.DISCONNECTED


class PrinterTimeoutError(PrinterError):
    """The device took no data, or sent no answer, within the timeout."""

    kind = StatusKind.TIMEOUT


class PrinterFaultError(PrinterError):
    """The printer reported a condition that stops the job (paper out, cover open …)."""


class PrinterUriError(ValueError):
    """A printer URI that names no known transport or is malformed."""
