"""kill -9 during every kind of write, then check that the database is intact and nothing
acknowledged was lost (docs/reliability.md).

    .venv/bin/python bench/robust_kill9.py [--kills 100] [--seed 1] [--max-delay 1.5] [--keep DIR]

A worker process (this script with --worker) opens the kiosk's services on a SQLite database in
a temporary data folder (the development configuration: simulated printer) and writes in a
loop, every kind of write the kiosk and its commands make: a rating, a complaint, a help call
raised and cancelled, a wrong staff PIN, a wrong progress query, a fault reported, a slip
printed, a catalog import, a progress import, an online backup. After each write has returned
(committed), it appends one line to an acknowledgement file and fsyncs it. The parent kills the
worker with SIGKILL at a random moment, then checks with Python's own sqlite3:

* ``PRAGMA integrity_check`` is ok and ``PRAGMA foreign_key_check`` finds nothing;
* every acknowledged rating, complaint and help call is in the database (no loss);
* the catalog and the applications are complete: each import is all or nothing;
* the fault and the printed-slip counters are at least what was acknowledged;
* every backup file in the backup folder is a complete, intact kiosk database.

Prints the figures and the machine; exit code 1 when any check failed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT))

from machine import describe_machine  # noqa: E402

SAMPLE = ROOT / "assets" / "sample_center"
CONFIG = ROOT / "assets" / "dev-config.toml"
KINDS = ("rating", "complaint", "help_call", "signin", "progress_query", "fault", "print",
         "catalog_import", "progress_import", "backup")


# --- the worker: writes until it is killed --------------------------------------------------------


def worker(data_dir: Path, ack_path: Path, seed: int) -> None:
    os.environ["KIOSK_DATA_DIR"] = str(data_dir)
    os.environ["KIOSK_CONFIG"] = str(CONFIG)
    from kiosk import backup
    from kiosk.catalog import exchange as catalog_exchange
    from kiosk.config import load_config
    from kiosk.services import KioskServices

    config = load_config()
    services = KioskServices(config)
    services.start()
    services.devices.poll(["printer"])  # as the kiosk does first: print outcomes now reach the monitor
    catalog_doc = catalog_exchange.read_file(SAMPLE / "catalog.json")
    progress_path = SAMPLE / "progress.json"
    rng = random.Random(seed)
    ack = open(ack_path, "a", encoding="utf-8")  # noqa: SIM115 - kept open until killed

    def done(kind: str, key: object = "") -> None:
        ack.write(json.dumps([kind, key], ensure_ascii=False) + "\n")
        ack.flush()
        os.fsync(ack.fileno())

    print("ready", flush=True)
    n = 0
    while True:
        n += 1
        kind = KINDS[rng.randrange(len(KINDS))]
        if kind == "rating":
            done(kind, services.rate(rng.randint(1, 5), source="print").id)
        elif kind == "complaint":
            case = services.submit_feedback("complaint", "terminal", f"第{n}次测试投诉", phone="13812345678")
            done(kind, case.number)
        elif kind == "help_call":
            result = services.raise_help_call(screen="home", screen_label="首页")
            done(kind, result.call.id)
            services.app.assistance.cancel_call(result.call.id, by="citizen")
        elif kind == "signin":
            services.staff_sign_in("9999", "000000")
            done(kind)
        elif kind == "progress_query":
            services.query_progress("YC0000000000", "0000")
            done(kind)
        elif kind == "fault":
            services.devices.monitor.report("app", "unhandled_exception", detail=f"kill9 write {n}")
            done(kind)
        elif kind == "print":
            items = services.self_service_items() or services.search("户口", limit=1)
            code = items[0].code
            outcome = services.print_document(services.notice_document(code, []))  # as the item screen does
            if outcome.ok:
                done(kind)
        elif kind == "catalog_import":
            with services.database.session() as session:
                catalog_exchange.apply(session, catalog_doc)
            done(kind)
        elif kind == "progress_import":
            services.progress.import_file(progress_path, shift_to=None)
            done(kind)
        elif kind == "backup":
            backup.backup_database(config, data_dir / "backups", keep=3)
            done(kind)


# --- the parent: kill, check, repeat ------------------------------------------------------------------


def kiosk(data_dir: Path, *args: str) -> None:
    env = dict(os.environ, KIOSK_DATA_DIR=str(data_dir), KIOSK_CONFIG=str(CONFIG), PYTHONPATH=str(ROOT))
    subprocess.run([sys.executable, "-m", "cli", *args], env=env, cwd=ROOT, check=True, capture_output=True)


def read_acks(path: Path) -> list[tuple[str, object]]:
    acks = []
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                kind, key = json.loads(line)
            except ValueError:
                continue  # the last line may be cut by the kill (it was then not acknowledged)
            acks.append((kind, key))
    return acks


def check(data_dir: Path, acks: list[tuple[str, object]], expected: dict[str, int]) -> list[str]:
    problems: list[str] = []
    db = sqlite3.connect(str(data_dir / "kiosk.sqlite3"), timeout=30)
    try:
        integrity = db.execute("PRAGMA integrity_check").fetchall()
        if integrity != [("ok",)]:
            problems.append(f"integrity_check: {integrity[:5]}")
        foreign = db.execute("PRAGMA foreign_key_check").fetchall()
        if foreign:
            problems.append(f"foreign_key_check: {foreign[:5]}")

        def keys(sql: str) -> set:
            return {row[0] for row in db.execute(sql)}

        ratings = keys("SELECT id FROM feedback_rating")
        complaints = keys("SELECT number FROM feedback_complaint")
        calls = keys("SELECT id FROM help_call")
        lost = [(k, v) for k, v in acks if (k == "rating" and v not in ratings) or
                (k == "complaint" and v not in complaints) or (k == "help_call" and v not in calls)]
        if lost:
            problems.append(f"acknowledged but lost: {lost[:5]} ({len(lost)} in all)")
        items = db.execute("SELECT count(*) FROM service_item").fetchone()[0]
        if items != expected["items"]:
            problems.append(f"catalog: {items} items, expected {expected['items']} (an import half applied)")
        applications = db.execute("SELECT count(*) FROM progress_application").fetchone()[0]
        if applications != expected["applications"]:
            problems.append(f"applications: {applications}, expected {expected['applications']}")
        counted = Counter(k for k, _ in acks)
        faults = db.execute(
            "SELECT coalesce(sum(count), 0) FROM device_fault WHERE device='app' AND kind='unhandled_exception'"
        ).fetchone()[0]
        if faults < counted["fault"]:
            problems.append(f"faults counted {faults} < acknowledged {counted['fault']}")
        printed = db.execute(
            "SELECT coalesce(sum(value), 0) FROM device_counter WHERE device='printer' AND name='slips_printed'"
        ).fetchone()[0]
        if printed < counted["print"]:
            problems.append(f"slips counted {printed} < acknowledged {counted['print']}")
    finally:
        db.close()
    for copy in sorted((data_dir / "backups").glob("kiosk-*.sqlite3")):
        backup_db = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
        try:
            if backup_db.execute("PRAGMA integrity_check").fetchall() != [("ok",)]:
                problems.append(f"backup {copy.name} damaged")
            elif backup_db.execute("SELECT count(*) FROM service_item").fetchone()[0] != expected["items"]:
                problems.append(f"backup {copy.name} incomplete")
        except sqlite3.Error as exc:
            problems.append(f"backup {copy.name}: {exc}")
        finally:
            backup_db.close()
    return problems


def run(kills: int, seed: int, max_delay: float, keep: Path | None) -> int:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="kill9-") as tmp:
        data_dir = Path(keep) if keep else Path(tmp)
        data_dir.mkdir(parents=True, exist_ok=True)
        ack_path = data_dir / "acks.jsonl"
        kiosk(data_dir, "catalog", "import", str(SAMPLE / "catalog.json"))
        kiosk(data_dir, "progress", "import", str(SAMPLE / "progress.json"))
        db = sqlite3.connect(str(data_dir / "kiosk.sqlite3"))
        expected = {
            "items": db.execute("SELECT count(*) FROM service_item").fetchone()[0],
            "applications": db.execute("SELECT count(*) FROM progress_application").fetchone()[0],
        }
        db.close()
        failures: list[tuple[int, list[str]]] = []
        started = time.monotonic()
        not_ready = 0
        for number in range(1, kills + 1):
            env = dict(os.environ, PYTHONPATH=str(ROOT))
            proc = subprocess.Popen(
                [sys.executable, __file__, "--worker", str(data_dir), "--ack", str(ack_path), "--seed", str(seed * 100003 + number)],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT,
            )
            line = proc.stdout.readline()
            if line.strip() != b"ready":
                proc.wait(10)
                not_ready += 1
                failures.append((number, [f"worker did not start: {proc.stderr.read().decode(errors='replace')[-2000:]}"]))
                continue
            time.sleep(rng.uniform(0.0, max_delay))
            if proc.poll() is not None:
                failures.append((number, [f"worker ended by itself: {proc.stderr.read().decode(errors='replace')[-2000:]}"]))
                continue
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            proc.stdout.close()
            proc.stderr.close()
            problems = check(data_dir, read_acks(ack_path), expected)
            if problems:
                failures.append((number, problems))
                print(f"kill {number}: " + "; ".join(problems), flush=True)
        elapsed = time.monotonic() - started
        acks = read_acks(ack_path)
        per_kind = Counter(k for k, _ in acks)
        print(f"kill -9 harness: {kills} kills in {elapsed:.0f} s, {len(acks)} acknowledged writes")
        print("  writes by kind: " + ", ".join(f"{k} {per_kind[k]}" for k in KINDS))
        print(f"  checks failed after {len(failures)} of {kills} kills (integrity, foreign keys, no loss, "
              f"all-or-nothing imports, intact backups)")
        for number, problems in failures[:10]:
            print(f"    kill {number}: " + "; ".join(problems))
        print(f"  machine: {describe_machine()}")
        return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-delay", type=float, default=1.5, help="longest wait before a kill, seconds")
    parser.add_argument("--keep", type=Path, help="data folder to use and keep (default: a temporary one)")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--ack", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker, args.ack, args.seed)
        return 0
    return run(args.kills, args.seed, args.max_delay, args.keep)


if __name__ == "__main__":
    sys.exit(main())
