"""The kiosk reports how long it took from process start to the first paint of its window.

Every start logs it (a terminal restarts nightly and after each fault, so the log shows a slow
start at once). With KIOSK_FIRST_PAINT_REPORT=FILE the figures are also written to FILE as JSON
and the application quits right after the first paint: bench/bench_startup.py uses that.
Otherwise ``then`` runs after the first paint (`kiosk run`: ui.app.run_after_first_paint: the
devices, the center sync, then the warm-up).
"""

from __future__ import annotations

import json
import logging
import os
import resource
import time
from collections.abc import Callable
from pathlib import Path

from ui.qt import QApplication, QEvent, QObject, QTimer

log = logging.getLogger(__name__)

REPORT_ENV = "KIOSK_FIRST_PAINT_REPORT"


def seconds_since_process_start() -> float:
    """Wall time since the kernel started this process (Linux /proc), else since import."""
    try:
        fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        start_ticks = int(fields[19])  # field 22 of stat(5), counted after the ")" of comm
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return uptime - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return time.perf_counter() - _IMPORTED_AT


_IMPORTED_AT = time.perf_counter()


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


class _FirstPaintWatch(QObject):
    def __init__(self, window, report_file: str | None, then: Callable[[], None] | None, delay_ms: int):
        super().__init__(window)
        self._report_file = report_file
        self._then, self._delay_ms = then, delay_ms
        self._done = False
        window.installEventFilter(self)

    def eventFilter(self, watched, event):  # noqa: N802 (Qt's name)
        if not self._done and event.type() == QEvent.Type.Paint:
            self._done = True
            # The paint is being handled now; measure once it has reached the backing store.
            QTimer.singleShot(0, self._report)
        return False

    def _report(self) -> None:
        elapsed = seconds_since_process_start()
        peak = peak_rss_mib()
        log.info("首屏已显示 / first paint after %.0f ms (peak RSS %.0f MiB)", elapsed * 1000, peak)
        if self._report_file:
            Path(self._report_file).write_text(
                json.dumps({"first_paint_s": round(elapsed, 4), "peak_rss_mib": round(peak, 1)}), encoding="utf-8"
            )
            QApplication.instance().quit()
        elif self._then is not None:
            QTimer.singleShot(self._delay_ms, self._then)


def watch_first_paint(window, then: Callable[[], None] | None = None, delay_ms: int = 0) -> None:
    """Log (and, for the benchmark, report) the first paint of `window`; call before show().
    ``then`` runs ``delay_ms`` after it (not when reporting: the application quits)."""
    _FirstPaintWatch(window, os.environ.get(REPORT_ENV) or None, then, delay_ms)
