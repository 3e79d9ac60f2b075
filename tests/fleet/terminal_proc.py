"""A terminal as its own process for the fleet tests: makes records through the kiosk's own
services (ratings, help calls and their ledger entries, complaints) in its own SQLite file, and
pushes them to the center as it goes, carrying on while the center is away.

    python tests/fleet/terminal_proc.py RECORDS [--die-after-post N] [--drain-seconds S]

The configuration comes from $KIOSK_CONFIG and $KIOSK_DATA_DIR. ``--die-after-post N`` kills
the process with SIGKILL right after the Nth push the center accepted, before the terminal
marks it sent (the worst moment for a crash). Prints one JSON line at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("records", type=int)
    parser.add_argument("--die-after-post", type=int, default=0)
    parser.add_argument("--drain-seconds", type=float, default=60)
    parser.add_argument("--pause", type=float, default=0.01)
    args = parser.parse_args()

    from kiosk.config import load_config
    from kiosk.db import Database
    from kiosk.feedback.service import FeedbackService
    from kiosk.fleet.client import CenterUnreachable
    from kiosk.fleet.sync import connect
    from kiosk.assistance import HelperService

    config = load_config()
    database = Database(config.effective_database_url)
    database.upgrade()
    sync = connect(config, database)
    assert sync is not None, "not enrolled"
    if args.die_after_post:
        posts = {"n": 0}
        post = sync.client.post

        def dying_post(path, body, **kwargs):
            answer = post(path, body, **kwargs)
            if path == "/api/v1/push":
                posts["n"] += 1
                if posts["n"] >= args.die_after_post:
                    os.kill(os.getpid(), signal.SIGKILL)
            return answer

        sync.client.post = dying_post

    terminal = config.terminal.id
    feedback = FeedbackService(database, terminal=terminal)
    helpers = HelperService(database, terminal=terminal, terminal_name=config.terminal.name)
    unreachable = 0
    for i in range(args.records):
        feedback.rate(1 + i % 5, source="tile")
        if i % 4 == 0:
            raised = helpers.raise_call(screen="home", screen_label="首页")
            helpers.close_call(raised.call.id, ("H01", "帮办员"), help_types=["online"], outcome="resolved")
        if i % 10 == 0:
            feedback.submit("suggestion", "terminal", f"建议 {terminal} {i}")
        try:
            sync.push(max_batches=1)
        except CenterUnreachable:
            unreachable += 1
        time.sleep(args.pause)
    deadline = time.monotonic() + args.drain_seconds
    pending = None
    while time.monotonic() < deadline:
        try:
            pending = sync.push().pending
            if pending == 0:
                break
        except CenterUnreachable:
            unreachable += 1
            time.sleep(0.3)
    print(json.dumps({"terminal": terminal, "pending": pending, "unreachable": unreachable}), flush=True)
    database.dispose()
    return 0 if pending == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
