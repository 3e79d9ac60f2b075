"""Python's cyclic garbage collector, run on the UI thread only.

The collector runs in whichever thread happens to allocate when a threshold is crossed. If that
is a worker thread (a database query, a print job) and the garbage holds Qt objects — a closed
dialog whose button handlers refer back to it — Qt objects are destroyed outside the thread that
owns them, which crashes the process. So automatic collection is switched off and a timer on the
UI thread collects by the same thresholds (the approach qutebrowser and other PyQt apps take).
"""

from __future__ import annotations

import gc
import logging

from ui.qt import QObject, QTimer

log = logging.getLogger(__name__)

INTERVAL_MS = 500


class MainThreadGarbageCollector(QObject):
    def __init__(self, parent: QObject, interval_ms: int = INTERVAL_MS):
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(interval_ms)

    def check(self) -> None:
        """Collect the generations whose allocation counts passed their thresholds."""
        young, middle, old = gc.get_count()
        if young > self.threshold[0]:
            generation = 0
            if middle > self.threshold[1]:
                generation = 1
                if old > self.threshold[2]:
                    generation = 2
            gc.collect(generation)


_collector: MainThreadGarbageCollector | None = None


def install(app: QObject) -> MainThreadGarbageCollector:
    """Once per application (create_application calls it)."""
    global _collector
    if _collector is None:
        _collector = MainThreadGarbageCollector(app)
    return _collector
