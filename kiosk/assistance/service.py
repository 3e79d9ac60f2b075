"""Help calls, proxy requests and the ledger (帮办代办台账).

    helpers = HelperService(database, terminal="YC-HALL-01", notifier=notifier, staff=staff)
    raised = helpers.raise_call(screen="item", screen_label="事项一次性告知", item_code=code, item_name=name)
    helpers.take_call(raised.call.id, helper)          # helper: a StaffSession or (id, name)
    helpers.close_call(raised.call.id, helper, help_types=["online"], outcome="resolved")
    helpers.tick()                                     # re-raise and expire calls nobody took

A call is stored in the local database before anything else, so it works with the network and
the printer down; the helpers are then told through the notifier (the same one as device
faults: the log, and the group robot when configured), which never blocks. Every method opens
its own unit of work and returns frozen views, safe to hand to the UI thread. Bad input raises
HelperError with a sentence in Chinese (``zh``) and English (``en``).
"""

from __future__ import annotations

import csv
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import IO

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from kiosk.clock import Clock, system_clock
from kiosk.config import HelpersConfig
from kiosk.db import Database
from kiosk.assistance.models import ACTIVE_CALL_STATUSES, HelpCall, LedgerEntry, ProxyMaterial, ProxyRequest
from kiosk.notify import LogNotifier, Notification, Notifier
from kiosk.privacy import PrivacyKey, last4, mask_name, mask_phone, normalize_phone, same_hash
from kiosk.errors import KioskError, iso_or_none as _iso

log = logging.getLogger(__name__)

#: the help types of 帮办代办制度 第二条, in its order: key → what the ledger says
HELP_TYPES = {
    "register": "帮注册",
    "online": "帮网办",
    "mobile": "帮手机办",
    "selfservice": "帮自助办",
    "forms": "材料填写",
    "declare": "网上申报",
    "upload": "电子文件上传",
    "progress": "办理进度查询",
    "proxy": "代办",
    "home_visit": "上门服务",
}
#: how a case ended: key → what the ledger says
OUTCOMES = {
    "resolved": "已办结",
    "guided": "已引导至窗口",
    "to_proxy": "转为代办",
    "unresolved": "未能解决",
    "left": "群众已离开",
    "cancelled": "群众取消呼叫",
    "expired": "无人响应",
    "proxy_open": "代办中",
    "proxy_done": "代办完成",
    "proxy_withdrawn": "群众撤回",
    "proxy_failed": "未能办成",
}
#: what a helper may choose when closing a call (or recording help given without a call)
CALL_OUTCOMES = ("resolved", "guided", "to_proxy", "unresolved", "left")
#: what a helper may choose when closing a proxy request
PROXY_OUTCOMES = ("proxy_done", "proxy_withdrawn", "proxy_failed")
#: why a home visit is needed (免费上门服务: 行动不便或其他特殊群众)
VISIT_REASONS = ("行动不便", "高龄", "残疾", "重病", "孕产期", "其他")
CALL_STATUS_LABELS = {"open": "等待接单", "taken": "已接单", "closed": "已结束", "cancelled": "已取消", "expired": "无人响应"}
PROXY_STATUS_LABELS = {"open": "代办中", "closed": "已结束"}

PROXY_NUMBER = re.compile(r"DB-(\d{8})-(\d{3,})")
MAX_NOTES = 300
MAX_NAME = 20
MAX_ADDRESS = 200
#: a citizen pressing 呼叫 again this long after the last notice re-raises the call at once
PRESS_AGAIN_RERAISES_AFTER = timedelta(minutes=1)
#: the ledger's CSV columns, in order
CSV_FIELDS = (
    "id", "time", "helper_id", "helper_name", "terminal", "item_code", "item_name", "help_types", "outcome",
    "notes", "call_number", "proxy_number", "finished_at",
)


class HelperError(KioskError):
    """A request about calls, proxy requests or the ledger that cannot be carried out."""



def call_number(seq: int) -> str:
    """The number a citizen sees: three digits of the day's sequence (007)."""
    return f"{seq:03d}"


def proxy_number(day: date, seq: int) -> str:
    return f"DB-{day:%Y%m%d}-{seq:03d}"


_ADDRESS_LEVELS = re.compile(r"(?:省|自治区|市|自治州|地区|盟|区|县|旗|镇|乡|街道)")


def mask_address(address: str) -> str:
    """An address down to its town or district, the rest hidden: 河南省永城市东城区****.
    Where the address names no such level, only its first 3 characters are shown."""
    text = re.sub(r"\s+", "", address or "")
    if not text:
        return ""
    head = text[:16]
    digit = re.search(r"\d", head)
    if digit:
        head = head[: digit.start()]
    cut = 0
    for match in _ADDRESS_LEVELS.finditer(head):
        cut = match.end()
    if cut == 0 or cut >= len(text):
        cut = min(3, max(0, len(text) - 1))
    return text[:cut] + "****"


def help_types_text(keys: Iterable[str]) -> str:
    return "、".join(HELP_TYPES.get(k, k) for k in keys)


# --- views -------------------------------------------------------------------------------------


#: the roles that may act in helper mode
HELPER_ROLES = frozenset({"helper", "admin"})


def require_helper(session):
    """The session of a red-vest helper (or an admin); HelperError for anyone else."""
    if session is None or not (HELPER_ROLES & set(getattr(session, "roles", ()))):
        raise HelperError("需要帮办人员登录", "a helper must be signed in")
    return session


@dataclass(frozen=True)
class Helper:
    """Who acts: a staff id and name. The command line names a member of staff (Helper or
    (id, name)); a signed-in StaffSession must be a helper's or an admin's (HelperError)."""

    id: str
    name: str

    @classmethod
    def of(cls, who) -> Helper:
        if isinstance(who, Helper):
            return who
        if isinstance(who, tuple):
            return cls(str(who[0]), str(who[1]))
        if who is not None and hasattr(who, "staff_id") and hasattr(who, "roles"):
            require_helper(who)  # a signed-in session
        staff_id = getattr(who, "staff_id", None) or getattr(who, "id", None)
        if not staff_id:
            raise HelperError("需要帮办人员登录", "a helper must be signed in")
        return cls(str(staff_id), str(getattr(who, "name", "") or staff_id))


