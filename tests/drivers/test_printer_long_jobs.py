"""Long slips on slow printers (issue 16 item 1): the confirmation after a job waits as long as
the paper needs at the profile's speed, so a slip that printed is reported printed; a printer
that stops taking data in the middle of a slip is reported within seconds, not after the whole
budget. Against the TCP emulator with a paper speed (a raster profile: every line an image)."""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path
import time

import pytest

from drivers.printer.device import ReceiptPrinter
from drivers.printer.document import Document
from drivers.printer.errors import PrinterTimeoutError
from emulators.escpos import EmulatedPrinter
from kiosk.catalog import exchange, service
from kiosk.db import Database
from kiosk.slips import build_notice

SAMPLE = Path(__file__).resolve().parents[2] / "assets" / "sample_center" / "catalog.json"


def sample_notice(folder: Path) -> Document:
    """The 补正 notice of the sample catalog's item with the most materials (as bench/bench_print.py)."""
    db = Database(f"sqlite:///{folder}/notice.sqlite3")
    db.upgrade()
    catalog = exchange.read_file(SAMPLE)
    with db.session() as session:
        exchange.apply(session, catalog)
    with db.session() as session:
        items = [service.get_item(session, i["code"]) for i in catalog["items"]]
        item = max(items, key=lambda i: (len(i.materials), len(i.basis) + len(i.conditions)))
        missing = [m.name for m in item.materials[:2]]
        return build_notice(
            item, service.get_center(session), terminal_id="YC-HALL-01", printed_at=datetime(2025, 3, 18, 10, 31), missing=missing
        )


def long_slip(lines: int = 120) -> Document:
    document = Document("长凭条")
    for number in range(lines):
        document.text(f"第{number + 1}项 营业执照 身份证复印件 申请书原件一份，复印件两份")
    return document.cut()


def test_a_long_raster_slip_on_a_slow_printer_is_reported_printed():
    document = long_slip()
    with EmulatedPrinter("raster-80", paper_speed_mm_s=150) as emulator:
        printer = ReceiptPrinter(emulator.uri, profile="raster-80", timeout=2.0, status_timeout=1.0)
        with printer:
            size = len(printer.render(document))
            started = time.monotonic()
            result = printer.print(document)
            elapsed = time.monotonic() - started
        emulator.wait_for_jobs(1)
        paper_time = emulator._decoder.paper_dots / (150 * 8)
    assert size > 150_000, "a raster slip this long is some hundred KB"
    assert paper_time > 2.5, "longer than the status reply's own time-out"
    assert result.confirmed and result.status_after is not None and result.status_after.can_print
    assert elapsed >= paper_time * 0.8, "the answer came after the paper, not before"


def test_a_printer_that_stalls_in_the_middle_of_a_long_slip_is_reported_in_seconds():
    document = long_slip(400)  # about 40 s of paper at 60 mm/s
    with EmulatedPrinter("raster-80", paper_speed_mm_s=60) as emulator:
        printer = ReceiptPrinter(emulator.uri, profile="raster-80", timeout=2.0, status_timeout=1.0)
        def jam_once_printing():  # the paper jams when the slip is well under way
            while len(emulator._received) < 40_000:
                time.sleep(0.01)
            jammed.append(time.monotonic())
            emulator.state.update(stall=True)

        jammed: list[float] = []
        threading.Thread(target=jam_once_printing, daemon=True).start()
        with printer:
            started = time.monotonic()
            with pytest.raises(PrinterTimeoutError) as stalled:
                printer.print(document)
            elapsed = time.monotonic() - started
        emulator.state.update(stall=False)
    after_jam = time.monotonic() - jammed[0]
    assert after_jam < 2.0 + 3.0, f"a stall is reported within seconds, not after {after_jam:.0f} s"
    assert elapsed < 30, "long before the slip's paper time (about 40 s)"
    assert "不再接收" in str(stalled.value) or "took no data" in str(stalled.value) or "stopped" in str(stalled.value)


def test_a_raster_notice_on_a_60_mm_s_printer_is_reported_printed(tmp_path):
    """Issue 20: the status requests after the first one of the post-job round queue behind
    the paper still in the printer's buffer (a raster block is printed as a whole); each of
    them waits for that paper too, not only the status reply's own time-out."""
    document = sample_notice(tmp_path)  # the print bench's slip: ≈ 6.7 s of paper at 60 mm/s
    with EmulatedPrinter("raster-80", paper_speed_mm_s=60) as emulator:
        printer = ReceiptPrinter(emulator.uri, profile="raster-80", timeout=2.0, status_timeout=1.0)
        with printer:
            started = time.monotonic()
            result = printer.print(document)
            elapsed = time.monotonic() - started
        emulator.wait_for_jobs(1)
        paper_time = emulator._decoder.paper_dots / (60 * 8)
    assert result.confirmed and result.status_after is not None and result.status_after.can_print
    assert elapsed <= paper_time * 1.10 + 0.5, f"confirmed {elapsed:.2f} s for {paper_time:.2f} s of paper"
