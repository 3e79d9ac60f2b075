"""Red-vest helpers (帮办代办): help calls from the terminals, helper mode's proxy requests
(代办) with the materials handed over, and the ledger (台账). See docs/helpers.md.

common.py (types, outcomes, numbers, HelperError, the views), calls.py, proxies.py and ledger.py
(the three parts of HelperService), service.py (HelperService: what they share)."""

from kiosk.assistance.common import (
    CALL_OUTCOMES,
    CSV_FIELDS,
    HELP_TYPES,
    HELPER_ROLES,
    OUTCOMES,
    PROXY_OUTCOMES,
    VISIT_REASONS,
    CallView,
    Helper,
    HelperError,
    HelperSummary,
    LedgerView,
    MaterialView,
    ProxyView,
    RaiseResult,
    TickReport,
    call_number,
    help_types_text,
    mask_address,
    proxy_number,
    require_helper,
)
from kiosk.assistance.ledger import read_ledger
from kiosk.assistance.service import HelperService

__all__ = [
    "CALL_OUTCOMES",
    "CSV_FIELDS",
    "HELP_TYPES",
    "HELPER_ROLES",
    "OUTCOMES",
    "PROXY_OUTCOMES",
    "VISIT_REASONS",
    "CallView",
    "Helper",
    "HelperError",
    "HelperService",
    "HelperSummary",
    "LedgerView",
    "MaterialView",
    "ProxyView",
    "RaiseResult",
    "TickReport",
    "call_number",
    "help_types_text",
    "mask_address",
    "proxy_number",
    "read_ledger",
    "require_helper",
]
