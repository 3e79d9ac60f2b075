"""The print service: the configured printer, slips printed on it, its status.

The UI calls these methods from a worker thread (they block on the device for up to a few
seconds); the printer's lock makes a status poll and a job safe to run concurrently.
Printer faults are not exceptions here: ``print_*`` returns a PrintOutcome that says, in
Chinese for the citizen, what went wrong and whether the printer can be used again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PIL import Image

from drivers.printer.device import (
    DEFAULT_STATUS_TIMEOUT,
    DEFAULT_TIMEOUT,
    HealthLevel,
    HealthReport,
    PrintResult,
    ReceiptPrinter,
    StatusListener,
)
from drivers.printer.document import Document
from drivers.printer.errors import PrinterError
from drivers.printer.profiles import PrinterProfile, get_profile
from drivers.printer.raster import render_image
from drivers.printer.status import KIND_INFO, PrinterStatus, Severity, StatusKind
from kiosk.catalog.models import Center, ServiceItem
from kiosk.config import Config
from kiosk.slips import build_notice, build_test_page

log = logging.getLogger(__name__)

SIM_FOLDER_NAME = "sim-printer"


def sim_folder(config: Config) -> Path:
    """Where ``sim://`` (without a folder) keeps its state and slips."""
    return Path(config.data_dir) / SIM_FOLDER_NAME


@dataclass(frozen=True)
class PrintOutcome:
    """What happened to a print request, ready for the screen."""

    ok: bool
    #: the condition that stopped the job (OK when printed)
    kind: StatusKind
    #: what went wrong, for the citizen, one clause without final punctuation ("" when
    #: printed): 打印机缺纸，暂时无法打印，请联系工作人员
    message: str
    message_en: str
    #: a warning to show although it printed (paper near end), else None
    warning: str | None
    #: whether the printer can take the next job, and its short status (缺纸, 正常 …)
    printer_ready: bool
    printer_message: str
    result: PrintResult | None = None
    status: PrinterStatus | None = None
    detail: str = ""

    def __str__(self) -> str:
        if self.ok:
            return "已打印 / printed" + (f"（{self.warning}）" if self.warning else "")
        return f"{KIND_INFO[self.kind].zh}：{self.message} / {self.message_en}" + (f": {self.detail}" if self.detail else "")


