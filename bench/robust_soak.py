"""A soak of the real kiosk UI, offscreen: random touches for many screen visits, reporting
crashes, memory (RSS) growth and open file descriptors (docs/reliability.md).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/robust_soak.py [--visits 10000] [--seed 1]

The sample center (catalog, applications shifted to today) is loaded into a temporary data
folder with the simulated printer. The kiosk window (ui.app.KioskWindow, 1080×1920) is driven
like a restless visitor: a random visible, enabled button of the screen (or of the dialog on
top) is clicked, sometimes text is typed into a visible input, sometimes the idle reset runs,
sometimes the home button. A *visit* is a touch that leaves the window on a different screen
or dialog than before. Background work (database, printing) is let finish between touches.

Reported: visits and touches, screens seen, exceptions raised anywhere (the excepthooks, Qt
warnings), RSS at the start, after the first 10 % of visits (the warm-up: caches, fonts) and at
the end, open file descriptors and threads at the start and end, and the machine. Exit code 1
when there was an exception or the descriptors kept growing.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT))

from machine import describe_machine  # noqa: E402

TEXTS = ("户口", "hk", "营业执照", "YC2509260001", "5678", "1381234", "社保", "", "％%_'\"<>", "ｙｙｚｚ", "老年人优待证")


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--visits", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-touches", type=int, default=0, help="stop after this many touches (default: 5 × visits)")
    args = parser.parse_args(argv)

    from kiosk.catalog import exchange
    from kiosk.config import load_config
    from kiosk.paths import sample_catalog
    from kiosk.progress.exchange import sample_file as sample_progress
    from kiosk.progress.timeutil import china_today
    from kiosk.services import KioskServices
    from ui.app import KioskWindow, create_application
    from ui.qt import QAbstractButton, QLineEdit, QtCore, QtWidgets
    from ui.screenshots import settle

    errors: list[str] = []

    def on_exception(kind, value, tb):
        errors.append("".join(traceback.format_exception(kind, value, tb))[-3000:])

    sys.excepthook = on_exception
    threading.excepthook = lambda a: on_exception(a.exc_type, a.exc_value, a.exc_traceback)

    class CountErrors(logging.Handler):
        """A logged error is a finding too (the code logs what it caught)."""

        def emit(self, record: logging.LogRecord) -> None:
            errors.append(f"log {record.name}: {record.getMessage()[:500]}")

    logging.getLogger().handlers[:] = [CountErrors(logging.ERROR)]
    logging.getLogger().setLevel(logging.WARNING)

    def on_qt_message(mode, context, message):
        if "propagateSizeHints" in message:
            return  # the offscreen plugin cannot resize top-level windows by hint (as in the tests)
        if mode in (QtCore.QtMsgType.QtWarningMsg, QtCore.QtMsgType.QtCriticalMsg, QtCore.QtMsgType.QtFatalMsg):
            errors.append(f"Qt: {message}")

    with tempfile.TemporaryDirectory(prefix="soak-") as tmp:
        data_dir = Path(tmp)
        config = load_config(env={"KIOSK_DATA_DIR": str(data_dir)})
        config = replace(config, printer=replace(config.printer, uri="sim://" + str(data_dir / "sim-printer")))
        services = KioskServices(config)
        services.start()
        with services.database.session() as session:
            exchange.apply(session, exchange.read_file(sample_catalog()))
        services.progress.import_file(sample_progress(), shift_to=china_today())
        app = create_application()
        QtCore.qInstallMessageHandler(on_qt_message)
        window = KioskWindow(services, size=(1080, 1920))
        window.resize(1080, 1920)
        window.show()
        settle(window)
        rng = random.Random(args.seed)
        max_touches = args.max_touches or 5 * args.visits

        def where() -> str:
            return f"{window.current_name()}|{window.overlays.dialog_name() or ''}"

        def visible(kind):
            root = window.overlays.dialog or window  # a dialog on top takes the touches
            return [w for w in root.findChildren(kind) if w.isVisible() and w.isEnabled()]

        start_rss, start_fds, start_threads = rss_mb(), open_fds(), threading.active_count()
        warm_rss = None
        visits = touches = 0
        seen: Counter[str] = Counter()
        started = time.monotonic()
        while visits < args.visits and touches < max_touches:
            before = where()
            roll = rng.random()
            try:
                if roll < 0.06:
                    window.home()
                elif roll < 0.08:
                    window.reset_session()  # what the idle time-out does
                elif roll < 0.20:
                    inputs = visible(QLineEdit)
                    if inputs:
                        field = rng.choice(inputs)
                        field.setText(rng.choice(TEXTS))
                        field.returnPressed.emit()
                    else:
                        areas = visible(QtWidgets.QPlainTextEdit) + visible(QtWidgets.QTextEdit)
                        if areas:
                            rng.choice(areas).setPlainText(rng.choice(TEXTS))
                else:
                    buttons = visible(QAbstractButton)
                    if buttons:
                        rng.choice(buttons).click()
            except Exception:  # noqa: BLE001 - every exception is a finding
                errors.append(traceback.format_exc()[-3000:])
            touches += 1
            try:
                settle(window, timeout=30)
            except TimeoutError as exc:
                errors.append(f"after touch {touches} on {before}: {exc}")
            # deleteLater() is carried out by a running event loop; this loop drives it by hand
            QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete.value)
            after = where()
            if after != before:
                visits += 1
                seen[after.split("|")[0]] += 1
                if warm_rss is None and visits >= max(1, args.visits // 10):
                    warm_rss = rss_mb()
            if len(errors) > 20:
                break
        elapsed = time.monotonic() - started
        end_rss, end_fds, end_threads = rss_mb(), open_fds(), threading.active_count()
        window.allow_close = True
        window.close()
        window.pools.wait()
        services.close()
        app.processEvents()

    warm_rss = warm_rss or end_rss
    print(f"UI soak: {visits} visits in {touches} touches, {elapsed:.0f} s ({visits / max(elapsed, 1e-9):.1f} visits/s)")
    print("  screens: " + ", ".join(f"{name} {count}" for name, count in seen.most_common()))
    print(f"  exceptions and Qt warnings: {len(errors)}")
    for error in errors[:5]:
        print("    " + error.strip().replace("\n", "\n    "))
    print(f"  RSS: start {start_rss:.0f} MB, after warm-up ({args.visits // 10} visits) {warm_rss:.0f} MB, "
          f"end {end_rss:.0f} MB (growth after warm-up {end_rss - warm_rss:+.0f} MB)")
    print(f"  open file descriptors: start {start_fds}, end {end_fds}; threads: start {start_threads}, end {end_threads}")
    print(f"  machine: {describe_machine()}")
    leaking_fds = end_fds - start_fds > 20
    return 1 if errors or leaking_fds else 0


if __name__ == "__main__":
    sys.exit(main())
