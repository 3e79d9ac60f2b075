"""`kiosk helpers …` and `kiosk ledger …`: the red-vest helpers' calls and proxy requests, the
purge of their personal data, and the ledger (台账) as CSV and as a day summary per helper.

Times are the terminal's local time. `--from`/`--to` take a date (2026-03-02) or a date and
time; a date alone in `--to` means the whole of that day.
"""

from __future__ import annotations

import json
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

from cli.context import CommandError
from cli.staff_commands import EXIT_FAILED, EXIT_USAGE, cli_actor, parse_datetime
from kiosk.privacy import create_private

CALL_STATUS_CHOICES = ("active", "open", "taken", "closed", "cancelled", "expired", "all")
PROXY_OUTCOME_CHOICES = {"done": "proxy_done", "withdrawn": "proxy_withdrawn", "failed": "proxy_failed"}


def register(subparsers) -> None:
    helpers = subparsers.add_parser("helpers", help="red-vest helpers: calls, proxy requests (帮办代办)")
    commands = helpers.add_subparsers(dest="helpers_command", metavar="COMMAND", required=True)
    p = commands.add_parser("calls", help="help calls, oldest first (呼叫列表)")
    p.add_argument("--status", choices=CALL_STATUS_CHOICES, default="active", help="default: active (open or taken)")
    p.add_argument("--this-terminal", action="store_true", help="only this terminal's calls")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=calls_command)

    p = commands.add_parser("proxies", help="proxy requests, newest first (代办申请列表; personal data masked)")
    p.add_argument("--status", choices=("open", "closed", "all"), default="open")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=proxies_command)

    p = commands.add_parser("proxy", help="one proxy request with its materials (代办申请详情)")
    p.add_argument("number", help="DB-YYYYMMDD-NNN")
    p.add_argument("--verify", metavar="LAST4", help="the phone's last 4 digits, as a citizen following up gives them")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=proxy_command)

    p = commands.add_parser("close-proxy", help="finish a proxy request (代办办结)")
    p.add_argument("number")
    p.add_argument("--outcome", choices=tuple(PROXY_OUTCOME_CHOICES), default="done",
                   help="done 代办完成, withdrawn 群众撤回, failed 未能办成")
    p.add_argument("--by", metavar="STAFF_ID", required=True, help="the helper")
    p.add_argument("--note", default="")
    p.set_defaults(handler=close_proxy_command)

    p = commands.add_parser(
        "purge", help="erase the personal data of closed proxy requests (删除到期个人信息)",
        description="Erases name, phone, address, home-visit reasons and notes of proxy requests closed more than "
        "N days ago (default: helpers.purge_after_days). Numbers, items, materials and the ledger stay. Run daily.",
    )
    p.add_argument("--days", type=int, metavar="N")
    p.set_defaults(handler=purge_command)

    ledger = subparsers.add_parser("ledger", help="the helpers' ledger (帮办代办台账)")
    lcommands = ledger.add_subparsers(dest="ledger_command", metavar="COMMAND", required=True)
    p = lcommands.add_parser(
        "export", help="write the ledger as CSV (UTF-8 with BOM, opens in Excel/WPS) or JSON (导出)",
        description="Entries whose time (the call, or the proxy request's intake) is from --from up to and "
        "including --to. Columns: see docs/helpers.md.",
    )
    p.add_argument("--from", dest="start", required=True, metavar="DATE")
    p.add_argument("--to", dest="end", required=True, metavar="DATE")
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.add_argument("--out", metavar="FILE", default="-", help="default: standard output")
    p.add_argument("--helper", metavar="STAFF_ID", help="only this helper's entries")
    p.set_defaults(handler=export_command)

    p = lcommands.add_parser("summary", help="a day per helper: cases by help type and outcome (日汇总)")
    p.add_argument("--date", metavar="DATE", help="default: today")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=summary_command)


def helper_service(context):
    return context.app.assistance


def _refused(exc, code: int = EXIT_FAILED) -> CommandError:
    return CommandError(f"{exc.zh} / {exc.en}", code)


