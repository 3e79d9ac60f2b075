"""Item 7: three terminal processes with their own SQLite files push to the real center while
it is stopped and started again, one terminal dies (SIGKILL) right after a push the center
accepted and another is killed -9 at an arbitrary moment; after restarts every record is on the
center exactly once, in its latest state."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fleet_support import ROOT, child_env

pytestmark = pytest.mark.postgres

SCRIPT = Path(__file__).with_name("terminal_proc.py")
KIND_TABLES = {"rating": "feedback_rating", "help_call": "help_call", "ledger": "helper_ledger",
               "complaint": "feedback_complaint"}


def start_terminal(terminal, records: int, *extra: str) -> subprocess.Popen:
    folder, config = terminal
    return subprocess.Popen([sys.executable, str(SCRIPT), str(records), *extra], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            env=child_env(KIOSK_CONFIG=str(config), KIOSK_DATA_DIR=str(folder / "data")))


def local(folder: Path, sql: str):
    with sqlite3.connect(folder / "data" / "kiosk.sqlite3") as connection:
        return connection.execute(sql).fetchall()


def test_cut_center_and_killed_terminals_lose_and_duplicate_nothing(center, center_schema, enrolled_terminals):
    terminals = enrolled_terminals(3)
    first = [
        start_terminal(terminals[0], 60),
        start_terminal(terminals[1], 60, "--die-after-post", "4"),
        start_terminal(terminals[2], 60),
    ]
    time.sleep(2.0)
    center.stop()  # the center goes away in the middle of the traffic
    time.sleep(2.0)
    first[2].send_signal(signal.SIGKILL)  # kill -9, wherever it is
    first[2].communicate(timeout=30)
    center.start()
    out, err = first[1].communicate(timeout=120)
    assert first[1].returncode == -signal.SIGKILL, err[-3000:]
    out, err = first[0].communicate(timeout=180)
    assert first[0].returncode == 0, err[-3000:]

    # restarted: they make a few more and drain everything queued, including what the center
    # already stored but they never heard back about
    again = [start_terminal(terminals[1], 5), start_terminal(terminals[2], 5)]
    for process in again:
        out, err = process.communicate(timeout=180)
        assert process.returncode == 0, err[-3000:]

    for index, (folder, _config) in enumerate(terminals):
        terminal_id = f"T-{index + 1:02d}"
        events = local(folder, "SELECT count(*), count(DISTINCT id), sum(sent_at IS NULL) FROM sync_outbox")[0]
        assert events[0] == events[1] and events[2] == 0
        assert center_schema.scalar("SELECT count(*) FROM center_event WHERE terminal_id = :t", t=terminal_id) == events[0]
        for kind, table in KIND_TABLES.items():
            made = local(folder, f"SELECT count(*) FROM {table}")[0][0]
            assert made > 0
            on_center = center_schema.rows(
                "SELECT count(*), count(DISTINCT local_id) FROM center_record WHERE terminal_id = :t AND kind = :k",
                t=terminal_id, k=kind)[0]
            assert tuple(on_center) == (made, made), (terminal_id, kind)
        # the latest state of each record won: the help calls are closed on the center too
        assert center_schema.scalar(
            "SELECT count(*) FROM center_record WHERE terminal_id = :t AND kind = 'help_call' AND data->>'status' <> 'closed'",
            t=terminal_id) == 0
        levels = local(folder, "SELECT sum(level) FROM feedback_rating")[0][0]
        assert center_schema.scalar(
            "SELECT sum((data->>'level')::int) FROM center_record WHERE terminal_id = :t AND kind = 'rating'", t=terminal_id) == levels
