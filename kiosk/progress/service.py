"""Progress queries: find an application by its number, verify the citizen, limit failures.

    service = ProgressService(database, calendar=default_calendar(), key=PrivacyKey.load_or_create(data_dir),
                              terminal_id="YC-HALL-01")
    outcome = service.query("YC2511180007", "5678")
    outcome.kind   # "found" | "not_found" | "locked" | "invalid" | "unavailable"
    outcome.view   # a ProgressView when found

Verification: the last four characters of the applicant's phone or ID number (or the full
number, compared by keyed hash). A wrong number and a wrong verification fail the same way,
"未查到该办件", so a failure never tells which part was wrong. Failures are recorded in the
database per terminal: after MAX_FAILURES within FAILURE_WINDOW the terminal pauses queries
for PAUSE (the kiosk and ``kiosk progress show`` alike). A success does not clear the count,
so a citizen with one valid pair cannot use it to keep guessing another.

Where the applications come from is a ``ProgressBackend``: ``LocalTableBackend`` reads the
table filled by ``kiosk progress import``; a live query to the center's system (HTTP) can
replace it by implementing ``fetch``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Callable, Literal, Protocol

from sqlalchemy import delete, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import selectinload

from kiosk import privacy
from kiosk.catalog.models import Center, ServiceItem, Window
from kiosk.db import Database
from kiosk.i18n import tr
from kiosk.privacy import PrivacyKey
from kiosk.progress import exchange
from kiosk.progress.exchange import ImportSummary, normalize_number
from kiosk.progress.models import CLOSED_STATUSES, Application, QueryFailure, QueryLock
from kiosk.progress.timeutil import china_now
from kiosk.progress.view import (
    ApplicationRecord,
    Contact,
    ProgressView,
    ResultRecord,
    StepRecord,
    build_view,
)
from kiosk.workdays import WorkCalendar

log = logging.getLogger(__name__)

MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=10)
PAUSE = timedelta(minutes=10)
#: from this many attempts left on, the citizen is told how many remain
WARN_WHEN_LEFT = 2

NOT_FOUND = "未查到该办件"
NOT_FOUND_ADVICE = "请核对受理通知书上的办件编号，以及申请人手机号或身份证号的后4位。"

OutcomeKind = Literal["found", "not_found", "locked", "invalid", "unavailable"]


class BackendUnavailable(Exception):
    """The source of applications cannot be reached (a live backend's network, say)."""


class ProgressBackend(Protocol):
    """Where applications come from. ``fetch`` gets a normalised number (upper case letters
    and digits) and returns the application or None; it raises BackendUnavailable when it
    cannot answer. Verification material (last four characters, keyed hashes made with this
    installation's key) comes with the record; the service compares it."""

    def fetch(self, number: str) -> ApplicationRecord | None: ...


class LocalTableBackend:
    """Applications imported into the terminal's database (kiosk progress import)."""

    def __init__(self, database: Database):
        self.database = database

    def fetch(self, number: str) -> ApplicationRecord | None:
        with self.database.session() as session:
            application = session.scalars(
                select(Application).options(selectinload(Application.steps)).where(Application.number == number)
            ).first()
            return None if application is None else record_of(application)

    def fetch_by_id_hash(self, id_hash: str) -> list[ApplicationRecord]:
        """Every application of the applicant with this keyed ID hash, newest first."""
        with self.database.session() as session:
            applications = session.scalars(
                select(Application)
                .options(selectinload(Application.steps))
                .where(Application.applicant_id_hash == id_hash)
                .order_by(Application.accepted_at.desc())
            ).all()
            return [record_of(a) for a in applications]


def record_of(a: Application) -> ApplicationRecord:
    result = None
    if a.result_finished_at is not None:
        result = ResultRecord(
            a.result_finished_at, a.result_outcome, a.result_certificate_name, a.result_certificate_number, a.result_collect
        )
    return ApplicationRecord(
        number=a.number,
        item_code=a.item_code,
        item_name=a.item_name,
        limit_value=a.limit_value,
        limit_unit=a.limit_unit,
        applicant_name=a.applicant_name,
        applicant_id_masked=a.applicant_id_masked,
        applicant_phone_masked=a.applicant_phone_masked,
        applied_at=a.applied_at,
        accepted_at=a.accepted_at,
        department=a.department,
        window=a.window,
        accepted_by=a.accepted_by,
        status=a.status,
        promised_deadline=a.promised_deadline,
        steps=tuple(StepRecord(s.name, s.started_at, s.finished_at, s.staff, s.opinion) for s in a.steps),
        result=result,
        id_last4=a.applicant_id_last4,
        id_hash=a.applicant_id_hash,
        phone_last4=a.applicant_phone_last4,
        phone_hash=a.applicant_phone_hash,
    )


# --- the failure limit ------------------------------------------------------------------------------


class FailureLimiter:
    """Failed queries per terminal, in the database (so the CLI and the kiosk share them and
    a restart does not reset them)."""

    def __init__(self, database: Database, terminal_id: str, *, max_failures: int = MAX_FAILURES,
                 window: timedelta = FAILURE_WINDOW, pause: timedelta = PAUSE):
        self.database = database
        self.terminal_id = terminal_id
        self.max_failures = max_failures
        self.window = window
        self.pause = pause

    def locked_until(self, now: datetime) -> datetime | None:
        with self.database.session() as session:
            lock = session.get(QueryLock, self.terminal_id)
            return lock.locked_until if lock is not None and lock.locked_until > now else None

    def begin(self, now: datetime) -> int:
        """Count an attempt as a failure before anything is answered (committed, so a write
        the database refuses raises here and nothing is answered: the limit fails closed).
        Returns the attempt's id for ``forgive`` when it turns out right."""
        with self.database.session() as session:
            failure = QueryFailure(terminal_id=self.terminal_id, failed_at=now)
            session.add(failure)
            session.flush()
            return failure.id

    def forgive(self, attempt: int) -> None:
        """The attempt was right (or never reached a look-up): it does not count. If this
        write fails, the attempt stays counted: safe."""
        try:
            with self.database.session() as session:
                session.execute(delete(QueryFailure).where(QueryFailure.id == attempt))
        except SQLAlchemyError as exc:
            log.error("a right progress query stays counted as a failure (database error: %s)", exc)

    def settle(self, now: datetime) -> tuple[datetime | None, int]:
        """After a failed attempt (counted by ``begin``): (locked until, attempts left). The
        failure that reaches the limit starts the pause and clears the count."""
        with self.database.session() as session:
            session.execute(delete(QueryFailure).where(QueryFailure.failed_at <= now - self.window))
            session.execute(delete(QueryLock).where(QueryLock.locked_until <= now))
            count = session.scalar(
                select(func.count())
                .select_from(QueryFailure)
                .where(QueryFailure.terminal_id == self.terminal_id, QueryFailure.failed_at > now - self.window)
            )
            if count < self.max_failures:
                return None, self.max_failures - count
            until = now + self.pause
            lock = session.get(QueryLock, self.terminal_id) or QueryLock(terminal_id=self.terminal_id)
            lock.locked_until = until
            session.add(lock)
            session.execute(delete(QueryFailure).where(QueryFailure.terminal_id == self.terminal_id))
            log.warning("progress queries paused on %s until %s after %d failures", self.terminal_id, until, count)
            return until, 0

    def record_failure(self, now: datetime) -> tuple[datetime | None, int]:
        """Note a failure; (locked until, attempts left)."""
        self.begin(now)
        return self.settle(now)

    def unlock(self) -> bool:
        """End a pause and forget the failures (staff, from the CLI). True if it was paused."""
        with self.database.session() as session:
            was = session.get(QueryLock, self.terminal_id) is not None
            session.execute(delete(QueryLock).where(QueryLock.terminal_id == self.terminal_id))
            session.execute(delete(QueryFailure).where(QueryFailure.terminal_id == self.terminal_id))
            return was


# --- queries ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueryOutcome:
    kind: OutcomeKind
    #: for the citizen: a headline and what to do ("" when found)
    message: str = ""
    advice: str = ""
    message_en: str = ""
    view: ProgressView | None = None
    locked_until: datetime | None = None
    attempts_left: int | None = None
    #: on a terminal of a center that cannot be reached now: how old this terminal's copy of
    #: the applications is (docs/fleet.md, offline); "" otherwise
    copy_note: str = ""

    @property
    def found(self) -> bool:
        return self.kind == "found"


@dataclass(frozen=True)
class CardQueryOutcome:
    """The applications found for an ID card (kind "found", "none" or "unavailable")."""

    kind: Literal["found", "none", "unavailable"]
    message: str = ""
    advice: str = ""
    message_en: str = ""
    views: tuple[ProgressView, ...] = ()

    @property
    def found(self) -> bool:
        return self.kind == "found"


def normalize_verification(text: str) -> str:
    return re.sub(r"[\s\-]+", "", text or "").upper()


def verification_problem(verification: str) -> str | None:
    """Why this cannot be a verification (before any look-up), or None."""
    if re.fullmatch(r"[0-9X]{4}", verification):
        return None
    if re.fullmatch(r"\d{17}[\dX]", verification) or re.fullmatch(r"\d{7,15}", verification):
        return None  # a full ID number or phone, compared by keyed hash
    return "请输入申请人手机号或身份证号的后4位"


def locked_message(until: datetime) -> str:
    return tr("为保护办件信息，本机暂停进度查询 {m} 分钟，请在 {time} 以后再试。您也可以到受理窗口或综合咨询台查询。").format(
        m=int(PAUSE.total_seconds() // 60), time=until.strftime("%H:%M")
    )


class ProgressService:
    def __init__(
        self,
        database: Database,
        *,
        calendar: WorkCalendar,
        key: PrivacyKey,
        terminal_id: str,
        backend: ProgressBackend | None = None,
        clock: Callable[[], datetime] = china_now,
    ):
        self.database = database
        self.calendar = calendar
        self.key = key
        self.terminal_id = terminal_id
        self.backend: ProgressBackend = backend or LocalTableBackend(database)
        self.clock = clock
        self.limiter = FailureLimiter(database, terminal_id)

    # --- the citizen's query ---------------------------------------------------------------------

    def query(self, number: str, verification: str, *, as_of: date | None = None) -> QueryOutcome:
        """Look an application up for a citizen. Never raises for what the citizen typed."""
        number = normalize_number(number)
        verification = normalize_verification(verification)
        now = self.clock()
        try:
            until = self.limiter.locked_until(now)
        except SQLAlchemyError as exc:
            return self._uncountable(exc)
        if until is not None:
            return QueryOutcome("locked", tr("查询已暂停"), locked_message(until), "queries paused on this terminal", locked_until=until)
        if not number:
            return QueryOutcome("invalid", tr("请输入办件编号"), tr("办件编号在受理通知书上，也可以扫描通知书上的二维码或条形码。"), "no application number")
        if not exchange.NUMBER_PATTERN.fullmatch(number):
            return QueryOutcome("invalid", tr("办件编号不正确"), tr("办件编号由字母和数字组成，请对照受理通知书重新输入。"), "malformed application number")
        problem = verification_problem(verification)
        if problem:
            return QueryOutcome("invalid", tr(problem), tr("用于核实您是申请人本人。"), "malformed verification")
        # Counted first: no answer, right or wrong, for an attempt the limit could not count.
        try:
            attempt = self.limiter.begin(now)
        except SQLAlchemyError as exc:
            return self._uncountable(exc)
        try:
            record = self.backend.fetch(number)
        except BackendUnavailable as exc:
            self.limiter.forgive(attempt)
            log.error("progress backend unavailable: %s", exc)
            return QueryOutcome("unavailable", tr("暂时无法查询"), tr("请稍后再试，或到受理窗口、综合咨询台查询。"), f"backend unavailable: {exc}")
        if record is not None and self._verified(record, verification):
            self.limiter.forgive(attempt)
            as_of = as_of or now.date()
            return QueryOutcome("found", view=build_view(record, self.calendar, as_of, self._contact(record)), message_en="found")
        try:
            until, left = self.limiter.settle(now)
        except SQLAlchemyError as exc:
            return self._uncountable(exc)
        if until is not None:
            return QueryOutcome("locked", tr(NOT_FOUND), locked_message(until), "not found; queries paused", locked_until=until, attempts_left=0)
        advice = tr(NOT_FOUND_ADVICE)
        if left <= WARN_WHEN_LEFT:
            advice += tr("再输错 {n} 次，本机将暂停查询 {m} 分钟。").format(n=left, m=int(PAUSE.total_seconds() // 60))
        return QueryOutcome("not_found", tr(NOT_FOUND), advice, "no such application, or the verification does not match", attempts_left=left)

    @staticmethod
    def _uncountable(exc: Exception) -> QueryOutcome:
        """The failure limit cannot be read or written (a read-only or broken database): answer
        nothing, so that guessing stays limited (fail closed)."""
        log.error("progress query refused: the failure limit cannot be kept (database error: %s)", exc)
        return QueryOutcome(
            "unavailable", tr("暂时无法查询"), tr("请稍后再试，或到受理窗口、综合咨询台查询。"),
            f"failure limit unavailable (database error): {exc.__class__.__name__}",
        )

    def query_by_id_number(self, id_number: str, *, as_of: date | None = None) -> CardQueryOutcome:
        """The applications of the person whose ID card was just read on this terminal (the
        card is the verification, so no failure is counted). Never logs the number."""
        if not privacy.normalize_id_number(id_number):
            return CardQueryOutcome("none", tr("未查到您的办件"), message_en="no ID number")
        fetch = getattr(self.backend, "fetch_by_id_hash", None)
        if fetch is None:
            return CardQueryOutcome("unavailable", tr("本机暂不支持刷身份证查询"), tr("请输入办件编号查询，或到受理窗口查询。"), "backend cannot search by ID")
        try:
            records = fetch(self.key.hash_id_number(id_number))
        except (BackendUnavailable, SQLAlchemyError) as exc:
            log.error("progress backend unavailable: %s", exc)
            return CardQueryOutcome("unavailable", tr("暂时无法查询"), tr("请稍后再试，或到受理窗口、综合咨询台查询。"), f"backend unavailable: {exc}")
        if not records:
            return CardQueryOutcome("none", tr("未查到您的办件"), tr("本机只能查到本中心受理的办件。如有疑问，请到受理窗口或综合咨询台查询。"), "no applications")
        as_of = as_of or self.clock().date()
        views = tuple(build_view(r, self.calendar, as_of, self._contact(r)) for r in records)
        return CardQueryOutcome("found", views=views, message_en=f"{len(views)} applications")

    def _verified(self, record: ApplicationRecord, verification: str) -> bool:
        if len(verification) == 4:
            # both compared every time: the time taken does not tell which one matched
            by_id = privacy.same_hash(record.id_last4, verification)
            by_phone = privacy.same_hash(record.phone_last4, verification)
            return by_id or by_phone
        if len(verification) == 18 and verification[:17].isdigit():
            return privacy.same_hash(record.id_hash, self.key.hash_id_number(verification))
        return privacy.same_hash(record.phone_hash, self.key.hash_phone(verification))

    def _contact(self, record: ApplicationRecord) -> Contact:
        with self.database.session() as session:
            item = session.scalars(select(ServiceItem).where(ServiceItem.code == record.item_code)).first()
            window = session.scalars(select(Window).where(Window.number == record.window)).first() if record.window else None
            center = session.scalars(select(Center)).first()
            center_phone = center.phone if center is not None else ""
            if window is not None:
                window_text = tr("{number} 号窗口").format(number=window.number) + (f"（{window.zone}）" if window.zone else "")
            elif record.window:
                window_text = record.window if "窗口" in record.window else f"{record.window} 窗口"
            else:
                window_text = ""
            complaint = (item.complaint_phone if item is not None else "") or center_phone
            consult = (item.consult_phone if item is not None else "") or center_phone
            return Contact(window_text, complaint, consult)

    def locked_until(self) -> datetime | None:
        return self.limiter.locked_until(self.clock())

    def unlock(self) -> bool:
        return self.limiter.unlock()

    # --- data from the center's system ---------------------------------------------------------------

    def import_file(self, path: str | Path, *, replace: bool = False, shift_to: date | None = None) -> ImportSummary:
        """Validate a kiosk-progress/1 file against the catalog and apply it in one
        transaction. Raises ProgressFileError (nothing changed) listing every problem."""
        document = exchange.read_document(path)
        return self.import_document(document, replace=replace, shift_to=shift_to, source=str(path))

    def import_document(self, document, *, replace: bool = False, shift_to: date | None = None, source: str | None = None) -> ImportSummary:
        with self.database.session() as session:
            items = exchange.catalog_limits(session)
            try:
                data = exchange.validate(document, items, calendar=self.calendar, shift_to=shift_to)
            except exchange.ProgressFileError as exc:
                raise exchange.ProgressFileError(exc.problems, source) from None
            summary = exchange.apply(session, data, items, self.key, replace=replace, now=self.clock())
        if shift_to is not None:
            summary.shifted_days = (shift_to - exchange.parse_date(document["reference_date"])).days
        return summary

    def validate_file(self, path: str | Path, *, shift_to: date | None = None) -> dict:
        with self.database.session() as session:
            items = exchange.catalog_limits(session)
        return exchange.read_file(path, items, calendar=self.calendar, shift_to=shift_to)

    def purge(self, closed_before: date) -> int:
        """Delete applications closed (办结, 不予受理, 送达) before ``closed_before``. The number deleted."""
        limit = datetime.combine(closed_before, datetime.min.time())
        with self.database.session() as session:
            gone = list(
                session.scalars(
                    select(Application).where(
                        Application.status.in_(sorted(CLOSED_STATUSES)), Application.result_finished_at < limit
                    )
                )
            )
            for application in gone:
                session.delete(application)
            return len(gone)

    def count(self) -> int:
        with self.database.session() as session:
            return session.scalar(select(func.count()).select_from(Application)) or 0
