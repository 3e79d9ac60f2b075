"""What `kiosk run` does for a deployed terminal (docs/deployment.md), called from ui/app.run:

    before_start(config)                   # log file, Qt messages into it, crash hooks
    report_previous_crash(config, services)  # a crash record left by the last run → the fault log
    start_systemd_notifier(shell, config)    # READY=1 once shown, WATCHDOG=1 from the UI thread
    start_nightly_restart(shell, config, notifier)  # ends itself at a quiet moment after ui.nightly_restart
"""

from __future__ import annotations

import logging

from kiosk import crash, logs
from ui import logbridge
from ui.qt import QApplication
from ui.watchdog import SystemdNotifier

log = logging.getLogger(__name__)


def before_start(config) -> None:
    logs.add_file_logging(config)
    logbridge.install()
    # An unhandled exception (a slot, a thread): logged with its traceback, a crash record in
    # <data_dir>/crash/last.json, then the event loop ends with exit status 70 and systemd
    # starts a fresh kiosk (Restart=always).
    crash.install_hooks(config.data_dir, on_crash=crash.exit_soon(QApplication.exit), command="kiosk run")
    log.info("kiosk %s starting: terminal %s (%s zone)", _version(), config.terminal.id, config.terminal.zone)
    if config.center_layer:  # the center's settings (docs/fleet.md), read over the installation's file
        log.info("settings from the center (%s): %s", config.center_layer, ", ".join(sorted(config.center_keys)) or "none")
    if config.center_problem:
        log.warning("the center's settings are not used, the terminal keeps its own: %s", config.center_problem)


def _version() -> str:
    from kiosk import __version__

    return __version__


def fault_reporter(services):
    """``report(device, kind, detail=…)`` of the device monitor (kiosk/devices), or None when
    this build has no fault log."""
    try:
        return services.devices.monitor.report
    except (AttributeError, ImportError):
        return None


def report_previous_crash(config, services) -> None:
    """The previous run's crash record becomes one fault-log entry (device "app", kind
    "unhandled_exception"); without a fault log it stays on disk and is logged."""
    try:
        crash.report_pending(config.data_dir, fault_reporter(services))
    except Exception:  # noqa: BLE001 - the kiosk starts even when the fault log cannot be written
        log.exception("the previous run's crash record could not be reported; kept for the next start")


def start_systemd_notifier(shell, config) -> SystemdNotifier:
    notifier = SystemdNotifier(shell)
    notifier.start(f"{config.terminal.id} ready")
    return notifier


def start_nightly_restart(shell, config, notifier: SystemdNotifier):
    """The nightly restart (ui/nightly_restart.py) of a kiosk that systemd watches and restarts;
    None for a developer's window or with ``ui.nightly_restart = ""``."""
    from kiosk.config import parse_clock_time
    from ui.nightly_restart import NightlyRestart, kiosk_is_quiet

    at = parse_clock_time(config.ui.nightly_restart)  # None for "" (never)
    if at is None or not notifier.enabled:
        return None
    restart = NightlyRestart(shell, at, lambda: kiosk_is_quiet(shell), quit=QApplication.exit)
    restart.start()
    return restart
