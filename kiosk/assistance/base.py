"""What the parts of HelperService share (base.py): the database, the terminal, the notifier,
the staff directory, the privacy key, the clock, and the checks every case goes through."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import date, datetime

from sqlalchemy import func, select

from kiosk.assistance.common import (
    HELP_TYPES,
    MAX_NOTES,
    OUTCOMES,
    CallView,
    HelperError,
    LedgerView,
    _minutes,
    ledger_view,
)
from kiosk.assistance.models import HelpCall, LedgerEntry
from kiosk.clock import Clock, system_clock
from kiosk.config import HelpersConfig
from kiosk.db import Database
from kiosk.notify import LogNotifier, Notification, Notifier
from kiosk.privacy import PrivacyKey

log = logging.getLogger(__name__)


class HelperBase:
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

    def _get_call(self, session, call_id) -> HelpCall:
        call = session.get(HelpCall, self._check_id(call_id))
        if call is None:
            raise HelperError(f"没有编号为 {call_id} 的呼叫", f"no call #{call_id}")
        return call

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

    @staticmethod
    def _ledger_view(entry: LedgerEntry, *, call_no: str = "", proxy_no: str = "") -> LedgerView:
        return ledger_view(entry, call_no=call_no, proxy_no=proxy_no)
