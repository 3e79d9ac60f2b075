"""Telling systemd how the kiosk is doing: the sd_notify protocol, without a dependency.

A ``Type=notify`` service gets ``$NOTIFY_SOCKET`` (a datagram socket; a leading ``@`` means the
Linux abstract namespace) and, with ``WatchdogSec=``, ``$WATCHDOG_USEC``. The kiosk sends
``READY=1`` once its window shows and ``WATCHDOG=1`` from a timer on the UI thread, so a hung
event loop stops the pings and systemd restarts the service (deploy/systemd/zwfw-kiosk.service).
Without ``$NOTIFY_SOCKET`` (a developer's run, tests) every call does nothing.

Under cage the kiosk is cage's child, not the service's main process: the unit sets
``NotifyAccess=all``, and ``$WATCHDOG_PID`` (cage's PID there) is deliberately not required to
be ours.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping

log = logging.getLogger(__name__)

READY = "READY=1"
WATCHDOG = "WATCHDOG=1"
STOPPING = "STOPPING=1"


def notify(state: str, env: Mapping[str, str] | None = None) -> bool:
    """Send ``state`` (e.g. ``"READY=1"``, ``"STATUS=…"``, several joined by newlines) to systemd.
    True when sent; False when not running under systemd or the socket is gone (never raises)."""
    env = os.environ if env is None else env
    address = env.get("NOTIFY_SOCKET", "")
    if not address:
        return False
    if address[0] not in ("/", "@"):
        log.warning("NOTIFY_SOCKET %r is neither a path nor an abstract socket; not notifying", address)
        return False
    target = "\0" + address[1:] if address[0] == "@" else address
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
            sock.sendto(state.encode("utf-8"), target)
    except OSError as exc:
        log.warning("sd_notify %s failed: %s", state.split("\n", 1)[0], exc)
        return False
    return True


def watchdog_interval(env: Mapping[str, str] | None = None) -> float | None:
    """The watchdog's time-out in seconds (``$WATCHDOG_USEC``), or None when there is none."""
    env = os.environ if env is None else env
    text = env.get("WATCHDOG_USEC", "")
    if not text:
        return None
    try:
        usec = int(text)
    except ValueError:
        log.warning("WATCHDOG_USEC %r is not a number; no watchdog pings", text)
        return None
    return usec / 1_000_000 if usec > 0 else None


def ping_interval_ms(env: Mapping[str, str] | None = None) -> int | None:
    """How often to send WATCHDOG=1: half the time-out (at least every 100 ms), or None."""
    seconds = watchdog_interval(env)
    if seconds is None:
        return None
    return max(100, int(seconds * 1000 / 2))
