"""The admin pages: 好差评与投诉, 事项目录 (catalog and applications files), 人员与AB岗, 工作日
and 报表. They reuse the domain's own validation, import and report code (kiosk/catalog/exchange.py,
kiosk/progress/exchange.py, kiosk/staff, kiosk/reports), so a file or a figure means the same on
the center as on a terminal."""

from __future__ import annotations

import json
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import func, select

from center.console.app import Console, Refused, SignedIn, admin_only
from center.console.models import CenterWorkday, ConsoleUpload
from kiosk.catalog import exchange as catalog_exchange
from kiosk.errors import KioskError
from kiosk.feedback.choices import GOOD_LEVELS, LEVELS
from kiosk.feedback.models import Rating
from kiosk.staff.models import ROLE_LABELS, ROLES

MAX_UPLOAD = 20 * 1024 * 1024
REPORT_LABELS = {"ratings": "好差评明细", "complaints": "投诉与建议", "faults": "设备故障", "ledger": "帮办台账"}


def _parse_day(text: str, default: date | None = None) -> date:
    if not text and default is not None:
        return default
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Refused(f"日期“{text}”无效，应为 2026-03-02 这样的格式", status=400) from None


# --- ratings -----------------------------------------------------------------------------------


def satisfaction(database, start: datetime, end: datetime, by: str) -> list[dict[str, Any]]:
    """Ratings per level and the satisfaction rate (基本满意 and better), grouped by day,
    terminal or item."""
    column = {
        "day": func.date(Rating.rated_at),
        "terminal": Rating.terminal,
        "item": Rating.item_name,
    }[by]
    rows: dict[Any, dict[str, Any]] = {}
    with database.session() as session:
        query = (
            select(column, Rating.level, func.count())
            .where(Rating.rated_at >= start, Rating.rated_at < end)
            .group_by(column, Rating.level)
        )
        for key, level, count in session.execute(query):
            key = str(key) if key not in (None, "") else "（未关联事项）"
            row = rows.setdefault(key, {"key": key, "levels": {lvl: 0 for lvl in LEVELS}, "total": 0, "good": 0})
            row["levels"][level] = row["levels"].get(level, 0) + count
            row["total"] += count
            row["good"] += count if level in GOOD_LEVELS else 0
    out = sorted(rows.values(), key=lambda r: r["key"], reverse=(by == "day"))
    for row in out:
        row["rate"] = row["good"] / row["total"] if row["total"] else None
    return out


# --- catalog and applications files ----------------------------------------------------------------


def _json(text: str) -> Any:
    from kiosk import jsonsafe

    try:
        return jsonsafe.loads(text)
    except jsonsafe.JsonProblem as exc:  # located: line and column, NaN, nesting, huge numbers
        raise catalog_exchange.CatalogError([str(exc)]) from None


def _canonical(entry: dict) -> str:
    return json.dumps(entry, ensure_ascii=False, sort_keys=True, default=str)


def catalog_diff(console: Console, data: dict) -> dict[str, list]:
    """Items added, changed and removed against what the center has published."""
    with console.database.session() as session:
        try:
            published = catalog_exchange.validate(catalog_exchange.export(session))
        except catalog_exchange.CatalogError:
            published = {"items": []}
    old = {e["code"]: e for e in published.get("items", [])}
    new = {e["code"]: e for e in data["items"]}
    return {
        "added": [new[c] for c in new if c not in old],
        "changed": [new[c] for c in new if c in old and _canonical(new[c]) != _canonical(old[c])],
        "removed": [old[c] for c in old if c not in new],
    }


def progress_check(console: Console, document: Any) -> dict:
    from kiosk.progress import exchange as progress_exchange

    with console.database.session() as session:
        items = progress_exchange.catalog_limits(session)
    return progress_exchange.validate(document, items, calendar=center_calendar(console.database))


def progress_diff(console: Console, data: dict) -> dict[str, list]:
    from kiosk.progress.models import Application

    with console.database.session() as session:
        old = set(session.scalars(select(Application.number)))
    new = {e["number"]: e for e in data["applications"]}
    return {
        "added": [new[n] for n in new if n not in old],
        "changed": [new[n] for n in new if n in old],
        "removed": [{"number": n} for n in sorted(old - set(new))],
    }


