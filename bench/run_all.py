"""Run every bench/bench_*.py in turn (`make bench`) and print what each prints.

    .venv/bin/python bench/run_all.py

Each benchmark runs with its defaults in its own process, with the project's venv Python
(.venv/bin/python; the running Python when there is no venv). The exit code is 1 when any
benchmark failed, after all of them have run.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
VENV_PYTHON = BENCH_DIR.parent / ".venv" / "bin" / "python"


def main() -> int:
    scripts = sorted(BENCH_DIR.glob("bench_*.py"))
    if not scripts:
        print("no bench/bench_*.py found")
        return 1
    python = str(VENV_PYTHON) if VENV_PYTHON.exists() else sys.executable
    failed = []
    for script in scripts:
        print(f"\n===== {script.name} =====", flush=True)
        started = time.perf_counter()
        code = subprocess.call([python, str(script)], cwd=BENCH_DIR.parent)
        print(f"===== {script.name}: exit {code}, {time.perf_counter() - started:.0f} s =====", flush=True)
        if code != 0:
            failed.append(script.name)
    print(f"\n{len(scripts)} benchmark(s) run" + (f"; failed: {', '.join(failed)}" if failed else ", all finished"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
