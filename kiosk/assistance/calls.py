"""Help calls (呼叫帮办): raised at a terminal, taken, closed into the ledger, raised again or
expired when nobody takes them. A part of HelperService (service.py), which holds the database,
the clock, the notifier and the staff directory."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from kiosk.assistance.base import HelperBase
from kiosk.assistance.common import (
    CALL_OUTCOMES,
    CALL_STATUS_LABELS,
    OUTCOMES,
    PRESS_AGAIN_RERAISES_AFTER,
    CallView,
    Helper,
    HelperError,
    LedgerView,
    RaiseResult,
    TickReport,
    _call_view,
    _minutes,
    call_number,
    help_types_text,
    require_helper,
)
from kiosk.assistance.models import ACTIVE_CALL_STATUSES, HelpCall, LedgerEntry
from kiosk.db import rows_changed

log = logging.getLogger(__name__)


class HelpCalls(HelperBase):
    # --- calls -----------------------------------------------------------------------------------

    def raise_call(self, *, screen: str = "", screen_label: str = "", item_code: str = "", item_name: str = "") -> RaiseResult:
        """A citizen asks for a helper. Stored first; then the helpers are told (in the background).
        While this terminal has a call open, pressing again shows that call (and tells the
        helpers again when the last notice is over a minute old) rather than making a second."""
        now = self.clock()
        context = _call_context(screen, screen_label, item_code, item_name)
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
        view = self._store_new_call(now, "open", context, HelperError(
            "呼叫未能保存，请到综合咨询台", "could not store the call (number clash)"))
        log.info("help call %s raised on %s at %s", view.number, self.terminal, view.where_zh)
        self._notify(
            "help_call", f"【呼叫帮办】{self.terminal_name} 呼叫号 {view.number}",
            self._call_lines(view, now) + ["请到终端处接待，在帮办模式中点“接单”。"], now,
        )
        return RaiseResult(view)

    def defer_call(self, *, screen: str = "", screen_label: str = "", item_code: str = "", item_name: str = "") -> CallView:
        """Outside the helpers' hours a citizen may still leave the call for the morning
        (非工作时间登记): stored as "deferred" — never re-raised, never expired, not holding the
        terminal's call button — and the helpers' group is told to look at it when back.
        A helper closes it like any call (the ledger records it)."""
        now = self.clock()
        context = _call_context(screen, screen_label, item_code, item_name)
        view = self._store_new_call(now, "deferred", context, HelperError(
            "登记未能保存，请拨打热线", "could not store the deferred call (number clash)"))
        log.info("help call %s left for the morning on %s at %s", view.number, self.terminal, view.where_zh)
        self._notify(
            "help_call_deferred", f"【非工作时间呼叫】{self.terminal_name} 呼叫号 {view.number}",
            self._call_lines(view, now) + ["群众在非工作时间呼叫，已登记，请上班后查看处理。"], now,
        )
        return view

    def _store_new_call(self, now, status: str, context: dict, clash: HelperError) -> CallView:
        """A new call with the day's next number; ``clash`` is raised when five tries in a row
        lost the number to another terminal taking the same one at the same moment."""
        for _attempt in range(5):
            try:
                with self.database.session() as session:
                    call = HelpCall(
                        day=now.date(), seq=self._next_seq(session, HelpCall, now.date()), terminal=self.terminal,
                        terminal_name=self.terminal_name[:100], status=status, raised_at=now, last_raised_at=now,
                        raise_count=1, taken_by_name="", ended_by="", **context,
                    )
                    session.add(call)
                    session.flush()
                    return _call_view(call)
            except IntegrityError:
                continue
        raise clash

    def call(self, call_id) -> CallView:
        with self.database.session() as session:
            return _call_view(self._get_call(session, call_id))


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

    def calls_for(self, session) -> list[CallView]:
        """Helper mode's list (a signed-in helper or admin only): open and taken calls of every terminal, this terminal's first."""
        require_helper(session)
        return self.calls("active")

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
            claimed = rows_changed(session.execute(
                update(HelpCall)
                .where(HelpCall.id == call_id, HelpCall.status == "open")
                .values(status="taken", taken_by=helper.id, taken_by_name=helper.name[:100], taken_at=now)
            ))
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
            if call.status not in (*ACTIVE_CALL_STATUSES, "deferred"):
                raise HelperError(f"呼叫 {call_number(call.seq)} {CALL_STATUS_LABELS.get(call.status, call.status)}",
                                  f"call {call.id} is {call.status} already")
            if call.status in ("open", "deferred"):
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
                    claimed = rows_changed(session.execute(
                        update(HelpCall).where(HelpCall.id == call_id, HelpCall.status == "open")
                        .values(status="expired", ended_at=now, ended_by="system")
                    ))
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
                    claimed = rows_changed(session.execute(
                        update(HelpCall).where(HelpCall.id == call_id, HelpCall.status == "open", HelpCall.raise_count == count)
                        .values(raise_count=count + 1, last_raised_at=now)
                    ))
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


def _call_context(screen: str, screen_label: str, item_code: str, item_name: str) -> dict:
    """Where the citizen was when calling, cut to the columns' lengths."""
    return dict(
        screen=(screen or "")[:40], screen_label=(screen_label or "")[:100],
        item_code=(item_code or "")[:64], item_name=(item_name or "")[:300],
    )
