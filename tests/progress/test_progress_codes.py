"""The progress slip's QR code scans back to its application."""

from __future__ import annotations

from datetime import date, datetime

import zxingcpp

from drivers.printer.profiles import get_profile
from drivers.printer.raster import render_image
from kiosk.config import Config, TerminalConfig
from kiosk.paths import assets_dir
from kiosk.scans import progress_code, resolve_scan
from kiosk.services import KioskServices
from kiosk.slips.progress import build_progress_slip

AS_OF = date(2026, 3, 5)


def test_the_progress_slip_carries_a_code_that_scans_back(catalog_db, data_dir):
    services = KioskServices(Config(terminal=TerminalConfig(id="YC-HALL-01"), data_dir=data_dir), catalog_db)
    try:
        services.progress.import_file(assets_dir() / "sample_center" / "progress.json", shift_to=AS_OF)
        outcome = services.progress.query("YC2511060002", "2468", as_of=AS_OF)
        doc = build_progress_slip(outcome.view, "永城市政务服务中心", terminal_id="T1", printed_at=datetime(2026, 3, 5, 9))
    finally:
        services.close()
    for profile in ("generic-80", "generic-58"):
        image = render_image(doc, get_profile(profile))
        payloads = [r.text for r in zxingcpp.read_barcodes(image)]
        assert payloads == [progress_code("YC2511060002")]
        assert resolve_scan(payloads[0]).value == "YC2511060002"
