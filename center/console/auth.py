"""Console sign-in: staff ID + console password (argon2id), lockout after repeated failures
(counted with one atomic UPDATE, so parallel guesses cannot slip past the limit), server-side
sessions with idle and absolute expiry, and a CSRF token per session.

The roles are the terminal's (kiosk.staff): admin, maintainer, helper. A staff member needs an
active ``staff`` row AND a console password (set by an admin in 人员与AB岗, or for the first
admin with ``python -m center.console set-password``).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, select, update

from center.console.models import ConsoleAccount, ConsoleSession
from center.console.settings import ConsoleSettings
from kiosk.clock import Clock, system_clock
from kiosk.db import Database
from kiosk.errors import KioskError
from kiosk.staff.models import ROLE_LABELS, Staff
from kiosk.staff.service import StaffService

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")

_hasher = PasswordHasher()  # argon2id with the library's recommended cost (RFC 9106 low-memory)
#: verified against when the staff ID is unknown, so that the answer takes as long either way
_DUMMY_HASH = _hasher.hash("not a password of anyone")


class ConsoleAuthError(KioskError):
    """A refused sign-in or password change (message in Chinese for the page, English for logs)."""


def upgrade(database: Database) -> None:
    """Create or upgrade the console's own tables (their own Alembic chain)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


@dataclass(frozen=True)
class SignedIn:
    """The staff member behind a request, read fresh from ``staff`` on every request."""

    staff_id: str
    name: str
    roles: tuple[str, ...]
    csrf: str
    token_hash: str
    expires_at: datetime
    flash: str = ""

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles

    def has(self, *roles: str) -> bool:
        return "admin" in self.roles or any(r in self.roles for r in roles)

    @property
    def roles_zh(self) -> str:
        return "、".join(ROLE_LABELS.get(r, r) for r in self.roles)


