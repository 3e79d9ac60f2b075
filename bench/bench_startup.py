"""Cold start to the first paint of home, paired against a bare PySide6 window in the same run.

    .venv/bin/python bench/bench_startup.py [--runs 5] [--bundle dist/kiosk] [--size 1080x1920] [--idle-seconds 60]

Each run is a new process, offscreen (QT_QPA_PLATFORM=offscreen), on the sample center imported
into a temp data dir with the simulated printer:
- bare Qt: a script that creates a QApplication, shows one QLabel of the kiosk's window size with
  a line of Chinese, and reports the time from process start to that label's first paint;
- `kiosk run --windowed`: the kiosk reports the same figure itself (ui/startup_timing.py, from
  process start to the first paint of the home screen) and quits (KIOSK_FIRST_PAINT_REPORT);
- the bundle (dist/kiosk/kiosk), when it exists.
Runs alternate (bare, kiosk, bundle, bare, kiosk, …) so that a noisy machine slows both alike.
The children run compiled modules, as a terminal does (the bundle carries them, an installed
package writes them on its first start): PYTHONDONTWRITEBYTECODE is dropped and the .pyc files
go to a temp dir (PYTHONPYCACHEPREFIX), written by the warm-up run; without them every start
compiled the project's ≈ 110 modules again (≈ 0.1 s).
Peak RSS is the child's maximum resident set (wait4). Then every program is started once more,
all at once, and left idle for --idle-seconds: its resident memory then (/proc/PID/status) is the
idle figure (the kiosk has painted home and done its warm-up by then). Printed: medians and the ratio to bare Qt
(targets: start ≤ 2×, peak RSS ≤ 1.5×). Exit code 0 whatever the ratios: a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from machine import describe_machine, kiosk_command, prepare_sample_data  # noqa: E402

BARE_QT = r"""
import json, os, resource, sys, time
from pathlib import Path
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel

def since_start():
    fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
    uptime = float(Path("/proc/uptime").read_text().split()[0])
    return uptime - int(fields[19]) / os.sysconf("SC_CLK_TCK")

