"""Staff: who may sign in on a terminal, with what role; PINs, sign-in with lockout, absences,
each terminal's A and B maintainer (AB岗), and the audit log of every staff action."""

from kiosk.staff.models import ROLE_LABELS, ROLES
from kiosk.staff.pins import PinError, check_pin_strength, hash_pin, verify_pin
from kiosk.staff.service import (
    AbsenceInfo,
    AssignmentInfo,
    AuditInfo,
    Responder,
    SignInResult,
    StaffError,
    StaffInfo,
    StaffService,
    StaffSession,
    require_admin,
    require_maintainer,
)

__all__ = [
    "ROLES",
    "ROLE_LABELS",
    "AbsenceInfo",
    "AssignmentInfo",
    "AuditInfo",
    "PinError",
    "Responder",
    "SignInResult",
    "StaffError",
    "StaffInfo",
    "StaffService",
    "StaffSession",
    "check_pin_strength",
    "hash_pin",
    "require_admin",
    "require_maintainer",
    "verify_pin",
]
