"""Starting the kiosk: the Qt application, the font, the services and the window, where the app
registers its screens and attaches its features (KioskWindow)."""

from __future__ import annotations

import logging
import sys

from kiosk.config import Config
from kiosk.paths import assets_dir
from kiosk.services import KioskServices
from ui import garbage, i18n
from ui.fonts import choose_chinese_font
from ui.operations import Pools
from ui.qt import QApplication, Qt
from ui.shell import Shell

log = logging.getLogger(__name__)


def create_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or [sys.argv[0]])
    app.setApplicationName("zwfw-kiosk")
    app.setFont(choose_chinese_font())
    garbage.install(app)  # cyclic garbage is collected on the UI thread only
    return app


class KioskWindow(Shell):
    """The kiosk's window: the shell (ui/shell.py) with the app's screens registered and its
    features attached. This is the one place that knows every screen and feature and connects
    them; a screen or a feature is given what it needs and knows the shell's public interface.

    Screens are built, and their modules imported, the first time they are shown
    (ui/screen.py). The features that live beside the screens are built at once: the rating
    offer (ui/rating.py), the help calls and helper mode (ui/assistance), and the staff door on
    the emblem (ui/staff/entry.py).
    """

    def __init__(
        self, services: KioskServices, *, size: tuple[int, int] | None = None, pools: Pools | None = None,
        watch_devices: bool = True,
    ):
        from ui.assistance import HELPER_SCREENS
        from ui.assistance.calling import CallController
        from ui.assistance.mode import HelperMode
        from ui.rating import RatingOffer
        from ui.screen import lazy_screen
        from ui.screens import CITIZEN_SCREENS, FEEDBACK_SCREEN
        from ui.staff import MAINTAINER_SCREEN
        from ui.staff.entry import StaffDoor

        super().__init__(services, size=size, pools=pools)
        screens = self.screens
        # Each screen's module is imported when the screen is first built (ui/screen.py).
        for name, path in CITIZEN_SCREENS.items():
            screens.register(name, lazy_screen(path))

        #: 好差评 after a print or a progress query (shell.offer_rating)
        self.rating_offer = RatingOffer(self)
        screens.register(FEEDBACK_SCREEN[0], lazy_screen(FEEDBACK_SCREEN[1], self.rating_offer))

        #: the hidden entry on the emblem, the PIN pad, and which mode a person works in
        self.staff_door = StaffDoor(self)
        screens.register(MAINTAINER_SCREEN[0], lazy_screen(MAINTAINER_SCREEN[1], self.staff_door))

        #: 呼叫帮办 from every screen (shell.call_helper), and helper mode after a helper signs in
        self.help_calls = CallController(self)
        self.helper_mode = HelperMode(self, self.help_calls, maintaining=self.staff_door.maintaining)
        self.staff_door.add_mode(self.helper_mode)
        for name, path in HELPER_SCREENS.items():
            screens.register(name, lazy_screen(path, self.helper_mode))
        screens.on_built("item", self.helper_mode.attach_to_item_screen)  # 打印多份, 全部窗口信息

        #: QR / barcode scanners: a scanned 办件 code opens 进度查询 (ui/scanning.py, docs/idcard.md)
        from ui.scanning import attach_scanner

        self.scan_filter = attach_scanner(self)

        #: the attract screen when nobody uses the terminal (ui/attract.py); a touch leaves it
        from ui.attract import AttractController

        self.attract = AttractController(self, self.config.ui.attract_after_seconds, cards=self._attract_cards)
        self.attract.blocked = lambda: self.help_calls.waiting or self.helper_mode.session is not None or self.staff_door.maintaining()

        if watch_devices:  # `kiosk run` does it after the first paint (run_after_first_paint)
            self.watch_devices()
        self.start()

    def _attract_cards(self):
        """What the attract screen shows now (on a worker thread: the hours read the catalog)."""
        from ui.attract import features

        return features(self.services.help_answer(), zone=self.config.terminal.zone)


def build_shell(
    config: Config, services: KioskServices | None = None, *, size: tuple[int, int] | None = None,
    watch_devices: bool = True,
) -> KioskWindow:
    app = create_application()
    i18n.install(app, config.ui.language, assets_dir() / "translations")
    services = services or KioskServices(config)
    services.start()
    return KioskWindow(services, size=size, watch_devices=watch_devices)


def run_after_first_paint(shell: KioskWindow) -> None:
    """What `kiosk run` starts once home is painted, because home does not need it: the device
    monitor and the banners that follow it (building the device service and the printer's driver
    took ≈ 40–70 ms of the start, docs/performance.md), the previous run's crash record (a fault:
    a database write, on the device pool), the center sync; then, in idle time, the warm-up
    (ui/warm_up.py); and the line that says where the data, slips and log are."""
    from ui import deployment, operations, warm_up

    shell.watch_devices()
    shell.services.start_monitor()  # polls every device now, then every devices.poll_seconds
    operations.run(shell.pools.devices, deployment.report_previous_crash, shell.config, shell.services, owner=shell)
    shell.services.start_fleet()  # an enrolled terminal's sync with the center (docs/fleet.md); else nothing
    shell.run_later(warm_up.DELAY_MS, lambda: warm_up.start(shell))
    print(running_line(shell.config), flush=True)


def running_line(config) -> str:
    """One line for the person who started it: it runs, and where its data, slips and log are."""
    from pathlib import Path

    from kiosk.printing.service import sim_folder

    data = Path(config.data_dir)
    uri = config.printer.uri
    if uri.rstrip("/") == "sim:":
        slips = f"{sim_folder(config) / 'slips'}/ (模拟打印机 PNG / simulated printer, PNG)"
    elif uri.startswith("sim://"):
        slips = f"{Path(uri[len('sim://'):]) / 'slips'}/ (模拟打印机 PNG / simulated printer, PNG)"
    else:
        slips = f"打印机 / printer {uri}"
    return (
        f"终端运行中 / the kiosk is running — 数据 / data: {data}/  凭条 / slips: {slips}  "
        f"日志 / log: {data / 'logs' / 'kiosk.log'}  (关闭窗口或 Ctrl+C 退出 / close the window or Ctrl+C to stop)"
    )


def run(config: Config, *, windowed: bool = False, size: tuple[int, int] | None = None) -> int:
    from ui import deployment, startup_timing

    deployment.before_start(config)  # log file, Qt messages, crash hooks (docs/deployment.md)
    app = create_application()
    shell = build_shell(config, size=size if windowed else None, watch_devices=False)
    # logged; bench/bench_startup.py reads it; then the devices, the center sync and the warm-up
    startup_timing.watch_first_paint(shell, then=lambda: run_after_first_paint(shell))
    if windowed:
        width, height = size or (720, 1280)
        shell.resize(width, height)
        shell.setWindowTitle(f"{shell.center.name} — {config.terminal.name}")
        shell.allow_close = True  # a developer's window closes normally
        shell.show()
    else:
        # Lock-down is the operating system's job (deploy/); the app's part: frameless,
        # fullscreen, no close, no context menus, cursor hidden.
        shell.setWindowFlags(Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint)
        app.setOverrideCursor(Qt.CursorShape.BlankCursor)
        shell.showFullScreen()
    notifier = deployment.start_systemd_notifier(shell, config)  # READY=1, WATCHDOG=1
    deployment.start_nightly_restart(shell, config, notifier)  # a fresh kiosk every night, when quiet
    code = app.exec()
    notifier.stopping()
    shell.pools.wait(5000)
    shell.services.close()
    return code
