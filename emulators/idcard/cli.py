"""``kiosk idcard emulate``: the emulated reader on a pty and/or TCP, with a console.

    kiosk idcard emulate --pty                    prints serial:///dev/pts/N?baud=115200
    kiosk idcard emulate --tcp 127.0.0.1:4001     prints tcp://127.0.0.1:4001
    kiosk idcard emulate --cards my_cards.json --card 2 --fault slow

Console commands on stdin (one a line): ``card N`` (place card N), ``remove``, ``fault MODE
[SECONDS]``, ``cards``, ``status``, ``quit``. It stops at ``quit``, Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from emulators.idcard.cards import CardError, default_cards_path, load_cards
from emulators.idcard.core import FAULT_MODES, EmulatedReader
from emulators.idcard.servers import PtyReaderServer, TcpReaderServer


def add_emulate_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--cards", metavar="FILE", help="cards file (kiosk-idcards/1 JSON; default: the sample cards)")
    parser.add_argument("--card", default="0", metavar="N|none", help="the card on the reader at start (default 0)")
    parser.add_argument("--fault", choices=FAULT_MODES, default="none", help="fault mode at start")
    parser.add_argument("--delay", type=float, default=5.0, metavar="S", help="reply delay of the slow fault (default 5 s)")
    parser.add_argument("--pty", action="store_true", help="listen on a pseudo-terminal (a serial port)")
    parser.add_argument("--link", metavar="PATH", help="with --pty: also a symlink to it at PATH (e.g. /tmp/ttyIDCARD)")
    parser.add_argument("--tcp", metavar="HOST:PORT", help="listen on TCP (PORT 0: any free port)")


def _console(reader: EmulatedReader, stop: threading.Event, out) -> None:
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        command, rest = words[0].lower(), words[1:]
        try:
            if command == "quit":
                break
            if command == "card" and rest:
                reader.place_card(int(rest[0]))
            elif command == "remove":
                reader.remove_card()
            elif command == "fault" and rest:
                reader.set_fault(rest[0], float(rest[1]) if len(rest) > 1 else None)
            elif command == "cards":
                for i, card in enumerate(reader.cards):
                    print(f"{i}: {card.name} {card.id_number[:6]}… {card.valid_from}-{card.valid_to}", file=out)
            elif command != "status":
                print("commands: card N | remove | fault MODE [SECONDS] | cards | status | quit", file=out)
                continue
        except (ValueError, IndexError) as exc:
            print(f"error: {exc}", file=out)
            continue
        card = "none" if reader.card_index is None else str(reader.card_index)
        print(f"card={card} fault={reader.fault}", file=out, flush=True)
    else:
        return  # stdin closed (a service): keep running until a signal
    stop.set()


def run_emulator_from_args(args, out=None) -> int:
    out = out or sys.stdout
    try:
        cards = load_cards(args.cards or default_cards_path())
    except CardError as exc:
        print(f"卡片文件无效 / cards file: {exc}", file=sys.stderr)
        return 2
    if not (args.pty or args.tcp):
        print("需要 --pty 或 --tcp / give --pty and/or --tcp", file=sys.stderr)
        return 2
    index = None if args.card == "none" else int(args.card) if args.card.isdigit() else -1
    if index is not None and not 0 <= index < len(cards):
        print(f"没有第 {args.card} 张卡 / no card {args.card} (0..{len(cards) - 1})", file=sys.stderr)
        return 2
    reader = EmulatedReader(cards, card_index=index, fault=args.fault, delay=args.delay)
    servers = []
    try:
        if args.tcp:
            host, _, port = args.tcp.rpartition(":")
            servers.append(TcpReaderServer(reader, host or "127.0.0.1", int(port)))
        if args.pty:
            servers.append(PtyReaderServer(reader, link=args.link))
    except (OSError, ValueError) as exc:
        print(f"无法监听 / cannot listen: {exc}", file=sys.stderr)
        for server in servers:
            server.stop()
        return 1
    stop = threading.Event()
    for server in servers:
        server.start()
        print(server.uri, file=out, flush=True)
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
    threading.Thread(target=_console, args=(reader, stop, out), daemon=True).start()
    try:
        while not stop.wait(0.2):
            pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for server in servers:
            server.stop()
    return 0
