"""The red-vest feature's vocabulary: help types and outcomes, numbers, the refusal
(HelperError), who acts (Helper, require_helper) and the frozen views the service returns."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from kiosk.assistance.models import ACTIVE_CALL_STATUSES, HelpCall, LedgerEntry, ProxyRequest
from kiosk.errors import KioskError, iso_or_none as _iso


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
CALL_STATUS_LABELS = {
    "open": "等待接单", "taken": "已接单", "closed": "已结束", "cancelled": "已取消", "expired": "无人响应",
    "deferred": "非工作时间登记，待上班处理",
}
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


def _minutes(delta: timedelta) -> int:
    return max(0, int(delta.total_seconds() // 60))


def ledger_view(entry: LedgerEntry, *, call_no: str = "", proxy_no: str = "") -> LedgerView:
    return LedgerView(
        entry.id, entry.at, entry.helper_id or "", entry.helper_name or "", entry.terminal, entry.item_code or "",
        entry.item_name or "", tuple(entry.help_types or ()), entry.outcome, entry.notes or "", call_no, proxy_no,
        entry.finished_at, entry.call_id,
    )
