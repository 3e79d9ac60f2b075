"""`kiosk staff …` and `kiosk terminal …`: staff members, PINs, absences, handovers, the audit
log, and each terminal's A and B maintainer (AB岗).

Exit codes: 0 done, 1 refused (an unknown staff id, a weak PIN …; said in Chinese and English),
2 a usage error (a date that is not a date).
"""

from __future__ import annotations

import getpass
import json
import sys
from datetime import datetime, time, timedelta

from cli.context import CommandError
from cli.arguments import MAX_ROWS, check_year, count
from kiosk.staff import ROLE_LABELS, ROLES, StaffError, StaffService

EXIT_FAILED = 1
EXIT_USAGE = 2

DATETIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d")


def register(subparsers) -> None:
    staff = subparsers.add_parser("staff", help="staff who may sign in on the terminal (工作人员)")
    commands = staff.add_subparsers(dest="staff_command", metavar="COMMAND", required=True)

    p = commands.add_parser("add", help="add a staff member (新增工作人员)")
    p.add_argument("id", help="staff number (工号), 2-16 digits")
    p.add_argument("--name", required=True, help="name (姓名)")
    p.add_argument(
        "--role", action="append", required=True, metavar="ROLE",
        help=f"{', '.join(ROLES)} (repeat, or comma-separated, for several)",
    )
    p.add_argument("--department", default="", metavar="CODE", help="the catalog department's code (部门编码)")
    p.add_argument("--pin", help="6-12 digits; asked for when omitted (on a terminal)")
    p.set_defaults(handler=add_command)

    p = commands.add_parser(
        "demo", help="development data only: a demo helper and maintainer with known PINs (示例工作人员)"
    )
    p.set_defaults(handler=demo_command)

    p = commands.add_parser("list", help="list staff (列表)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=list_command)

    for name, active, meaning in (("disable", False, "may no longer sign in (停用)"), ("enable", True, "may sign in again (启用)")):
        p = commands.add_parser(name, help=meaning)
        p.add_argument("id")
        p.set_defaults(handler=set_active_command, active=active)

    p = commands.add_parser("set-pin", help="set a new PIN (重设密码)")
    p.add_argument("id")
    p.add_argument("--pin", help="6-12 digits; asked for when omitted (on a terminal)")
    p.set_defaults(handler=set_pin_command)

    p = commands.add_parser(
        "absent", help="record an absence: faults go to the B post meanwhile (不在岗登记)",
        description="DATETIME: 2026-03-02 08:30, 2026-03-02T08:30 or 2026-03-02 (a date alone means the whole day).",
    )
    p.add_argument("id")
    p.add_argument("--from", dest="starts", required=True, metavar="DATETIME")
    p.add_argument("--to", dest="ends", required=True, metavar="DATETIME")
    p.add_argument("--reason", required=True, help="会议、出差、培训、请假 …")
    p.set_defaults(handler=absent_command)

    p = commands.add_parser("absences", help="list absences (不在岗记录)")
    p.add_argument("id", nargs="?")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=absences_command)

    p = commands.add_parser("handover", help="what was handled on A's terminal while A was away (交接)")
    p.add_argument("id", help="the A maintainer's staff number")
    p.add_argument("--ack", action="store_true", help="mark the handovers read (已阅)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=handover_command)

    p = commands.add_parser("audit", help="the audit log of sign-ins and staff actions (操作日志)")
    p.add_argument("--limit", type=count(1, MAX_ROWS), default=50)
    p.add_argument("--staff", metavar="ID", help="only this actor")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=audit_command)

    terminal = subparsers.add_parser("terminal", help="this terminal's maintainers (终端AB岗)")
    tcommands = terminal.add_subparsers(dest="terminal_command", metavar="COMMAND", required=True)
    p = tcommands.add_parser("assign", help="set the A and/or B maintainer (设置A岗、B岗)")
    p.add_argument("--a", metavar="ID", help="A post (主岗): faults go here first")
    p.add_argument("--b", metavar="ID", help="B post (备岗): while A is absent, and on escalation")
    p.add_argument("--terminal", metavar="TERMINAL_ID", help="default: terminal.id of the configuration")
    p.set_defaults(handler=assign_command)
    p = tcommands.add_parser("show", help="show the A and B maintainer (查看)")
    p.add_argument("--terminal", metavar="TERMINAL_ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=show_terminal_command)


# --- helpers --------------------------------------------------------------------------------


def cli_actor() -> str:
    """Who did it, for the audit log, when the command line has no signed-in staff."""
    try:
        return f"cli:{getpass.getuser()}"[:60]
    except Exception:  # noqa: BLE001 - no user name in some containers
        return "cli"


def staff_service(context) -> StaffService:
    return context.app.staff


def refused(exc) -> CommandError:
    return CommandError(f"{exc.zh} / {exc.en}", EXIT_FAILED)


def parse_datetime(text: str, *, end: bool = False) -> datetime:
    """A date and time as typed; a date alone is its start (or, for ``end``, the next midnight)."""
    text = (text or "").strip()
    for fmt in DATETIME_FORMATS:
        try:
            value = datetime.strptime(text, fmt)
        except ValueError:
            continue
        try:
            check_year(value, text)
        except ValueError as exc:
            raise CommandError(str(exc), EXIT_USAGE) from None
        if fmt == "%Y-%m-%d" and end:
            value = datetime.combine(value.date(), time()) + timedelta(days=1)
        return value
    raise CommandError(
        f"时间“{text}”无法识别，请写成 2026-03-02 08:30 或 2026-03-02 / not a date and time: {text!r}", EXIT_USAGE
    )


def read_pin(given: str | None) -> str:
    if given is not None:
        return given
    if not sys.stdin.isatty():
        raise CommandError("请用 --pin 给出密码 / give --pin (no terminal to ask on)", EXIT_USAGE)
    first = getpass.getpass("密码 PIN (6-12位数字): ")
    second = getpass.getpass("再输入一次 again: ")
    if first != second:
        raise CommandError("两次输入的密码不一致 / the PINs differ", EXIT_FAILED)
    return first


def _dump(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


# --- staff ------------------------------------------------------------------------------------


def add_command(args, context) -> int:
    service = staff_service(context)
    try:
        pin = read_pin(args.pin)
        info = service.add(args.id, args.name, args.role, pin=pin, department=args.department, actor=cli_actor())
    except StaffError as exc:
        raise refused(exc) from None
    print(f"已添加 / added: {info.id} {info.name}（{info.roles_zh}）" + (f" 部门 {info.department}" if info.department else ""))
    return 0


def demo_command(args, context) -> int:
    from kiosk.staff.demo import ensure_demo_staff

    try:
        people = ensure_demo_staff(staff_service(context), actor=cli_actor())
    except StaffError as exc:
        raise refused(exc) from None
    print("示例工作人员（仅供开发试用）/ demo staff (development only) — 长按左上角的★徽标3秒登录 / hold the ★ emblem (top left) for 3 s to sign in:")
    for p in people:
        print(f"  工号 {p.id}  {p.name}  密码 PIN {p.pin}  → {p.mode}")
    return 0


def list_command(args, context) -> int:
    service = staff_service(context)
    people = service.list_staff()
    absent = {p.id: service.absence_at(p.id) for p in people}
    if args.json:
        _dump([{**p.to_dict(), "absent_now": absent[p.id].to_dict() if absent[p.id] else None} for p in people])
        return 0
    if not people:
        print("还没有工作人员 / no staff yet: kiosk staff add ID --name NAME --role maintainer")
        return 0
    for p in people:
        flags = [] if p.active else ["已停用"]
        if absent[p.id]:
            flags.append(f"不在岗至 {absent[p.id].ends_at:%m-%d %H:%M}（{absent[p.id].reason}）")
        print(f"{p.id:>8}  {p.name}  {p.roles_zh}  {p.department or '-'}  {' '.join(flags)}".rstrip())
    return 0


def set_active_command(args, context) -> int:
    try:
        info = staff_service(context).set_active(args.id, args.active, actor=cli_actor())
    except StaffError as exc:
        raise refused(exc) from None
    print(f"{'已启用 / enabled' if info.active else '已停用 / disabled'}: {info.id} {info.name}")
    return 0


def set_pin_command(args, context) -> int:
    service = staff_service(context)
    try:
        pin = read_pin(args.pin)
        info = service.set_pin(args.id, pin, actor=cli_actor())
    except StaffError as exc:
        raise refused(exc) from None
    print(f"密码已更新 / PIN changed: {info.id} {info.name}")
    return 0


def absent_command(args, context) -> int:
    starts = parse_datetime(args.starts)
    ends = parse_datetime(args.ends, end=True)
    try:
        absence = staff_service(context).add_absence(args.id, starts, ends, args.reason, actor=cli_actor())
    except StaffError as exc:
        raise refused(exc) from None
    print(f"已登记不在岗 / absence recorded: {absence.staff_id} {absence.staff_name} {absence.span_text()}（{absence.reason}）")
    return 0


def absences_command(args, context) -> int:
    service = staff_service(context)
    try:
        if args.id:
            service.check_id(args.id)
        items = service.absences(args.id)
    except StaffError as exc:
        raise refused(exc) from None
    if args.json:
        _dump([a.to_dict() for a in items])
        return 0
    if not items:
        print("没有不在岗记录 / no absences")
    for a in items:
        print(f"#{a.id}  {a.staff_id} {a.staff_name}  {a.span_text()}  {a.reason}")
    return 0


def handover_command(args, context) -> int:
    from kiosk.devices.faults import FaultLog

    config = context.config
    service = staff_service(context)
    try:
        service.check_id(args.id)
    except StaffError as exc:
        raise refused(exc) from None
    faults = FaultLog(context.database, service, terminal=config.terminal.id, terminal_name=config.terminal.name, config=config.faults)
    handovers = faults.handovers(args.id)
    if args.json:
        _dump([h.to_dict() for h in handovers])
    elif not handovers:
        print("没有待阅的交接 / nothing to hand over")
    else:
        names = {s.id: s.name for s in service.list_staff()}
        for h in handovers:
            print(f"不在岗 #{h.absence.id} {h.absence.span_text()}（{h.absence.reason}）：")
            for line in h.summary_lines(names) or ["本终端无故障 / no faults"]:
                print("  " + line)
    if args.ack:
        for h in handovers:
            faults.acknowledge_handover(h.absence.id, args.id)
        if not args.json:
            print(f"已阅 / marked read: {len(handovers)}")
    return 0


def audit_command(args, context) -> int:
    if args.limit < 1:
        raise CommandError("--limit 应为正整数 / must be a positive number", EXIT_USAGE)
    entries = staff_service(context).audit_entries(args.limit, actor=args.staff)
    if args.json:
        _dump([e.to_dict() for e in entries])
        return 0
    for e in entries:
        mark = "" if e.ok else "  ✗"
        print(f"{e.at:%Y-%m-%d %H:%M:%S}  {e.terminal}  {e.actor}  {e.action}  {e.target}  {e.detail}{mark}".rstrip())
    return 0


# --- terminal ---------------------------------------------------------------------------------


def assign_command(args, context) -> int:
    try:
        info = staff_service(context).assign_terminal(args.a, args.b, terminal=args.terminal, actor=cli_actor())
    except StaffError as exc:
        raise refused(exc) from None
    print(
        f"终端 {info.terminal}：A岗 {info.a.name + '（' + info.a.id + '）' if info.a else '未设置'}，"
        f"B岗 {info.b.name + '（' + info.b.id + '）' if info.b else '未设置'} / assigned"
    )
    return 0


def show_terminal_command(args, context) -> int:
    service = staff_service(context)
    info = service.assignment(args.terminal)
    if args.json:
        _dump(info.to_dict())
        return 0
    for post, person in (("A岗", info.a), ("B岗", info.b)):
        if person is None:
            print(f"{post}：未设置 / not assigned")
            continue
        absence = service.absence_at(person.id)
        away = f"  不在岗至 {absence.ends_at:%m-%d %H:%M}（{absence.reason}）" if absence else ""
        print(f"{post}：{person.name}（{person.id}）{'' if person.active else ' 已停用'}{away}")
    return 0


__all__ = ["ROLE_LABELS", "cli_actor", "parse_datetime", "register"]
