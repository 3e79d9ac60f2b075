"""Printing: time from 打印 to the confirmation, against the paper time at the printer's speed.

    .venv/bin/python bench/bench_print.py [--speeds 60,150,250] [--profiles generic-80,raster-80] [--runs 3]

The slip is the sample center's longest 补正材料清单 (the one bench_slips.py uses). Each run
prints it with ReceiptPrinter over real TCP to the ESC/POS emulator in slow mode
(`paper_speed_mm_s`: it reads data only as fast as the paper comes out, and measures that paper
itself), and times ReceiptPrinter.print() — what the kiosk's print operation waits for before it
says 打印完成 — from the call to the confirmed result. Paper time = the emulator's paper length /
speed. Target: confirmation ≤ paper time + 10%, and the answer right (confirmed, not 打印失败).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_slips import load_item  # noqa: E402
from machine import describe_machine  # noqa: E402

from drivers.printer.device import ReceiptPrinter  # noqa: E402
from drivers.printer.errors import PrinterError  # noqa: E402
from emulators.escpos import EmulatedPrinter  # noqa: E402
from kiosk.slips.notice import build_notice  # noqa: E402


def print_once(document, profile: str, speed: float) -> tuple[float, float, str]:
    """(seconds to the confirmation, paper seconds, outcome)."""
    with EmulatedPrinter(profile, paper_speed_mm_s=speed) as emulator:
        printer = ReceiptPrinter(emulator.uri, profile=profile, timeout=2.0)
        try:
            with printer:
                started = time.perf_counter()
                try:
                    result = printer.print(document)
                    outcome = "confirmed" if result.confirmed else "sent, not confirmed"
                except PrinterError as exc:
                    outcome = f"打印失败 / {exc.__class__.__name__}"
                elapsed = time.perf_counter() - started
        finally:
            printer.close()
        emulator.wait_for_jobs(1, timeout=120)
        paper = emulator._decoder.paper_dots / (speed * 8)
    return elapsed, paper, outcome


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--speeds", default="60,150,250", help="paper speeds in mm/s")
    parser.add_argument("--profiles", default="generic-80,raster-80")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)

    item, center = load_item(None)
    missing = [m.name for m in item.materials[:2]]
    document = build_notice(item, center, terminal_id="YC-HALL-01", printed_at=datetime(2025, 3, 18, 10, 31), missing=missing)

    print(describe_machine())
    print(f"slip: 补正材料清单 of “{item.name}”; median of {args.runs} prints each, over TCP to the emulator\n")
    print(f"{'profile':<12} {'speed':>8} {'paper':>9} {'to confirmation':>16} {'over paper':>11}  outcome")
    for profile in args.profiles.split(","):
        for speed in (float(s) for s in args.speeds.split(",")):
            runs = [print_once(document, profile, speed) for _ in range(args.runs)]
            elapsed = statistics.median(r[0] for r in runs)
            paper = statistics.median(r[1] for r in runs)
            outcomes = sorted({r[2] for r in runs})
            print(f"{profile:<12} {speed:>5.0f}mm/s {paper:>8.2f}s {elapsed:>15.2f}s {(elapsed / paper - 1) * 100:>+10.1f}%  "
                  f"{', '.join(outcomes)}")
    print("\ntarget: confirmation ≤ paper time + 10%, every print confirmed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
