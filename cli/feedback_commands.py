"""`kiosk report …` (the center's reports as CSV or xlsx, and the summary) and
`kiosk complaints …` (list, show, forward, answer complaints and suggestions).

Exit codes: 0 done; 1 refused or a problem with the data (an unknown case number, a file that
cannot be written; said in Chinese and English); 2 a usage error (a date that is not a date).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from cli.context import CommandError
from cli.arguments import MAX_ROWS, count
from cli.staff_commands import EXIT_FAILED, EXIT_USAGE, cli_actor
from kiosk.feedback.choices import KINDS, STATUSES
from kiosk.reports.base import Period, ReportError

REPORT_NAMES = ("ratings", "complaints", "faults", "ledger", "summary")
STATUS_CHOICES = (*STATUSES, "open", "all")


def register(subparsers) -> None:
    report = subparsers.add_parser(
        "report", help="the center's reports: ratings, complaints, faults, ledger, summary (统计报表)",
        description="Writes a report for a period as CSV (UTF-8 with BOM, opens in Excel/WPS) or xlsx. "
        "Columns: docs/reports.md. Callback phones are in full (they are for the callback): pass --masked "
        "for a file that goes further. `summary` prints the admin summary.",
    )
    report.add_argument("name", choices=REPORT_NAMES, help="which report")
    report.add_argument("--from", dest="first", required=True, metavar="DATE", help="first day, e.g. 2026-03-01")
    report.add_argument("--to", dest="last", required=True, metavar="DATE", help="last day (included), e.g. 2026-03-31")
    report.add_argument("--format", choices=("csv", "xlsx"), help="default: from --out's extension, else csv")
    report.add_argument("--out", metavar="FILE", help="file to write (default: NAME-FROM-TO.csv here; - for standard output, CSV only)")
    report.add_argument("--terminal", metavar="ID", help="only this terminal (default: every terminal in the database)")
    report.add_argument("--masked", action="store_true", help="mask callback phones (138****5678)")
    report.add_argument("--area-code", default="", metavar="CODE", help="行政区划代码 for the ratings report, e.g. 411481")
    report.add_argument("--json", action="store_true", help="summary only: print JSON")
    report.set_defaults(handler=report_command)

    complaints = subparsers.add_parser("complaints", help="complaints and suggestions (投诉建议)")
    commands = complaints.add_subparsers(dest="complaints_command", metavar="COMMAND", required=True)
    p = commands.add_parser("list", help="cases, newest first (列表)")
    p.add_argument("--status", choices=STATUS_CHOICES, default="open", help="default: open (received or forwarded)")
    p.add_argument("--kind", choices=tuple(KINDS), help="complaint (投诉) or suggestion (建议)")
    p.add_argument("--limit", type=count(1, MAX_ROWS), default=200)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=list_command)

    p = commands.add_parser("show", help="one case with its history (详情)")
    p.add_argument("number", help="TS-20260302-001 or JY-20260302-001")
    p.add_argument("--phone", action="store_true", help="show the callback phone in full (recorded in the audit log)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=show_command)

    p = commands.add_parser("forward", help="forward a case to a department or person (转办)")
    p.add_argument("number")
    p.add_argument("--to", required=True, help="who handles it: 县市场监管局窗口 …")
    p.add_argument("--note", default="", help="what to do or check")
    p.add_argument("--by", metavar="STAFF_ID", help="who forwards it (default: the command line user)")
    p.set_defaults(handler=forward_command)

    p = commands.add_parser("answer", help="record the answer given to the citizen; closes the case (答复)")
    p.add_argument("number")
    p.add_argument("--text", required=True, help="what the citizen was told")
    p.add_argument("--by", metavar="STAFF_ID")
    p.set_defaults(handler=answer_command)


# --- helpers ------------------------------------------------------------------------------------------


def _staff(context):
    return context.app.staff


def _feedback(context):
    return context.app.feedback


def _actor(context, by: str | None) -> str:
    from kiosk.staff import StaffError

    if not by:
        return cli_actor()
    staff = _staff(context)
    try:
        person = staff.get(staff.check_id(by))
    except StaffError as exc:
        raise CommandError(f"{exc.zh} / {exc.en}", EXIT_FAILED) from None
    if person is None:
        raise CommandError(f"没有工号为 {by} 的工作人员 / no staff member {by!r}", EXIT_FAILED)
    return person.id


def _refused(exc) -> CommandError:
    return CommandError(f"{exc.zh} / {exc.en}", EXIT_FAILED)


def _dump(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _period(args) -> Period:
    try:
        return Period.parse(args.first, args.last)
    except ReportError as exc:
        raise CommandError(f"{exc.zh} / {exc.en}", EXIT_USAGE) from None


# --- reports ------------------------------------------------------------------------------------------


def report_command(args, context) -> int:
    period = _period(args)
    if args.name == "summary":
        return summary_command(args, context, period)
    from kiosk.reports import REPORTS, ReportOptions, default_file_name, write_csv, write_file

    fmt = args.format
    if fmt is None:
        fmt = "xlsx" if args.out and args.out.lower().endswith(".xlsx") else "csv"
    if args.out == "-" and fmt != "csv":
        raise CommandError("xlsx 不能写到标准输出，请用 --out 指定文件 / xlsx needs --out FILE", EXIT_USAGE)
    area = args.area_code.strip()
    if area and not area.isdigit():
        raise CommandError(f"行政区划代码应为数字，如 411481，不是 {area} / --area-code must be digits", EXIT_USAGE)
    options = ReportOptions(terminal=args.terminal or None, masked=args.masked, area_code=area)
    try:
        report = REPORTS[args.name](context.database, period, options)
    except ReportError as exc:
        raise _refused(exc) from None
    if args.out == "-":
        write_csv(report, sys.stdout)
        return 0
    path = Path(args.out or default_file_name(report, fmt))
    try:
        count = write_file(report, path, fmt)
    except ReportError as exc:
        raise _refused(exc) from None
    _staff(context).audit(
        cli_actor(), "report.export", args.name,
        f"{period.text} {fmt} {path} ({count} rows{', phones masked' if args.masked else ''})",
    )
    print(f"已导出 / exported: {report.title} {period.text}，{count} 条 → {path}")
    return 0


def summary_command(args, context, period: Period) -> int:
    from kiosk.feedback.choices import LEVELS, stars
    from kiosk.reports.summary import center_summary

    summary = center_summary(context.database, period, terminal=args.terminal or None)
    if args.json:
        _dump(summary.to_dict())
        return 0
    print(f"统计概览 / summary {period.text}" + (f"（终端 {args.terminal}）" if args.terminal else ""))
    print(f"好差评 / ratings: {summary.rated} 条，满意率 {summary.satisfaction_text}，差评 {summary.poor} 条（留电话待回访 {summary.callbacks}）")
    for level, label in LEVELS.items():
        print(f"  {stars(level)} {label:<5} {summary.ratings[level]}")
    print(f"投诉 / complaints: {summary.complaints}  建议 / suggestions: {summary.suggestions}  未办结 / open: {len(summary.open_cases)}")
    for case in summary.open_cases:
        print(f"  {case.number} {case.status_zh} {case.subject_zh} {case.created_at:%m-%d %H:%M} {case.text[:30]}")
    print("设备故障 / faults:" + ("" if summary.faults else " 无 / none"))
    for f in summary.faults:
        print(f"  {f.label_zh} {f.count} 次" + (f"（未恢复 {f.active}）" if f.active else ""))
    print(f"帮办代办 / helper cases: {summary.helper_total} 件" + ("" if summary.helper_total else "（无 / none）"))
    for kind, n in summary.helper_cases.items():
        print(f"  {kind} {n}")
    return 0


# --- complaints -------------------------------------------------------------------------------------------


def list_command(args, context) -> int:
    from kiosk.feedback import FeedbackError

    if args.limit < 1:
        raise CommandError("--limit 应为正整数 / must be a positive number", EXIT_USAGE)
    try:
        cases = _feedback(context).list(args.status, kind=args.kind, limit=args.limit)
    except FeedbackError as exc:
        raise CommandError(f"{exc.zh} / {exc.en}", EXIT_USAGE) from None
    if args.json:
        _dump([c.to_dict() for c in cases])
        return 0
    if not cases:
        print("没有投诉建议 / no cases")
        return 0
    for c in cases:
        who = f" → {c.forwarded_to}" if c.forwarded_to and c.status == "forwarded" else ""
        print(f"{c.number}  {c.status_zh}{who}  {c.kind_zh}·{c.subject_zh}  {c.created_at:%Y-%m-%d %H:%M}  "
              f"{c.text[:40]}" + (f"  回访 {c.phone_masked}" if c.phone_masked else ""))
    return 0


def show_command(args, context) -> int:
    from kiosk.feedback import FeedbackError

    service = _feedback(context)
    try:
        case = service.get(args.number)
        phone = service.callback_phone(case.number) if args.phone else ""
    except FeedbackError as exc:
        raise _refused(exc) from None
    if args.phone:
        _staff(context).audit(cli_actor(), "complaint.phone", case.number, "callback phone shown in full")
    if args.json:
        data = case.to_dict()
        if args.phone:
            data["phone"] = phone
        _dump(data)
        return 0
    print(f"{case.number}  {case.kind_zh}·{case.subject_zh}  {case.status_zh}")
    print(f"  内容：{case.text}")
    print(f"  终端 {case.terminal}  提交 {case.created_at:%Y-%m-%d %H:%M}" + (f"  事项 {case.item_name}" if case.item_name else ""))
    print(f"  回访电话：{(phone if args.phone else case.phone_masked) or '未留'}")
    if case.forwarded_to:
        print(f"  承办：{case.forwarded_to}（{case.forwarded_by} {case.forwarded_at:%Y-%m-%d %H:%M}）")
    if case.answer:
        print(f"  答复：{case.answer}（{case.answered_by} {case.answered_at:%Y-%m-%d %H:%M}）")
    for e in case.events:
        print(f"  {e.at:%m-%d %H:%M}  {e.status_zh}  {e.actor}  {e.note}".rstrip())
    return 0


def forward_command(args, context) -> int:
    from kiosk.feedback import FeedbackError

    actor = _actor(context, args.by)
    try:
        case = _feedback(context).forward(args.number, actor, args.to, args.note)
    except FeedbackError as exc:
        _staff(context).audit(actor, "complaint.forward", str(args.number)[:100], exc.en, ok=False)
        raise _refused(exc) from None
    _staff(context).audit(actor, "complaint.forward", case.number, case.forwarded_to)
    print(f"已转办 / forwarded: {case.number} → {case.forwarded_to}")
    return 0


def answer_command(args, context) -> int:
    from kiosk.feedback import FeedbackError

    actor = _actor(context, args.by)
    try:
        case = _feedback(context).answer(args.number, actor, args.text)
    except FeedbackError as exc:
        _staff(context).audit(actor, "complaint.answer", str(args.number)[:100], exc.en, ok=False)
        raise _refused(exc) from None
    _staff(context).audit(actor, "complaint.answer", case.number, case.answer[:200])
    print(f"已答复 / answered: {case.number}（{case.answered_at:%Y-%m-%d %H:%M}）")
    return 0
