"""Staff, sign-in with lockout, absences, each terminal's A and B post, and the audit log.

Every method opens its own unit of work and returns plain frozen objects, safe to hand to the
UI thread. Bad input raises StaffError with a sentence in Chinese (``zh``) and English (``en``).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from kiosk.clock import Clock, system_clock
from kiosk.config import StaffConfig
from kiosk.db import Database, rows_changed
from kiosk.staff.models import ROLE_LABELS, ROLES, AuditEntry, SigninGuard, Staff, StaffAbsence, TerminalAssignment
from kiosk.staff.pins import PinError, burn_time, check_pin_strength, hash_pin, verify_pin
from kiosk.errors import KioskError, iso_or_none as _iso

log = logging.getLogger(__name__)

STAFF_ID_PATTERN = re.compile(r"[0-9]{2,16}")
MAX_NAME = 50
MAX_REASON = 200
#: the roles that may open the maintainer screens
MAINTAINING_ROLES = frozenset({"maintainer", "admin"})


class StaffError(KioskError):
    """A request about staff that cannot be carried out; ``zh`` is for the person, ``en`` for logs."""


@dataclass(frozen=True)
class StaffInfo:
    id: str
    name: str
    department: str
    roles: tuple[str, ...]
    active: bool
    created_at: datetime | None = None

    @property
    def roles_zh(self) -> str:
        return "、".join(ROLE_LABELS.get(r, r) for r in self.roles)

    @property
    def can_maintain(self) -> bool:
        return bool(MAINTAINING_ROLES & set(self.roles))

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "department": self.department,
            "roles": list(self.roles),
            "active": self.active,
            "created_at": _iso(self.created_at),
        }


@dataclass(frozen=True)
class StaffSession:
    """A signed-in member of staff on this terminal."""

    staff_id: str
    name: str
    roles: tuple[str, ...]
    department: str
    terminal: str
    started_at: datetime

    @property
    def can_maintain(self) -> bool:
        return bool(MAINTAINING_ROLES & set(self.roles))

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles


def require_maintainer(session: StaffSession | None) -> StaffSession:
    """The session of a maintainer (or an admin); StaffError for anyone else."""
    if session is None or not session.can_maintain:
        raise StaffError("需要维护人员登录", "a maintainer must be signed in")
    return session


def require_admin(session: StaffSession | None, zh: str = "只有管理员可以这样做", en: str = "only an admin may do this") -> StaffSession:
    """The session of an admin; StaffError (``zh``/``en``) for anyone else."""
    if session is None or not session.is_admin:
        raise StaffError(zh, en)
    return session


@dataclass(frozen=True)
class SignInResult:
    ok: bool
    session: StaffSession | None
    message_zh: str
    message_en: str
    #: wrong PINs still allowed before the lockout (None when signed in or locked)
    attempts_left: int | None = None
    locked_until: datetime | None = None

    @property
    def locked(self) -> bool:
        return self.locked_until is not None


@dataclass(frozen=True)
class AbsenceInfo:
    id: int
    staff_id: str
    staff_name: str
    starts_at: datetime
    ends_at: datetime
    reason: str
    handover_seen_at: datetime | None = None
    handover_notified_at: datetime | None = None

    def covers(self, at: datetime) -> bool:
        return self.starts_at <= at < self.ends_at

    def span_text(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} 至 {self.ends_at:%Y-%m-%d %H:%M}"

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "staff_id": self.staff_id,
            "staff_name": self.staff_name,
            "from": _iso(self.starts_at),
            "to": _iso(self.ends_at),
            "reason": self.reason,
            "handover_seen_at": _iso(self.handover_seen_at),
        }


@dataclass(frozen=True)
class AssignmentInfo:
    terminal: str
    a: StaffInfo | None
    b: StaffInfo | None
    updated_at: datetime | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "terminal": self.terminal,
            "a": self.a.to_dict() if self.a else None,
            "b": self.b.to_dict() if self.b else None,
            "updated_at": _iso(self.updated_at),
        }


@dataclass(frozen=True)
class Responder:
    """Someone a fault can go to: their post on the terminal ("A", "B", "admin") and who."""

    role: str
    staff: StaffInfo


@dataclass(frozen=True)
class AuditInfo:
    id: int
    at: datetime
    terminal: str
    actor: str
    action: str
    target: str
    detail: str
    ok: bool

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "at": _iso(self.at),
            "terminal": self.terminal,
            "actor": self.actor,
            "action": self.action,
            "target": self.target,
            "detail": self.detail,
            "ok": self.ok,
        }



def _info(staff: Staff) -> StaffInfo:
    return StaffInfo(staff.id, staff.name, staff.department, tuple(staff.roles), staff.active, staff.created_at)


class StaffService:
    def __init__(self, database: Database, *, terminal: str, config: StaffConfig | None = None, clock: Clock = system_clock):
        self.database = database
        self.terminal = terminal
        self.config = config or StaffConfig()
        self.clock = clock

    # --- validation ------------------------------------------------------------------------------

    @staticmethod
    def check_id(staff_id: str) -> str:
        staff_id = (staff_id or "").strip()
        if not STAFF_ID_PATTERN.fullmatch(staff_id):
            raise StaffError(
                f"工号“{staff_id}”无效：工号为2到16位数字（便于在终端上输入）",
                f"staff id {staff_id!r} must be 2 to 16 digits",
            )
        return staff_id

    @staticmethod
    def check_roles(roles) -> tuple[str, ...]:
        out: list[str] = []
        for role in roles or ():
            for part in str(role).split(","):
                part = part.strip().lower()
                if not part:
                    continue
                if part not in ROLES:
                    raise StaffError(
                        f"角色“{part}”无效，可选：maintainer（维护）、helper（帮办）、admin（管理员）",
                        f"unknown role {part!r}; one of {', '.join(ROLES)}",
                    )
                if part not in out:
                    out.append(part)
        if not out:
            raise StaffError("请至少指定一个角色（--role）", "give at least one --role")
        return tuple(out)

    def _check_department(self, session, code: str) -> str:
        code = (code or "").strip()
        if not code:
            return ""
        from kiosk.catalog.models import Department

        if session.scalar(select(Department.id).where(Department.code == code)) is None:
            known = session.scalars(select(Department.code).order_by(Department.position, Department.code).limit(8)).all()
            hint = ("，已有部门编码：" + "、".join(known)) if known else "（目录中还没有部门，请先导入事项目录或不填部门）"
            raise StaffError(f"部门编码“{code}”不在事项目录中{hint}", f"department {code!r} is not in the catalog")
        return code

    @staticmethod
    def _check_pin(pin: str) -> str:
        try:
            check_pin_strength(pin)
        except PinError as exc:
            raise StaffError(exc.zh, exc.en) from None
        return pin

    def _get(self, session, staff_id: str) -> Staff:
        staff = session.get(Staff, self.check_id(staff_id))
        if staff is None:
            raise StaffError(f"没有工号为 {staff_id} 的工作人员", f"no staff member {staff_id!r}")
        return staff

    # --- the audit log ----------------------------------------------------------------------------

    def _audit(self, session, actor: str, action: str, target: str = "", detail: str = "", ok: bool = True) -> None:
        session.add(
            AuditEntry(
                at=self.clock(), terminal=self.terminal, actor=actor or "system", action=action,
                target=target[:100], detail=detail, ok=ok,
            )
        )
        log.info("audit %s %s %s %s%s", actor, action, target, detail, "" if ok else " (refused)")

    def leave_to_desktop(self, session: StaffSession | None) -> None:
        """Record that an admin leaves the kiosk for the desktop; refuses (and records) anyone else."""
        if session is None or not session.is_admin:
            self.audit(session.staff_id if session else "?", "app.quit", "desktop", "not an admin", ok=False)
            raise StaffError("只有管理员可以退出到桌面", "only an admin may leave to the desktop")
        self.audit(session.staff_id, "app.quit", "desktop")

    def audit(self, actor: str, action: str, target: str = "", detail: str = "", ok: bool = True) -> None:
        with self.database.session() as session:
            self._audit(session, actor, action, target, detail, ok)

    def audit_entries(self, limit: int = 100, *, actor: str | None = None, action: str | None = None) -> list[AuditInfo]:
        with self.database.session() as session:
            query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
            if actor:
                query = query.where(AuditEntry.actor == actor)
            if action:
                query = query.where(AuditEntry.action.like(action + "%"))
            return [
                AuditInfo(e.id, e.at, e.terminal, e.actor, e.action, e.target, e.detail, e.ok)
                for e in session.scalars(query)
            ]

    # --- staff ------------------------------------------------------------------------------------

    def add(self, staff_id: str, name: str, roles, *, pin: str, department: str = "", actor: str = "system") -> StaffInfo:
        staff_id = self.check_id(staff_id)
        name = (name or "").strip()
        if not name or len(name) > MAX_NAME:
            raise StaffError(f"姓名不能为空，最多{MAX_NAME}个字", f"name must be 1 to {MAX_NAME} characters")
        roles = self.check_roles(roles)
        self._check_pin(pin)
        now = self.clock()
        with self.database.session() as session:
            if session.get(Staff, staff_id) is not None:
                raise StaffError(f"工号 {staff_id} 已存在", f"staff id {staff_id} exists already")
            department = self._check_department(session, department)
            staff = Staff(
                id=staff_id, name=name, department=department, roles=list(roles), pin_hash=hash_pin(pin),
                active=True, created_at=now, pin_changed_at=now,
            )
            session.add(staff)
            self._audit(session, actor, "staff.add", staff_id, f"{name} {','.join(roles)} {department}".strip())
            return _info(staff)

    def get(self, staff_id: str) -> StaffInfo | None:
        with self.database.session() as session:
            staff = session.get(Staff, staff_id)
            return _info(staff) if staff else None

    def list_staff(self, *, include_inactive: bool = True) -> list[StaffInfo]:
        with self.database.session() as session:
            query = select(Staff).order_by(Staff.id)
            if not include_inactive:
                query = query.where(Staff.active.is_(True))
            return [_info(s) for s in session.scalars(query)]

    def set_active(self, staff_id: str, active: bool, *, actor: str = "system") -> StaffInfo:
        with self.database.session() as session:
            staff = self._get(session, staff_id)
            staff.active = active
            self._audit(session, actor, "staff.enable" if active else "staff.disable", staff.id, staff.name)
            return _info(staff)

    def set_pin(self, staff_id: str, pin: str, *, actor: str = "system") -> StaffInfo:
        self._check_pin(pin)
        with self.database.session() as session:
            staff = self._get(session, staff_id)
            staff.pin_hash = hash_pin(pin)
            staff.pin_changed_at = self.clock()
            self._audit(session, actor, "staff.set_pin", staff.id, staff.name)
            return _info(staff)

    def admins(self) -> list[StaffInfo]:
        return [s for s in self.list_staff(include_inactive=False) if s.is_admin]

    # --- sign-in ----------------------------------------------------------------------------------

    def lock_state(self) -> datetime | None:
        """Until when sign-in on this terminal is locked (None when it is not)."""
        with self.database.session() as session:
            guard = session.get(SigninGuard, self.terminal)
            if guard and guard.locked_until and self.clock() < guard.locked_until:
                return guard.locked_until
            return None

    def sign_in(self, staff_id: str, pin: str) -> SignInResult:
        """Check a staff id and PIN. Wrong ones count towards the lockout; the answer never says
        which of the two was wrong.

        The count is kept by the database itself (``failures = failures + 1`` and a read of the
        result in the same write transaction), never read here and written back: wrong PINs
        typed on several screens or processes at once are all counted, and a sign-in that
        finishes after another attempt locked the terminal is refused."""
        now = self.clock()
        staff_id = (staff_id or "").strip()
        self._ensure_guard()
        with self.database.session() as session:
            guard = session.get(SigninGuard, self.terminal)
            if guard.locked_until is not None and now < guard.locked_until:
                self._audit(session, staff_id or "?", "signin.locked", staff_id, "sign-in is locked", ok=False)
                return self._locked(guard.locked_until, now)
            staff = session.get(Staff, staff_id) if STAFF_ID_PATTERN.fullmatch(staff_id) else None
            if staff is None or not staff.active:
                burn_time(pin or "")
                ok = False
            else:
                ok = verify_pin(pin or "", staff.pin_hash)
            here = SigninGuard.terminal == self.terminal
            # a lock that has run out ends here (in the write transaction, so only once)
            session.execute(
                update(SigninGuard).where(here, SigninGuard.locked_until <= now).values(locked_until=None, failures=0)
            )
            if ok:
                cleared = rows_changed(session.execute(
                    update(SigninGuard).where(here, SigninGuard.locked_until.is_(None)).values(failures=0, last_failure_at=None)
                ))
                if not cleared:  # another attempt locked the terminal meanwhile
                    until = session.scalar(select(SigninGuard.locked_until).where(here))
                    self._audit(session, staff_id, "signin.locked", staff_id, "sign-in is locked", ok=False)
                    return self._locked(until, now)
                self._audit(session, staff.id, "signin.ok", staff.id, staff.name)
                signed_in = StaffSession(staff.id, staff.name, tuple(staff.roles), staff.department, self.terminal, now)
                return SignInResult(True, signed_in, f"{staff.name}，您好", f"signed in as {staff.id}")
            session.execute(
                update(SigninGuard).where(here).values(failures=SigninGuard.failures + 1, last_failure_at=now)
            )
            failures, until = session.execute(
                select(SigninGuard.failures, SigninGuard.locked_until).where(here)
            ).one()
            if until is not None and now < until:  # locked by a concurrent attempt
                self._audit(session, staff_id or "?", "signin.locked", staff_id, "sign-in is locked", ok=False)
                return self._locked(until, now)
            if failures >= self.config.max_pin_attempts:
                until = now + timedelta(minutes=self.config.lockout_minutes)
                session.execute(update(SigninGuard).where(here).values(locked_until=until, failures=0))
                self._audit(
                    session, staff_id or "?", "signin.lockout", staff_id,
                    f"{self.config.max_pin_attempts} wrong PINs: locked until {until:%H:%M:%S}", ok=False,
                )
                return self._locked(until, now)
            left = self.config.max_pin_attempts - failures
            self._audit(session, staff_id or "?", "signin.failed", staff_id, f"wrong staff id or PIN ({left} left)", ok=False)
            return SignInResult(
                False, None,
                f"工号或密码不正确，还可以再试 {left} 次",
                f"wrong staff id or PIN; {left} attempt(s) left",
                attempts_left=left,
            )

    def _ensure_guard(self) -> None:
        """This terminal's row of the lockout table (two processes may create it at once)."""
        with self.database.session() as session:
            if session.get(SigninGuard, self.terminal) is not None:
                return
        try:
            with self.database.session() as session:
                session.add(SigninGuard(terminal=self.terminal, failures=0))
        except IntegrityError:
            pass  # another attempt created it first

    def _locked(self, until: datetime, now: datetime) -> SignInResult:
        minutes = max(1, -(-int((until - now).total_seconds()) // 60))
        return SignInResult(
            False, None,
            f"密码错误次数过多，登录已锁定，请 {minutes} 分钟后再试",
            f"too many wrong PINs: sign-in locked until {until:%H:%M:%S}",
            locked_until=until,
        )

    def sign_out(self, signed_in: StaffSession, reason: str = "button") -> None:
        self.audit(signed_in.staff_id, "signout", signed_in.staff_id, reason)

    # --- absences ---------------------------------------------------------------------------------

    def add_absence(self, staff_id: str, starts_at: datetime, ends_at: datetime, reason: str, *, actor: str = "system") -> AbsenceInfo:
        reason = (reason or "").strip()
        if not reason or len(reason) > MAX_REASON:
            raise StaffError(f"请写明不在岗原因（最多{MAX_REASON}字）", f"give a reason of 1 to {MAX_REASON} characters")
        if ends_at <= starts_at:
            raise StaffError("结束时间应晚于开始时间", "the absence must end after it starts")
        if ends_at - starts_at > timedelta(days=366):
            raise StaffError("一次不在岗最长一年", "an absence lasts at most a year")
        with self.database.session() as session:
            staff = self._get(session, staff_id)
            absence = StaffAbsence(
                staff_id=staff.id, starts_at=starts_at, ends_at=ends_at, reason=reason,
                created_at=self.clock(), created_by=actor,
            )
            session.add(absence)
            session.flush()
            self._audit(session, actor, "staff.absent", staff.id, f"{starts_at:%Y-%m-%d %H:%M} - {ends_at:%Y-%m-%d %H:%M} {reason}")
            return self._absence_info(absence, staff.name)

    @staticmethod
    def _absence_info(absence: StaffAbsence, name: str) -> AbsenceInfo:
        return AbsenceInfo(
            absence.id, absence.staff_id, name, absence.starts_at, absence.ends_at, absence.reason,
            absence.handover_seen_at, absence.handover_notified_at,
        )

    def absences(self, staff_id: str | None = None, *, since: datetime | None = None) -> list[AbsenceInfo]:
        with self.database.session() as session:
            query = select(StaffAbsence, Staff.name).join(Staff, Staff.id == StaffAbsence.staff_id)
            if staff_id:
                query = query.where(StaffAbsence.staff_id == staff_id)
            if since is not None:
                query = query.where(StaffAbsence.ends_at > since)
            query = query.order_by(StaffAbsence.starts_at, StaffAbsence.id)
            return [self._absence_info(a, name) for a, name in session.execute(query)]

    def absence_at(self, staff_id: str, at: datetime | None = None) -> AbsenceInfo | None:
        at = at or self.clock()
        with self.database.session() as session:
            row = session.execute(
                select(StaffAbsence, Staff.name)
                .join(Staff, Staff.id == StaffAbsence.staff_id)
                .where(StaffAbsence.staff_id == staff_id, StaffAbsence.starts_at <= at, StaffAbsence.ends_at > at)
                .order_by(StaffAbsence.ends_at.desc())
            ).first()
            return self._absence_info(*row) if row else None

    # --- terminals ----------------------------------------------------------------------------------

    def assign_terminal(self, a: str | None, b: str | None, *, terminal: str | None = None, actor: str = "system") -> AssignmentInfo:
        terminal = terminal or self.terminal
        if not a and not b:
            raise StaffError("请指定A岗（--a）和/或B岗（--b）", "give --a and/or --b")
        with self.database.session() as session:
            row = session.get(TerminalAssignment, terminal)
            a_id = a if a else (row.a_staff_id if row else None)
            b_id = b if b else (row.b_staff_id if row else None)
            if a_id and b_id and a_id == b_id:
                raise StaffError("A岗和B岗不能是同一人", "A and B must be different people")
            people = {}
            for post, staff_id, given in (("A", a_id, a), ("B", b_id, b)):
                if staff_id is None:
                    continue
                staff = self._get(session, staff_id)
                people[post] = staff
                if not given:
                    continue  # kept as it was
                if not staff.active:
                    raise StaffError(f"{staff.name}（{staff.id}）已停用，不能担任{post}岗", f"{staff.id} is disabled")
                if not MAINTAINING_ROLES & set(staff.roles):
                    raise StaffError(
                        f"{staff.name}（{staff.id}）没有维护角色，不能担任{post}岗（需要 maintainer 或 admin）",
                        f"{staff.id} has no maintainer or admin role",
                    )
            if row is None:
                row = TerminalAssignment(terminal=terminal, updated_at=self.clock())
                session.add(row)
            row.a_staff_id, row.b_staff_id, row.updated_at = a_id, b_id, self.clock()
            self._audit(session, actor, "terminal.assign", terminal, f"A={a_id or '-'} B={b_id or '-'}")
            return AssignmentInfo(
                terminal,
                _info(people["A"]) if "A" in people else None,
                _info(people["B"]) if "B" in people else None,
                row.updated_at,
            )

    def assignment(self, terminal: str | None = None) -> AssignmentInfo:
        terminal = terminal or self.terminal
        with self.database.session() as session:
            row = session.get(TerminalAssignment, terminal)
            if row is None:
                return AssignmentInfo(terminal, None, None, None)
            a = session.get(Staff, row.a_staff_id) if row.a_staff_id else None
            b = session.get(Staff, row.b_staff_id) if row.b_staff_id else None
            return AssignmentInfo(terminal, _info(a) if a else None, _info(b) if b else None, row.updated_at)

    def terminals_of(self, staff_id: str) -> list[tuple[str, str]]:
        """(terminal, "A" or "B") for each terminal this person keeps."""
        with self.database.session() as session:
            rows = session.scalars(
                select(TerminalAssignment).where(
                    or_(TerminalAssignment.a_staff_id == staff_id, TerminalAssignment.b_staff_id == staff_id)
                )
            ).all()
            return [(r.terminal, "A" if r.a_staff_id == staff_id else "B") for r in rows]

    def responders(self, at: datetime | None = None, terminal: str | None = None) -> list[Responder]:
        """Who a new fault goes to, in escalation order: A, then B, then the admins -- leaving
        out anyone disabled or absent at ``at``."""
        at = at or self.clock()
        assignment = self.assignment(terminal)
        chain: list[Responder] = []
        for role, person in (("A", assignment.a), ("B", assignment.b)):
            if person is not None and person.active and self.absence_at(person.id, at) is None:
                chain.append(Responder(role, person))
        for admin in self.admins():
            if all(r.staff.id != admin.id for r in chain) and self.absence_at(admin.id, at) is None:
                chain.append(Responder("admin", admin))
        return chain

    def mark_handover(self, absence_id: int, *, seen: bool = False, notified: bool = False) -> None:
        with self.database.session() as session:
            absence = session.get(StaffAbsence, absence_id)
            if absence is None:
                raise StaffError(f"没有编号为 {absence_id} 的不在岗记录", f"no absence {absence_id}")
            if seen:
                absence.handover_seen_at = self.clock()
                self._audit(session, absence.staff_id, "handover.read", str(absence_id), absence.reason)
            if notified:
                absence.handover_notified_at = self.clock()
