"""The maintainer's test page with the terminal's identity (the page itself: drivers/printer/testpage.py)."""

from __future__ import annotations

from datetime import datetime

from drivers.printer.document import Document
from drivers.printer.profiles import PrinterProfile
from drivers.printer.status import PrinterStatus
from drivers.printer.testpage import build_test_page as _build


def build_test_page(
    profile: PrinterProfile,
    status: PrinterStatus | None,
    *,
    terminal_id: str,
    printed_at: datetime,
    uri: str = "",
) -> Document:
    """Profile, width ruler, Chinese sample with punctuation and ¥, QR, the status just read."""
    return _build(profile, status, uri=uri, printed_at=printed_at, extra=[("终端编号 terminal", terminal_id)])
