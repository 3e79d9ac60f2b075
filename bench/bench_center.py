"""The center under a busy day: N simulated terminals push one day's records each.

    .venv/bin/python bench/bench_center.py [--terminals 10,20,40,60] [--scale 1.0] [--batch 200] [--db URL]

Starts a throwaway PostgreSQL cluster (.ci/postgres.sh; or uses --db / $KIOSK_TEST_POSTGRES_URL,
each run in a fresh schema) and the real center (`kiosk center serve`, uvicorn) on loopback.
Each simulated terminal is enrolled like a real one and gets its own SQLite file whose outbox
holds one busy day (scale 1.0): 300 ratings, 50 help calls (raised, taken, closed: 3 events
each), 20 faults (opened and resolved, with their timeline: 4 events each) and 100 ledger
entries — 630 events, made by the kiosk's own outbox code (kiosk/fleet/outbox.py) from real
rows. Then all terminals push at once (one thread each, FleetSync.push, batches of --batch) and
we time the drain: until every terminal's outbox is empty. Printed: the drain time and events
per second for each fleet size, the p50/p99/max of the push requests as the terminals saw them
(loopback, so about the center's own time), and the machine.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from machine import machine_summary  # noqa: E402  (bench/, beside this script)
from sqlalchemy import create_engine, make_url, text  # noqa: E402

from kiosk.config import load_config  # noqa: E402
from kiosk.db import Database  # noqa: E402
from kiosk.devices.models import DeviceFault, FaultEvent  # noqa: E402
from kiosk.feedback.models import Rating  # noqa: E402
from kiosk.fleet import outbox  # noqa: E402
from kiosk.fleet.client import CenterClient  # noqa: E402
from kiosk.fleet.credential import Credential, save_credential  # noqa: E402
from kiosk.fleet.sync import connect  # noqa: E402
from kiosk.assistance.models import HelpCall, LedgerEntry  # noqa: E402

DAY = {"ratings": 300, "calls": 50, "faults": 20, "ledger": 100}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Postgres:
    def __init__(self, url: str):
        self.url, self.folder = url, None

    def __enter__(self) -> str:
        if not self.url:
            self.folder = tempfile.mkdtemp(prefix="bench-center-pg.")
            done = subprocess.run([str(ROOT / ".ci" / "postgres.sh"), "start", self.folder], capture_output=True, text=True,
                                  env={**os.environ, "KIOSK_PG_PORT": str(free_port())}, timeout=300)
            if done.returncode:
                raise SystemExit(f"could not start PostgreSQL: {done.stderr[-1000:]}")
            self.url = done.stdout.strip().splitlines()[-1]
        return self.url

    def __exit__(self, *exc) -> None:
        if self.folder:
            subprocess.run([str(ROOT / ".ci" / "postgres.sh"), "stop", self.folder], capture_output=True, timeout=120)


def fresh_schema(base_url: str) -> tuple[str, callable]:
    base = make_url(base_url)
    name = f"bench_center_{os.getpid()}_{int(time.time() * 1000) % 10**8}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{name}"'))

    def drop():
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()

    return base.update_query_dict({"options": f"-csearch_path={name}"}).render_as_string(hide_password=False), drop


class Center:
    def __init__(self, db_url: str, folder: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(folder / "center.log", "ab")
        env = {**os.environ, "PYTHONPATH": str(ROOT), "KIOSK_DATA_DIR": str(folder / "center-data")}
        self.process = subprocess.Popen([sys.executable, "-m", "cli", "center", "serve", "--port", str(self.port), "--db", db_url],
                                        stdout=self.log, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
        deadline = time.monotonic() + 180  # a loaded machine may take long to import and migrate
        while True:
            try:
                with urllib.request.urlopen(self.url + "/api/v1/health", timeout=1):
                    return
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.log.flush()
                    raise SystemExit("center did not start:\n" + (folder / "center.log").read_text(errors="replace")[-2000:])
                time.sleep(0.2)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(20)
        self.log.close()


def make_day(database: Database, terminal: str, scale: float, rng: random.Random) -> None:
    """One busy day of this terminal, written through the ORM so the outbox listener queues it."""
    day = date.today()
    start = datetime.combine(day, datetime.min.time()) + timedelta(hours=8, minutes=30)

    def at(i: int, n: int) -> datetime:
        return start + timedelta(seconds=int(8 * 3600 * i / max(1, n)))

    n = {k: max(1, round(v * scale)) for k, v in DAY.items()}
    with database.session() as session:
        for i in range(n["ratings"]):
            level = rng.choice((5, 5, 5, 4, 4, 3, 2, 1))
            session.add(Rating(terminal=terminal, source=rng.choice(("print", "progress", "tile")), item_code=f"11411481MB{i % 90:05d}",
                               item_name="居民身份证申领", rated_at=at(i, n["ratings"]), level=level,
                               reasons=["attitude"] if level <= 2 else [], phone="13812345678" if level <= 2 else ""))
        calls = []
        for i in range(n["calls"]):
            when = at(i, n["calls"])
            call = HelpCall(day=day, seq=i + 1, terminal=terminal, terminal_name=terminal, screen="search", screen_label="搜索事项",
                            status="open", raised_at=when, last_raised_at=when)
            session.add(call)
            calls.append(call)
        faults = []
        for i in range(n["faults"]):
            when = at(i, n["faults"])
            fault = DeviceFault(terminal=terminal, device="printer", kind="paper_out", severity="error", status="open",
                                active_key=f"{terminal}|printer|paper_out|{i}", message="打印纸用完", first_seen=when, last_seen=when)
            session.add(fault)
            faults.append(fault)
        session.flush()
        for call in calls:
            call.status, call.taken_by, call.taken_by_name, call.taken_at = "taken", "H01", "李帮办", call.raised_at + timedelta(minutes=1)
        for fault in faults:
            session.add(FaultEvent(fault_id=fault.id, at=fault.first_seen, action="opened", actor="system"))
        session.flush()
        for i, call in enumerate(calls):
            call.status, call.ended_at, call.ended_by = "closed", call.raised_at + timedelta(minutes=6), "H01"
        for fault in faults:
            fault.status, fault.active_key, fault.resolved_at = "auto_resolved", None, fault.first_seen + timedelta(minutes=20)
            session.add(FaultEvent(fault_id=fault.id, at=fault.resolved_at, action="resolved", actor="system"))
        for i in range(n["ledger"]):
            session.add(LedgerEntry(at=at(i, n["ledger"]), helper_id="H01", helper_name="李帮办", terminal=terminal,
                                    item_code=f"11411481MB{i % 90:05d}", item_name="居民身份证申领", help_types=["online"],
                                    outcome="resolved", notes="", finished_at=at(i, n["ledger"]) + timedelta(minutes=5)))
        session.flush()


def run(base_url: str, terminals: int, scale: float, batch: int, work: Path) -> dict:
    db_url, drop = fresh_schema(base_url)
    folder = work / f"fleet-{terminals}"
    folder.mkdir()
    center = Center(db_url, folder)
    try:
        from center.app import CenterSettings, build_service

        service = build_service(CenterSettings(database_url=db_url))
        syncs = []
        made = time.perf_counter()
        for i in range(terminals):
            terminal = f"T-{i + 1:03d}"
            tdir = folder / terminal
            tdir.mkdir()
            config_path = tdir / "kiosk.toml"
            config_path.write_text(f'[terminal]\nid = "{terminal}"\nname = "终端 {terminal}"\n\n[center]\nurl = "{center.url}"\n'
                                   f"batch_size = {batch}\ntimeout_seconds = 60\n", "utf-8")
            config = load_config(config_path, env={"KIOSK_DATA_DIR": str(tdir / "data")})
            token = CenterClient(center.url).post("/api/v1/enroll", {"terminal": terminal, "code": service.make_code(terminal)})["token"]
            save_credential(config.data_dir, Credential(center.url, terminal, token, ""))
            database = Database(config.effective_database_url)
            database.upgrade()
            sync = connect(config, database)
            make_day(database, terminal, scale, random.Random(i))
            syncs.append(sync)
        made = time.perf_counter() - made
        service.database.dispose()
        with syncs[0].database.session() as session:
            per_terminal = outbox.pending_count(session)

        latencies: list[float] = []
        lock = threading.Lock()
        for sync in syncs:
            request = sync.client.request

            def timed(method, path, body=None, _request=request, **kw):
                t0 = time.perf_counter()
                try:
                    return _request(method, path, body, **kw)
                finally:
                    with lock:
                        latencies.append(time.perf_counter() - t0)

            sync.client.request = timed
        errors: list[BaseException] = []
        barrier = threading.Barrier(terminals + 1)

        def drain(sync):
            barrier.wait()
            try:
                while sync.push().pending:
                    pass
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=drain, args=(s,)) for s in syncs]
        for t in threads:
            t.start()
        barrier.wait()
        started = time.perf_counter()
        for t in threads:
            t.join()
        drained = time.perf_counter() - started
        if errors:
            raise SystemExit(f"{len(errors)} terminal(s) failed: {errors[0]!r}")
        engine = create_engine(db_url)
        with engine.connect() as connection:
            stored = connection.execute(text("SELECT count(*) FROM center_event")).scalar()
        engine.dispose()
        for sync in syncs:
            sync.database.dispose()
        total = per_terminal * terminals
        assert stored == total, f"center holds {stored} events, terminals made {total}"
        latencies.sort()
        return {"terminals": terminals, "events": total, "per_terminal": per_terminal, "made_s": made, "drain_s": drained,
                "rate": total / drained, "requests": len(latencies), "p50_ms": statistics.median(latencies) * 1000,
                "p99_ms": latencies[max(0, math.ceil(0.99 * len(latencies)) - 1)] * 1000, "max_ms": latencies[-1] * 1000}
    finally:
        center.stop()
        drop()
        shutil.rmtree(folder, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--terminals", default="10,20,40,60", help="fleet sizes to run, comma-separated")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of a busy day per terminal")
    parser.add_argument("--batch", type=int, default=200, help="events per push ([center] batch_size)")
    parser.add_argument("--db", default=os.environ.get("KIOSK_TEST_POSTGRES_URL", ""), help="PostgreSQL to use (default: a throwaway cluster)")
    args = parser.parse_args()
    sizes = [int(x) for x in args.terminals.split(",") if x.strip()]
    print(f"machine: {machine_summary()}")
    print(f"a day per terminal (scale {args.scale}): {', '.join(f'{k} {round(v * args.scale)}' for k, v in DAY.items())}; batch {args.batch}")
    results = []
    with Postgres(args.db) as base, tempfile.TemporaryDirectory(prefix="bench-center.") as work:
        for size in sizes:
            r = run(base, size, args.scale, args.batch, Path(work))
            results.append(r)
            print(f"{r['terminals']:>3} terminals: {r['events']:>6} events drained in {r['drain_s']:6.2f} s "
                  f"({r['rate']:6.0f} events/s); push requests {r['requests']}: p50 {r['p50_ms']:.0f} ms, "
                  f"p99 {r['p99_ms']:.0f} ms, max {r['max_ms']:.0f} ms (making the records took {r['made_s']:.1f} s)", flush=True)
    print("\n| terminals | events | drain (s) | events/s | push requests | p50 (ms) | p99 (ms) | max (ms) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r['terminals']} | {r['events']} | {r['drain_s']:.2f} | {r['rate']:.0f} | {r['requests']} | {r['p50_ms']:.0f} | "
              f"{r['p99_ms']:.0f} | {r['max_ms']:.0f} |")
    if len(results) > 1:
        first, last = results[0], results[-1]
        print(f"\ndrain time x{last['drain_s'] / first['drain_s']:.1f} for x{last['terminals'] / first['terminals']:.1f} terminals")
    return 0


if __name__ == "__main__":
    sys.exit(main())