class PrintService:
    def __init__(
        self,
        printer: ReceiptPrinter,
        *,
        terminal_id: str = "",
        clock: Callable[[], datetime] = datetime.now,
    ):
        self.printer = printer
        self.terminal_id = terminal_id
        self.clock = clock
        #: called with (outcome, document) after every print (the device monitor counts
        #: slips and records failed prints); called on the printing thread
        self.outcome_listeners: list[Callable[[PrintOutcome, Document], None]] = []

    @classmethod
    def from_config(
        cls,
        config: Config,
        *,
        uri: str | None = None,
        profile: str | PrinterProfile | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        status_timeout: float = DEFAULT_STATUS_TIMEOUT,
        clock: Callable[[], datetime] = datetime.now,
        **printer_options,
    ) -> PrintService:
        """The configured printer (``uri``/``profile`` override config.printer; $KIOSK_PRINTER
        is already part of the configuration). Raises UnknownProfileError, PrinterUriError."""
        chosen_profile = profile if profile is not None else config.printer.profile
        if isinstance(chosen_profile, str):
            chosen_profile = get_profile(chosen_profile)
        printer = ReceiptPrinter(
            uri or config.printer.uri,
            chosen_profile,
            timeout=timeout,
            status_timeout=status_timeout,
            sim_folder=sim_folder(config),
            clock=clock,
            **printer_options,
        )
        printer.open()  # checks the URI now, touches nothing
        return cls(printer, terminal_id=config.terminal.id, clock=clock)

    # --- the device --------------------------------------------------------------------------

    @property
    def profile(self) -> PrinterProfile:
        return self.printer.profile

    @property
    def uri(self) -> str:
        return self.printer.uri

    def add_listener(self, listener: StatusListener) -> None:
        self.printer.add_listener(listener)

    def remove_listener(self, listener: StatusListener) -> None:
        self.printer.remove_listener(listener)

    def status(self) -> PrinterStatus:
        """Ask the printer now (blocks up to a few seconds; never raises for device faults)."""
        return self.printer.read_status()

    @property
    def last_status(self) -> PrinterStatus | None:
        return self.printer.last_status

    def check_health(self, level: HealthLevel = HealthLevel.EXTERNAL) -> HealthReport:
        if level is HealthLevel.INTERACTIVE:
            status = self.printer.read_status()
            return self.printer.check_health(level, test_page=self.test_page(status))
        return self.printer.check_health(level)

    def close(self) -> None:
        self.printer.close()

    def slip_language(self, language: str) -> str:
        """The language to print a slip in for a session in ``language``: itself where this
        printer's profile can print it, else Chinese (kiosk/i18n.py SOURCE_LANGUAGE)."""
        from kiosk.i18n import SOURCE_LANGUAGE

        if language and language != SOURCE_LANGUAGE and not self.profile.prints_language(language):
            log.warning("printer profile %s cannot print %s: the slip is printed in Chinese", self.profile.name, language)
            return SOURCE_LANGUAGE
        return language or SOURCE_LANGUAGE

    # --- documents ---------------------------------------------------------------------------

    def notice(self, item: ServiceItem, center: Center | None, missing: Iterable[str | int] = ()) -> Document:
        """The 一次性告知单 (or 补正材料清单). Raises UnknownMaterialError."""
        return build_notice(item, center, terminal_id=self.terminal_id, printed_at=self.clock(), missing=missing)

    def test_page(self, status: PrinterStatus | None = None) -> Document:
        return build_test_page(
            self.profile, status, terminal_id=self.terminal_id, printed_at=self.clock(), uri=self.uri
        )

    def preview(self, document: Document, *, mode: str = "L", margin: int = 0) -> Image.Image:
        """The document as it will print on this printer (same layout, same paper width)."""
        return render_image(document, self.profile, mode=mode, margin=margin)

    def preview_notice(
        self, item: ServiceItem, center: Center | None, missing: Iterable[str | int] = (), *, mode: str = "L"
    ) -> Image.Image:
        return self.preview(self.notice(item, center, missing), mode=mode)

    # --- printing ----------------------------------------------------------------------------

    def print_document(self, document: Document) -> PrintOutcome:
        outcome = self._print_document(document)
        for listener in list(self.outcome_listeners):
            try:
                listener(outcome, document)
            except Exception:  # noqa: BLE001 - a broken listener must not change the outcome
                log.exception("print outcome listener %r failed", listener)
        return outcome

    def _print_document(self, document: Document) -> PrintOutcome:
        try:
            result = self.printer.print(document)
        except PrinterError as exc:
            status = exc.status
            log.info("print %r failed: %s", document.title, exc)
            ready = status is not None and status.can_print
            return PrintOutcome(
                ok=False,
                kind=exc.kind,
                message=exc.advice_zh.rstrip("。"),
                message_en=exc.message_en,
                warning=None,
                printer_ready=ready,
                printer_message=exc.message_zh,
                status=status,
                detail=exc.detail,
            )
        after = result.status_after or result.status_before
        warning = None
        if result.warnings:
            warning = "；".join(KIND_INFO[k].advice_zh.rstrip("。") for k in result.warnings) + "。"
        return PrintOutcome(
            ok=True,
            kind=StatusKind.OK,
            message="",
            message_en="printed",
            warning=warning,
            printer_ready=after.can_print,
            printer_message=after.message_zh if after.severity >= Severity.WARNING else KIND_INFO[StatusKind.OK].zh,
            result=result,
            status=after,
        )

    def print_notice(self, item: ServiceItem, center: Center | None, missing: Iterable[str | int] = ()) -> PrintOutcome:
        """Print the notice slip. Raises UnknownMaterialError for a material the item lacks."""
        return self.print_document(self.notice(item, center, missing))

    def print_test_page(self) -> PrintOutcome:
        status = self.printer.read_status()
        return self.print_document(self.test_page(status))
