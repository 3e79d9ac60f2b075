"""Tap-to-paint latency, idle memory and memory growth over many visits, against bare Qt.

    .venv/bin/python bench/bench_ui.py [--taps 30] [--visits 1000,10000] [--idle-seconds 60]

In one process, offscreen, on the sample center (temp data dir, simulated printer), the real
shell, warmed up as `kiosk run` warms it after its first paint (ui/warm_up.py: the search index,
the slip font), is driven by real input events (QTest clicks on the on-screen buttons):
- tap-to-paint, measured from the click to the first paint of a widget showing the new content
  (an application-wide event filter sees each Paint event and checks the content there):
  home → item (a tap on a search result opens the item's notification), item → print preview,
  search keystroke → results, progress query → answer;
  the baseline is a bare QStackedWidget page switch (a button shows a page with one label);
- idle RSS after --idle-seconds of the event loop running with nothing to do;
- RSS after each number of visits in --visits: a visit is home → search, three keystrokes, open
  the first result, print preview closed, progress query, then the session reset;
  growth is measured from the RSS after the first 100 visits (caches warm).
The bare-Qt RSS baseline is a separate process showing one label (same size) for the same idle time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from machine import describe_machine, prepare_sample_data  # noqa: E402

PROGRESS_QUERY = ("YC2511170007", "5678")  # a sample application and its phone's last 4 digits


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


class PaintClock:
    """Application-wide: the time of the first Paint event after which `done()` holds."""

    def __init__(self, qt):
        self.qt = qt
        self.done = None
        self.painted_at: float | None = None
        outer = self

        class Filter(qt.QObject):
            def eventFilter(self, watched, event):  # noqa: N802
                if (outer.done is not None and outer.painted_at is None
                        and event.type() == qt.QEvent.Type.Paint and outer.done()):
                    outer.painted_at = time.perf_counter()
                return False

        self.filter = Filter()
        qt.QApplication.instance().installEventFilter(self.filter)

    def measure(self, tap, done, timeout: float = 10.0) -> float:
        """Seconds from the tap to the first paint after `done()` became true."""
        app = self.qt.QApplication.instance()
        app.processEvents()
        self.done, self.painted_at = done, None
        started = time.perf_counter()
        tap()
        deadline = started + timeout
        while self.painted_at is None:
            app.processEvents()
            if time.perf_counter() > deadline:
                self.done = None
                raise TimeoutError("no paint of the new content within %.0f s" % timeout)
            time.sleep(0.0005)
        self.done = None
        return self.painted_at - started


def click(qt, widget) -> None:
    qt.QTest.mouseClick(widget, qt.Qt.MouseButton.LeftButton)


def idle(app, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)


def bare_baseline(qt, clock: PaintClock, taps: int, size: tuple[int, int]) -> list[float]:
    window = qt.QStackedWidget()
    window.resize(*size)
    pages = []
    for text in ("首页", "事项"):
        page = qt.QWidget()
        layout = qt.QVBoxLayout(page)
        button = qt.QPushButton("打开 " + text)
        shown = qt.QLabel("")
        layout.addWidget(button)
        layout.addWidget(shown)
        pages.append((page, button, shown))
        window.addWidget(page)
    window.show()
    times = []
    for n in range(taps):
        source, target = pages[n % 2], pages[(n + 1) % 2]
        text = f"第 {n} 次"

        def switch(_checked=False, target=target, text=text):
            target[2].setText(text)
            window.setCurrentWidget(target[0])

        source[1].clicked.connect(switch)
        times.append(clock.measure(lambda: click(qt, source[1]),
                                   lambda t=target, x=text: window.currentWidget() is t[0] and t[2].text() == x))
        source[1].clicked.disconnect(switch)
    window.close()
    window.deleteLater()
    return times


BARE_IDLE = r"""
import sys, time
from pathlib import Path
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([sys.argv[0]])
label = QLabel("永城市政务服务中心 自助服务终端"); label.resize(int(sys.argv[2]), int(sys.argv[3])); label.show()
deadline = time.monotonic() + float(sys.argv[1])
while time.monotonic() < deadline:
    app.processEvents(); time.sleep(0.02)
rss = [l for l in Path("/proc/self/status").read_text().splitlines() if l.startswith("VmRSS:")][0]
print(int(rss.split()[1]) / 1024)
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--taps", type=int, default=30, help="measurements per tap kind")
    parser.add_argument("--visits", default="1000,10000", help="visit counts at which RSS is read")
    parser.add_argument("--idle-seconds", type=float, default=60)
    parser.add_argument("--size", default="1080x1920")
    args = parser.parse_args(argv)
    size = tuple(int(v) for v in args.size.split("x"))
    checkpoints = sorted(int(v) for v in args.visits.split(",") if v)

    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    tmp = tempfile.TemporaryDirectory(prefix="kiosk-bench-ui-")
    env = prepare_sample_data(Path(tmp.name))
    os.environ.update({k: env[k] for k in ("KIOSK_DATA_DIR", "KIOSK_CONFIG")})

    import bench_ui_driver as driver  # noqa: E402  (after the environment is set)

    qt = driver.qt_namespace()
    kiosk = driver.KioskDriver(size)
    clock = PaintClock(qt)
    app = qt.QApplication.instance()

    taps: dict[str, list[float]] = {name: [] for name in driver.TAPS}
    for _ in range(args.taps):
        for name in driver.TAPS:
            tap, done = kiosk.prepare(name)
            taps[name].append(clock.measure(tap, done))
            kiosk.after(name)
    baseline = bare_baseline(qt, clock, args.taps, size)

    kiosk.reset()
    idle(app, args.idle_seconds)
    idle_rss = rss_mib()
    bare_idle = float(subprocess.run(
        [sys.executable, "-c", BARE_IDLE, str(args.idle_seconds), str(size[0]), str(size[1])],
        env={**os.environ}, capture_output=True, text=True, check=True).stdout.split()[-1])

    visits_rss: list[tuple[int, float, int, float]] = []
    done_visits = 0
    warm_rss = None
    started = time.perf_counter()
    for target in [100, *checkpoints]:
        while done_visits < target:
            kiosk.visit()
            done_visits += 1
        if target == 100:
            warm_rss = rss_mib()
        else:
            visits_rss.append((target, rss_mib(), open_fds(), time.perf_counter() - started))
    kiosk.close()

    print(describe_machine())
    print(f"window {args.size}, offscreen; {args.taps} taps of each kind, interleaved\n")
    print(f"{'tap → paint of the new content':<34} {'p50':>8} {'p99':>8}")
    print(f"{'bare Qt page switch (baseline)':<34} {percentile(baseline, 50) * 1000:>6.1f}ms {percentile(baseline, 99) * 1000:>6.1f}ms")
    for name, values in taps.items():
        print(f"{driver.TAPS[name]:<34} {percentile(values, 50) * 1000:>6.1f}ms {percentile(values, 99) * 1000:>6.1f}ms")
    print("target: every tap ≤ 100 ms p99\n")
    print(f"idle RSS after {args.idle_seconds:.0f} s: kiosk {idle_rss:.0f} MiB, bare Qt {bare_idle:.0f} MiB "
          f"({idle_rss / bare_idle:.2f}×; target ≤ 1.50×)")
    print(f"RSS after 100 visits (warm): {warm_rss:.0f} MiB")
    for count, rss, fds, elapsed in visits_rss:
        print(f"RSS after {count:>6} visits: {rss:.0f} MiB ({(rss / warm_rss - 1) * 100:+.1f}% from warm; "
              f"target ≤ +5%), {fds} open files, {elapsed:.0f} s")
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
