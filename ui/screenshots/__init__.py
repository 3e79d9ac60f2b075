"""Rendering screens to PNG offscreen: `kiosk screenshot`, and docs/screens (make screenshots,
``python -m ui.screenshots``).

Each entry of SCREENS puts the shell into a state a citizen would see, the way a citizen
would get there (navigation, taps, typing), then the window is grabbed. The window runs on the
sample services of fakes.py: staff screens show invented people and cases, and nothing is
recorded. The entries per feature: staff.py, feedback.py, assistance.py, input.py.
"""

from __future__ import annotations

import argparse
import logging
from datetime import datetime
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from ui.qt import QApplication

log = logging.getLogger(__name__)

DEFAULT_SIZE = (1080, 1920)


def settle(shell, timeout: float = 10.0) -> None:
    """Let background operations finish and their results reach the widgets."""
    app = QApplication.instance()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        app.processEvents()
        if shell.pools.db.activeThreadCount() == 0 and shell.pools.devices.activeThreadCount() == 0:
            app.processEvents()
            app.processEvents()
            if shell.pools.db.activeThreadCount() == 0 and shell.pools.devices.activeThreadCount() == 0:
                return
        time.sleep(0.005)
    raise TimeoutError("screens did not settle within %.0f s" % timeout)


def settled_grab(shell, timeout: float = 10.0, pause: float = 0.03):
    """The window as a picture once layout has settled: rendered again and again (background
    work finished, posted layout events delivered in between) until two successive renders are
    identical. A render that keeps changing (an animation) is returned as it last was after
    ``timeout`` seconds, with a warning in the log."""
    from ui.qt import QPixmap

    app = QApplication.instance()
    settle(shell, timeout)
    previous = shell.grab().toImage()
    deadline = time.monotonic() + timeout
    while True:
        time.sleep(pause)
        app.processEvents()
        settle(shell, timeout)
        current = shell.grab().toImage()
        if current == previous:
            return QPixmap.fromImage(current)
        if time.monotonic() > deadline:
            log.warning("the screen kept changing for %.0f s; captured as it last was", timeout)
            return QPixmap.fromImage(current)
        previous = current


def _default_item(shell) -> str:
    hits = [item for item in shell.services.self_service_items() if item.online_supported]
    items = hits or shell.services.self_service_items()
    return items[0].code if items else ""


def _item_with_deferrable(shell) -> str:
    index = shell.services.catalog_index()
    for entry in index.entries:
        item = shell.services.item(entry.code)
        if item and item.in_center and any(m.necessity == "deferrable" for m in item.materials) and len(item.materials) >= 3:
            return item.code
    return _default_item(shell)


def _elsewhere_item(shell) -> str:
    for entry in shell.services.catalog_index().entries:
        if not entry.in_center:
            return entry.code
    return _default_item(shell)


def show_home(shell, item):
    shell.home()


def show_browse(shell, item):
    shell.go("browse")


def show_browse_departments(shell, item):
    shell.go("browse", tab="department")


def show_search(shell, item):
    screen = shell.go("search")
    settle(shell)
    for key in "yyzz":
        screen.keyboard.keys[key].click()


def show_search_empty(shell, item):
    screen = shell.go("search")
    settle(shell)
    for key in "qqqqq":
        screen.keyboard.keys[key].click()


def show_item(shell, item):
    shell.go("item", code=item or _default_item(shell))


#: docs/screens are taken on a Wednesday morning (windows open, helpers on duty) …
DOCS_HOURS = datetime(2026, 12, 2, 10, 0)
#: … and the evening screens at 19:00 the same day
EVENING = datetime(2026, 12, 2, 19, 0)


def show_item_evening(shell, item):
    """The item page after the windows closed: 窗口今天已下班，明天 8:30 开始办理, what can be done now."""
    from kiosk.clock import ManualClock

    before = shell.services.hours_clock
    shell.services.hours_clock = ManualClock(EVENING)
    try:
        shell.go("item", code=item or _default_item(shell))
        settle(shell)
    finally:
        shell.services.hours_clock = before


def show_item_elsewhere(shell, item):
    shell.go("item", code=item or _elsewhere_item(shell))


def show_checklist(shell, item):
    screen = shell.go("checklist", code=item or _item_with_deferrable(shell))
    settle(shell)
    toggles = list(screen.toggles.values())
    for toggle in toggles[:1]:
        toggle.click()


