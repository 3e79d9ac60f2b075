"""Which records a terminal sends to the center, and what of each leaves the terminal.

One entry per table: the kind the center files it under, the columns that are **not** sent
(personal data the center does not need: docs/privacy.md states each), and the columns whose
change alone is not worth an event (a device reading's time stamps, which move on every poll).
Center-owned data (catalog, applications, staff, assignments, working days) is pulled, never
pushed, and is not listed here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class RecordKind:
    kind: str
    table: str
    #: columns kept on the terminal
    private: frozenset[str] = frozenset()
    #: columns whose change alone makes no event
    quiet: frozenset[str] = frozenset()


KINDS: tuple[RecordKind, ...] = (
    RecordKind("rating", "feedback_rating"),
    RecordKind("complaint", "feedback_complaint"),
    RecordKind("complaint_event", "feedback_complaint_event"),
    RecordKind("help_call", "help_call"),
    # the citizen's masked name, phone digits and keyed hash, the home address and the visit
    # reasons (health) stay with the helper's terminal; free-text notes may hold personal data
    RecordKind("proxy_request", "proxy_request",
               private=frozenset({"citizen_name", "phone_last4", "phone_hash", "address", "visit_reasons", "notes"})),
    RecordKind("ledger", "helper_ledger"),
    RecordKind("fault", "device_fault"),
    RecordKind("fault_event", "fault_event"),
    RecordKind("device_state", "device_state", quiet=frozenset({"read_at", "updated_at", "reporter", "raw", "detail"})),
    RecordKind("device_counter", "device_counter", quiet=frozenset({"updated_at"})),
    RecordKind("audit", "audit_log"),
)
BY_TABLE = {k.table: k for k in KINDS}
BY_KIND = {k.kind: k for k in KINDS}


def jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return value


def payload(kind: RecordKind, row: dict[str, Any]) -> dict[str, Any]:
    """What is sent of one row: every column but the private ones, as JSON values."""
    return {key: jsonable(value) for key, value in row.items() if key not in kind.private}


__all__ = ["BY_KIND", "BY_TABLE", "KINDS", "RecordKind", "jsonable", "payload"]
