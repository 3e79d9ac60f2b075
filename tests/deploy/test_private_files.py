"""Files that may hold personal data are created readable by their owner only (0600): the
database and its WAL files, the log, crash records and every export written with --out."""

from __future__ import annotations

import logging
import os
import stat
import sys
import threading

import pytest
from sqlalchemy import text

from kiosk import crash, logs
from kiosk.config import load_config
from kiosk.db import Database, DatabaseError
from reports.report_data import fill


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture(autouse=True)
def usual_umask():
    """The umask of a desktop session: new files are 0644 unless the code says otherwise."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_database_and_its_wal_files_are_0600(data_dir):
    path = data_dir / "kiosk.sqlite3"
    database = Database("sqlite:///" + str(path))
    database.upgrade()
    with database.engine.connect() as connection:  # keeps the WAL files open
        connection.execute(text("SELECT 1"))
        for name in (path, path.with_name("kiosk.sqlite3-wal"), path.with_name("kiosk.sqlite3-shm")):
            assert name.exists() and mode(name) == 0o600, name
    database.dispose()


def test_an_existing_world_readable_database_is_made_private(data_dir):
    path = data_dir / "old.sqlite3"
    Database("sqlite:///" + str(path)).upgrade()
    os.chmod(path, 0o644)
    Database("sqlite:///" + str(path)).dispose()
    assert mode(path) == 0o600


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///", "sqlite+pysqlite:///"])
def test_a_database_url_without_a_file_is_refused(url, cli, monkeypatch):
    with pytest.raises(DatabaseError, match="缺少文件路径"):
        Database(url)
    monkeypatch.setenv("KIOSK_DB_URL", url)
    result = cli("catalog", "search", "户口")
    assert result.exit_code == 2 and "缺少文件路径" in result.err and "Traceback" not in result.err


def test_log_file_and_its_old_copies_are_0600(data_dir):
    root = logging.getLogger()
    handler = logs.add_file_logging(load_config())
    try:
        handler.maxBytes = 200
        for number in range(10):
            logging.getLogger("kiosk.test").warning("line %d %s", number, "x" * 50)
        handler.flush()
    finally:
        root.removeHandler(handler)
        handler.close()
    files = sorted(logs.log_file(data_dir).parent.iterdir())
    assert len(files) > 1
    assert {f.name: mode(f) for f in files} == {f.name: 0o600 for f in files}


def test_crash_record_is_0600(data_dir, monkeypatch):
    monkeypatch.setattr(threading, "excepthook", lambda args: None)
    monkeypatch.setattr(sys, "excepthook", lambda *args: None)
    crash.install_hooks(data_dir)
    try:
        try:
            raise ValueError("boom")
        except ValueError:
            sys.excepthook(*sys.exc_info())
    finally:
        crash.uninstall_hooks()
    assert mode(crash.crash_file(data_dir)) == 0o600


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (("report", "ratings", "--from", "2026-03-01", "--to", "2026-03-31", "--out"), "r.csv"),
        (("report", "complaints", "--from", "2026-03-01", "--to", "2026-03-31", "--out"), "c.xlsx"),
        (("ledger", "export", "--from", "2026-03-01", "--to", "2026-03-31", "--out"), "l.csv"),
        (("ledger", "export", "--from", "2026-03-01", "--to", "2026-03-31", "--format", "json", "--out"), "l.json"),
        (("faults", "export"), "f.csv"),
    ],
)
def test_exports_are_0600_even_over_an_old_file(args, name, cli, database, tmp_path):
    fill(database)
    out = tmp_path / name
    out.write_text("old")
    os.chmod(out, 0o644)
    result = cli(*args, out)
    assert result.exit_code == 0, result.err
    assert out.stat().st_size > 3 and mode(out) == 0o600
