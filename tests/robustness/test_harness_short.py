"""The robustness harness in short, on every `make test` (docs/reliability.md): a few kill -9
during writes with the integrity and no-loss checks, and a short soak of the real UI. The long
runs are one command each: bench/robust_kill9.py (≥ 100 kills), bench/robust_soak.py (10,000
visits)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(script: str, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, str(ROOT / "bench" / script), *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


def test_kill_9_during_writes_loses_nothing_and_leaves_an_intact_database():
    result = run("robust_kill9.py", "--kills", "4", "--seed", "3", "--max-delay", "1.0")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 kills" in result.stdout and "checks failed after 0 of 4 kills" in result.stdout
    assert "machine:" in result.stdout


def test_a_short_soak_of_the_ui_has_no_exception_and_no_descriptor_leak():
    result = run("robust_soak.py", "--visits", "60", "--seed", "2")
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert "exceptions and Qt warnings: 0" in result.stdout
    assert "60 visits" in result.stdout and "open file descriptors" in result.stdout
