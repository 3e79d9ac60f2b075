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

import logging
from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy import func, select

from kiosk.assistance.calls import HelpCalls
from kiosk.assistance.common import CallView, HelperError, _minutes
from kiosk.assistance.ledger import Ledger
from kiosk.assistance.proxies import ProxyRequests
from kiosk.clock import Clock, system_clock
from kiosk.config import HelpersConfig
from kiosk.db import Database
from kiosk.notify import LogNotifier, Notification, Notifier
from kiosk.privacy import PrivacyKey

log = logging.getLogger(__name__)


# --- the service ---------------------------------------------------------------------------------


class HelperService(HelpCalls, ProxyRequests, Ledger):
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