def _dump(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _minutes(delta: timedelta) -> str:
    return f"{int(delta.total_seconds() // 60)}分钟"


def calls_command(args, context) -> int:
    from kiosk.assistance import HelperError

    service = helper_service(context)
    try:
        calls = service.calls(args.status, all_terminals=not args.this_terminal)
    except HelperError as exc:
        raise _refused(exc, EXIT_USAGE) from None
    if args.json:
        _dump([c.to_dict() for c in calls])
        return 0
    if not calls:
        print("没有呼叫 / no calls")
        return 0
    now = service.clock()
    for c in calls:
        who = f"{c.taken_by_name}（{c.taken_by}）" if c.taken_by else "—"
        print(f"{c.day:%m-%d} {c.number} {c.status_zh:<4} {c.terminal_name}（{c.terminal}） {c.where_zh}  "
              f"{c.raised_at:%H:%M} 等待 {_minutes(c.waited(now))}  通知 {c.raise_count} 次  接单 {who}")
    return 0


def proxies_command(args, context) -> int:
    service = helper_service(context)
    requests = service.proxies(args.status)
    if args.json:
        _dump([r.to_dict() for r in requests])
        return 0
    if not requests:
        print("没有代办申请 / no proxy requests")
        return 0
    for r in requests:
        visit = f" 上门（{'、'.join(r.visit_reasons)}）" if r.home_visit else ""
        end = f" {r.outcome_zh} {r.closed_at:%m-%d}" if r.closed_at else ""
        print(f"{r.number} {r.status_zh} {r.item_name} 申请人 {r.citizen_name or '（已删除）'} {r.phone_masked} "
              f"代办员 {r.helper_name}{visit} 材料 {len(r.handed_over)}/{len(r.materials)}{end}")
    return 0


def proxy_command(args, context) -> int:
    from kiosk.assistance import HelperError

    service = helper_service(context)
    if args.verify is not None:
        found = service.find_proxy(args.number, args.verify)
        if found is None:
            raise CommandError("未查到该代办申请，请核对编号和手机号后4位 / no proxy request with that number and phone", EXIT_FAILED)
        view = found
    else:
        try:
            view = service.proxy(args.number)
        except HelperError as exc:
            raise _refused(exc) from None
    if args.json:
        _dump(view.to_dict())
        return 0
    print(f"{view.number} {view.status_zh}{'（' + view.outcome_zh + '）' if view.outcome else ''}")
    print(f"  事项 {view.item_name}（{view.item_code}）")
    print(f"  申请人 {view.citizen_name or '（已删除）'}  电话 {view.phone_masked or '（已删除）'}")
    print(f"  代办员 {view.helper_name}（{view.helper_id}）  受理 {view.created_at:%Y-%m-%d %H:%M}  终端 {view.terminal}")
    if view.home_visit:
        print(f"  上门服务 {'、'.join(view.visit_reasons) or '（原因已删除）'}  地址 {view.address_masked or '（已删除）'}")
    for m in view.materials:
        print(f"  {'√' if m.handed_over else '×'} {m.name}（{m.necessity}）")
    if view.notes:
        print(f"  备注 {view.notes}")
    return 0


def _helper(service, staff_id: str):
    from kiosk.assistance import Helper
    from kiosk.staff import StaffError

    try:
        person = service.staff.get(service.staff.check_id(staff_id))
    except StaffError as exc:
        raise _refused(exc) from None
    if person is None:
        raise CommandError(f"没有工号为 {staff_id} 的工作人员 / no staff member {staff_id!r}", EXIT_FAILED)
    return Helper(person.id, person.name)


def close_proxy_command(args, context) -> int:
    from kiosk.assistance import HelperError

    service = helper_service(context)
    helper = _helper(service, args.by)
    try:
        view = service.close_proxy(args.number, helper, outcome=PROXY_OUTCOME_CHOICES[args.outcome], notes=args.note)
    except HelperError as exc:
        raise _refused(exc) from None
    print(f"已办结 / closed: {view.number} {view.outcome_zh}（{helper.name}）")
    return 0


def purge_command(args, context) -> int:
    from kiosk.assistance import HelperError

    service = helper_service(context)
    if args.days is not None and args.days < 0:
        raise CommandError("--days 不能为负 / must not be negative", EXIT_USAGE)
    if args.days is not None and args.days > 36500:
        raise CommandError("--days 应在 0 到 36500 之间 / must be from 0 to 36500", EXIT_USAGE)
    try:
        count = service.purge(older_than_days=args.days)
    except HelperError as exc:
        raise _refused(exc, EXIT_USAGE) from None
    days = service.config.purge_after_days if args.days is None else args.days
    service.audit(cli_actor(), "proxy.purge", "", f"{count} request(s) closed over {days} days ago")
    print(f"已删除 {count} 件代办申请的个人信息（办结超过 {days} 天） / purged personal data of {count} request(s)")
    return 0


def export_command(args, context) -> int:
    from kiosk.assistance import HelperError

    start = parse_datetime(args.start)
    end = parse_datetime(args.end, end=True)
    service = helper_service(context)
    try:
        entries = service.ledger(start, end, helper_id=args.helper)
    except HelperError as exc:
        raise _refused(exc, EXIT_USAGE) from None
    if args.format == "json":
        text = json.dumps([e.to_dict() for e in entries], ensure_ascii=False, indent=2) + "\n"
        if args.out == "-":
            sys.stdout.write(text)
            return 0
        try:
            Path(create_private(args.out)).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"无法写入 {args.out} / cannot write: {exc.strerror}", EXIT_FAILED) from None
    elif args.out == "-":
        service.write_csv(entries, sys.stdout)
        return 0
    else:
        try:
            with create_private(args.out).open("w", encoding="utf-8-sig", newline="") as fh:
                service.write_csv(entries, fh)
        except OSError as exc:
            raise CommandError(f"无法写入 {args.out} / cannot write: {exc.strerror}", EXIT_FAILED) from None
    print(f"已导出 / exported {len(entries)} 条 to {args.out}", file=sys.stderr)
    return 0


def summary_command(args, context) -> int:
    from kiosk.assistance import HELP_TYPES, OUTCOMES

    day: date = parse_datetime(args.date).date() if args.date else datetime.now().date()
    service = helper_service(context)
    people = service.summary(day)
    if args.json:
        _dump({"date": day.isoformat(), "helpers": [p.to_dict() for p in people]})
        return 0
    print(f"{day:%Y-%m-%d} 帮办代办日汇总 / helpers' day summary")
    if not people:
        print("  当天没有台账记录 / no ledger entries")
        return 0
    for p in people:
        who = f"{p.helper_name}（{p.helper_id}）" if p.helper_id else "无人接单的呼叫"
        mean = f"  平均响应 {_minutes(p.mean_response)}" if p.mean_response is not None else ""
        print(f"  {who}：共 {p.cases} 件，呼叫 {p.calls}，代办 {p.proxies}{mean}")
        if p.by_type:
            print("    " + "，".join(f"{HELP_TYPES[k]} {n}" for k, n in p.by_type.items()))
        print("    " + "，".join(f"{OUTCOMES.get(k, k)} {n}" for k, n in p.by_outcome.items()))
    return 0
