"""Slip builders: the domain turned into printable documents (drivers.printer.document).

Builders are pure functions of their inputs (item, center, terminal id, time): the same
document goes to the printer, to the sim:// printer's PNG and to the on-screen preview.
"""

from kiosk.slips.notice import (
    CORRECTION_TITLE,
    MISSING_MARK,
    NOTICE_TITLE,
    UnknownMaterialError,
    build_notice,
    resolve_missing,
)
from kiosk.slips.test_page import build_test_page

__all__ = [
    "CORRECTION_TITLE",
    "MISSING_MARK",
    "NOTICE_TITLE",
    "UnknownMaterialError",
    "build_notice",
    "build_test_page",
    "resolve_missing",
]
