"""What the benchmarks share: the machine's description (all of them) and the sample center in a temp dir (the UI ones)."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def machine_summary() -> str:
    """CPU model, cores, memory and Python: where the figures came from (every benchmark prints it)."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        memory = f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.1f} GiB RAM"
    except (ValueError, OSError, AttributeError):
        memory = "RAM unknown"
    return f"{model}, {os.cpu_count()} cores, {memory}, Python {platform.python_version()} ({platform.system()})"


def describe_machine() -> str:
    """The date, the machine and its load: the UI benchmarks' first line."""
    load = "load %.1f %.1f %.1f" % os.getloadavg()
    return f"{time.strftime('%Y-%m-%d')}: {machine_summary()}, {load}; {platform.system()} {platform.release()}"


def kiosk_command() -> list[str]:
    """The `kiosk` command of the running Python's environment (the venv's console script)."""
    script = Path(sys.executable).with_name("kiosk")
    return [str(script)] if script.exists() else [sys.executable, "-m", "cli"]


def prepare_sample_data(data_dir: Path) -> dict[str, str]:
    """Import the sample center (catalog, applications shifted to today) into data_dir.

    Returns the environment for kiosk processes: the development configuration (simulated
    printer) with its data in data_dir.
    """
    env = dict(os.environ)
    env["KIOSK_DATA_DIR"] = str(data_dir)
    env["KIOSK_CONFIG"] = str(ROOT / "assets" / "dev-config.toml")
    sample = ROOT / "assets" / "sample_center"
    for args in (["catalog", "import", str(sample / "catalog.json")],
                 ["progress", "import", str(sample / "progress.json"), "--shift-to-today"]):
        subprocess.run([*kiosk_command(), *args], env=env, cwd=ROOT, check=True, capture_output=True)
    return env
