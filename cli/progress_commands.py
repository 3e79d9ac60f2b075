"""`kiosk progress …`: import applications (办件) from the center's system, query one as a
citizen would, pause and resume queries, delete old applications.

Exit codes: 0 success; 1 a problem with the data, or an application not found / queries
paused (named on stderr, Chinese first); 2 a usage problem.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

from cli.context import CommandError
from cli.arguments import count, day
from kiosk.progress.timeutil import china_today

EXIT_FAILED = 1
EXIT_USAGE = 2


def register(subparsers) -> None:
    progress = subparsers.add_parser("progress", help="application progress (办件进度)")
    commands = progress.add_subparsers(dest="progress_command", metavar="COMMAND", required=True)

    p = commands.add_parser(
        "import",
        help="import a kiosk-progress/1 JSON file (导入办件)",
        description="Validate the file against the catalog, then apply it in one transaction; on any problem "
        "nothing is changed. Applications are matched by number.",
    )
    p.add_argument("file")
    p.add_argument("--replace", action="store_true", help="also remove applications absent from the file")
    _shift_arguments(p)
    p.set_defaults(handler=import_command)

    p = commands.add_parser("validate", help="check a file without writing anything (校验)")
    p.add_argument("file")
    _shift_arguments(p)
    p.set_defaults(handler=validate_command)

    p = commands.add_parser(
        "show",
        help="show one application as the kiosk does (查询办件)",
        description="Look an application up with the last 4 characters of the applicant's phone or ID number. "
        "Failures count towards this terminal's limit like on the screen.",
    )
    p.add_argument("number", help="the application number (办件编号)")
    p.add_argument("--verify", required=True, metavar="LAST4", help="last 4 characters of the applicant's phone or ID number")
    p.add_argument("--as-of", type=_date, metavar="YYYY-MM-DD", help="compute the time left as of this day (default: today)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=show_command)

    p = commands.add_parser("unlock", help="end this terminal's pause after too many failed queries (解除暂停)")
    p.set_defaults(handler=unlock_command)

    p = commands.add_parser("purge", help="delete applications closed long ago (清理)")
    p.add_argument("--closed-days", type=count(0, 36500), default=90, metavar="N", help="closed more than N days ago (default 90)")
    p.set_defaults(handler=purge_command)


_date = day  # YYYY-MM-DD within the years the program handles (cli/arguments.py)


def _shift_arguments(parser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--shift-to-today",
        action="store_true",
        help="move every date so that the file's reference_date becomes today (sample data)",
    )
    group.add_argument("--shift-to", type=_date, metavar="YYYY-MM-DD", help="move every date so that reference_date becomes this day")


def _shift_target(args) -> date | None:
    if args.shift_to_today:
        return china_today()
    return args.shift_to


def _service(context):
    from kiosk.privacy import PrivacyKeyError
    from kiosk.workdays import CalendarFileError

    try:
        return context.app.progress
    except CalendarFileError as exc:
        raise CommandError(f"工作日日历文件有误 / calendar file error: {exc}") from None
    except PrivacyKeyError as exc:
        raise CommandError(f"隐私密钥不可用 / privacy key unusable: {exc}") from None


def import_command(args, context) -> int:
    from kiosk.progress import ProgressFileError

    service = _service(context)
    try:
        summary = service.import_file(args.file, replace=args.replace, shift_to=_shift_target(args))
    except ProgressFileError as exc:
        raise CommandError(f"办件数据文件有误，未做任何修改 / progress file rejected, nothing changed:\n{exc}") from None
    print(f"导入完成 / imported: {summary}")
    if summary.removed_numbers:
        print("已删除 / removed: " + ", ".join(summary.removed_numbers))
    return 0


def validate_command(args, context) -> int:
    from kiosk.progress import ProgressFileError

    service = _service(context)
    try:
        data = service.validate_file(args.file, shift_to=_shift_target(args))
    except ProgressFileError as exc:
        raise CommandError(f"办件数据文件有误 / progress file has problems:\n{exc}") from None
    print(f"办件数据文件有效 / valid: {len(data['applications'])} applications")
    return 0


def show_command(args, context) -> int:
    service = _service(context)
    outcome = service.query(args.number, args.verify, as_of=args.as_of)
    if outcome.kind == "invalid":
        raise CommandError(f"{outcome.message}：{outcome.advice} / {outcome.message_en}", EXIT_USAGE)
    if not outcome.found:
        text = f"{outcome.message}。{outcome.advice} / {outcome.message_en}"
        if args.json:
            print(json.dumps({"found": False, "reason": outcome.kind, "message": outcome.message, "advice": outcome.advice,
                              "locked_until": outcome.locked_until.isoformat(timespec="minutes") if outcome.locked_until else None},
                             ensure_ascii=False, indent=2))
        raise CommandError(text, EXIT_FAILED)
    view = outcome.view
    if args.json:
        print(json.dumps(view.to_json(), ensure_ascii=False, indent=2))
    else:
        print(render_text(view))
    return 0


def render_text(view) -> str:
    from kiosk.progress.view import (
        deadline_text,
        format_datetime,
        overdue_contact_text,
        step_mark,
        step_span_text,
        time_left_text,
    )

    lines = [
        f"办件编号 number: {view.number}",
        f"  事项 item: {view.item_name} ({view.item_code})",
        f"  申请人 applicant: {view.applicant_name}  证件 {view.applicant_id_masked}"
        + (f"  电话 {view.applicant_phone_masked}" if view.applicant_phone_masked else ""),
        f"  状态 status: {view.status_label} ({view.status})",
        f"  受理 accepted: {format_datetime(view.accepted_at)}  {view.department}"
        + (f"  {view.window_text}" if view.window_text else "")
        + f"  受理人 {view.accepted_by}",
        f"  承诺时限 limit: {view.limit_text}",
        f"  承诺办结 deadline: {deadline_text(view)}" + ("（中心系统给出）" if view.deadline_given else ""),
    ]
    left = time_left_text(view)
    if left:
        lines.append(f"  时限 time: {left}" + (" [逾期 OVERDUE]" if view.overdue and not view.closed else ""))
    if view.overdue and not view.closed:
        lines.append(f"  {overdue_contact_text(view)}")
    if view.steps:
        lines.append("  环节 steps:")
        for index, step in enumerate(view.steps):
            extra = "  ".join(part for part in (step_span_text(step), step.staff, step.opinion) if part)
            lines.append(f"    {step_mark(view, index)} {step.name}" + (f"  {extra}" if extra else ""))
    if view.result is not None:
        r = view.result
        lines.append(f"  结果 result: {format_datetime(r.finished_at)}  {r.outcome}")
        if r.certificate_name or r.certificate_number:
            lines.append(f"    证照: {r.certificate_name} {r.certificate_number}".rstrip())
        if r.collect:
            lines.append(f"    领取方式: {r.collect}")
    lines.append(f"  咨询电话 {view.consult_phone}    监督投诉电话 {view.complaint_phone}")
    return "\n".join(lines)


def unlock_command(args, context) -> int:
    service = _service(context)
    was_locked = service.unlock()
    terminal = context.config.terminal.id
    print(f"已解除暂停 / queries resumed on {terminal}" if was_locked else f"未暂停 / queries were not paused on {terminal}；失败记录已清除")
    return 0


def purge_command(args, context) -> int:
    if args.closed_days < 0:
        raise CommandError("--closed-days 不能为负数 / must not be negative", EXIT_USAGE)
    service = _service(context)
    before = china_today() - timedelta(days=args.closed_days)
    count = service.purge(before)
    print(f"已删除 {count} 件 {before} 以前办结的办件 / deleted {count} applications closed before {before}")
    return 0
