"""The pages of daily work: 终端总览, 故障, 呼叫 and 代办与台账. Each action calls the same
domain service as the terminal's helper or maintainer mode, so the rules and the ledger are
the same wherever a case is handled."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

from fastapi import Depends, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, Response

from center.console.app import Console, Refused, SignedIn, staff_only
from center.console import terminals as terminal_board
from kiosk.devices.faults import ROLE_NAMES, FaultError
from kiosk.devices.models import ACTIVE_STATUSES, DeviceFault, FaultEvent
from kiosk.errors import KioskError
from kiosk.assistance import CALL_OUTCOMES, HELP_TYPES, OUTCOMES, Helper, HelperError

maintainers = staff_only("maintainer")
helpers = staff_only("helper")


def _day(text: str | None, default: date) -> date:
    try:
        return date.fromisoformat(text) if text else default
    except ValueError:
        raise Refused(f"日期“{text}”无效，应为 2026-03-02 这样的格式", status=400) from None


def register(app: FastAPI, console: Console) -> None:
    # --- 终端总览 ------------------------------------------------------------------------------

    @app.get("/terminals", response_class=HTMLResponse)
    def terminals(request: Request, me: SignedIn = Depends(maintainers)):
        board = terminal_board.overview(console.work, console.clock(), registry=console.database)
        return console.render(request, "terminals.html", me, title="终端总览", board=board, now=console.clock())

    @app.get("/terminals/{terminal}", response_class=HTMLResponse)
    def terminal_detail(request: Request, terminal: str, me: SignedIn = Depends(maintainers)):
        detail = terminal_board.detail(console.work, terminal, console.clock(), registry=console.database)
        if detail is None:
            raise Refused(f"没有编号为“{terminal}”的终端", status=404)
        faults = [f for f in console.faults.list(None, all_terminals=True, limit=300) if f.terminal == terminal][:30]
        return console.render(request, "terminal.html", me, title=f"终端 {terminal}", t=detail, faults=faults)

    # --- 故障 ------------------------------------------------------------------------------------

    @app.get("/faults", response_class=HTMLResponse)
    def faults(request: Request, status: str = "active", terminal: str = "", device: str = "",
               me: SignedIn = Depends(maintainers)):
        try:
            rows = console.faults.list(status, device=device or None, all_terminals=True, limit=500)
        except FaultError as exc:
            raise Refused(exc.zh, status=400) from None
        if terminal:
            rows = [f for f in rows if f.terminal == terminal]
        now = console.clock()
        people = [s for s in console.staff.list_staff(include_inactive=False) if s.can_maintain]
        # faults the center itself found (a terminal gone silent); they end with the next heartbeat
        silent = []
        if console.center is not None:
            silent = [(f.terminal_id, f.message, f.opened_at.astimezone().replace(tzinfo=None)) for f in console.center.open_faults()
                      if not terminal or f.terminal_id == terminal]
        return console.render(request, "faults.html", me, title="故障", faults=rows, now=now, status=status,
                              terminal=terminal, device=device, people=people, role_names=ROLE_NAMES, silent=silent)

    @app.post("/faults/{fault_id}/acknowledge")
    def fault_acknowledge(request: Request, fault_id: int, me: SignedIn = Depends(maintainers)):
        try:
            with console.transition("fault", fault_id, me.staff_id, "acknowledge"):
                view = console.faults.acknowledge(fault_id, me.staff_id)
        except KioskError as exc:
            return console.back(request, "/faults", me, exc.zh)
        console.staff.audit(me.staff_id, "fault.acknowledge", f"fault {fault_id}", view.title_zh)
        return console.back(request, "/faults", me, f"故障 #{fault_id} 已确认")

    @app.post("/faults/{fault_id}/resolve")
    def fault_resolve(request: Request, fault_id: int, note: str = Form(""), me: SignedIn = Depends(maintainers)):
        try:
            with console.transition("fault", fault_id, me.staff_id, "resolve"):
                view = console.faults.resolve(fault_id, me.staff_id, note)
        except KioskError as exc:
            return console.back(request, "/faults", me, exc.zh)
        console.staff.audit(me.staff_id, "fault.resolve", f"fault {fault_id}", note[:200])
        return console.back(request, "/faults", me, f"故障 #{fault_id}（{view.title_zh}）已解决")

    @app.post("/faults/{fault_id}/reassign")
    def fault_reassign(request: Request, fault_id: int, staff_id: str = Form(""), me: SignedIn = Depends(maintainers)):
        target = console.staff.get(staff_id) if staff_id else None
        if target is None or not target.active or not target.can_maintain:
            return console.back(request, "/faults", me, "请选择一位在岗的维护人员或管理员")
        now = console.clock()
        with console.transition("fault", fault_id, me.staff_id, "reassign"), console.work.session() as session:
            fault = session.get(DeviceFault, fault_id)
            if fault is None or fault.status not in ACTIVE_STATUSES:
                message = f"故障 #{fault_id} 不存在或已解决"
            else:
                before = fault.assigned_to or "—"
                fault.assigned_to, fault.assigned_role, fault.assigned_at = target.id, "admin" if target.is_admin else fault.assigned_role, now
                session.add(FaultEvent(fault_id=fault.id, at=now, action="reassigned", actor=me.staff_id,
                                       detail=f"{before} → {target.id}"))
                message = f"故障 #{fault_id} 已改派给 {target.name}"
        console.staff.audit(me.staff_id, "fault.reassign", f"fault {fault_id}", f"to {target.id}")
        return console.back(request, "/faults", me, message)

    # --- 呼叫 ------------------------------------------------------------------------------------

    def call_context(me: SignedIn) -> dict:
        now = console.clock()
        calls = console.live.calls("active", all_terminals=True)
        return dict(calls=calls, now=now, help_types=HELP_TYPES,
                    outcomes=[(k, OUTCOMES[k]) for k in CALL_OUTCOMES])

    @app.get("/calls", response_class=HTMLResponse)
    def calls(request: Request, me: SignedIn = Depends(helpers)):
        return console.render(request, "calls.html", me, title="呼叫", **call_context(me))

    @app.get("/calls/live", response_class=HTMLResponse)
    def calls_live(request: Request, me: SignedIn = Depends(helpers)):
        return console.render(request, "calls_list.html", me, **call_context(me))

    @app.post("/calls/{call_id}/take")
    def call_take(request: Request, call_id: str, me: SignedIn = Depends(helpers)):
        try:
            view = console.live.take_call(call_id, Helper(me.staff_id, me.name))
        except HelperError as exc:
            return console.back(request, "/calls", me, exc.zh)
        return console.back(request, "/calls", me, f"已接单：呼叫号 {view.number}（{view.terminal_name}），请尽快前往")

    @app.post("/calls/{call_id}/close")
    async def call_close(request: Request, call_id: str, me: SignedIn = Depends(helpers)):
        form = await request.form()
        types = form.getlist("help_type")
        outcome, notes = str(form.get("outcome", "resolved")), str(form.get("notes", ""))
        from starlette.concurrency import run_in_threadpool

        try:
            view, _ledger = await run_in_threadpool(
                lambda: console.live.close_call(call_id, Helper(me.staff_id, me.name), help_types=types, outcome=outcome, notes=notes)
            )
        except HelperError as exc:
            return await run_in_threadpool(console.back, request, "/calls", me, exc.zh)
        if console.mirror is not None:  # the ledger entry the close made, on the next page already
            await run_in_threadpool(lambda: console.mirror.refresh(force=True))
        return await run_in_threadpool(console.back, request, "/calls", me, f"呼叫号 {view.number} 已结束并记入台账")

    # --- 代办与台账 --------------------------------------------------------------------------------

    @app.get("/proxies", response_class=HTMLResponse)
    def proxies(request: Request, status: str = "open", day: str = "", helper: str = "",
                me: SignedIn = Depends(helpers)):
        the_day = _day(day, console.clock().date())
        try:
            rows = console.helpers.proxies(None if status == "all" else status, limit=300)
        except HelperError as exc:
            raise Refused(exc.zh, status=400) from None
        start = datetime.combine(the_day, datetime.min.time())
        ledger = console.helpers.ledger(start, start + timedelta(days=1), helper_id=helper or None)
        summary = console.helpers.summary(the_day)
        return console.render(request, "proxies.html", me, title="代办与台账", proxies=rows, ledger=ledger,
                              summary=summary, day=the_day, status=status, helper=helper,
                              prev_day=the_day - timedelta(days=1), next_day=the_day + timedelta(days=1))

    @app.post("/proxies/{number}/address", response_class=HTMLResponse)
    def proxy_address(request: Request, number: str, me: SignedIn = Depends(helpers)):
        try:
            address = console.helpers.full_address(number, Helper(me.staff_id, me.name))
            view = console.helpers.proxy(number)
        except HelperError as exc:
            raise Refused(exc.zh, status=404) from None
        return console.render(request, "address.html", me, title="上门地址", proxy=view, address=address)

    @app.get("/proxies/ledger.csv")
    def ledger_csv(request: Request, first: str = "", last: str = "", helper: str = "", me: SignedIn = Depends(helpers)):
        today = console.clock().date()
        start_day, end_day = _day(first, today), _day(last, today)
        if end_day < start_day:
            raise Refused("结束日期早于开始日期", status=400)
        entries = console.helpers.ledger(datetime.combine(start_day, datetime.min.time()),
                                         datetime.combine(end_day + timedelta(days=1), datetime.min.time()),
                                         helper_id=helper or None)
        out = io.StringIO()
        console.helpers.write_csv(entries, out)
        console.staff.audit(me.staff_id, "ledger.export", f"{start_day}..{end_day}", f"{len(entries)} rows")
        name = f"helper-ledger-{start_day:%Y%m%d}-{end_day:%Y%m%d}.csv"
        return Response("\ufeff" + out.getvalue(), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})


__all__ = ["register"]