@dataclass(frozen=True)
class CallView:
    id: int
    number: str
    day: date
    terminal: str
    terminal_name: str
    screen: str
    screen_label: str
    item_code: str
    item_name: str
    status: str
    raised_at: datetime
    last_raised_at: datetime
    raise_count: int
    taken_by: str | None
    taken_by_name: str
    taken_at: datetime | None
    ended_at: datetime | None
    ended_by: str

    @property
    def active(self) -> bool:
        return self.status in ACTIVE_CALL_STATUSES

    @property
    def status_zh(self) -> str:
        return CALL_STATUS_LABELS.get(self.status, self.status)

    @property
    def where_zh(self) -> str:
        """What the citizen was looking at: 事项一次性告知 · 有限责任公司设立登记."""
        parts = [p for p in (self.screen_label, self.item_name) if p]
        return " · ".join(parts) if parts else "首页"

    def waited(self, now: datetime) -> timedelta:
        end = self.taken_at or self.ended_at or now
        return max(timedelta(0), end - self.raised_at)

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "number": self.number,
            "day": self.day.isoformat(),
            "terminal": self.terminal,
            "terminal_name": self.terminal_name,
            "screen": self.screen,
            "screen_label": self.screen_label,
            "item_code": self.item_code,
            "item_name": self.item_name,
            "status": self.status,
            "raised_at": _iso(self.raised_at),
            "last_raised_at": _iso(self.last_raised_at),
            "raise_count": self.raise_count,
            "taken_by": self.taken_by,
            "taken_by_name": self.taken_by_name,
            "taken_at": _iso(self.taken_at),
            "ended_at": _iso(self.ended_at),
            "ended_by": self.ended_by,
        }


@dataclass(frozen=True)
class RaiseResult:
    call: CallView
    #: this terminal had a call open already: the citizen sees its number (no second call)
    reused: bool = False


@dataclass(frozen=True)
class MaterialView:
    position: int
    name: str
    necessity: str
    copies: int
    handed_over: bool


@dataclass(frozen=True)
class ProxyView:
    """A proxy request with the citizen's data masked (the full address is never in a view)."""

    id: int
    number: str
    created_at: datetime
    terminal: str
    helper_id: str
    helper_name: str
    call_id: int | None
    item_code: str
    item_name: str
    citizen_name: str
    phone_masked: str
    home_visit: bool
    visit_reasons: tuple[str, ...]
    address_masked: str
    notes: str
    status: str
    closed_at: datetime | None
    closed_by: str
    outcome: str
    purged_at: datetime | None
    materials: tuple[MaterialView, ...] = field(default_factory=tuple)

    @property
    def handed_over(self) -> list[MaterialView]:
        return [m for m in self.materials if m.handed_over]

    @property
    def not_handed_over(self) -> list[MaterialView]:
        return [m for m in self.materials if not m.handed_over]

    @property
    def missing_required(self) -> list[MaterialView]:
        return [m for m in self.materials if not m.handed_over and m.necessity == "required"]

    @property
    def status_zh(self) -> str:
        return PROXY_STATUS_LABELS.get(self.status, self.status)

    @property
    def outcome_zh(self) -> str:
        return OUTCOMES.get(self.outcome, self.outcome)

    def to_dict(self) -> dict[str, object]:
        return {
            "number": self.number,
            "created_at": _iso(self.created_at),
            "terminal": self.terminal,
            "helper_id": self.helper_id,
            "helper_name": self.helper_name,
            "item_code": self.item_code,
            "item_name": self.item_name,
            "citizen_name": self.citizen_name,
            "phone": self.phone_masked,
            "home_visit": self.home_visit,
            "visit_reasons": list(self.visit_reasons),
            "address": self.address_masked,
            "notes": self.notes,
            "status": self.status,
            "closed_at": _iso(self.closed_at),
            "outcome": self.outcome,
            "purged_at": _iso(self.purged_at),
            "materials": [
                {"name": m.name, "necessity": m.necessity, "copies": m.copies, "handed_over": m.handed_over}
                for m in self.materials
            ],
        }


@dataclass(frozen=True)
class LedgerView:
    id: int
    at: datetime
    helper_id: str
    helper_name: str
    terminal: str
    item_code: str
    item_name: str
    help_types: tuple[str, ...]
    outcome: str
    notes: str
    call_number: str = ""
    proxy_number: str = ""
    finished_at: datetime | None = None
    call_id: int | None = None

    @property
    def help_types_zh(self) -> str:
        return help_types_text(self.help_types)

    @property
    def outcome_zh(self) -> str:
        return OUTCOMES.get(self.outcome, self.outcome)

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "time": _iso(self.at),
            "helper_id": self.helper_id,
            "helper_name": self.helper_name,
            "terminal": self.terminal,
            "item_code": self.item_code,
            "item_name": self.item_name,
            "help_types": self.help_types_zh,
            "outcome": self.outcome_zh,
            "notes": self.notes,
            "call_number": self.call_number,
            "proxy_number": self.proxy_number,
            "finished_at": _iso(self.finished_at),
        }


@dataclass(frozen=True)
class HelperSummary:
    """One helper's day (or the unattended calls, with helper_id "")."""

    helper_id: str
    helper_name: str
    cases: int
    by_type: dict[str, int]
    by_outcome: dict[str, int]
    calls: int
    proxies: int
    #: the mean time from a call to its taking, for the calls this helper took
    mean_response: timedelta | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "helper_id": self.helper_id,
            "helper_name": self.helper_name,
            "cases": self.cases,
            "calls": self.calls,
            "proxies": self.proxies,
            "by_type": {HELP_TYPES.get(k, k): v for k, v in self.by_type.items()},
            "by_outcome": {OUTCOMES.get(k, k): v for k, v in self.by_outcome.items()},
            "mean_response_seconds": int(self.mean_response.total_seconds()) if self.mean_response is not None else None,
        }


