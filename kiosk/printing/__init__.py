"""Printing for the rest of the kiosk: the configured printer, slips, status.

    service = PrintService.from_config(config)
    outcome = service.print_notice(item, center, missing=["居民身份证"])
    if not outcome.ok: show(outcome.message)
"""

from drivers.printer.device import HealthLevel, HealthReport, PrintResult
from drivers.printer.status import PrinterStatus, Severity, StatusEvent, StatusKind
from kiosk.printing.service import PrintOutcome, PrintService, sim_folder

__all__ = [
    "HealthLevel",
    "HealthReport",
    "PrintOutcome",
    "PrintResult",
    "PrintService",
    "PrinterStatus",
    "Severity",
    "StatusEvent",
    "StatusKind",
    "sim_folder",
]
