"""Starting the kiosk: the Qt application, the font, the services and the shell window."""

from __future__ import annotations

import logging
import sys

from kiosk.config import Config
from kiosk.paths import assets_dir
from kiosk.services import KioskServices
from ui import garbage, i18n
from ui.fonts import choose_chinese_font
from ui.qt import QApplication, Qt

log = logging.getLogger(__name__)


def create_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or [sys.argv[0]])
    app.setApplicationName("zwfw-kiosk")
    app.setFont(choose_chinese_font())
    garbage.install(app)  # cyclic garbage is collected on the UI thread only
    return app


def build_shell(config: Config, services: KioskServices | None = None, *, size: tuple[int, int] | None = None):
    from ui.shell import Shell

    app = create_application()
    i18n.install(app, config.ui.language, assets_dir() / "translations")
    services = services or KioskServices(config)
    services.start()
    return Shell(services, size=size)


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
    shell = build_shell(config, size=size if windowed else None)
    deployment.report_previous_crash(config, shell.services)
    startup_timing.watch_first_paint(shell)  # logged; bench/bench_startup.py reads it
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
    shell.services.start_monitor()  # polls every device now, then every devices.poll_seconds
    notifier = deployment.start_systemd_notifier(shell, config)  # READY=1, WATCHDOG=1
    print(running_line(config), flush=True)
    code = app.exec()
    notifier.stopping()
    shell.pools.wait(5000)
    shell.services.close()
    return code