@dataclass(frozen=True)
class TickReport:
    reraised: tuple[CallView, ...] = ()
    expired: tuple[CallView, ...] = ()


def _call_view(call: HelpCall) -> CallView:
    return CallView(
        call.id, call_number(call.seq), call.day, call.terminal, call.terminal_name, call.screen, call.screen_label,
        call.item_code, call.item_name, call.status, call.raised_at, call.last_raised_at, call.raise_count,
        call.taken_by, call.taken_by_name or "", call.taken_at, call.ended_at, call.ended_by or "",
    )


def _proxy_view(request: ProxyRequest) -> ProxyView:
    return ProxyView(
        request.id, request.number, request.created_at, request.terminal, request.helper_id, request.helper_name,
        request.call_id, request.item_code, request.item_name, request.citizen_name or "", request.phone_masked or "",
        request.home_visit, tuple(request.visit_reasons or ()), mask_address(request.address or ""), request.notes or "",
        request.status, request.closed_at, request.closed_by or "", request.outcome or "", request.purged_at,
        tuple(MaterialView(m.position, m.name, m.necessity, m.copies, m.handed_over) for m in request.materials),
    )


# --- the service ---------------------------------------------------------------------------------


class HelperService:
    def __init__(
        self,
        database: Database,
        *,
        terminal: str,
        terminal_name: str = "",
        config: HelpersConfig | None = None,
        notifier: Notifier | None = None,
        staff=None,
        key: PrivacyKey | Callable[[], PrivacyKey] | None = None,
        audit: Callable[..., None] | None = None,
        clock: Clock = system_clock,
    ):
        self.database = database
        self.terminal = terminal
        self.terminal_name = terminal_name or terminal
        self.config = config or HelpersConfig()
        self.notifier = notifier or LogNotifier()
        #: a kiosk.staff.StaffService: who the helpers are (for the notifications' recipients)
        self.staff = staff
        self._key = key
        #: audit(actor, action, target, detail) -- the staff audit log, when there is one
        self._audit = audit or (staff.audit if staff is not None else None)
        self.clock = clock

    # --- helpers of the helpers -------------------------------------------------------------------

    @property
    def key(self) -> PrivacyKey:
        if self._key is None:
            raise HelperError("隐私密钥不可用", "no privacy key configured")
        if not isinstance(self._key, PrivacyKey):
            self._key = self._key()
        return self._key

    def audit(self, actor: str, action: str, target: str = "", detail: str = "") -> None:
        if self._audit is not None:
            try:
                self._audit(actor, action, target, detail)
            except Exception:  # noqa: BLE001 - the audit log must not undo a done case
                log.exception("audit failed: %s %s", action, target)

    def _helpers_on_duty(self, now: datetime) -> tuple[str, ...]:
        """Names of the active helpers who are not away (the notification names them)."""
        if self.staff is None:
            return ()
        try:
            people = [s for s in self.staff.list_staff(include_inactive=False) if "helper" in s.roles]
            return tuple(s.name for s in people if self.staff.absence_at(s.id, now) is None)
        except Exception:  # noqa: BLE001 - the call matters more than the names
            log.exception("could not read the helpers on duty")
            return ()

    def _notify(self, event: str, title: str, lines: list[str], now: datetime) -> None:
        notification = Notification(
            event, title, tuple(lines), terminal=self.terminal, recipients=self._helpers_on_duty(now)
        )
        try:
            self.notifier.send(notification)  # returns at once; delivery in the background
        except Exception:  # noqa: BLE001 - a notifier must never break a call
            log.exception("help call notification failed")

    def _call_lines(self, call: CallView, now: datetime) -> list[str]:
        lines = [
            f"终端：{call.terminal_name}（{call.terminal}）",
            f"群众所在页面：{call.where_zh}",
            f"呼叫时间：{call.raised_at:%H:%M}" + (f"，已等待 {_minutes(call.waited(now))} 分钟" if now > call.raised_at else ""),
        ]
        if call.item_code:
            lines.append(f"事项编码：{call.item_code}")
        return lines

    @staticmethod
    def _check_id(value, what: str = "呼叫") -> int:
        try:
            return int(value)
        except (TypeError, ValueError):
            raise HelperError(f"{what}编号“{value}”无效", f"invalid {what} id {value!r}") from None

    @staticmethod
    def _next_seq(session, model, day: date) -> int:
        return (session.scalar(select(func.max(model.seq)).where(model.day == day)) or 0) + 1

    # --- calls -----------------------------------------------------------------------------------

    def raise_call(self, *, screen: str = "", screen_label: str = "", item_code: str = "", item_name: str = "") -> RaiseResult:
        """A citizen asks for a helper. Stored first; then the helpers are told (in the background).
        While this terminal has a call open, pressing again shows that call (and tells the
        helpers again when the last notice is over a minute old) rather than making a second."""
        now = self.clock()
        context = dict(
            screen=(screen or "")[:40], screen_label=(screen_label or "")[:100],
            item_code=(item_code or "")[:64], item_name=(item_name or "")[:300],
        )
        with self.database.session() as session:
            existing = session.scalar(
                select(HelpCall)
                .where(HelpCall.terminal == self.terminal, HelpCall.status.in_(ACTIVE_CALL_STATUSES))
                .order_by(HelpCall.raised_at.desc(), HelpCall.id.desc())
            )
            if existing is not None:
                again = existing.status == "open" and now - existing.last_raised_at >= PRESS_AGAIN_RERAISES_AFTER
                if existing.status == "open" and context["screen"]:
                    for name, value in context.items():
                        setattr(existing, name, value)
                if again:
                    existing.last_raised_at = now
                    existing.raise_count += 1
                view = _call_view(existing)
        if existing is not None:
            if again:
                self._notify("help_call_reraised", f"【群众再次呼叫】{self.terminal_name} 呼叫号 {view.number}",
                             self._call_lines(view, now) + ["请尽快到终端处接待。"], now)
            return RaiseResult(view, reused=True)
        for _attempt in range(5):
            try:
                with self.database.session() as session:
                    call = HelpCall(
                        day=now.date(), seq=self._next_seq(session, HelpCall, now.date()), terminal=self.terminal,
                        terminal_name=self.terminal_name[:100], status="open", raised_at=now, last_raised_at=now,
                        raise_count=1, taken_by_name="", ended_by="", **context,
                    )
                    session.add(call)
                    session.flush()
                    view = _call_view(call)
                break
            except IntegrityError:  # another terminal took the same number at the same moment
                continue
        else:
            raise HelperError("呼叫未能保存，请到综合咨询台", "could not store the call (number clash)")
        log.info("help call %s raised on %s at %s", view.number, self.terminal, view.where_zh)
        self._notify(
            "help_call", f"【呼叫帮办】{self.terminal_name} 呼叫号 {view.number}",
            self._call_lines(view, now) + ["请到终端处接待，在帮办模式中点“接单”。"], now,
        )
        return RaiseResult(view)

    def call(self, call_id) -> CallView:
        with self.database.session() as session:
            return _call_view(self._get_call(session, call_id))

    def _get_call(self, session, call_id) -> HelpCall:
        call = session.get(HelpCall, self._check_id(call_id))
        if call is None:
            raise HelperError(f"没有编号为 {call_id} 的呼叫", f"no call #{call_id}")
        return call

    def active_call(self) -> CallView | None:
        """This terminal's open or taken call, if any."""
        with self.database.session() as session:
            call = session.scalar(
                select(HelpCall)
                .where(HelpCall.terminal == self.terminal, HelpCall.status.in_(ACTIVE_CALL_STATUSES))
                .order_by(HelpCall.raised_at.desc(), HelpCall.id.desc())
            )
            return _call_view(call) if call else None

    def calls(self, status: str | None = "active", *, all_terminals: bool = True, since: datetime | None = None,
              limit: int | None = 200) -> list[CallView]:
        """Calls: "active" (open or taken, oldest first, this terminal's first), a status, or
        None/"all" (newest first)."""
        with self.database.session() as session:
            query = select(HelpCall)
            if not all_terminals:
                query = query.where(HelpCall.terminal == self.terminal)
            if status == "active":
                query = query.where(HelpCall.status.in_(ACTIVE_CALL_STATUSES)).order_by(HelpCall.raised_at, HelpCall.id)
            else:
                if status not in (None, "all"):
                    if status not in CALL_STATUS_LABELS:
                        raise HelperError(
                            f"状态“{status}”无效，可选：{'、'.join(CALL_STATUS_LABELS)}、active、all", f"unknown status {status!r}"
                        )
                    query = query.where(HelpCall.status == status)
                query = query.order_by(HelpCall.raised_at.desc(), HelpCall.id.desc())
            if since is not None:
                query = query.where(HelpCall.raised_at >= since)
            if limit:
                query = query.limit(limit)
            views = [_call_view(c) for c in session.scalars(query)]
        if status == "active":
            views.sort(key=lambda c: (c.terminal != self.terminal, c.raised_at))
        return views

    def cancel_call(self, call_id, *, by: str = "citizen") -> CallView:
        """The citizen no longer needs a helper (取消呼叫). The ledger records it; the helpers
        are told, so nobody walks over for nothing."""
        now = self.clock()
        with self.database.session() as session:
            call = self._get_call(session, call_id)
            if call.status not in ACTIVE_CALL_STATUSES:
                view = _call_view(call)
                return view  # already over: nothing to cancel (a second tap is harmless)
            taken_by, taken_name = call.taken_by or "", call.taken_by_name or ""
            call.status, call.ended_at, call.ended_by = "cancelled", now, by[:60]
            session.add(LedgerEntry(
                at=call.raised_at, helper_id=taken_by, helper_name=taken_name, terminal=call.terminal, item_code=call.item_code,
                item_name=call.item_name, help_types=[], outcome="cancelled", notes="", call_id=call.id, finished_at=now,
            ))
            view = _call_view(call)
        log.info("help call %s cancelled by %s", view.number, by)
        self._notify("help_call_cancelled", f"【呼叫已取消】{self.terminal_name} 呼叫号 {view.number}",
                     self._call_lines(view, now) + ["群众已取消呼叫，无需前往。"], now)
        return view

    def take_call(self, call_id, helper) -> CallView:
        """A helper takes a call (接单): the others are told it is taken."""
        helper = Helper.of(helper)
        now = self.clock()
        call_id = self._check_id(call_id)
        with self.database.session() as session:
            claimed = session.execute(
                update(HelpCall)
                .where(HelpCall.id == call_id, HelpCall.status == "open")
                .values(status="taken", taken_by=helper.id, taken_by_name=helper.name[:100], taken_at=now)
            ).rowcount
            call = self._get_call(session, call_id)
            session.refresh(call)
            if not claimed:
                if call.status == "taken":
                    raise HelperError(f"呼叫 {call_number(call.seq)} 已由 {call.taken_by_name} 接单",
                                      f"call {call.id} is taken by {call.taken_by} already")
                raise HelperError(f"呼叫 {call_number(call.seq)} {CALL_STATUS_LABELS.get(call.status, call.status)}，无需接单",
                                  f"call {call.id} is {call.status}")
            view = _call_view(call)
        self.audit(helper.id, "help.take", f"call {view.number}", view.where_zh)
        self._notify("help_call_taken", f"【已接单】{self.terminal_name if view.terminal == self.terminal else view.terminal_name} 呼叫号 {view.number}",
                     [f"{helper.name} 已接单，正在前往。", *self._call_lines(view, now)[:2]], now)
        return view

    def close_call(self, call_id, helper, *, help_types: Iterable[str] = (), outcome: str = "resolved",
                   notes: str = "") -> tuple[CallView, LedgerView]:
        """The helper is done (结束): the case goes into the ledger. Closing a call nobody took
        takes it in the same step."""
        helper = Helper.of(helper)
        types, outcome, notes = self._check_case(help_types, outcome, notes, CALL_OUTCOMES)
        now = self.clock()
        with self.database.session() as session:
            call = self._get_call(session, call_id)
            if call.status not in ACTIVE_CALL_STATUSES:
                raise HelperError(f"呼叫 {call_number(call.seq)} {CALL_STATUS_LABELS.get(call.status, call.status)}",
                                  f"call {call.id} is {call.status} already")
            if call.status == "open":
                call.taken_by, call.taken_by_name, call.taken_at = helper.id, helper.name[:100], now
            call.status, call.ended_at, call.ended_by = "closed", now, helper.id
            entry = LedgerEntry(
                at=call.raised_at, helper_id=helper.id, helper_name=helper.name[:100], terminal=call.terminal,
                item_code=call.item_code, item_name=call.item_name, help_types=list(types), outcome=outcome,
                notes=notes, call_id=call.id, finished_at=now,
            )
            session.add(entry)
            session.flush()
            view = _call_view(call)
            ledger = self._ledger_view(entry, call_no=view.number)
        self.audit(helper.id, "help.close", f"call {view.number}", f"{help_types_text(types)} {OUTCOMES[outcome]}")
        return view, ledger

    def tick(self) -> TickReport:
        """Raise again the calls nobody took within helpers.reraise_after_minutes, and end those
        nobody took within helpers.expire_after_minutes. Each step is claimed with a conditional
        update, so two processes never notify twice."""
        now = self.clock()
        reraise = timedelta(minutes=self.config.reraise_after_minutes)
        expire = timedelta(minutes=self.config.expire_after_minutes)
        with self.database.session() as session:
            due = [
                (c.id, c.raise_count, c.raised_at)
                for c in session.scalars(
                    select(HelpCall).where(
                        HelpCall.terminal == self.terminal, HelpCall.status == "open", HelpCall.last_raised_at <= now - reraise
                    )
                )
            ]
        reraised, expired = [], []
        for call_id, count, raised_at in due:
            with self.database.session() as session:
                if now - raised_at >= expire:
                    claimed = session.execute(
                        update(HelpCall).where(HelpCall.id == call_id, HelpCall.status == "open")
                        .values(status="expired", ended_at=now, ended_by="system")
                    ).rowcount
                    if not claimed:
                        continue
                    call = session.get(HelpCall, call_id)
                    session.refresh(call)
                    session.add(LedgerEntry(
                        at=call.raised_at, helper_id="", helper_name="", terminal=call.terminal, item_code=call.item_code,
                        item_name=call.item_name, help_types=[], outcome="expired",
                        notes=f"{call.raise_count} 次通知无人接单", call_id=call.id, finished_at=now,
                    ))
                    expired.append(_call_view(call))
                else:
                    claimed = session.execute(
                        update(HelpCall).where(HelpCall.id == call_id, HelpCall.status == "open", HelpCall.raise_count == count)
                        .values(raise_count=count + 1, last_raised_at=now)
                    ).rowcount
                    if not claimed:
                        continue
                    call = session.get(HelpCall, call_id)
                    session.refresh(call)
                    reraised.append(_call_view(call))
        for view in reraised:
            log.warning("help call %s not taken for %d min: raised again", view.number, _minutes(now - view.raised_at))
            self._notify(
                "help_call_reraised",
                f"【呼叫无人接单·第{view.raise_count}次提醒】{self.terminal_name} 呼叫号 {view.number}",
                self._call_lines(view, now) + ["请尽快到终端处接待，在帮办模式中点“接单”。"], now,
            )
        for view in expired:
            log.warning("help call %s expired: nobody took it in %d min", view.number, _minutes(now - view.raised_at))
            self._notify(
                "help_call_expired", f"【呼叫无人响应，已结束】{self.terminal_name} 呼叫号 {view.number}",
                self._call_lines(view, now) + [f"{self.config.expire_after_minutes} 分钟内无人接单，已记入台账（无人响应）。"], now,
            )
        return TickReport(tuple(reraised), tuple(expired))

    # --- help without a call, and the checks every case goes through ---------------------------------

    @staticmethod
    def _check_case(help_types: Iterable[str], outcome: str, notes: str, outcomes: tuple[str, ...]):
        types: list[str] = []
        for key in help_types or ():
            key = str(key).strip()
            if key in HELP_TYPES:
                pass
            elif key in HELP_TYPES.values():
                key = next(k for k, v in HELP_TYPES.items() if v == key)
            else:
                raise HelperError(f"帮办类型“{key}”无效，可选：{'、'.join(HELP_TYPES.values())}", f"unknown help type {key!r}")
            if key not in types:
                types.append(key)
        if outcome not in outcomes:
            names = "、".join(OUTCOMES[o] for o in outcomes)
            raise HelperError(f"办理结果“{OUTCOMES.get(outcome, outcome)}”无效，可选：{names}", f"unknown outcome {outcome!r}")
        if not types and outcome not in ("left", "proxy_withdrawn", "proxy_failed"):
            raise HelperError("请至少选择一种帮办类型（如帮网办、材料填写）", "choose at least one help type")
        notes = (notes or "").strip()
        if len(notes) > MAX_NOTES:
            raise HelperError(f"备注最多{MAX_NOTES}字", f"notes longer than {MAX_NOTES} characters")
        if "\x00" in notes:
            raise HelperError("备注含有无效字符", "notes hold a NUL character")
        return tuple(types), outcome, notes

    def record_help(self, helper, *, help_types: Iterable[str], outcome: str = "resolved", item_code: str = "",
                    item_name: str = "", notes: str = "") -> LedgerView:
        """Help given without a call (a citizen came to the red vest directly): into the ledger."""
        helper = Helper.of(helper)
        types, outcome, notes = self._check_case(help_types, outcome, notes, CALL_OUTCOMES)
        now = self.clock()
        with self.database.session() as session:
            entry = LedgerEntry(
                at=now, helper_id=helper.id, helper_name=helper.name[:100], terminal=self.terminal,
                item_code=(item_code or "")[:64], item_name=(item_name or "")[:300], help_types=list(types),
                outcome=outcome, notes=notes, finished_at=now,
            )
            session.add(entry)
            session.flush()
            view = self._ledger_view(entry)
        self.audit(helper.id, "help.record", item_code or "-", f"{help_types_text(types)} {OUTCOMES[outcome]}")
        return view

    # --- proxy requests (代办) --------------------------------------------------------------------------

    @staticmethod
    def check_name(name: str) -> str:
        name = re.sub(r"\s+", "", name or "")
        if not name:
            raise HelperError("请填写群众姓名", "the citizen's name is empty")
        if len(name) > MAX_NAME or re.search(r"[\d\x00-\x1f@#$%^&*=+<>/\\|{}\[\]]", name):
            raise HelperError(f"姓名“{name[:MAX_NAME]}”无效：不能含数字或符号，最多{MAX_NAME}个字",
                              "a name holds no digits or symbols and at most 20 characters")
        return name

    @staticmethod
    def check_phone(phone: str) -> str:
        digits = normalize_phone(phone)
        if re.fullmatch(r"1[3-9]\d{9}", digits) or re.fullmatch(r"0\d{9,11}", digits) or re.fullmatch(r"\d{7,8}", digits):
            return digits
        raise HelperError(
            f"电话号码“{phone}”无效：请填写11位手机号，或带区号的固定电话", "not a mobile (11 digits) or landline number"
        )

    def create_proxy(
        self,
        helper,
        *,
        citizen_name: str,
        phone: str,
        item_code: str,
        handed_over: Iterable[str | int] = (),
        home_visit: bool = False,
        visit_reasons: Iterable[str] = (),
        address: str = "",
        notes: str = "",
        call_id: int | None = None,
    ) -> ProxyView:
        """Record a proxy request (代办) and the materials handed over, checked against the
        item's list. Without a home visit every required material must be handed over (代办
        needs the materials complete, 帮办代办制度 第一条); with one, what is missing is
        collected at the visit. The citizen's name is stored masked and the phone as a keyed
        hash with its last 4 digits; the address only until the purge."""
        helper = Helper.of(helper)
        name = self.check_name(citizen_name)
        digits = self.check_phone(phone)
        reasons = [str(r).strip() for r in visit_reasons or () if str(r).strip()]
        for reason in reasons:
            if reason not in VISIT_REASONS:
                raise HelperError(f"上门原因“{reason}”无效，可选：{'、'.join(VISIT_REASONS)}", f"unknown visit reason {reason!r}")
        address = re.sub(r"\s+", " ", address or "").strip()
        notes = (notes or "").strip()
        if home_visit:
            if not reasons:
                raise HelperError("请选择需要上门服务的原因（如行动不便、高龄）", "give a reason for the home visit")
            if len(address) < 5:
                raise HelperError("请填写上门服务的详细地址", "give the address for the home visit")
            if len(address) > MAX_ADDRESS:
                raise HelperError(f"地址最多{MAX_ADDRESS}个字", f"the address is longer than {MAX_ADDRESS} characters")
        else:
            reasons, address = [], ""
        if len(notes) > MAX_NOTES or "\x00" in notes or "\x00" in address:
            raise HelperError(f"备注最多{MAX_NOTES}字，且不能含无效字符", "notes too long or holding NUL")
        item = self._item(item_code)
        materials = list(item.materials)
        chosen = self._match_materials(materials, handed_over, item.name)
        if not home_visit:
            missing = [m.name for m in materials if m.necessity == "required" and m.position not in chosen]
            if missing:
                raise HelperError(
                    "还缺必要材料：" + "、".join(missing) + "。代办需要材料齐全；请一次性告知群众补齐，或登记上门服务",
                    f"required materials not handed over: {', '.join(missing)}",
                )
        key = self.key  # before writing anything: a damaged key file stops the request
        now = self.clock()
        for _attempt in range(5):
            try:
                with self.database.session() as session:
                    seq = self._next_seq(session, ProxyRequest, now.date())
                    request = ProxyRequest(
                        number=proxy_number(now.date(), seq), day=now.date(), seq=seq, created_at=now,
                        terminal=self.terminal, helper_id=helper.id, helper_name=helper.name[:100],
                        call_id=self._check_id(call_id) if call_id is not None else None,
                        item_code=item.code, item_name=item.name[:300], citizen_name=mask_name(name),
                        phone_masked=mask_phone(digits), phone_last4=last4(digits), phone_hash=key.hash_phone(digits),
                        home_visit=bool(home_visit), visit_reasons=reasons, address=address or None, notes=notes,
                        status="open", closed_by="", outcome="",
                        materials=[
                            ProxyMaterial(position=m.position, name=m.name[:500], necessity=m.necessity, copies=m.copies,
                                          handed_over=m.position in chosen)
                            for m in materials
                        ],
                    )
                    session.add(request)
                    session.flush()
                    call_view = None
                    if request.call_id is not None:
                        call = self._get_call(session, request.call_id)
                        if call.status in ACTIVE_CALL_STATUSES:
                            if call.taken_by is None:
                                call.taken_by, call.taken_by_name, call.taken_at = helper.id, helper.name[:100], now
                            call.status, call.ended_at, call.ended_by = "closed", now, helper.id
                            session.add(LedgerEntry(
                                at=call.raised_at, helper_id=helper.id, helper_name=helper.name[:100],
                                terminal=call.terminal, item_code=call.item_code, item_name=call.item_name,
                                help_types=["proxy"], outcome="to_proxy", notes=request.number, call_id=call.id,
                                finished_at=now,
                            ))
                            call_view = _call_view(call)
                    types = ["proxy"] + (["home_visit"] if home_visit else [])
                    session.add(LedgerEntry(
                        at=now, helper_id=helper.id, helper_name=helper.name[:100], terminal=self.terminal,
                        item_code=item.code, item_name=item.name[:300], help_types=types, outcome="proxy_open",
                        notes="", call_id=request.call_id, proxy_id=request.id,
                    ))
                    view = _proxy_view(request)
                break
            except IntegrityError:
                continue
        else:
            raise HelperError("代办申请未能保存，请重试", "could not store the proxy request (number clash)")
        self.audit(helper.id, "proxy.create", view.number, f"{view.item_code} home_visit={view.home_visit}")
        if call_view is not None:
            self.audit(helper.id, "help.close", f"call {call_view.number}", f"代办 {OUTCOMES['to_proxy']} {view.number}")
        lines = [
            f"事项：{view.item_name}",
            f"代办员：{helper.name}　登记终端：{self.terminal_name}",
            f"材料：已交 {len(view.handed_over)} 项，未交 {len(view.not_handed_over)} 项",
        ]
        if view.home_visit:
            lines.append(f"需上门服务（{'、'.join(view.visit_reasons)}），地址：{view.address_masked}（完整地址见帮办模式）")
        self._notify("proxy_request", f"【代办申请】{view.number}" + ("（上门服务）" if view.home_visit else ""), lines, now)
        return view

    def _item(self, code: str):
        from kiosk.catalog import service as catalog

        code = (code or "").strip()
        if not code:
            raise HelperError("请选择代办的事项", "choose the item")
        with self.database.session() as session:
            item = catalog.get_item(session, code)
            if item is None:
                raise HelperError(f"事项编码“{code}”不在事项目录中", f"no item {code!r} in the catalog")
            return item

    @staticmethod
    def _match_materials(materials, handed_over, item_name: str) -> set[int]:
        """Positions of the materials handed over, given by name or by number in the item's
        list (1 is the first)."""
        by_name = {m.name: m.position for m in materials}
        chosen: set[int] = set()
        for value in handed_over or ():
            if isinstance(value, int) and not isinstance(value, bool):
                if not 1 <= value <= len(materials):
                    raise HelperError(f"事项“{item_name}”没有第 {value} 项材料", f"no material number {value}")
                chosen.add(materials[value - 1].position)
                continue
            text = str(value).strip()
            if text in by_name:
                chosen.add(by_name[text])
            else:
                raise HelperError(f"“{text}”不是事项“{item_name}”的申请材料", f"{text!r} is not a material of the item")
        return chosen

    def _get_proxy(self, session, number: str) -> ProxyRequest:
        text = re.sub(r"\s+", "", number or "").upper()
        if not PROXY_NUMBER.fullmatch(text):
            raise HelperError(f"代办编号“{number}”格式不对，应为 DB-年月日-序号，如 DB-20260302-001",
                              f"not a proxy number like DB-20260302-001: {number!r}")
        request = session.scalar(select(ProxyRequest).where(ProxyRequest.number == text))
        if request is None:
            raise HelperError(f"没有编号为 {text} 的代办申请", f"no proxy request {text}")
        return request

    def proxy(self, number: str) -> ProxyView:
        with self.database.session() as session:
            return _proxy_view(self._get_proxy(session, number))

    def find_proxy(self, number: str, verification: str) -> ProxyView | None:
        """A citizen following up: the number and the phone's last 4 digits (or the whole
        phone). None when the pair does not match (never saying which part was wrong)."""
        verification = normalize_phone(verification)
        with self.database.session() as session:
            try:
                request = self._get_proxy(session, number)
            except HelperError:
                return None
            if request.purged_at is not None or not request.phone_last4:
                return None
            if len(verification) == 4:
                ok = same_hash(verification, request.phone_last4)
            else:
                ok = same_hash(self.key.hash_phone(verification), request.phone_hash)
            return _proxy_view(request) if ok else None

    def proxies(self, status: str | None = "open", *, limit: int | None = 200) -> list[ProxyView]:
        with self.database.session() as session:
            query = select(ProxyRequest).order_by(ProxyRequest.created_at.desc(), ProxyRequest.id.desc())
            if status not in (None, "all"):
                if status not in PROXY_STATUS_LABELS:
                    raise HelperError(f"状态“{status}”无效，可选：open、closed、all", f"unknown status {status!r}")
                query = query.where(ProxyRequest.status == status)
            if limit:
                query = query.limit(limit)
            return [_proxy_view(r) for r in session.scalars(query)]

    def full_address(self, number: str, helper) -> str:
        """The whole home-visit address, for the helper who goes there; every look is audited."""
        helper = Helper.of(helper)
        with self.database.session() as session:
            request = self._get_proxy(session, number)
            if not request.address:
                raise HelperError(f"代办申请 {request.number} 没有上门地址（或已按规定删除）",
                                  f"{request.number} has no address (none given, or purged)")
            address = request.address
        self.audit(helper.id, "proxy.address", number, "full address shown")
        return address

    def close_proxy(self, number: str, helper, *, outcome: str = "proxy_done", notes: str = "") -> ProxyView:
        """The proxy request is finished: its ledger entry gets the outcome. The personal data
        stays until the purge (helpers.purge_after_days after today)."""
        helper = Helper.of(helper)
        _types, outcome, notes = self._check_case(("proxy",), outcome, notes, PROXY_OUTCOMES)
        now = self.clock()
        with self.database.session() as session:
            request = self._get_proxy(session, number)
            if request.status != "open":
                raise HelperError(f"代办申请 {request.number} 已结束（{OUTCOMES.get(request.outcome, request.outcome)}）",
                                  f"{request.number} is closed already")
            request.status, request.closed_at, request.closed_by, request.outcome = "closed", now, helper.id, outcome
            if notes:
                request.notes = (request.notes + "；" + notes).strip("；")[:1000]
            for entry in session.scalars(select(LedgerEntry).where(LedgerEntry.proxy_id == request.id)):
                entry.outcome, entry.finished_at = outcome, now
                if notes:
                    entry.notes = (entry.notes + "；" + notes).strip("；")[:1000]
            view = _proxy_view(request)
        self.audit(helper.id, "proxy.close", view.number, OUTCOMES[outcome])
        return view

    def purge(self, *, older_than_days: int | None = None) -> int:
        """Erase the personal data of proxy requests closed more than ``older_than_days``
        (helpers.purge_after_days) ago: name, phone, address, visit reasons, notes. The number,
        item, materials and ledger entry stay. Returns how many requests were purged."""
        days = self.config.purge_after_days if older_than_days is None else older_than_days
        if days < 0:
            raise HelperError("天数不能为负", "days must not be negative")
        now = self.clock()
        with self.database.session() as session:
            rows = session.scalars(
                select(ProxyRequest).where(
                    ProxyRequest.status == "closed", ProxyRequest.purged_at.is_(None),
                    ProxyRequest.closed_at <= now - timedelta(days=days),
                )
            ).all()
            for request in rows:
                request.citizen_name = ""
                request.phone_masked = request.phone_last4 = request.phone_hash = ""
                request.address = None
                request.visit_reasons = []
                request.notes = ""
                request.purged_at = now
            count = len(rows)
        if count:
            log.info("purged the personal data of %d closed proxy request(s)", count)
        return count

    # --- the ledger ------------------------------------------------------------------------------------

    def _ledger_view(self, entry: LedgerEntry, *, call_no: str = "", proxy_no: str = "") -> LedgerView:
        return LedgerView(
            entry.id, entry.at, entry.helper_id or "", entry.helper_name or "", entry.terminal, entry.item_code or "",
            entry.item_name or "", tuple(entry.help_types or ()), entry.outcome, entry.notes or "", call_no, proxy_no,
            entry.finished_at, entry.call_id,
        )

    def ledger(self, start: datetime, end: datetime, *, helper_id: str | None = None) -> list[LedgerView]:
        """Entries with start <= time < end, oldest first."""
        if end <= start:
            raise HelperError("结束日期应晚于开始日期", "the end must come after the start")
        with self.database.session() as session:
            query = (
                select(LedgerEntry, HelpCall.seq, ProxyRequest.number)
                .outerjoin(HelpCall, HelpCall.id == LedgerEntry.call_id)
                .outerjoin(ProxyRequest, ProxyRequest.id == LedgerEntry.proxy_id)
                .where(LedgerEntry.at >= start, LedgerEntry.at < end)
                .order_by(LedgerEntry.at, LedgerEntry.id)
            )
            if helper_id:
                query = query.where(LedgerEntry.helper_id == helper_id)
            return [
                self._ledger_view(entry, call_no=call_number(seq) if seq is not None else "", proxy_no=number or "")
                for entry, seq, number in session.execute(query)
            ]

    @staticmethod
    def write_csv(entries: Iterable[LedgerView], out: IO[str]) -> int:
        """The ledger as CSV, Chinese help types and outcomes (open the file with a BOM so
        Excel and WPS read it)."""
        writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, extrasaction="ignore")
        writer.writeheader()
        count = 0
        for entry in entries:
            writer.writerow({k: ("" if v is None else v) for k, v in entry.to_dict().items()})
            count += 1
        return count

    # --- helper mode's reads (a signed-in helper or admin only) -------------------------------------

    def calls_for(self, session) -> list[CallView]:
        """Open and taken calls of every terminal, this terminal's first."""
        require_helper(session)
        return self.calls("active")

    def proxies_for(self, session, status: str | None = "open") -> list[ProxyView]:
        require_helper(session)
        return self.proxies(status)

    def summary_for(self, session, day: date) -> list[HelperSummary]:
        require_helper(session)
        return self.summary(day)

    def ledger_day(self, session, day: date) -> tuple[list[HelperSummary], list[LedgerView]]:
        """(the day's summary per helper, the day's entries) for helper mode's 台账 page."""
        require_helper(session)
        start = datetime.combine(day, datetime.min.time())
        return self.summary(day), self.ledger(start, start + timedelta(days=1))

    def summary(self, day: date) -> list[HelperSummary]:
        """Each helper's cases on ``day``: by help type and outcome, calls and proxy requests,
        the mean time until they took a call; the calls nobody took last (helper_id "")."""
        start = datetime.combine(day, datetime.min.time())
        entries = self.ledger(start, start + timedelta(days=1))
        with self.database.session() as session:
            taken = {
                c.id: (c.taken_at - c.raised_at)
                for c in session.scalars(
                    select(HelpCall).where(HelpCall.raised_at >= start, HelpCall.raised_at < start + timedelta(days=1),
                                           HelpCall.taken_at.is_not(None))
                )
            }
        people: dict[str, dict] = {}
        for entry in entries:
            person = people.setdefault(entry.helper_id, {
                "name": entry.helper_name, "cases": 0, "types": {}, "outcomes": {}, "calls": 0, "proxies": 0, "waits": [],
            })
            person["cases"] += 1
            for key in entry.help_types:
                person["types"][key] = person["types"].get(key, 0) + 1
            person["outcomes"][entry.outcome] = person["outcomes"].get(entry.outcome, 0) + 1
            call_id = entry.call_id
            if call_id is not None and not entry.proxy_number:
                person["calls"] += 1
                if entry.helper_id and call_id in taken:
                    person["waits"].append(taken[call_id])
            if entry.proxy_number:
                person["proxies"] += 1
        out = []
        for helper_id, p in people.items():
            waits = p["waits"]
            mean = sum(waits, timedelta(0)) / len(waits) if waits else None
            types = {k: p["types"][k] for k in HELP_TYPES if k in p["types"]}
            out.append(HelperSummary(helper_id, p["name"], p["cases"], types, dict(p["outcomes"]), p["calls"], p["proxies"],
                                     timedelta(seconds=round(mean.total_seconds())) if mean is not None else None))
        out.sort(key=lambda s: (s.helper_id == "", -s.cases, s.helper_id))
        return out


def _minutes(delta: timedelta) -> int:
    return max(0, int(delta.total_seconds() // 60))
