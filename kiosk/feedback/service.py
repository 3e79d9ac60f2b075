"""Ratings, complaints and suggestions: recording them, numbering, the center's notification,
the status of each case (received → forwarded → answered, with who and when), and erasing
callback phones after the retention period.

Every method opens its own unit of work and returns plain frozen objects (phones masked),
safe to hand to the UI thread. Bad input raises FeedbackError with a sentence in Chinese
(``zh``, for the person) and English (``en``, for logs).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from kiosk.clock import Clock, system_clock
from kiosk.db import Database
from kiosk.feedback.choices import (
    KINDS,
    LEVELS,
    MAX_TEXT,
    NUMBER_PREFIXES,
    OPEN_STATUSES,
    POOR_LEVELS,
    REASONS_BY_CODE,
    STATUSES,
    SUBJECTS,
    level_label,
    reason_labels,
)
from kiosk.feedback.models import Complaint, ComplaintEvent, Rating
from kiosk.notify import LogNotifier, Notification, Notifier
from kiosk.privacy import mask_phone, normalize_phone
from kiosk.errors import KioskError, iso_or_none as _iso

log = logging.getLogger(__name__)

#: callback phones are erased this many days after the rating, or after the case was answered
PHONE_RETENTION_DAYS = 90
#: a poor rating's reasons and phone may be added this long after the level was tapped
DETAILS_WITHIN = timedelta(minutes=30)
SOURCES = ("print", "progress", "tile", "")
MAX_FORWARD_TO = 100
MAX_ANSWER = 500
MAX_ACTOR = 60
NUMBER_PATTERN = re.compile(r"(TS|JY)-(\d{8})-(\d{3,})")
#: a mobile (1xx xxxx xxxx), a number with its area code (0xxx…), or a local number
PHONE_PATTERN = re.compile(r"1[3-9]\d{9}|0\d{9,11}|[2-9]\d{6,7}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class FeedbackError(KioskError):
    """A request about ratings or cases that cannot be carried out."""



@dataclass(frozen=True)
class RatingInfo:
    id: int
    terminal: str
    source: str
    item_code: str
    item_name: str
    rated_at: datetime
    level: int
    reasons: tuple[str, ...]
    phone_masked: str
    details_at: datetime | None

    @property
    def level_zh(self) -> str:
        return level_label(self.level)

    @property
    def poor(self) -> bool:
        return self.level in POOR_LEVELS

    @property
    def reasons_zh(self) -> list[str]:
        return reason_labels(self.reasons)

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "terminal": self.terminal,
            "source": self.source,
            "item_code": self.item_code,
            "item_name": self.item_name,
            "rated_at": _iso(self.rated_at),
            "level": self.level,
            "level_zh": self.level_zh,
            "reasons": list(self.reasons),
            "phone": self.phone_masked,
        }


@dataclass(frozen=True)
class ComplaintEventInfo:
    at: datetime
    status: str
    actor: str
    note: str

    @property
    def status_zh(self) -> str:
        return STATUSES.get(self.status, self.status)


@dataclass(frozen=True)
class ComplaintInfo:
    id: int
    number: str
    kind: str
    subject: str
    text: str
    terminal: str
    item_code: str
    item_name: str
    phone_masked: str
    created_at: datetime
    status: str
    forwarded_to: str
    forwarded_by: str
    forwarded_at: datetime | None
    answer: str
    answered_by: str
    answered_at: datetime | None
    notified: bool
    events: tuple[ComplaintEventInfo, ...] = ()

    @property
    def kind_zh(self) -> str:
        return KINDS.get(self.kind, self.kind)

    @property
    def subject_zh(self) -> str:
        return SUBJECTS.get(self.subject, self.subject)

    @property
    def status_zh(self) -> str:
        return STATUSES.get(self.status, self.status)

    @property
    def open(self) -> bool:
        return self.status in OPEN_STATUSES

    def to_dict(self) -> dict[str, object]:
        return {
            "number": self.number,
            "kind": self.kind,
            "kind_zh": self.kind_zh,
            "subject": self.subject,
            "subject_zh": self.subject_zh,
            "text": self.text,
            "terminal": self.terminal,
            "item_code": self.item_code,
            "item_name": self.item_name,
            "phone": self.phone_masked,
            "created_at": _iso(self.created_at),
            "status": self.status,
            "status_zh": self.status_zh,
            "forwarded_to": self.forwarded_to,
            "forwarded_by": self.forwarded_by,
            "forwarded_at": _iso(self.forwarded_at),
            "answer": self.answer,
            "answered_by": self.answered_by,
            "answered_at": _iso(self.answered_at),
            "events": [
                {"at": _iso(e.at), "status": e.status, "actor": e.actor, "note": e.note} for e in self.events
            ],
        }


def rating_info(r: Rating) -> RatingInfo:
    return RatingInfo(
        r.id, r.terminal, r.source, r.item_code, r.item_name, r.rated_at, r.level, tuple(r.reasons or ()),
        mask_phone(r.phone), r.details_at,
    )


def complaint_info(c: Complaint, events: Iterable[ComplaintEvent] = ()) -> ComplaintInfo:
    return ComplaintInfo(
        c.id, c.number, c.kind, c.subject, c.text, c.terminal, c.item_code, c.item_name, mask_phone(c.phone),
        c.created_at, c.status, c.forwarded_to, c.forwarded_by, c.forwarded_at, c.answer, c.answered_by,
        c.answered_at, c.notified_at is not None,
        tuple(ComplaintEventInfo(e.at, e.status, e.actor, e.note) for e in events),
    )


# --- checking input ---------------------------------------------------------------------------------


def clean_text(text: str, *, limit: int, what_zh: str, what_en: str, required: bool = True) -> str:
    """One line of text as typed: control characters become spaces, runs of spaces one."""
    if not isinstance(text, str):
        raise FeedbackError(f"{what_zh}应为文字", f"{what_en} must be text")
    cleaned = re.sub(r"\s+", " ", _CONTROL.sub(" ", text)).strip()
    if required and not cleaned:
        raise FeedbackError(f"请填写{what_zh}", f"{what_en} is empty")
    if len(cleaned) > limit:
        raise FeedbackError(
            f"{what_zh}最多 {limit} 个字，现在有 {len(cleaned)} 个字", f"{what_en} is longer than {limit} characters"
        )
    return cleaned


def check_phone(phone: str | None) -> str:
    """The callback phone as digits ("" when none); a wrong one is refused with the reason."""
    if phone is None:
        return ""
    if not isinstance(phone, str):
        raise FeedbackError("电话号码应为数字", "the phone must be text")
    if not phone.strip():
        return ""
    if re.search(r"[^\d\s\-+()（）]", phone):
        raise FeedbackError("电话号码只能包含数字", f"the phone has characters other than digits: {phone!r}")
    digits = normalize_phone(phone)
    if not PHONE_PATTERN.fullmatch(digits):
        if digits.startswith("1") and len(digits) != 11:
            raise FeedbackError(
                f"手机号码应为 11 位，现在是 {len(digits)} 位", f"a mobile number has 11 digits, not {len(digits)}"
            )
        raise FeedbackError(
            "电话号码不正确：请填写 11 位手机号码，或带区号的固定电话", f"not a phone number: {len(digits)} digits"
        )
    return digits


def check_level(level) -> int:
    if isinstance(level, bool) or not isinstance(level, int):
        try:
            level = int(str(level).strip())
        except (TypeError, ValueError):
            raise FeedbackError("评价等级应为 1 到 5", f"the level must be 1..5, not {level!r}") from None
    if level not in LEVELS:
        raise FeedbackError("评价等级应为 1 到 5", f"the level must be 1..5, not {level}")
    return level


def normalize_number(number: str) -> str:
    """A case number as typed: upper case, without spaces; refused unless TS-/JY-YYYYMMDD-NNN."""
    text = re.sub(r"\s+", "", str(number or "")).upper().replace("_", "-")
    if not NUMBER_PATTERN.fullmatch(text):
        raise FeedbackError(
            f"编号“{number}”不正确，应为 TS-20260302-001（投诉）或 JY-20260302-001（建议）",
            f"not a case number: {number!r} (TS-YYYYMMDD-NNN or JY-YYYYMMDD-NNN)",
        )
    return text


# --- the service --------------------------------------------------------------------------------------


class FeedbackService:
    def __init__(
        self,
        database: Database,
        *,
        terminal: str,
        terminal_name: str = "",
        notifier: Notifier | None = None,
        clock: Clock = system_clock,
        phone_retention_days: int = PHONE_RETENTION_DAYS,
    ):
        self.database = database
        self.terminal = terminal
        self.terminal_name = terminal_name or terminal
        self.notifier = notifier or LogNotifier()
        self.clock = clock
        self.phone_retention_days = phone_retention_days

    # --- ratings -------------------------------------------------------------------------------------

    def rate(self, level, *, source: str = "", item_code: str = "", item_name: str = "") -> RatingInfo:
        """Record the level the citizen tapped (at once, so that leaving never loses it).
        A poor rating may then get reasons and a phone through ``add_details``."""
        level = check_level(level)
        if source not in SOURCES:
            raise FeedbackError("评价来源无效", f"unknown source {source!r}")
        item_code = clean_text(item_code or "", limit=64, what_zh="事项编码", what_en="item code", required=False)
        item_name = clean_text(item_name or "", limit=300, what_zh="事项名称", what_en="item name", required=False)
        now = self.clock()
        with self.database.session() as session:
            rating = Rating(
                terminal=self.terminal, source=source, item_code=item_code, item_name=item_name,
                rated_at=now, level=level, reasons=[], phone="",
            )
            session.add(rating)
            session.flush()
            info = rating_info(rating)
        log.info("rating %s: level %s (%s) source %s item %s", info.id, level, level_label(level), source, item_code or "-")
        self.erase_expired_phones()
        return info

    def add_details(self, rating_id: int, reasons: Iterable[str] = (), phone: str | None = "") -> RatingInfo:
        """The reasons and the optional callback phone of a poor rating, once; the center is
        told (it must call back when there is a phone)."""
        codes = list(dict.fromkeys(reasons or ()))
        unknown = [c for c in codes if c not in REASONS_BY_CODE]
        if unknown:
            raise FeedbackError("原因选项无效：" + "、".join(map(str, unknown)), f"unknown reasons {unknown!r}")
        digits = check_phone(phone)
        now = self.clock()
        with self.database.session() as session:
            rating = session.get(Rating, rating_id) if isinstance(rating_id, int) else None
            if rating is None or rating.terminal != self.terminal:
                raise FeedbackError("没有这条评价", f"no rating {rating_id!r} on this terminal")
            if rating.level not in POOR_LEVELS:
                raise FeedbackError("只有“不满意”和“非常不满意”需要填写原因", "only a poor rating takes reasons")
            if rating.details_at is not None:
                raise FeedbackError("这条评价的原因已经提交过了", "the reasons were already given")
            if now - rating.rated_at > DETAILS_WITHIN:
                raise FeedbackError("评价时间已过，请重新评价", "too late to add reasons to this rating")
            rating.reasons = codes
            rating.phone = digits
            rating.details_at = now
            info = rating_info(rating)
        self._notify_poor_rating(info)
        return info

    def get_rating(self, rating_id: int) -> RatingInfo:
        with self.database.session() as session:
            rating = session.get(Rating, rating_id)
            if rating is None:
                raise FeedbackError("没有这条评价", f"no rating {rating_id!r}")
            return rating_info(rating)

    # --- complaints and suggestions ------------------------------------------------------------------

    def submit(
        self, kind: str, subject: str, text: str, *, phone: str | None = "", item_code: str = "", item_name: str = ""
    ) -> ComplaintInfo:
        """A complaint or suggestion: numbered (TS-/JY-YYYYMMDD-NNN), kept, and sent to the center."""
        if kind not in KINDS:
            raise FeedbackError("请选择投诉还是建议", f"kind must be complaint or suggestion, not {kind!r}")
        if subject not in SUBJECTS:
            raise FeedbackError("请选择投诉或建议的方面", f"unknown subject {subject!r}")
        text = clean_text(text, limit=MAX_TEXT, what_zh="内容", what_en="text")
        digits = check_phone(phone)
        item_code = clean_text(item_code or "", limit=64, what_zh="事项编码", what_en="item code", required=False)
        item_name = clean_text(item_name or "", limit=300, what_zh="事项名称", what_en="item name", required=False)
        now = self.clock()
        prefix = f"{NUMBER_PREFIXES[kind]}-{now:%Y%m%d}-"
        for attempt in range(20):
            try:
                with self.database.session() as session:
                    numbers = session.scalars(select(Complaint.number).where(Complaint.number.like(prefix + "%")))
                    used = [int(n[len(prefix):]) for n in numbers if n[len(prefix):].isdigit()]
                    number = f"{prefix}{(max(used) if used else 0) + 1:03d}"
                    complaint = Complaint(
                        number=number, kind=kind, subject=subject, text=text, terminal=self.terminal,
                        item_code=item_code, item_name=item_name, phone=digits, created_at=now, status="received",
                    )
                    session.add(complaint)
                    session.flush()
                    session.add(ComplaintEvent(complaint_id=complaint.id, at=now, status="received", actor="kiosk",
                                               note=f"终端 {self.terminal}"))
                    complaint_id = complaint.id
                break
            except IntegrityError:  # another terminal took the number at the same moment
                log.info("case number %s taken, trying the next (attempt %d)", prefix, attempt + 1)
        else:
            raise FeedbackError("暂时无法编号，请稍后再试", "could not allocate a case number")
        self._notify_case(number)
        with self.database.session() as session:
            complaint = session.get(Complaint, complaint_id)
            complaint.notified_at = self.clock()
        log.info("%s %s received (%s)", KINDS[kind], number, subject)
        self.erase_expired_phones()
        return self.get(number)

    def get(self, number: str) -> ComplaintInfo:
        number = normalize_number(number)
        with self.database.session() as session:
            complaint = session.scalar(select(Complaint).where(Complaint.number == number))
            if complaint is None:
                raise FeedbackError(f"没有编号为 {number} 的投诉或建议", f"no case {number}")
            events = session.scalars(
                select(ComplaintEvent).where(ComplaintEvent.complaint_id == complaint.id).order_by(ComplaintEvent.id)
            )
            return complaint_info(complaint, list(events))

    def callback_phone(self, number: str) -> str:
        """The full callback phone of a case, for the person who calls back ("" when none)."""
        number = normalize_number(number)
        with self.database.session() as session:
            phone = session.scalar(select(Complaint.phone).where(Complaint.number == number))
            if phone is None:
                raise FeedbackError(f"没有编号为 {number} 的投诉或建议", f"no case {number}")
            return phone

    def list(
        self,
        status: str | None = None,
        *,
        kind: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int | None = 500,
    ) -> list[ComplaintInfo]:
        """Cases, newest first. ``status``: received, forwarded, answered, "open" (received or
        forwarded), or None / "all"."""
        query = select(Complaint).order_by(Complaint.created_at.desc(), Complaint.id.desc())
        if status == "open":
            query = query.where(Complaint.status.in_(OPEN_STATUSES))
        elif status not in (None, "all"):
            if status not in STATUSES:
                raise FeedbackError(
                    f"状态“{status}”无效，可选：received、forwarded、answered、open、all", f"unknown status {status!r}"
                )
            query = query.where(Complaint.status == status)
        if kind is not None:
            if kind not in KINDS:
                raise FeedbackError("类型应为 complaint（投诉）或 suggestion（建议）", f"unknown kind {kind!r}")
            query = query.where(Complaint.kind == kind)
        if since is not None:
            query = query.where(Complaint.created_at >= since)
        if until is not None:
            query = query.where(Complaint.created_at < until)
        if limit:
            query = query.limit(limit)
        with self.database.session() as session:
            return [complaint_info(c) for c in session.scalars(query)]

    def forward(self, number: str, actor: str, to: str, note: str = "") -> ComplaintInfo:
        """转办: the case goes to a department or person (again, if it was forwarded before)."""
        to = clean_text(to, limit=MAX_FORWARD_TO, what_zh="转办对象", what_en="forwarded to")
        note = clean_text(note or "", limit=MAX_ANSWER, what_zh="说明", what_en="note", required=False)
        return self._transition(number, actor, "forwarded", to=to, note=note)

    def answer(self, number: str, actor: str, text: str) -> ComplaintInfo:
        """答复: what the citizen was told; the case is closed."""
        text = clean_text(text, limit=MAX_ANSWER, what_zh="答复内容", what_en="answer")
        return self._transition(number, actor, "answered", note=text)

    def _transition(self, number: str, actor: str, status: str, *, to: str = "", note: str = "") -> ComplaintInfo:
        number = normalize_number(number)
        actor = clean_text(actor or "", limit=MAX_ACTOR, what_zh="处理人", what_en="actor")
        now = self.clock()
        with self.database.session() as session:
            complaint = session.scalar(select(Complaint).where(Complaint.number == number))
            if complaint is None:
                raise FeedbackError(f"没有编号为 {number} 的投诉或建议", f"no case {number}")
            if complaint.status == "answered":
                raise FeedbackError(
                    f"{number} 已于 {complaint.answered_at:%Y-%m-%d %H:%M} 答复，不能再{'转办' if status == 'forwarded' else '答复'}",
                    f"{number} was answered already",
                )
            complaint.status = status
            if status == "forwarded":
                complaint.forwarded_to, complaint.forwarded_by, complaint.forwarded_at = to, actor, now
                event_note = to + (f"：{note}" if note else "")
            else:
                complaint.answer, complaint.answered_by, complaint.answered_at = note, actor, now
                event_note = note
            session.add(ComplaintEvent(complaint_id=complaint.id, at=now, status=status, actor=actor, note=event_note))
        log.info("case %s %s by %s", number, status, actor)
        self.erase_expired_phones()
        return self.get(number)

    # --- retention ----------------------------------------------------------------------------------

    def erase_expired_phones(self) -> int:
        """Erase callback phones kept longer than the retention period: a rating's from its
        time, a case's from its answer (open cases keep theirs: the call is still owed)."""
        now = self.clock()
        cutoff = now - timedelta(days=self.phone_retention_days)
        erased = 0
        with self.database.session() as session:
            for rating in session.scalars(select(Rating).where(Rating.phone != "", Rating.rated_at < cutoff)):
                rating.phone, rating.phone_erased_at = "", now
                erased += 1
            for case in session.scalars(
                select(Complaint).where(Complaint.phone != "", Complaint.status == "answered", Complaint.answered_at < cutoff)
            ):
                case.phone, case.phone_erased_at = "", now
                erased += 1
        if erased:
            log.info("erased %d callback phones older than %d days", erased, self.phone_retention_days)
        return erased

    # --- telling the center ---------------------------------------------------------------------------

    def _send(self, notification: Notification) -> None:
        try:
            self.notifier.send(notification)
        except Exception:  # noqa: BLE001 - a notifier must never lose the citizen's submission
            log.exception("notification failed")

    def _where(self) -> str:
        return f"{self.terminal_name}（{self.terminal}）" if self.terminal_name != self.terminal else self.terminal

    def _notify_case(self, number: str) -> None:
        case = self.get(number)
        title = f"【群众{case.kind_zh}】{case.number} {case.subject_zh}"
        lines = [f"终端：{self._where()}", f"时间：{case.created_at:%Y-%m-%d %H:%M}"]
        if case.item_name:
            lines.append(f"事项：{case.item_name}")
        lines.append(f"内容：{case.text}")
        lines.append(f"回访电话：{case.phone_masked}（完整号码：kiosk complaints show {case.number} --phone）"
                     if case.phone_masked else "回访电话：未留")
        lines.append(f"请登记转办：kiosk complaints forward {case.number} --to 部门；答复后：kiosk complaints answer {case.number} --text 答复内容")
        self._send(Notification(case.kind, title, tuple(lines), terminal=self.terminal))

    def _notify_poor_rating(self, rating: RatingInfo) -> None:
        title = f"【差评】{rating.level_zh}（{self._where()}）"
        lines = [f"时间：{rating.rated_at:%Y-%m-%d %H:%M}"]
        if rating.item_name:
            lines.append(f"事项：{rating.item_name}")
        lines.append("原因：" + ("、".join(rating.reasons_zh) if rating.reasons else "未选择"))
        if rating.phone_masked:
            lines.append(f"回访电话：{rating.phone_masked}，请及时回访整改（完整号码见 kiosk report ratings 导出）")
        else:
            lines.append("未留回访电话。")
        self._send(Notification("poor_rating", title, tuple(lines), terminal=self.terminal))


__all__ = [
    "DETAILS_WITHIN",
    "PHONE_RETENTION_DAYS",
    "ComplaintEventInfo",
    "ComplaintInfo",
    "FeedbackError",
    "FeedbackService",
    "RatingInfo",
    "check_level",
    "check_phone",
    "clean_text",
    "normalize_number",
]