def show_checklist_result(shell, item):
    show_checklist(shell, item)
    shell.screens["checklist"].check_button.click()


def show_selfservice(shell, item):
    shell.go("selfservice")


def show_attract(shell, item):
    """The attract screen, stopped on its first card (it moves slowly when live)."""
    shell.home()
    shell.attract.overlay.start(shell._attract_cards(), shell.center.name)
    shell.attract.overlay.freeze()


def show_idle_warning(shell, item):
    show_search(shell, item)
    settle(shell)
    shell.overlays.show_idle_warning(shell.config.ui.idle_warning_seconds, lambda: None, lambda: None)


def show_print_preview(shell, item):
    screen = shell.go("item", code=item or _default_item(shell))
    settle(shell)
    screen.print_button.click()


def show_print_failed(shell, item):
    screen = shell.go("item", code=item or _default_item(shell))
    settle(shell)
    shell.set_printer_state(False, "缺纸")
    screen.print_button.click()


# Sample applications (assets/sample_center/progress.json) and the last 4 digits of the phone.
PROGRESS_REVIEWING = ("YC2511170007", "5678")  # 审查中, due in a few working days
PROGRESS_OVERDUE = ("YC2511060002", "2468")  # 审查中, past its promised deadline


def _type_progress(shell, number: str, verification: str = "", *, unlock: bool = True):
    if unlock:  # a screenshot shows the form even where a previous entry paused queries here
        shell.services.progress.unlock()
    screen = shell.go("progress")
    settle(shell)
    screen.select_field("number")
    screen.keyboard.clear_key.click()
    for key in number.lower():
        screen.keyboard.keys[key].click()
    screen.select_field("verify")
    screen.keyboard.clear_key.click()
    for key in verification:
        screen.keyboard.keys[key].click()
    return screen


def _query_progress(shell, number: str, verification: str) -> None:
    screen = _type_progress(shell, number, verification)
    screen.query_button.click()


def show_progress(shell, item):
    _type_progress(shell, PROGRESS_REVIEWING[0])


def show_progress_result(shell, item):
    _query_progress(shell, *PROGRESS_REVIEWING)


def show_progress_overdue(shell, item):
    _query_progress(shell, *PROGRESS_OVERDUE)


def show_progress_locked(shell, item):
    for attempt in range(5):
        screen = _type_progress(shell, PROGRESS_OVERDUE[0], "0000", unlock=attempt == 0)
        screen.query_button.click()
        settle(shell)


SCREENS: dict[str, tuple[str, Callable]] = {
    "home": ("首页", show_home),
    "browse": ("办事指南：个人办事", show_browse),
    "browse-departments": ("办事指南：按部门", show_browse_departments),
    "search": ("搜索：yyzz", show_search),
    "search-empty": ("搜索：没有结果", show_search_empty),
    "item": ("事项一次性告知", show_item),
    "item-elsewhere": ("不在本中心办理的事项", show_item_elsewhere),
    "item-evening": ("事项页，窗口已下班：明天 8:30 开始办理，现在可以…", show_item_evening),
    "checklist": ("材料预审", show_checklist),
    "checklist-result": ("材料预审结果：缺材料", show_checklist_result),
    "selfservice": ("自助办理：哪台设备、在哪里、带什么", show_selfservice),
    "idle-warning": ("无操作提醒", show_idle_warning),
    "attract": ("待机画面（无人使用时，轻触即回首页）", show_attract),
    "print-preview": ("凭条预览", show_print_preview),
    "print-failed": ("打印机故障时", show_print_failed),
    "progress": ("进度查询：输入办件编号", show_progress),
    "progress-result": ("进度查询结果：审查中", show_progress_result),
    "progress-overdue": ("进度查询结果：已超期", show_progress_overdue),
    "progress-locked": ("进度查询已暂停", show_progress_locked),
}

from ui.screenshots.staff import STAFF_SCREENS  # noqa: E402 - maintainer mode (ui/staff)

SCREENS.update(STAFF_SCREENS)

from ui.screenshots.feedback import FEEDBACK_SCREENS  # noqa: E402 - ratings, complaints, admin summary

SCREENS.update(FEEDBACK_SCREENS)

from ui.screenshots.assistance import HELPER_SCREENS  # noqa: E402 - call a helper, helper mode (ui/assistance)

SCREENS.update(HELPER_SCREENS)

