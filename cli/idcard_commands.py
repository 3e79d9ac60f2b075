"""kiosk idcard: the ID card reader — its status, a test read (masked), the emulator."""

from __future__ import annotations

import json
import sys

from cli.context import CommandError
from cli.arguments import seconds

EXIT_FAULT = 1
EXIT_USAGE = 2


def register(subparsers) -> None:
    parser = subparsers.add_parser("idcard", help="ID card reader: status, test read, emulator (身份证阅读器)")
    commands = parser.add_subparsers(dest="idcard_command", metavar="ACTION", required=True)

    p = commands.add_parser("status", help="ask the reader's security module (SAM) for its status")
    _uri_argument(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=status_command)

    p = commands.add_parser(
        "read",
        help="read the card on the reader (shown masked; nothing is stored)",
        description="A test read: the card's data is shown masked and is not stored or logged.",
    )
    _uri_argument(p)
    p.add_argument("--wait", type=seconds(0, 3600), default=0, metavar="S", help="wait up to S seconds for a card to be placed")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=read_command)

    p = commands.add_parser(
        "emulate",
        help="run an emulated ID card reader on a pty or TCP (读卡器模拟器)",
        description="An ID card reader for development: point idcard.uri at the URI it prints.",
    )
    try:
        from emulators.idcard.cli import add_emulate_arguments
    except ImportError:  # the emulators are not part of a terminal's build
        p.set_defaults(handler=_no_emulator)
    else:
        add_emulate_arguments(p)
        p.set_defaults(handler=emulate_command)


def _uri_argument(parser) -> None:
    parser.add_argument("--uri", metavar="URI", help="reader URI (default: idcard.uri or $KIOSK_IDCARD)")


def _reader(args, context):
    from drivers.idcard import IdCardReader
    from drivers.idcard.ports import ReaderUriError, create_port

    config = context.config.idcard
    uri = args.uri or config.uri
    if not uri:
        raise CommandError("未配置读卡器 / no card reader configured (idcard.uri, $KIOSK_IDCARD or --uri)", EXIT_USAGE)
    try:
        create_port(uri)
    except ReaderUriError as exc:
        raise CommandError(str(exc), EXIT_USAGE) from None
    return IdCardReader(uri, timeout=config.timeout_ms / 1000, read_timeout=config.read_timeout_ms / 1000)


def status_command(args, context) -> int:
    reader = _reader(args, context)
    try:
        status = reader.status()
    finally:
        reader.close()
    if args.json:
        print(json.dumps({"uri": reader.uri, "ok": status.ok, "kind": status.kind.value, "message_zh": status.message_zh,
                          "detail": status.detail, "sam_id": status.sam_id}, ensure_ascii=False))
    else:
        print(f"{reader.uri}: {status}")
        if status.sam_id:
            print(f"SAM: {status.sam_id}")
    return 0 if status.ok else EXIT_FAULT


def read_command(args, context) -> int:
    from kiosk.idcard import masked_card

    reader = _reader(args, context)
    try:
        read = reader.wait_for_card(args.wait) if args.wait > 0 else reader.read_card()
    finally:
        reader.close()
    if not read.ok:
        if args.json:
            print(json.dumps({"ok": False, "kind": read.kind.value, "advice_zh": read.advice_zh, "detail": read.detail}, ensure_ascii=False))
        else:
            print(f"{read.advice_zh} ({read.kind.value}: {read.detail})", file=sys.stderr)
        return EXIT_FAULT
    shown = masked_card(read.record)
    shown["seconds"] = round(read.seconds, 2)
    if args.json:
        print(json.dumps({"ok": True, **shown}, ensure_ascii=False))
    else:
        for key, value in shown.items():
            print(f"{key}: {value}")
    return 0


def emulate_command(args, context) -> int:
    from emulators.idcard.cli import run_emulator_from_args

    return int(run_emulator_from_args(args) or 0)


def _no_emulator(args, context) -> int:
    print("读卡器模拟器不可用 / the card reader emulator is not installed", file=sys.stderr)
    return EXIT_USAGE
