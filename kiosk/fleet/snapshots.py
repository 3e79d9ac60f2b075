"""Center-owned data that has no exchange format of its own yet: the staff directory.

``kiosk-staff/1`` holds the staff (PIN **hashes** only, never a PIN), their absences and each
terminal's A and B maintainer — what the center's admin keeps in the console. The center makes
it from its own kiosk-schema tables (`kiosk center publish staff`); a terminal applies it in one
transaction: staff are matched by id (those no longer listed are deactivated, not deleted: the
audit log refers to them), absences and A/B posts are replaced. The sign-in lockout stays local.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kiosk.errors import PlainKioskError
from kiosk.staff.models import ROLES, Staff, StaffAbsence, TerminalAssignment

STAFF_FORMAT = "kiosk-staff/1"


class SnapshotError(PlainKioskError):
    pass


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _dt(value: Any, where: str) -> datetime:
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        raise SnapshotError(f"{where}: not a time: {value!r}") from None


def export_staff(session: Session, *, absences_since: datetime | None = None) -> dict[str, Any]:
    """The directory as a ``kiosk-staff/1`` document (the one format: `kiosk center publish staff`
    and the console's 人员与AB岗 both publish this); ``absences_since`` leaves out absences
    already over by then."""
    absences = select(StaffAbsence).order_by(StaffAbsence.starts_at, StaffAbsence.id)
    if absences_since is not None:
        absences = absences.where(StaffAbsence.ends_at > absences_since)
    return {
        "format": STAFF_FORMAT,
        "exported_at": datetime.now().isoformat(timespec="seconds"),
        "staff": [{"id": s.id, "name": s.name, "department": s.department, "roles": list(s.roles or []), "pin_hash": s.pin_hash,
                   "active": s.active, "created_at": _iso(s.created_at), "pin_changed_at": _iso(s.pin_changed_at)}
                  for s in session.scalars(select(Staff).order_by(Staff.id))],
        "absences": [{"staff_id": a.staff_id, "starts_at": _iso(a.starts_at), "ends_at": _iso(a.ends_at), "reason": a.reason,
                      "created_at": _iso(a.created_at), "created_by": a.created_by}
                     for a in session.scalars(absences)],
        "assignments": [{"terminal": t.terminal, "a": t.a_staff_id, "b": t.b_staff_id, "updated_at": _iso(t.updated_at)}
                        for t in session.scalars(select(TerminalAssignment).order_by(TerminalAssignment.terminal))],
    }


def apply_staff(session: Session, document: dict[str, Any]) -> dict[str, int]:
    if not isinstance(document, dict) or document.get("format") != STAFF_FORMAT:
        raise SnapshotError(f"format must be {STAFF_FORMAT}")
    listed: dict[str, dict] = {}
    for i, entry in enumerate(_entries(document, "staff")):
        where = f"staff[{i}]"
        if not isinstance(entry, dict) or not str(entry.get("id", "")).strip() or not str(entry.get("pin_hash", "")).startswith("scrypt$"):
            raise SnapshotError(f"{where}: needs an id and a scrypt PIN hash")
        roles = [r for r in entry.get("roles") or [] if r in ROLES]
        listed[str(entry["id"])] = {**entry, "roles": roles}
    known = {s.id: s for s in session.scalars(select(Staff))}
    now = datetime.now().replace(microsecond=0)
    for staff_id, e in listed.items():
        staff = known.get(staff_id)
        if staff is None:
            staff = Staff(id=staff_id, created_at=_dt(e.get("created_at") or now.isoformat(), staff_id))
            session.add(staff)
        staff.name, staff.department, staff.roles = str(e.get("name", ""))[:100], str(e.get("department", ""))[:64], e["roles"]
        staff.pin_hash, staff.active = str(e["pin_hash"])[:200], bool(e.get("active", True))
        staff.pin_changed_at = _dt(e.get("pin_changed_at") or now.isoformat(), staff_id)
    for staff_id, staff in known.items():
        if staff_id not in listed:
            staff.active = False
    session.flush()
    absences, assignments = _entries(document, "absences"), _entries(document, "assignments")
    session.execute(delete(StaffAbsence))
    for i, a in enumerate(absences):
        if a.get("staff_id") not in listed:
            raise SnapshotError(f"absences[{i}]: unknown staff {a.get('staff_id')!r}")
        if not a.get("starts_at") or not a.get("ends_at"):
            raise SnapshotError(f"人员数据的 absences 第 {i + 1} 项缺少起止时间 / absences[{i}]: needs starts_at and ends_at")
        session.add(StaffAbsence(staff_id=a["staff_id"], starts_at=_dt(a["starts_at"], f"absences[{i}]"),
                                 ends_at=_dt(a["ends_at"], f"absences[{i}]"), reason=str(a.get("reason", ""))[:200],
                                 created_at=_dt(a.get("created_at") or now.isoformat(), f"absences[{i}]"),
                                 created_by=str(a.get("created_by", ""))[:60]))
    session.execute(delete(TerminalAssignment))
    for i, t in enumerate(assignments):
        if not str(t.get("terminal") or "").strip():
            raise SnapshotError(f"人员数据的 assignments 第 {i + 1} 项缺少终端编号 / assignments[{i}]: needs a terminal")
        for post in ("a", "b"):
            if t.get(post) is not None and t[post] not in listed:
                raise SnapshotError(f"assignments[{i}]: unknown staff {t[post]!r}")
        session.add(TerminalAssignment(terminal=str(t["terminal"])[:40], a_staff_id=t.get("a"), b_staff_id=t.get("b"),
                                       updated_at=_dt(t.get("updated_at") or now.isoformat(), f"assignments[{i}]")))
    session.flush()
    return {"staff": len(listed), "absences": len(absences), "assignments": len(assignments)}


def _entries(document: dict[str, Any], key: str) -> list[dict]:
    """The list ``key`` of a staff snapshot, each entry an object (checked before anything is replaced)."""
    entries = document.get(key) or []
    if not isinstance(entries, list):
        raise SnapshotError(f"人员数据的 {key} 应为列表 / {key}: must be a list, not {type(entries).__name__}")
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise SnapshotError(f"人员数据的 {key} 第 {i + 1} 项应为对象 / {key}[{i}]: must be an object, not {type(entry).__name__}")
    return entries


__all__ = ["STAFF_FORMAT", "SnapshotError", "apply_staff", "export_staff"]
