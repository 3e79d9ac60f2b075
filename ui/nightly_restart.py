"""A fresh kiosk every night: after ``ui.nightly_restart`` the kiosk ends itself at the first
quiet moment and systemd starts a new one (``Restart=always`` in deploy/systemd).

Why: a terminal runs for weeks; whatever a long run gathers (memory, Qt's caches, a device
left in a strange state) is returned once a day, the same way a restart after a fault does.
Why not a systemd timer that restarts the unit: in the 24-hour zone somebody may be using the
terminal at 03:40; only the kiosk knows that nobody is — home or the attract screen, no
dialog, no help call waiting, no staff signed in, nothing printing or being written.

Only a kiosk that systemd watches (``$NOTIFY_SOCKET``) does this; a developer's window or a
test run never ends itself. A kiosk started less than an hour before the time waits for the
next night; one that stays busy for three hours after the time waits too.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, time, timedelta

from kiosk.clock import Clock, system_clock

from ui.qt import QObject, QTimer

log = logging.getLogger(__name__)

#: the exit status of a planned restart (systemd restarts on any status with Restart=always)
EXIT_NIGHTLY_RESTART = 0
#: a kiosk younger than this does not restart (it was just started, by a fault or by hand)
MIN_UPTIME = timedelta(hours=1)
#: how long after the time a quiet moment is still waited for
WINDOW = timedelta(hours=3)
CHECK_EVERY_MS = 60_000


def due(now: datetime, started: datetime, at: time) -> bool:
    """Whether a kiosk running since ``started`` should restart at ``now`` (if quiet)."""
    moment = datetime.combine(now.date(), at, tzinfo=now.tzinfo)
    if now < moment:
        moment -= timedelta(days=1)  # yesterday's moment, for a window that runs past midnight
    return started < moment and moment <= now < moment + WINDOW and now - started >= MIN_UPTIME


class NightlyRestart(QObject):
    """Checks once a minute; ``quiet()`` says whether nobody is using the terminal now."""

    def __init__(self, parent: QObject, at: time, quiet: Callable[[], bool], *,
                 quit: Callable[[int], None], clock: Clock = system_clock):
        super().__init__(parent)
        self.at, self.quiet, self.quit, self.clock = at, quiet, quit, clock
        self.started = clock()
        self.requested = False
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)

    def start(self) -> None:
        self.timer.start(CHECK_EVERY_MS)
        log.info("nightly restart after %s when nobody is using the terminal", self.at.strftime("%H:%M"))

    def check(self) -> bool:
        """Ends the event loop when the restart is due and the terminal is quiet; True if so."""
        now = self.clock()
        if self.requested or not due(now, self.started, self.at) or not self.quiet():
            return False
        self.requested = True
        self.timer.stop()
        uptime = now - self.started
        log.info("nightly restart: the kiosk ends now (up %.1f h, nobody using it); systemd starts a fresh one",
                 uptime.total_seconds() / 3600)
        self.quit(EXIT_NIGHTLY_RESTART)
        return True


def kiosk_is_quiet(window) -> bool:
    """Nobody is using the kiosk window: home (or the attract screen over it), no citizen's
    session, no dialog, no help call waiting, no staff mode, no slip printing or record being
    written on the worker pools."""
    return (
        window.attract.nobody_here()  # home, no dialog, no help call, no staff
        and not window.session_active
        and window.pools.db.activeThreadCount() == 0
        and window.pools.devices.activeThreadCount() == 0
    )
