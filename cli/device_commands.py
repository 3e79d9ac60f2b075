"""`kiosk devices …` and `kiosk faults …`: check every device once (for a systemd timer, and
for us), and read and handle the fault log.

`kiosk devices check` exits 0 when every device can be used, 1 when one cannot (so a timer or a
monitoring system sees it), 2 on a usage or configuration error.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from cli.context import CommandError
from cli.arguments import MAX_ROWS, count
from cli.staff_commands import EXIT_FAILED, EXIT_USAGE, cli_actor, parse_datetime
from kiosk.privacy import create_private
from kiosk.devices.faults import FaultError
from kiosk.devices.models import FAULT_STATUSES
from kiosk.staff import StaffError

STATUS_CHOICES = (*FAULT_STATUSES, "active", "all")


def register(subparsers) -> None:
    devices = subparsers.add_parser("devices", help="device health (设备状态)")
    commands = devices.add_subparsers(dest="devices_command", metavar="COMMAND", required=True)
    p = commands.add_parser(
        "check", help="poll every device once and update the fault log (巡检)",
        description="Polls the printer, the disk and the database once, records faults, escalates unacknowledged "
        "ones and sends due handovers. While the kiosk runs it holds a USB or network printer: its last reading "
        "is used instead (--direct polls anyway). Exit 1 when a device cannot be used.",
    )
    p.add_argument("--json", action="store_true")
    p.add_argument("--direct", action="store_true", help="poll the printer even while the kiosk holds it")
    p.set_defaults(handler=check_command)

    faults = subparsers.add_parser("faults", help="the fault log (故障记录)")
    fcommands = faults.add_subparsers(dest="faults_command", metavar="COMMAND", required=True)
    p = fcommands.add_parser("list", help="list faults, newest first (列表)")
    p.add_argument("--status", choices=STATUS_CHOICES, default="all", help="default: all")
    p.add_argument("--device", help="printer, disk, database, app")
    p.add_argument("--all-terminals", action="store_true", help="every terminal in a shared database")
    p.add_argument("--limit", type=count(1, MAX_ROWS), default=200)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=list_command)

    p = fcommands.add_parser("show", help="one fault with its timeline (详情)")
    p.add_argument("id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=show_command)

    p = fcommands.add_parser("ack", help="acknowledge: someone is on it; stops escalation (确认)")
    p.add_argument("id")
    p.add_argument("--by", metavar="STAFF_ID", help="who (default: the command line user)")
    p.set_defaults(handler=ack_command)

    p = fcommands.add_parser("resolve", help="mark it fixed, saying what was done (处理完成)")
    p.add_argument("id")
    p.add_argument("--note", required=True, help="what was done: 已更换纸卷 …")
    p.add_argument("--by", metavar="STAFF_ID")
    p.set_defaults(handler=resolve_command)

    p = fcommands.add_parser("export", help="write faults as CSV (UTF-8 with BOM, opens in Excel/WPS) (导出)")
    p.add_argument("file", help="CSV file, or - for standard output")
    p.add_argument("--status", choices=STATUS_CHOICES, default="all")
    p.add_argument("--since", metavar="DATE", help="faults seen since, e.g. 2026-03-01")
    p.add_argument("--all-terminals", action="store_true")
    p.set_defaults(handler=export_command)


def device_service(context, *, with_printer: bool = False):
    """The application's device service and what ends the command's use of it (stops it, closes
    the devices it opened, gives pending notifications ten seconds). ``with_printer``: the
    command reads the devices (a bad printer.uri or profile becomes a printer_config fault)."""
    return context.app.devices, context.close


def _actor(service, by: str | None) -> str:
    if not by:
        return cli_actor()
    try:
        person = service.staff.get(service.staff.check_id(by))
    except StaffError as exc:
        raise CommandError(f"{exc.zh} / {exc.en}", EXIT_FAILED) from None
    if person is None:
        raise CommandError(f"没有工号为 {by} 的工作人员 / no staff member {by!r}", EXIT_FAILED)
    return person.id


def _dump(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def check_command(args, context) -> int:
    service, close = device_service(context, with_printer=True)
    try:
        report = service.check(direct=args.direct)
    finally:
        close()
    if args.json:
        _dump(report.to_dict())
        return 0 if report.ok else EXIT_FAILED
    for reading in report.readings:
        state = reading.message_zh
        facts = []
        if reading.device == "disk" and "free_mb" in reading.raw:
            facts.append(f"剩余 {reading.raw['free_mb']} MB")
        if reading.device in report.delegated:
            facts.append(f"由运行中的终端程序读取于 {reading.read_at:%H:%M:%S}" if reading.read_at else "由运行中的终端程序读取")
        if reading.detail:
            facts.append(reading.detail)
        print(f"{reading.label_zh:<6} {state}  {'；'.join(facts)}".rstrip())
    if report.active_faults:
        print(f"未处理故障 / open faults: {len(report.active_faults)}")
        for f in report.active_faults:
            print(f"  #{f.id} {f.title_zh} {f.status_zh} {f.assignee_zh} 自 {f.first_seen:%m-%d %H:%M}")
    else:
        print("未处理故障 / open faults: 无 / none")
    for f in report.escalated:
        print(f"已升级 / escalated: #{f.id} → {f.assignee_zh}")
    return 0 if report.ok else EXIT_FAILED


def _list(service, status: str, *, all_terminals: bool = False, since=None, limit: int | None = 200):
    try:
        return service.faults.list(status, all_terminals=all_terminals, since=since, limit=limit)
    except FaultError as exc:
        raise CommandError(f"{exc.zh} / {exc.en}", EXIT_USAGE) from None


def list_command(args, context) -> int:
    if args.limit < 1:
        raise CommandError("--limit 应为正整数 / must be a positive number", EXIT_USAGE)
    service, close = device_service(context)
    try:
        faults = [f for f in _list(service, args.status, all_terminals=args.all_terminals, limit=args.limit)
                  if not args.device or f.device == args.device]
    finally:
        close()
    if args.json:
        _dump([f.to_dict() for f in faults])
        return 0
    if not faults:
        print("没有故障记录 / no faults")
        return 0
    for f in faults:
        print(
            f"#{f.id:<4} {f.status_zh:<5} {f.title_zh}（{f.severity_zh}） {f.assignee_zh}  "
            f"{f.first_seen:%m-%d %H:%M} → {f.last_seen:%m-%d %H:%M}  {f.count}次"
            + (f"  {f.note}" if f.note else "")
        )
    return 0


def show_command(args, context) -> int:
    service, close = device_service(context)
    try:
        fault = service.faults.get(args.id)
        events = service.faults.events(fault.id)
    except FaultError as exc:
        raise CommandError(f"{exc.zh} / {exc.en}", EXIT_FAILED) from None
    finally:
        close()
    if args.json:
        _dump({**fault.to_dict(), "events": [
            {"at": e.at.isoformat(timespec="seconds"), "action": e.action, "actor": e.actor, "detail": e.detail} for e in events
        ]})
        return 0
    print(f"#{fault.id} {fault.title_zh}（{fault.severity_zh}） {fault.status_zh}")
    print(f"  终端 {fault.terminal}  负责人 {fault.assignee_zh}  共 {fault.count} 次")
    print(f"  首次 {fault.first_seen:%Y-%m-%d %H:%M:%S}  最近 {fault.last_seen:%Y-%m-%d %H:%M:%S}")
    if fault.fix_zh:
        print(f"  建议：{fault.fix_zh}")
    if fault.detail:
        print(f"  详情：{fault.detail}")
    if fault.note:
        print(f"  处理情况：{fault.note}")
    for e in events:
        print(f"  {e.at:%m-%d %H:%M:%S}  {e.action}  {e.actor}  {e.detail}".rstrip())
    return 0


def ack_command(args, context) -> int:
    service, close = device_service(context)
    try:
        fault = service.acknowledge_fault(args.id, _actor(service, args.by))
    except FaultError as exc:
        raise CommandError(f"{exc.zh} / {exc.en}", EXIT_FAILED) from None
    finally:
        close()
    print(f"已确认 / acknowledged: #{fault.id} {fault.title_zh}（{fault.acknowledged_by}）")
    return 0


def resolve_command(args, context) -> int:
    service, close = device_service(context)
    try:
        fault = service.resolve_fault(args.id, _actor(service, args.by), args.note)
    except FaultError as exc:
        raise CommandError(f"{exc.zh} / {exc.en}", EXIT_FAILED) from None
    finally:
        close()
    print(f"已处理 / resolved: #{fault.id} {fault.title_zh}：{fault.note}")
    return 0


def export_command(args, context) -> int:
    since = parse_datetime(args.since) if args.since else None
    service, close = device_service(context)
    try:
        faults = _list(service, args.status, all_terminals=args.all_terminals, since=since, limit=None)
    finally:
        close()
    if args.file == "-":
        service.faults.write_csv(faults, sys.stdout)
        return 0
    try:
        with create_private(args.file).open("w", encoding="utf-8-sig", newline="") as fh:
            count = service.faults.write_csv(faults, fh)
    except OSError as exc:
        raise CommandError(f"无法写入 {args.file} / cannot write: {exc.strerror}", EXIT_FAILED) from None
    print(f"已导出 / exported {count} 条 to {args.file}")
    return 0
