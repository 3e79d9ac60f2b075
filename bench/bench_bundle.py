"""The terminal bundle against the source run: size on disk and start-to-screenshot time.

    .venv/bin/python bench/bench_bundle.py [--bundle dist/kiosk] [--build] [--runs 5]

Builds the bundle first with --build (or when --bundle does not exist), into a temp dir. Each
run is a new process rendering `kiosk screenshot home` (1080x1920, offscreen) on the sample
center, in an environment with nothing but HOME, PATH=/usr/bin:/bin, LANG, KIOSK_DATA_DIR and
QT_QPA_PLATFORM; the source run is `.venv/bin/kiosk`. The first run of each is reported apart
(page cache cold for that program's files, as far as this machine allows), then the median.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_KIOSK = ROOT / ".venv" / "bin" / "kiosk"


def du(path: Path) -> int:
    """Bytes on disk, like `du -sb` (symlinks not followed)."""
    total = 0
    for p in path.rglob("*"):
        if p.is_file() and not p.is_symlink():
            total += p.stat().st_size
    return total


def build(dest: Path) -> tuple[Path, float]:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", str(dest / "dist"), "--workpath", str(dest / "build"), str(ROOT / "kiosk.spec")],
        cwd=ROOT, check=True,
    )
    return dest / "dist" / "kiosk", time.perf_counter() - started


def timed(command: list[str], env: dict[str, str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - started


def drop_caches() -> bool:
    """Cold start where allowed (root on a real kernel); False when not possible here."""
    try:
        subprocess.run(["sync"], check=True)
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "kiosk")
    parser.add_argument("--build", action="store_true", help="build a fresh bundle in a temp dir")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-bundle-") as scratch:
        scratch = Path(scratch)
        bundle, build_seconds = args.bundle, None
        if args.build or not (bundle / "kiosk").is_file():
            bundle, build_seconds = build(scratch)
        internal = bundle / "_internal"
        total = du(bundle)
        file_count = sum(1 for p in bundle.rglob("*") if p.is_file())
        parts = {
            "Qt and PySide6": du(internal / "PySide6") + sum(
                p.stat().st_size for p in internal.glob("lib*shiboken*") if not p.is_symlink()
            ),
            "CJK font": du(internal / "assets" / "fonts"),
            "Python runtime and stdlib": sum(
                p.stat().st_size for p in internal.glob("libpython*") if not p.is_symlink()
            ) + du(internal / "python3.11") + (internal / "base_library.zip").stat().st_size,
        }
        parts["everything else (our code, Pillow, SQLAlchemy, pypinyin, system libraries …)"] = total - sum(parts.values())

        data = scratch / "data"
        env = {
            "HOME": str(scratch),
            "PATH": "/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "KIOSK_DATA_DIR": str(data),
            "QT_QPA_PLATFORM": "offscreen",
        }
        catalog = internal / "assets" / "sample_center" / "catalog.json"
        subprocess.run([str(bundle / "kiosk"), "catalog", "import", str(catalog)], env=env, check=True, capture_output=True)
        programs = {"bundle": [str(bundle / "kiosk")], "source (.venv)": [str(VENV_KIOSK)]}
        results = {}
        cold = drop_caches()
        for name, program in programs.items():
            if cold:
                drop_caches()
            times = [timed(program + ["screenshot", "home", "--out", str(scratch / "s.png")], env, scratch) for _ in range(args.runs + 1)]
            version = [timed(program + ["--version"], env, scratch) for _ in range(args.runs)]
            results[name] = (times[0], statistics.median(times[1:]), statistics.median(version))

    print(f"bench_bundle.py ({time.strftime('%Y-%m-%d')}), {platform.python_implementation()} {platform.python_version()}, "
          f"{os.cpu_count()} CPU(s), Linux {platform.release()}")
    if build_seconds is not None:
        print(f"build (pyinstaller --clean kiosk.spec): {build_seconds:.0f} s")
    print(f"\nbundle size: {total / 2**20:.0f} MiB ({total:,} bytes), {file_count} files")
    for label, size in parts.items():
        print(f"  {label}: {size / 2**20:.1f} MiB")
    print(f"\nstart → screenshot home saved (median of {args.runs} after the first; first run {'after dropping caches' if cold else 'with warm caches: drop_caches not allowed here'})")
    print("| program | first run (s) | median (s) | `--version` median (s) |")
    print("|---|---:|---:|---:|")
    for name, (first, median, version) in results.items():
        print(f"| {name} | {first:.2f} | {median:.2f} | {version:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