class ConsoleAuth:
    def __init__(self, database: Database, staff: StaffService, settings: ConsoleSettings, *, clock: Clock = system_clock):
        self.database = database
        self.staff = staff
        self.settings = settings
        self.clock = clock

    # --- passwords -----------------------------------------------------------------------------

    def check_password(self, password: str) -> str:
        password = password or ""
        if len(password) < self.settings.min_password_length:
            raise ConsoleAuthError(
                f"控制台密码至少 {self.settings.min_password_length} 位",
                f"a console password has at least {self.settings.min_password_length} characters",
            )
        if len(password) > 200 or "\x00" in password:
            raise ConsoleAuthError("密码过长或含有无效字符", "password too long or holds a NUL")
        if password.isdigit() and len(set(password)) <= 2:
            raise ConsoleAuthError("密码过于简单，请混用字母、数字", "password too simple")
        return password

    def set_password(self, staff_id: str, password: str, *, actor: str) -> None:
        staff_id = StaffService.check_id(staff_id)
        password = self.check_password(password)
        now = self.clock()
        with self.database.session() as session:
            if session.get(Staff, staff_id) is None:
                raise ConsoleAuthError(f"没有工号为 {staff_id} 的工作人员", f"no staff member {staff_id!r}")
            account = session.get(ConsoleAccount, staff_id) or ConsoleAccount(staff_id=staff_id)
            account.password_hash = _hasher.hash(password)
            account.failures, account.locked_until = 0, None
            account.changed_at, account.changed_by = now, actor[:60]
            session.add(account)
            # a new password ends the sessions the old one opened
            session.execute(delete(ConsoleSession).where(ConsoleSession.staff_id == staff_id))
        self.staff.audit(actor, "console.password", staff_id, "console password set")

    def has_password(self, staff_id: str) -> bool:
        with self.database.session() as session:
            return session.get(ConsoleAccount, staff_id) is not None

    # --- signing in and out --------------------------------------------------------------------

    def sign_in(self, staff_id: str, password: str, *, user_agent: str = "") -> tuple[str, SignedIn]:
        """Return (cookie token, signed-in) or raise ConsoleAuthError. The message never says
        whether the staff ID or the password was wrong."""
        staff_id = (staff_id or "").strip()[:20]
        password = (password or "")[:200]
        now = self.clock()
        # one answer for a wrong password and an unknown ID (no count of attempts left: it would
        # tell which IDs have accounts)
        wrong = ConsoleAuthError(
            f"工号或密码不正确（连续输错 {self.settings.max_failures} 次账号将锁定 {self.settings.lockout_minutes} 分钟）",
            "wrong staff id or password",
        )
        with self.database.session() as session:
            account = session.get(ConsoleAccount, staff_id) if staff_id else None
            staff = session.get(Staff, staff_id) if staff_id else None
            if account is not None and account.locked_until is not None and now < account.locked_until:
                minutes = max(1, -(-int((account.locked_until - now).total_seconds()) // 60))
                self.staff.audit(staff_id, "console.signin.locked", staff_id, "account locked", ok=False)
                raise ConsoleAuthError(
                    f"密码错误次数过多，账号已锁定，请 {minutes} 分钟后再试",
                    f"account {staff_id} locked until {account.locked_until:%H:%M:%S}",
                )
            ok = False
            if account is None or staff is None or not staff.active:
                _verify(_DUMMY_HASH, password)
            else:
                ok = _verify(account.password_hash, password)
            if not ok:
                if account is not None:
                    failures = session.execute(
                        update(ConsoleAccount)
                        .where(ConsoleAccount.staff_id == staff_id)
                        .values(failures=ConsoleAccount.failures + 1)
                        .returning(ConsoleAccount.failures)
                    ).scalar_one()
                    if failures >= self.settings.max_failures:
                        until = now + timedelta(minutes=self.settings.lockout_minutes)
                        session.execute(
                            update(ConsoleAccount).where(ConsoleAccount.staff_id == staff_id)
                            .values(failures=0, locked_until=until)
                        )
                        session.commit()
                        self.staff.audit(staff_id, "console.signin.lockout", staff_id,
                                         f"{failures} wrong passwords: locked until {until:%H:%M:%S}", ok=False)
                        raise ConsoleAuthError(
                            f"密码错误次数过多，账号已锁定 {self.settings.lockout_minutes} 分钟",
                            f"account {staff_id} locked after {failures} wrong passwords",
                        )
                    session.commit()
                    left = self.settings.max_failures - failures
                    self.staff.audit(staff_id, "console.signin.failed", staff_id, f"wrong password ({left} left)", ok=False)
                    raise wrong
                self.staff.audit(staff_id or "?", "console.signin.failed", staff_id, "unknown or inactive staff id", ok=False)
                raise wrong
            if _hasher.check_needs_rehash(account.password_hash):
                account.password_hash = _hasher.hash(password)
            account.failures, account.locked_until = 0, None
            token = secrets.token_urlsafe(32)
            row = ConsoleSession(
                token_hash=token_hash(token), staff_id=staff_id, csrf=secrets.token_urlsafe(32), created_at=now,
                last_seen_at=now, expires_at=now + timedelta(hours=self.settings.max_hours), user_agent=user_agent[:200],
            )
            session.add(row)
            signed = SignedIn(staff.id, staff.name, tuple(staff.roles), row.csrf, row.token_hash, self._ends(row))
        self.staff.audit(staff_id, "console.signin.ok", staff_id, staff.name)
        self.purge_expired()
        return token, signed

    def _ends(self, row: ConsoleSession) -> datetime:
        return min(row.expires_at, row.last_seen_at + timedelta(minutes=self.settings.idle_minutes))

    def session_of(self, token: str | None) -> SignedIn | None:
        """The signed-in staff member of a cookie token, or None (unknown, expired, staff
        deactivated). Every request moves the idle expiry on."""
        if not token:
            return None
        now = self.clock()
        key = token_hash(token)
        with self.database.session() as session:
            row = session.get(ConsoleSession, key)
            if row is None:
                return None
            staff = session.get(Staff, row.staff_id)
            if now >= self._ends(row) or staff is None or not staff.active:
                session.delete(row)
                expired = True
            else:
                expired = False
                row.last_seen_at = now
                flash, row.flash = row.flash, ""
                signed = SignedIn(staff.id, staff.name, tuple(staff.roles), row.csrf, key, self._ends(row), flash)
        if expired:
            self.staff.audit(row.staff_id, "console.session.expired", row.staff_id, "session ended (idle, too old or staff inactive)")
            return None
        return signed

    def flash(self, signed: SignedIn, message: str) -> None:
        with self.database.session() as session:
            session.execute(update(ConsoleSession).where(ConsoleSession.token_hash == signed.token_hash).values(flash=message[:500]))

    def sign_out(self, signed: SignedIn) -> None:
        with self.database.session() as session:
            session.execute(delete(ConsoleSession).where(ConsoleSession.token_hash == signed.token_hash))
        self.staff.audit(signed.staff_id, "console.signout", signed.staff_id, "")

    def purge_expired(self) -> int:
        now = self.clock()
        idle = now - timedelta(minutes=self.settings.idle_minutes)
        with self.database.session() as session:
            return session.execute(
                delete(ConsoleSession).where((ConsoleSession.expires_at <= now) | (ConsoleSession.last_seen_at <= idle))
            ).rowcount

    @staticmethod
    def csrf_ok(signed: SignedIn, given: str | None) -> bool:
        return bool(given) and hmac.compare_digest(signed.csrf.encode(), str(given).encode())

    def accounts(self) -> set[str]:
        with self.database.session() as session:
            return set(session.scalars(select(ConsoleAccount.staff_id)))


def _verify(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
