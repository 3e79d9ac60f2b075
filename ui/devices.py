"""The device monitor's events, delivered on the UI thread.

The monitor (kiosk/devices) calls its listeners on the thread that polled; this bridge re-emits
each event as a Qt signal, which Qt queues to the thread the bridge lives in (the UI thread).
"""

from __future__ import annotations

import logging

from ui.qt import QObject, Signal

log = logging.getLogger(__name__)


class DeviceEventBridge(QObject):
    received = Signal(object)  # a kiosk.devices.DeviceEvent

    def __init__(self, services, parent: QObject | None = None):
        super().__init__(parent)
        self._monitor = services.devices.monitor
        self._monitor.add_listener(self._relay)

    def _relay(self, event) -> None:
        try:
            self.received.emit(event)
        except RuntimeError:  # the window that owned the bridge is gone
            self._monitor.remove_listener(self._relay)

    def detach(self) -> None:
        self._monitor.remove_listener(self._relay)