def workday_days(database) -> dict[str, tuple[str, str]]:
    """The center's holiday/调休 table: ISO date → ("holiday" | "workday", name)."""
    with database.session() as session:
        return {r.day.isoformat(): ("workday" if r.is_workday else "holiday", r.name)
                for r in session.scalars(select(CenterWorkday).order_by(CenterWorkday.day))}


def workdays_toml(database) -> str:
    """The table as a kiosk override file (kiosk/workdays/overrides.py: the [days] table), for
    a terminal's calendar file or the center's own calendar."""
    lines = ["# 中心工作日安排（控制台导出）/ the center's working-day table, exported by the console", "[days]"]
    for day, (kind, name) in workday_days(database).items():
        lines.append(f'"{day}" = "{kind}"' + (f"  # {name}" if name else ""))
    return "\n".join(lines) + "\n"


def center_calendar(database):
    """The work calendar with the center's own table over the holiday library."""
    from kiosk.workdays import WorkCalendar

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "center-workdays.toml"
        path.write_text(workdays_toml(database), encoding="utf-8")
        return WorkCalendar([path])


def staff_document(database) -> dict:
    """The staff directory as the center publishes it to terminals (``kiosk-staff/1``, made by
    kiosk.fleet.snapshots.export_staff, the format terminals apply): staff with roles and PIN
    hashes (never a PIN, never a console password), each terminal's A and B, and absences not
    over yet."""
    from kiosk.fleet.snapshots import export_staff

    with database.session() as session:
        return export_staff(session, absences_since=datetime.now())


