"""The 呼叫 page's calls when terminals sync with the center: the center's live calls
(issue 14: ``center_help_call``), taken through the center's own rule (one conditional update:
exactly one helper wins, on any terminal or in the console). Closing a call in the console ends
it on the center and writes its ledger entry as a record of the call's terminal, so the ledger
and the reports count it like a case closed on the terminal.

It offers what the page uses of kiosk.assistance.HelperService: ``calls``, ``take_call``,
``close_call``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import or_, select, update

from kiosk.assistance import CALL_OUTCOMES, OUTCOMES, Helper, HelperError, HelperService, call_number, help_types_text


@dataclass(frozen=True)
class LiveCallView:
    """The fields of kiosk.assistance.CallView that the console shows."""

    id: str
    number: str
    terminal: str
    terminal_name: str
    screen_label: str
    item_code: str
    item_name: str
    status: str
    raised_at: datetime
    taken_by: str | None
    taken_by_name: str
    taken_at: datetime | None
    raise_count: int = 1

    @property
    def where_zh(self) -> str:
        parts = [p for p in (self.screen_label, self.item_name) if p]
        return " · ".join(parts) if parts else "首页"

    def waited(self, now: datetime) -> timedelta:
        return max(timedelta(0), now - self.raised_at)


def _uuid7() -> uuid.UUID:
    import os
    import time

    ms = int(time.time() * 1000)
    value = (ms << 80) | (0x7 << 76) | (int.from_bytes(os.urandom(10), "big") & ((1 << 76) - 1))
    value = (value & ~(0x3 << 62)) | (0x2 << 62)
    return uuid.UUID(int=value)


class LiveCalls:
    def __init__(self, service, *, clock=None, audit=None):
        #: center.service.CenterService
        self.service = service
        self.clock = clock or (lambda: datetime.now().replace(microsecond=0))
        self.audit = audit or (lambda *a, **k: None)

    def _view(self, c) -> LiveCallView:
        taken_at = c.taken_at.astimezone().replace(tzinfo=None) if c.taken_at is not None and c.taken_at.tzinfo else c.taken_at
        return LiveCallView(str(c.uid), call_number(c.seq), c.terminal_id, c.terminal_name or c.terminal_id, c.screen_label,
                            c.item_code, c.item_name, c.status, c.raised_at, c.taken_by, c.taken_by_name or "", taken_at)

    def calls(self, status: str = "active", **_ignored) -> list[LiveCallView]:
        from center.models import LiveCall

        with self.service.database.session() as session:
            rows = session.scalars(select(LiveCall).where(LiveCall.status.in_(("open", "taken"))).order_by(LiveCall.raised_at))
            return [self._view(c) for c in rows]

    def take_call(self, call_id: str, helper) -> LiveCallView:
        from center.service import CenterRefusal

        helper = Helper.of(helper)
        try:
            self.service.take_call(call_id, helper.id, helper.name, via="console")
        except CenterRefusal as exc:
            raise HelperError(exc.zh, exc.en) from None
        view = self.get(call_id)
        self.audit(helper.id, "help.take", f"call {view.number}", f"{view.terminal} via console")
        return view

    def get(self, call_id: str) -> LiveCallView:
        from center.models import LiveCall

        try:
            key = uuid.UUID(str(call_id))
        except ValueError:
            raise HelperError("呼叫编号无效", f"bad call id {call_id!r}") from None
        with self.service.database.session() as session:
            call = session.get(LiveCall, key)
            if call is None:
                raise HelperError("没有这个呼叫", f"no call {call_id}")
            return self._view(call)

    def close_call(self, call_id: str, helper, *, help_types=(), outcome: str = "resolved", notes: str = ""):
        """End a call (taking it in the same step when nobody had): the same checks as on a
        terminal (kiosk.assistance), then one ledger record of the call's terminal."""
        from center.models import CHANGE_SEQ, LiveCall, Record

        helper = Helper.of(helper)
        types, outcome, notes = HelperService._check_case(help_types, outcome, notes, CALL_OUTCOMES)
        now, utc = self.clock(), datetime.now(UTC)
        key = self.get(call_id)  # a clear error for a bad id
        with self.service.database.session() as session:
            ended = session.execute(
                update(LiveCall)
                .where(LiveCall.uid == uuid.UUID(key.id),
                       or_(LiveCall.status == "open", (LiveCall.status == "taken") & (LiveCall.taken_by == helper.id)))
                .values(status="closed", ended_at=now, taken_by=helper.id if key.status == "open" else LiveCall.taken_by,
                        taken_by_name=helper.name[:100] if key.status == "open" else LiveCall.taken_by_name,
                        taken_via="console" if key.status == "open" else LiveCall.taken_via,
                        taken_at=utc if key.status == "open" else LiveCall.taken_at,
                        version=CHANGE_SEQ.next_value(), updated_at=utc)
            ).rowcount
            call = session.get(LiveCall, uuid.UUID(key.id))
            session.refresh(call)
            if not ended:
                if call.status == "taken":
                    raise HelperError(f"呼叫 {key.number} 由 {call.taken_by_name} 接单，只能由其结束",
                                      f"call {key.id} is taken by {call.taken_by}")
                raise HelperError(f"呼叫 {key.number} 已结束", f"call {key.id} is {call.status}")
            uid = _uuid7()
            session.add(Record(
                uid=uid, terminal_id=call.terminal_id, kind="ledger", local_id=f"console:{uid}", seq=0, deleted=False,
                data={
                    "at": call.raised_at.isoformat(), "helper_id": helper.id, "helper_name": helper.name[:100],
                    "terminal": call.terminal_id, "item_code": call.item_code, "item_name": call.item_name,
                    "help_types": list(types), "outcome": outcome, "notes": notes, "call_id": int(call.local_id)
                    if str(call.local_id).isdigit() else None, "proxy_id": None, "finished_at": now.isoformat(),
                    "made_in": "console",
                },
                received_at=utc, updated_at=utc,
            ))
            view = self._view(call)
        self.service.on_change()
        self.audit(helper.id, "help.close", f"call {view.number}", f"{help_types_text(types)} {OUTCOMES[outcome]}")
        return view, None


__all__ = ["LiveCallView", "LiveCalls"]
