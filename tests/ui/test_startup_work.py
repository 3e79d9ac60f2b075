"""Issue 20: what starting the kiosk does before home is painted, and what it leaves for after.

Imports are counted in a fresh process (this one has imported everything already); the
warm-up is checked on a real shell: after it, the search index exists and the slip font has
drawn the notice's glyphs before any citizen taps.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from drivers.printer import raster
from ui import warm_up
from ui.qt import QLabel

ROOT = Path(__file__).resolve().parents[2]

SHOW_HOME = r"""
import json, sys
from kiosk.config import load_config
from ui.app import build_shell
from ui.qt import QApplication
shell = build_shell(load_config(), size=(1080, 1920))
shell.show()
QApplication.processEvents()
assert shell.current_name() == "home"
print(json.dumps(sorted(m for m in sys.modules if m.startswith(("ui.", "PySide6")))))
shell.allow_close = True
shell.close()
shell.pools.wait()
shell.services.close()
"""

SHOW_HOME_AS_RUN_DOES = r"""
import json, sys
from kiosk.config import load_config
from ui.app import build_shell
from ui.qt import QApplication
shell = build_shell(load_config(), size=(1080, 1920), watch_devices=False)  # as `kiosk run` builds it
shell.show()
QApplication.processEvents()
assert shell.current_name() == "home" and shell.center_name.text()
print(json.dumps(sorted(sys.modules)))
shell.allow_close = True
shell.close()
shell.pools.wait()
shell.services.close()
"""

SIZE_OPTION = r"""
import json, sys
from cli.ui_commands import _size
assert _size("1080x1920") == (1080, 1920)
print(json.dumps(sorted(m for m in sys.modules if m.startswith(("ui", "PySide6")))))
"""


def _modules_after(script: str, tmp_path: Path) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen", "KIOSK_DATA_DIR": str(tmp_path),
           "KIOSK_CONFIG": str(ROOT / "assets" / "dev-config.toml")}
    done = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.splitlines()[-1])


def test_showing_home_imports_no_other_screen(tmp_path):
    modules = _modules_after(SHOW_HOME, tmp_path)
    assert "ui.screens.home" in modules
    others = [m for m in modules if m.startswith(("ui.screens.", "ui.staff.maintainer", "ui.assistance.desk",
                                                  "ui.assistance.proxy", "ui.screenshots"))]
    assert others == ["ui.screens.home"], f"imported before they are shown: {others}"


def test_home_is_painted_before_the_devices_the_calendar_and_the_qr_encoder_are_loaded(tmp_path):
    # `kiosk run` paints home first; the device service and the printer's driver (≈ 40–70 ms),
    # the working-day calendar, the QR encoder and the feedback service come after.
    _modules_after(SHOW_HOME_AS_RUN_DOES, tmp_path)  # the first start creates the database (every model)
    modules = set(_modules_after(SHOW_HOME_AS_RUN_DOES, tmp_path))
    later = ("kiosk.devices", "kiosk.printing", "drivers.printer", "kiosk.hours.service", "lunar_python", "qrcode",
             "kiosk.feedback.service", "urllib.request")
    assert not [m for m in later if m in modules], [m for m in later if m in modules]
    assert "kiosk.hours.schedule" in modules and "kiosk.feedback.choices" in modules  # what home does need


def test_after_the_first_paint_the_banners_follow_the_devices_and_a_crash_is_reported(qtbot, services):
    from drivers.printer.transports.sim import SimState
    from kiosk import crash
    from ui.app import KioskWindow, run_after_first_paint

    try:
        raise RuntimeError("the screen broke")
    except RuntimeError as exc:
        crash.write_record(services.config.data_dir, crash.make_record(type(exc), exc, exc.__traceback__))
    SimState().replace(paper="out").save(services.config.printer.uri.removeprefix("sim://"))
    shell = KioskWindow(services, size=(1080, 1920), watch_devices=False)  # as `kiosk run` builds it
    qtbot.addWidget(shell)
    shell.show()
    assert shell.device_events is None and not services.app.built("devices")
    run_after_first_paint(shell)
    try:
        # the monitor polls at once: the paper is out, and the banner says so
        qtbot.waitUntil(lambda: shell.printer_banner.isVisible(), timeout=10000)
        assert "打印暂不可用（缺纸）" in shell.printer_banner_text.text()
        # the previous run's crash is one fault of the app
        qtbot.waitUntil(lambda: bool(services.devices.faults.list(device="app")), timeout=10000)
        fault = services.devices.faults.list(device="app")[0]
        assert fault.kind == "unhandled_exception" and "RuntimeError: the screen broke" in fault.detail
        assert crash.read_pending(services.config.data_dir) is None
    finally:
        shell.allow_close = True
        shell.pools.wait()


def test_the_size_option_does_not_load_qt(tmp_path):
    # `kiosk run --windowed --size 1080x1920` parsed its size with the screenshot module, which
    # imported Qt and every screenshot's screens before the kiosk started (≈ 0.4 s).
    modules = _modules_after(SIZE_OPTION, tmp_path)
    assert not [m for m in modules if m.startswith(("PySide6", "ui."))], modules


def test_a_screen_shown_later_is_built_from_its_module(qtbot, shell):
    progress = shell.go("progress")
    assert type(progress).__module__ == "ui.screens.progress" and shell.current_name() == "progress"
    assert shell.screens["progress"] is progress  # built once


def _clear_slip_font_caches() -> None:
    with raster._lock:
        raster._fonts.clear()
        raster._glyphs.clear()


def test_warm_up_builds_the_index_and_draws_a_notice_before_any_tap(qtbot, shell):
    _clear_slip_font_caches()
    catalog = shell.app.catalog
    assert catalog._index is None  # nothing searched yet
    warm_up.start(shell)
    qtbot.waitUntil(lambda: catalog._index is not None and bool(raster._glyphs)
                    and shell.pools.db.activeThreadCount() == 0 and shell.pools.devices.activeThreadCount() == 0,
                    timeout=30000)
    name = catalog._index.entries[0].name
    drawn = {key[0] for key in raster._glyphs}
    assert set(name) <= drawn, f"the first item's name was not drawn: {set(name) - drawn}"
    assert raster._fonts, "the slip font was not opened"


def test_then_runs_after_the_first_paint(qtbot, monkeypatch):
    from ui import startup_timing

    monkeypatch.delenv(startup_timing.REPORT_ENV, raising=False)
    calls = []
    window = QLabel("首页")
    qtbot.addWidget(window)
    startup_timing.watch_first_paint(window, then=lambda: calls.append(window.isVisible()), delay_ms=10)
    assert not calls
    window.show()
    qtbot.waitUntil(lambda: calls == [True])