from ui.screenshots.input import INPUT_SCREENS  # noqa: E402 - pinyin and handwriting input

SCREENS.update(INPUT_SCREENS)


def render(shell, screen: str, out: Path, *, item: str = "", elder: bool = False, language: str = "") -> Path:
    """``screen`` as a citizen gets there, in ``language`` (as with the 中文/EN switch on home;
    default the configured ``ui.language``), grabbed to ``out``."""
    if screen not in SCREENS:
        raise KeyError(screen)
    shell.reset_session()
    shell.set_printer_state(True, "")  # a previous entry may have simulated a printer fault
    if language:
        shell.set_language(language)
    if elder:
        shell.set_elder(True)
    settle(shell)
    SCREENS[screen][1](shell, item)
    settle(shell)
    out.parent.mkdir(parents=True, exist_ok=True)
    if not settled_grab(shell).save(str(out)):
        raise OSError(f"could not write {out}")
    return out


def make_shell(config, size: tuple[int, int], clock=None):
    """The window on the sample services (fakes.py), shown at ``size``, its time fixed by
    ``clock`` (kiosk/clock.py) when given."""
    from dataclasses import replace

    from kiosk.services import KioskServices
    from ui.app import build_shell
    from ui.screenshots.fakes import ScreenshotServices

    # a screenshot is silent: the greeting is synthesised but `true` plays it (the 朗读 button shows)
    config = replace(config, speech=replace(config.speech, player="true"))
    services = ScreenshotServices(KioskServices(config))
    if clock is not None:
        services.hours_clock = clock
    shell = build_shell(config, services, size=size)
    shell.resize(*size)
    shell.show()
    settle(shell)
    return shell


def _import_sample_progress(config) -> None:
    """The sample applications, their dates moved so that one is overdue today, one due soon…"""
    from kiosk.progress.exchange import sample_file
    from kiosk.progress.timeutil import china_today
    from kiosk.services import KioskServices

    services = KioskServices(config)
    try:
        services.progress.import_file(sample_file(), shift_to=china_today())
    finally:
        services.close()


def regenerate_docs(out_dir: Path) -> list[Path]:
    """docs/screens: every screen portrait, the main ones landscape and in elder mode, on the
    sample center's data in a scratch database."""
    import os

    from kiosk.catalog import exchange
    from kiosk.config import load_config
    from kiosk.db import Database
    from kiosk.paths import sample_catalog

    written = []
    with tempfile.TemporaryDirectory() as scratch:
        os.environ["KIOSK_DATA_DIR"] = scratch
        config = load_config(env={"KIOSK_DATA_DIR": scratch})
        database = Database(config.effective_database_url)
        database.upgrade()
        with database.session() as session:
            exchange.apply(session, exchange.read_file(sample_catalog()))
        database.dispose()
        _import_sample_progress(config)
        for size, suffix, names in (
            ((1080, 1920), "", list(SCREENS)),
            ((1920, 1080), "-landscape", ["home", "browse", "browse-departments", "search", "item", "item-evening",
                                           "checklist-result", "selfservice", "progress", "progress-overdue",
                                           "staff-pin", "maintainer-faults", "maintainer-devices", "maintainer-info",
                                           "helper-called", "helper-after-hours", "helper-calls", "helper-proxy",
                                           "rating-offer", "rating-poor", "complaint", "attract"]),
        ):
            from kiosk.clock import ManualClock

            shell = make_shell(config, size, clock=ManualClock(DOCS_HOURS))
            for name in names:
                written.append(render(shell, name, out_dir / f"{name}{suffix}.png"))
            for name in ("home", "item", "item-evening", "checklist-result", "search", "selfservice", "progress",
                         "progress-overdue", "helper-called", "helper-after-hours", "helper-proxy", "idle-warning",
                         "print-failed", "rating-offer", "rating-poor", "attract") if not suffix else (
                         "home", "search", "item", "helper-after-hours"):
                written.append(render(shell, name, out_dir / f"{name}{suffix}-elder.png", elder=True))
            shell.allow_close = True
            shell.close()
            shell.pools.wait()
            shell.services.close()
            shell.deleteLater()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate docs/screens")
    parser.add_argument("out_dir", nargs="?", default="docs/screens")
    args = parser.parse_args(argv)
    from ui.app import create_application

    create_application()
    for path in regenerate_docs(Path(args.out_dir)):
        print(path)
    return 0