class Watch(QObject):
    done = False
    def eventFilter(self, obj, event):
        if not self.done and event.type() == QEvent.Type.Paint:
            self.done = True
            QTimer.singleShot(0, self.report)
        return False
    def report(self):
        if sys.argv[1] == "-":  # the idle reading: keep running until killed
            return
        Path(sys.argv[1]).write_text(json.dumps({"first_paint_s": since_start(),
            "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
        app.quit()

app = QApplication([sys.argv[0]])
label = QLabel("永城市政务服务中心 自助服务终端")
label.resize(int(sys.argv[2]), int(sys.argv[3]))
watch = Watch(label)
label.installEventFilter(watch)
label.show()
app.exec()
"""


def run_child(command: list[str], env: dict[str, str], report: Path) -> dict:
    """Run one process; its own report plus wall time and peak RSS from wait4."""
    report.unlink(missing_ok=True)
    started = os.times().elapsed
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = os.times().elapsed - started
    stderr = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0 or not report.exists():
        raise RuntimeError(f"{command[0]} failed ({process.returncode}):\n{stderr[-2000:]}")
    figures = json.loads(report.read_text())
    figures["wall_s"] = wall
    figures["peak_rss_mib"] = usage.ru_maxrss / 1024
    return figures


def _rss_of(pid: int) -> dict[str, float]:
    """VmRSS and its anonymous and file-backed parts (MiB) of a running process."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "RssAnon", "RssFile"):
            fields[key] = int(value.split()[0]) / 1024
    return fields


def idle_rss(programs: dict[str, list[str]], env: dict[str, str], seconds: float) -> dict[str, dict[str, float]]:
    """Start every program at once, leave them idle for ``seconds`` (the kiosk paints home and
    runs its warm-up, ui/warm_up.py), read their resident memory, stop them."""
    env = {k: v for k, v in env.items() if k != "KIOSK_FIRST_PAINT_REPORT"}
    processes = {name: subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                 for name, command in programs.items()}
    try:
        time.sleep(seconds)
        readings = {}
        for name, process in processes.items():
            if process.poll() is not None:
                raise RuntimeError(f"{name} ended during the idle time ({process.returncode})")
            readings[name] = _rss_of(process.pid)
        return readings
    finally:
        for process in processes.values():
            process.terminate()
            process.wait(10)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--size", default="1080x1920")
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "kiosk")
    parser.add_argument("--idle-seconds", type=float, default=60,
                        help="resident memory of each program after this long idle (0: not measured)")
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.split("x"))

    with tempfile.TemporaryDirectory(prefix="kiosk-bench-start-") as tmp:
        tmp_path = Path(tmp)
        env = prepare_sample_data(tmp_path)
        env["QT_QPA_PLATFORM"] = "offscreen"
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(tmp_path / "pycache")
        bare_script = tmp_path / "bare_qt.py"
        bare_script.write_text(BARE_QT)
        report = tmp_path / "first-paint.json"
        env["KIOSK_FIRST_PAINT_REPORT"] = str(report)

        programs = {
            "bare Qt": [sys.executable, str(bare_script), str(report), str(width), str(height)],
            "kiosk run": [*kiosk_command(), "--config", env["KIOSK_CONFIG"], "run", "--windowed", "--size", args.size],
        }
        bundle_exe = args.bundle / "kiosk"
        if bundle_exe.exists():
            programs["bundle"] = [str(bundle_exe), "--config", env["KIOSK_CONFIG"], "run", "--windowed", "--size", args.size]

        results: dict[str, list[dict]] = {name: [] for name in programs}
        for name, command in programs.items():  # one warm-up each: page cache, font cache, .pyc
            run_child(command, env, report)
        for _ in range(args.runs):
            for name, command in programs.items():
                results[name].append(run_child(command, env, report))
        idle = {}
        if args.idle_seconds > 0:
            idle_programs = {**programs, "bare Qt": [*programs["bare Qt"][:2], "-", *programs["bare Qt"][3:]]}
            idle = idle_rss(idle_programs, env, args.idle_seconds)

    print(describe_machine())
    print(f"{args.runs} paired runs, window {args.size}, offscreen, after one warm-up run each; medians\n")
    base_paint = statistics.median(r["first_paint_s"] for r in results["bare Qt"])
    base_rss = statistics.median(r["peak_rss_mib"] for r in results["bare Qt"])
    print(f"{'program':<12} {'first paint':>12} {'× bare':>8} {'process wall':>13} {'peak RSS':>10} {'× bare':>8}")
    for name, runs in results.items():
        paint = statistics.median(r["first_paint_s"] for r in runs)
        wall = statistics.median(r["wall_s"] for r in runs)
        rss = statistics.median(r["peak_rss_mib"] for r in runs)
        print(f"{name:<12} {paint * 1000:>9.0f} ms {paint / base_paint:>7.2f}× {wall * 1000:>10.0f} ms "
              f"{rss:>6.0f} MiB {rss / base_rss:>7.2f}×")
    print("\ntargets: first paint ≤ 2.00× bare Qt, peak RSS ≤ 1.50× bare Qt")
    if idle:
        base = idle["bare Qt"]["VmRSS"]
        print(f"\nidle for {args.idle_seconds:.0f} s after the start (all at once; the kiosk's warm-up done by then)")
        print(f"{'program':<12} {'RSS':>8} {'× bare':>8} {'anonymous':>10} {'file-backed':>12}")
        for name, reading in idle.items():
            print(f"{name:<12} {reading['VmRSS']:>4.0f} MiB {reading['VmRSS'] / base:>7.2f}× "
                  f"{reading['RssAnon']:>6.0f} MiB {reading['RssFile']:>8.0f} MiB")
        print("target: idle RSS ≤ 1.50× bare Qt")
    return 0


if __name__ == "__main__":
    sys.exit(main())
