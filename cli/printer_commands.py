"""`kiosk print …` and `kiosk printer …`: print slips, read the printer's status, list the
profiles, run the ESC/POS emulator, set the simulated printer's state.

Exit codes: 0 printed (or the printer can print), 1 a printer fault or a data problem (named,
Chinese first), 2 a usage or configuration problem.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from drivers.printer.errors import PrinterUriError
from drivers.printer.profiles import PROFILES, UnknownProfileError
from cli.context import CommandError
from cli.arguments import seconds

EXIT_FAULT = 1
EXIT_USAGE = 2


def register(subparsers) -> None:
    # kiosk print …
    print_parser = subparsers.add_parser("print", help="print a slip (打印凭条)")
    prints = print_parser.add_subparsers(dest="print_command", metavar="SLIP", required=True)

    p = prints.add_parser("notice", help="the one-time notification slip of an item (一次性告知单 / 补正材料清单)")
    p.add_argument("code", help="the item's implementation code (实施编码)")
    p.add_argument(
        "--missing",
        metavar="NAME",
        action="append",
        default=[],
        help="a material the citizen lacks (repeat for several): prints the 补正材料清单",
    )
    p.add_argument("--preview", metavar="PNG", help="also write the slip as it prints to this PNG file")
    p.add_argument("--no-print", action="store_true", help="only write --preview, don't print")
    _printer_arguments(p)
    p.set_defaults(handler=print_notice_command)

    p = prints.add_parser("test", help="the maintainer's test page (测试页)")
    p.add_argument("--preview", metavar="PNG", help="also write the page as it prints to this PNG file")
    _printer_arguments(p)
    p.set_defaults(handler=print_test_command)

    # kiosk printer …
    printer = subparsers.add_parser("printer", help="the receipt printer (打印机)")
    commands = printer.add_subparsers(dest="printer_command", metavar="COMMAND", required=True)

    p = commands.add_parser("status", help="ask the printer for its status (状态)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    _printer_arguments(p)
    p.set_defaults(handler=status_command)

    p = commands.add_parser("profiles", help="list the printer profiles (型号配置)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=profiles_command)

    p = commands.add_parser(
        "sim",
        help="show or change the simulated printer's state (模拟打印机)",
        description="Show or set the state of the sim:// printer; a running kiosk sees the change at its next "
        "status read. Without options: show the state and the last slips.",
    )
    p.add_argument("--folder", metavar="DIR", help="the sim folder (default: the configured sim:// folder, else DATA_DIR/sim-printer)")
    p.add_argument("--paper", choices=("ok", "near", "out"))
    p.add_argument("--cover", choices=("open", "closed"))
    p.add_argument("--online", dest="offline", action="store_false", default=None)
    p.add_argument("--offline", dest="offline", action="store_true")
    for flag, meaning in (
        ("cutter-error", "auto-cutter error"),
        ("unrecoverable", "unrecoverable error"),
        ("recoverable", "auto-recoverable error (head too hot)"),
        ("silent", "answer no status request"),
        ("stall", "take no data (writes time out)"),
        ("unplugged", "device gone (can't be opened)"),
    ):
        p.add_argument(f"--{flag}", choices=("on", "off"), help=meaning)
    p.add_argument("--reset", action="store_true", help="back to a healthy printer first")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=sim_command)

    p = commands.add_parser(
        "emulate",
        help="run an ESC/POS printer emulator on TCP (打印机模拟器)",
        description="A network ESC/POS printer on TCP for development: point printer.uri at tcp://HOST:PORT.",
    )
    try:
        from emulators.escpos import add_emulate_arguments
    except ImportError:  # the emulator is optional in a stripped build
        p.set_defaults(handler=_no_emulator)
    else:
        add_emulate_arguments(p)
        p.set_defaults(handler=emulate_command)


def _printer_arguments(parser) -> None:
    parser.add_argument("--printer", metavar="URI", help="printer URI (default: printer.uri or $KIOSK_PRINTER)")
    parser.add_argument("--profile", metavar="NAME", help=f"printer profile ({', '.join(PROFILES)})")
    parser.add_argument("--timeout", type=seconds(0.1, 300), default=None, help="seconds before a silent printer is a fault (default 3)")


def _service(args, context):
    from kiosk.printing import PrintService

    options = {}
    if getattr(args, "timeout", None):
        if args.timeout <= 0:
            raise CommandError("--timeout 应为正数 / must be positive", EXIT_USAGE)
        options["timeout"] = args.timeout
    try:
        return PrintService.from_config(context.config, uri=args.printer, profile=args.profile, **options)
    except (UnknownProfileError, PrinterUriError) as exc:
        raise CommandError(str(exc), EXIT_USAGE) from None


def _finish(outcome) -> int:
    if not outcome.ok:
        raise CommandError(f"打印失败 / not printed — {outcome}", EXIT_FAULT)
    line = "已打印 / printed"
    result = outcome.result
    if result is not None:
        line += f" ({result.bytes_sent} bytes, {result.seconds:.1f} s" + (", confirmed" if result.confirmed else "") + ")"
    print(line)
    if outcome.warning:
        print(f"注意 / warning: {outcome.warning}")
    return 0


def print_notice_command(args, context) -> int:
    from kiosk.catalog.service import get_center, get_item
    from kiosk.slips import UnknownMaterialError

    service = _service(args, context)
    try:
        with context.database.session() as session:
            item = get_item(session, args.code)
            if item is None:
                raise CommandError(f"未找到事项编码 {args.code} / no service item with code {args.code!r}", EXIT_FAULT)
            center = get_center(session)
            try:
                document = service.notice(item, center, args.missing)
            except UnknownMaterialError as exc:
                raise CommandError(str(exc), EXIT_FAULT) from None
        if args.preview:
            _save_preview(service, document, args.preview)
        if args.no_print:
            if not args.preview:
                raise CommandError("--no-print 需要 --preview / --no-print needs --preview", EXIT_USAGE)
            return 0
        return _finish(service.print_document(document))
    finally:
        service.close()


def print_test_command(args, context) -> int:
    service = _service(args, context)
    try:
        status = service.status()
        document = service.test_page(status)
        if args.preview:
            _save_preview(service, document, args.preview)
        return _finish(service.print_document(document))
    finally:
        service.close()


def _save_preview(service, document, path: str) -> None:
    image = service.preview(document, mode="1")
    try:
        image.save(path, format="PNG")
    except OSError as exc:
        raise CommandError(f"无法写入预览 / cannot write {path}: {exc}", EXIT_FAULT) from None
    print(f"预览已保存 / preview written to {path} ({image.width}×{image.height} dots)")


def status_command(args, context) -> int:
    service = _service(args, context)
    try:
        status = service.status()
    finally:
        service.close()
    if args.json:
        data = {"uri": service.uri, "profile": service.profile.name, **status.to_dict()}
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(f"打印机 / printer: {service.uri} ({service.profile.name})")
        print(f"状态 / status: {status.message_zh} / {status.message_en}")
        if status.raw:
            print("应答 / replies: " + ", ".join(f"{k}={v.hex() or '(none)'}" for k, v in status.raw.items()))
        if status.detail:
            print(f"详情 / detail: {status.detail}")
        if not status.can_print:
            print(status.advice_zh)
    return 0 if status.can_print else EXIT_FAULT


def profiles_command(args, context) -> int:
    rows = [profile.summary() for profile in PROFILES.values()]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    headers = ("name", "paper_mm", "width_dots", "columns", "text", "qr", "cutter", "status", "gs_r")
    table = [headers] + [tuple(_cell(row[h]) for h in headers) for row in rows]
    widths = [max(len(r[i]) for r in table) for i in range(len(headers))]
    for r in table:
        print("  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip())
    print()
    for row in rows:
        print(f"{row['name']}: {row['description']}")
    return 0


def _cell(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _sim_folder(args, context) -> Path:
    if args.folder:
        return Path(args.folder).expanduser()
    from drivers.printer.transports import parse_printer_uri
    from kiosk.printing import sim_folder

    config = context.config
    try:
        parsed = parse_printer_uri(config.printer.uri)
    except PrinterUriError:
        parsed = None
    if parsed is not None and parsed.scheme == "sim" and (parsed.host or parsed.path):
        return Path((parsed.host or "") + parsed.path).expanduser()
    return sim_folder(config)


def sim_command(args, context) -> int:
    from drivers.printer.transports import SimState, SimTransport

    folder = _sim_folder(args, context)
    state = SimState() if args.reset else SimState.load(folder)
    changes: dict[str, object] = {}
    if args.paper:
        changes["paper"] = args.paper
    if args.cover:
        changes["cover_open"] = args.cover == "open"
    if args.offline is not None:
        changes["offline"] = args.offline
    for flag, field in (
        ("cutter_error", "cutter_error"),
        ("unrecoverable", "unrecoverable"),
        ("recoverable", "recoverable"),
        ("silent", "silent"),
        ("stall", "stall"),
        ("unplugged", "disconnected"),
    ):
        value = getattr(args, flag)
        if value is not None:
            changes[field] = value == "on"
    if changes or args.reset:
        state = state.replace(**changes)
        state.save(folder)
    slips = SimTransport(folder).slips()
    if args.json:
        import dataclasses

        print(json.dumps({"folder": str(folder), "state": dataclasses.asdict(state), "slips": [str(p) for p in slips[-10:]]}, ensure_ascii=False, indent=2))
        return 0
    print(f"模拟打印机 / simulated printer: {folder}")
    print(f"状态 / state: {state.describe()}")
    if slips:
        print(f"最近的凭条 / last slips ({len(slips)} in {folder / 'slips'}):")
        for path in slips[-5:]:
            print(f"  {path.name}")
    return 0


def emulate_command(args, context) -> int:
    from emulators.escpos import run_emulator_from_args

    return int(run_emulator_from_args(args) or 0)


def _no_emulator(args, context) -> int:
    print("打印机模拟器不可用 / the printer emulator is not installed", file=sys.stderr)
    return EXIT_USAGE
