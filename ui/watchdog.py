"""The kiosk's side of the systemd watchdog (kiosk/systemd.py has the protocol).

``SystemdNotifier`` sends READY=1 on the event loop's first turn after the window is shown and
WATCHDOG=1 from a QTimer on the UI thread at half of ``$WATCHDOG_USEC``: when the event loop
hangs the pings stop and systemd restarts the service (``WatchdogSec=`` in
deploy/systemd/zwfw-kiosk.service). Without ``$NOTIFY_SOCKET`` it does nothing.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

from kiosk import systemd
from ui.qt import QObject, QTimer

log = logging.getLogger(__name__)


class SystemdNotifier(QObject):
    def __init__(self, parent: QObject | None = None, env: Mapping[str, str] | None = None):
        super().__init__(parent)
        self.env = dict(os.environ if env is None else env)
        self.enabled = bool(self.env.get("NOTIFY_SOCKET"))
        self.pings = 0
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.ping)
        self.interval_ms = systemd.ping_interval_ms(self.env) if self.enabled else None

    def start(self, status: str = "") -> None:
        """READY=1 as soon as the event loop runs (the window is shown by then), then the pings."""
        if not self.enabled:
            return
        QTimer.singleShot(0, lambda: self.ready(status))
        if self.interval_ms:
            self.timer.start(self.interval_ms)
            log.info("systemd watchdog: pinging every %d ms", self.interval_ms)

    def ready(self, status: str = "") -> None:
        state = systemd.READY + (f"\nSTATUS={status}" if status else "")
        if systemd.notify(state, self.env):
            log.info("told systemd the kiosk is ready")

    def ping(self) -> None:
        if systemd.notify(systemd.WATCHDOG, self.env):
            self.pings += 1

    def stopping(self) -> None:
        self.timer.stop()
        if self.enabled:
            systemd.notify(systemd.STOPPING, self.env)