def register(app: FastAPI, console: Console, *, privacy_key=None) -> None:
    def publish_staff(me: SignedIn, what: str) -> None:
        """With a syncing center, every change of the directory is a new ``staff`` snapshot."""
        if console.center is not None:
            console.center.publish("staff", json.dumps(staff_document(console.database), ensure_ascii=False),
                                   by=me.staff_id, note=what)

    # --- 好差评与投诉 ---------------------------------------------------------------------------

    @app.get("/feedback", response_class=HTMLResponse)
    def feedback(request: Request, first: str = "", last: str = "", by: str = "day", status: str = "open",
                 me: SignedIn = Depends(admin_only)):
        today = console.clock().date()
        first_day, last_day = _parse_day(first, today - timedelta(days=29)), _parse_day(last, today)
        if by not in ("day", "terminal", "item"):
            by = "day"
        start = datetime.combine(first_day, datetime.min.time())
        rows = satisfaction(console.work, start, datetime.combine(last_day + timedelta(days=1), datetime.min.time()), by)
        total = {lvl: sum(r["levels"].get(lvl, 0) for r in rows) for lvl in LEVELS}
        count = sum(total.values())
        good = sum(n for lvl, n in total.items() if lvl in GOOD_LEVELS)
        try:
            cases = console.feedback.list(None if status == "all" else status, limit=300)
        except KioskError as exc:
            raise Refused(exc.zh, status=400) from None
        return console.render(request, "feedback.html", me, title="好差评与投诉", rows=rows, by=by, first=first_day, last=last_day,
                              levels=LEVELS, total=total, count=count, rate=(good / count if count else None),
                              cases=cases, status=status)

    @app.post("/feedback/{number}/forward")
    def complaint_forward(request: Request, number: str, to: str = Form(""), note: str = Form(""), me: SignedIn = Depends(admin_only)):
        try:
            case_id = console.feedback.get(number).id
            with console.transition("complaint", case_id, me.staff_id, "forward"):
                console.feedback.forward(number, f"{me.name}({me.staff_id})", to, note)
        except KioskError as exc:
            return console.back(request, "/feedback", me, exc.zh)
        console.staff.audit(me.staff_id, "complaint.forward", number, to)
        return console.back(request, "/feedback", me, f"{number} 已转办至 {to}")

    @app.post("/feedback/{number}/answer")
    def complaint_answer(request: Request, number: str, text: str = Form(""), me: SignedIn = Depends(admin_only)):
        try:
            case_id = console.feedback.get(number).id
            with console.transition("complaint", case_id, me.staff_id, "answer"):
                console.feedback.answer(number, f"{me.name}({me.staff_id})", text)
        except KioskError as exc:
            return console.back(request, "/feedback", me, exc.zh)
        console.staff.audit(me.staff_id, "complaint.answer", number, text[:100])
        return console.back(request, "/feedback?status=all", me, f"{number} 已答复")

    @app.post("/feedback/{number}/phone", response_class=HTMLResponse)
    def complaint_phone(request: Request, number: str, me: SignedIn = Depends(admin_only)):
        try:
            phone = console.feedback.callback_phone(number)
            case = console.feedback.get(number)
        except KioskError as exc:
            raise Refused(exc.zh, status=404) from None
        console.staff.audit(me.staff_id, "complaint.phone", number, "callback phone shown")
        return console.render(request, "phone.html", me, title="回访电话", case=case, phone=phone)

    # --- 事项目录 --------------------------------------------------------------------------------

    def latest(kind: str) -> ConsoleUpload | None:
        with console.database.session() as session:
            return session.scalars(
                select(ConsoleUpload).where(ConsoleUpload.kind == kind).order_by(ConsoleUpload.id.desc()).limit(1)
            ).first()

    def check(kind: str, text: str) -> tuple[dict | None, list[str]]:
        try:
            document = _json(text)
            data = catalog_exchange.validate(document) if kind == "catalog" else progress_check(console, document)
            return data, []
        except (catalog_exchange.CatalogError,) as exc:
            return None, list(exc.problems)
        except KioskError as exc:  # a file's refusal lists its problems (ProgressFileError too)
            problems = getattr(exc, "problems", None)
            return None, list(problems) if problems is not None else [exc.zh]
        except Exception as exc:  # the progress module's own error type
            problems = getattr(exc, "problems", None)
            if problems is None:
                raise
            return None, list(problems)

    @app.get("/catalog", response_class=HTMLResponse)
    def catalog(request: Request, me: SignedIn = Depends(admin_only)):
        from kiosk.catalog.models import CatalogState, ServiceItem

        with console.database.session() as session:
            state = session.get(CatalogState, 1)
            item_count = session.scalar(select(func.count()).select_from(ServiceItem))
        panels = []
        for kind, label in (("catalog", "事项目录（kiosk-catalog/1）"), ("progress", "办件进度（applications）")):
            upload = latest(kind)
            data, problems, diff = None, [], None
            if upload is not None and upload.status == "draft":
                data, problems = check(kind, upload.content)
                if data is not None:
                    diff = catalog_diff(console, data) if kind == "catalog" else progress_diff(console, data)
            panels.append(dict(kind=kind, label=label, upload=upload, problems=problems, diff=diff))
        return console.render(request, "catalog.html", me, title="事项目录", panels=panels,
                              generation=state.generation if state else 0, item_count=item_count)

    @app.post("/catalog/{kind}/upload")
    async def catalog_upload(request: Request, kind: str, file: UploadFile = File(...), me: SignedIn = Depends(admin_only)):
        from starlette.concurrency import run_in_threadpool

        if kind not in ("catalog", "progress"):
            raise Refused("未知的文件类型", status=404)
        raw = await file.read(MAX_UPLOAD + 1)
        if len(raw) > MAX_UPLOAD:
            return await run_in_threadpool(console.back, request, "/catalog", me, "文件超过 20 MB，请检查是否选错了文件")
        name = (file.filename or "")[:200]
        try:
            text = raw.decode("utf-8-sig")  # Notepad and Excel write a BOM
        except UnicodeDecodeError as exc:
            return await run_in_threadpool(console.back, request, "/catalog", me,
                                           f"{name} 不是 UTF-8 编码的文本（第 {exc.start} 字节），请另存为 UTF-8 后重新上传")

        def store() -> int:
            with console.database.session() as session:
                for old in session.scalars(select(ConsoleUpload).where(ConsoleUpload.kind == kind, ConsoleUpload.status == "draft")):
                    old.status = "superseded"
                upload = ConsoleUpload(kind=kind, file_name=name, content=text, uploaded_by=me.staff_id,
                                       uploaded_at=console.clock(), status="draft")
                session.add(upload)
                session.flush()
                upload_id = upload.id
            _data, problems = check(kind, text)
            console.staff.audit(me.staff_id, f"{kind}.upload", name, f"upload {upload_id}: {len(problems)} problem(s)")
            return len(problems)

        problems = await run_in_threadpool(store)
        message = f"已上传 {name}：发现 {problems} 处错误，请修改后重新上传" if problems else f"已上传 {name}：校验通过，请核对差异后发布"
        return await run_in_threadpool(console.back, request, "/catalog", me, message)

    @app.post("/catalog/{kind}/publish")
    def catalog_publish(request: Request, kind: str, upload_id: int = Form(...), me: SignedIn = Depends(admin_only)):
        upload = latest(kind)
        if upload is None or upload.id != upload_id or upload.status != "draft":
            return console.back(request, "/catalog", me, "这份文件已不是最新上传的草稿，请刷新页面")
        data, problems = check(kind, upload.content)
        if data is None:
            return console.back(request, "/catalog", me, f"文件有 {len(problems)} 处错误，不能发布")
        with console.database.session() as session:
            if kind == "catalog":
                summary = catalog_exchange.apply(session, data, replace=True)
            else:
                from kiosk.progress import exchange as progress_exchange

                key = privacy_key() if callable(privacy_key) else privacy_key
                if key is None:
                    raise Refused("中心没有配置隐私密钥，不能导入办件（见 docs/console.md）", status=409)
                summary = progress_exchange.apply(session, data, progress_exchange.catalog_limits(session), key, replace=True)
            row = session.get(ConsoleUpload, upload.id)
            row.status, row.published_at, row.summary = "published", console.clock(), str(summary)
        if console.center is not None:  # terminals that sync pull it as a new snapshot version
            version = console.center.publish("catalog" if kind == "catalog" else "applications", upload.content,
                                             by=me.staff_id, note=upload.file_name)
            summary = f"{summary}（第 {version} 版）"
            with console.database.session() as session:
                session.get(ConsoleUpload, upload.id).summary = str(summary)
        console.staff.audit(me.staff_id, f"{kind}.publish", upload.file_name, str(summary))
        return console.back(request, "/catalog", me, f"已发布：{summary}")

    # --- 人员与AB岗 ------------------------------------------------------------------------------

    @app.get("/staff", response_class=HTMLResponse)
    def staff_page(request: Request, me: SignedIn = Depends(admin_only)):
        from kiosk.staff.models import TerminalAssignment

        people = console.staff.list_staff()
        with console.database.session() as session:
            assignments = list(session.scalars(select(TerminalAssignment).order_by(TerminalAssignment.terminal)))
            assignments = [(a.terminal, a.a_staff_id, a.b_staff_id) for a in assignments]
        since = console.clock() - timedelta(days=1)
        return console.render(request, "staff.html", me, title="人员与AB岗", people=people, accounts=console.auth.accounts(),
                              absences=console.staff.absences(since=since), assignments=assignments,
                              roles=[(r, ROLE_LABELS[r]) for r in ROLES], names={p.id: p.name for p in people},
                              audit=console.staff.audit_entries(30))

    @app.post("/staff/add")
    async def staff_add(request: Request, me: SignedIn = Depends(admin_only)):
        form = await request.form()
        from starlette.concurrency import run_in_threadpool

        def add():
            try:
                info = console.staff.add(str(form.get("staff_id", "")), str(form.get("name", "")), form.getlist("role"),
                                         pin=str(form.get("pin", "")), department=str(form.get("department", "")), actor=me.staff_id)
            except KioskError as exc:
                return console.back(request, "/staff", me, exc.zh)
            publish_staff(me, "staff change")
            return console.back(request, "/staff", me, f"已添加 {info.name}（{info.id}）")

        return await run_in_threadpool(add)

    @app.post("/staff/{staff_id}/pin")
    def staff_pin(request: Request, staff_id: str, pin: str = Form(""), me: SignedIn = Depends(admin_only)):
        try:
            console.staff.set_pin(staff_id, pin, actor=me.staff_id)
        except KioskError as exc:
            return console.back(request, "/staff", me, exc.zh)
        publish_staff(me, "staff change")
        return console.back(request, "/staff", me, f"{staff_id} 的终端 PIN 已重置")

    @app.post("/staff/{staff_id}/password")
    def staff_password(request: Request, staff_id: str, password: str = Form(""), me: SignedIn = Depends(admin_only)):
        try:
            console.auth.set_password(staff_id, password, actor=me.staff_id)
        except KioskError as exc:
            return console.back(request, "/staff", me, exc.zh)
        return console.back(request, "/staff", me, f"{staff_id} 的控制台密码已设置")

    @app.post("/staff/{staff_id}/active")
    def staff_active(request: Request, staff_id: str, active: int = Form(...), me: SignedIn = Depends(admin_only)):
        if staff_id == me.staff_id and not active:
            return console.back(request, "/staff", me, "不能停用自己的账号")
        try:
            console.staff.set_active(staff_id, bool(active), actor=me.staff_id)
        except KioskError as exc:
            return console.back(request, "/staff", me, exc.zh)
        publish_staff(me, "staff change")
        return console.back(request, "/staff", me, f"{staff_id} 已{'启用' if active else '停用'}")

    @app.post("/staff/absence")
    def staff_absence(request: Request, staff_id: str = Form(""), first: str = Form(""), last: str = Form(""),
                      reason: str = Form(""), me: SignedIn = Depends(admin_only)):
        start, end = _parse_day(first), _parse_day(last)
        try:
            console.staff.add_absence(staff_id, datetime.combine(start, datetime.min.time()),
                                      datetime.combine(end + timedelta(days=1), datetime.min.time()), reason, actor=me.staff_id)
        except KioskError as exc:
            return console.back(request, "/staff", me, exc.zh)
        publish_staff(me, "staff change")
        return console.back(request, "/staff", me, f"已登记 {staff_id} 的请假（{start}～{end}）")

    @app.post("/staff/assign")
    def staff_assign(request: Request, terminal: str = Form(""), a: str = Form(""), b: str = Form(""), me: SignedIn = Depends(admin_only)):
        terminal = terminal.strip()
        if not terminal:
            return console.back(request, "/staff", me, "请填写终端编号")
        try:
            console.staff.assign_terminal(a or None, b or None, terminal=terminal, actor=me.staff_id)
        except KioskError as exc:
            return console.back(request, "/staff", me, exc.zh)
        publish_staff(me, "staff change")
        return console.back(request, "/staff", me, f"终端 {terminal} 的 A/B 岗已更新")

    # --- 工作日 ------------------------------------------------------------------------------------

    @app.get("/workdays", response_class=HTMLResponse)
    def workdays(request: Request, year: int = 0, me: SignedIn = Depends(admin_only)):
        year = year or console.clock().year
        if not 2000 <= year <= 2100:
            raise Refused("年份无效", status=400)
        with console.database.session() as session:
            rows = list(session.scalars(
                select(CenterWorkday).where(CenterWorkday.day >= date(year, 1, 1), CenterWorkday.day <= date(year, 12, 31))
                .order_by(CenterWorkday.day)
            ))
            rows = [(r.day, r.is_workday, r.name, r.changed_by) for r in rows]
        from kiosk.workdays import WorkCalendar

        calendar = WorkCalendar()
        library = []
        day = date(year, 1, 1)
        while day.year == year:
            try:
                off = not calendar.is_workday(day)
            except Exception:  # noqa: BLE001 - a year the library does not know
                library = None
                break
            if off != (day.weekday() >= 5):
                library.append((day, not off))
            day += timedelta(days=1)
        return console.render(request, "workdays.html", me, title="工作日", year=year, rows=rows, library=library)

    @app.post("/workdays")
    def workdays_set(request: Request, day: str = Form(""), kind: str = Form(""), name: str = Form(""),
                     me: SignedIn = Depends(admin_only)):
        the_day = _parse_day(day)
        if kind not in ("holiday", "workday", "remove"):
            return console.back(request, f"/workdays?year={the_day.year}", me, "请选择：放假、调休上班或删除")
        with console.database.session() as session:
            row = session.get(CenterWorkday, the_day)
            if kind == "remove":
                if row is not None:
                    session.delete(row)
            else:
                row = row or CenterWorkday(day=the_day)
                row.is_workday, row.name = kind == "workday", name.strip()[:40]
                row.changed_at, row.changed_by = console.clock(), me.staff_id
                session.add(row)
        console.staff.audit(me.staff_id, "workday.set", str(the_day), f"{kind} {name}".strip())
        if console.center is not None:  # terminals that sync get the table as a snapshot
            days = workday_days(console.database)
            console.center.publish("workdays", json.dumps({
                "format": "kiosk-workdays/1", "days": {d: k for d, (k, _n) in days.items()},
                "names": {d: n for d, (_k, n) in days.items() if n},
            }, ensure_ascii=False), by=me.staff_id, note=f"{the_day} {kind}")
        label = {"holiday": "放假", "workday": "调休上班", "remove": "按平常"}[kind]
        return console.back(request, f"/workdays?year={the_day.year}", me, f"{the_day} 已设为{label}")

    @app.get("/workdays/center-workdays.toml")
    def workdays_file(request: Request, me: SignedIn = Depends(admin_only)):
        return Response(workdays_toml(console.database), media_type="application/toml; charset=utf-8", headers={
            "Content-Disposition": 'attachment; filename="center-workdays.toml"', "Cache-Control": "no-store"})

    # --- 报表 --------------------------------------------------------------------------------------

    @app.get("/reports", response_class=HTMLResponse)
    def reports(request: Request, first: str = "", last: str = "", terminal: str = "", me: SignedIn = Depends(admin_only)):
        from kiosk.feedback.choices import LEVELS as levels
        from kiosk.reports import Period
        from kiosk.reports.summary import center_summary

        today = console.clock().date()
        first_day, last_day = _parse_day(first, today.replace(day=1)), _parse_day(last, today)
        if last_day < first_day:
            raise Refused("结束日期早于开始日期", status=400)
        summary = center_summary(console.work, Period(first_day, last_day), terminal=terminal.strip() or None)
        return console.render(request, "reports.html", me, title="报表", labels=REPORT_LABELS, first=first_day,
                              last=last_day, terminal=terminal.strip(), summary=summary, levels=levels)

    @app.get("/reports/download")
    def report_download(request: Request, name: str = "ratings", first: str = "", last: str = "", fmt: str = "csv",
                        terminal: str = "", masked: int = 0, me: SignedIn = Depends(admin_only)):
        from kiosk.reports import REPORTS, ReportError, ReportOptions, Period, csv_bytes, default_file_name, write_xlsx

        if name not in REPORTS or fmt not in ("csv", "xlsx"):
            raise Refused("没有这种报表或格式", status=404)
        try:
            period = Period.parse(first, last)
        except ReportError as exc:
            raise Refused(exc.zh, status=400) from None
        report = REPORTS[name](console.work, period, ReportOptions(terminal=terminal.strip() or None, masked=bool(masked)))
        filename = default_file_name(report, fmt)
        if fmt == "csv":
            body, media = csv_bytes(report), "text/csv; charset=utf-8"
        else:
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / filename
                write_xlsx(report, path)
                body = path.read_bytes()
            media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        console.staff.audit(me.staff_id, "report.download", filename, f"{len(report.rows)} rows{' masked' if masked else ''}")
        from urllib.parse import quote

        return Response(body, media_type=media, headers={
            "Content-Disposition": f"attachment; filename=\"{filename}\"; filename*=UTF-8''{quote(filename)}",
            "Cache-Control": "no-store",
        })


__all__ = ["register", "satisfaction", "catalog_diff"]
