"""Long slips on slow printers (issue 16 item 1): the confirmation after a job waits as long as
the paper needs at the profile's speed, so a slip that printed is reported printed; a printer
that stops taking data in the middle of a slip is reported within seconds, not after the whole
budget. Against the TCP emulator with a paper speed (a raster profile: every line an image)."""

from __future__ import annotations

import threading
import time

import pytest

from drivers.printer.device import ReceiptPrinter
from drivers.printer.document import Document
from drivers.printer.errors import PrinterTimeoutError
from emulators.escpos import EmulatedPrinter


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
