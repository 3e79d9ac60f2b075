"""Online backups of the SQLite database while another connection writes, their generations,
and a restore into a fresh location that reads the data back."""

from __future__ import annotations

import sqlite3
import threading
import time
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from kiosk.backup import BackupError, backup_database, check_backup, list_backups, restore_database
from kiosk.config import load_config
from support import SMALL_CATALOG


@pytest.fixture
def loaded(cli, data_dir):
    """The data folder's database with the small catalog and a table another connection fills."""
    assert cli("catalog", "import", SMALL_CATALOG).exit_code == 0
    config = load_config()
    connection = sqlite3.connect(str(data_dir / "kiosk.sqlite3"))
    connection.execute("CREATE TABLE visits (n INTEGER PRIMARY KEY, note TEXT)")
    connection.commit()
    connection.close()
    return config


class Writer(threading.Thread):
    """Inserts rows 0, 1, 2 … one transaction each, until stopped."""

    def __init__(self, path):
        super().__init__(name="writer")
        self.path, self.count, self.stop, self.error = path, 0, threading.Event(), None

    def run(self):
        connection = sqlite3.connect(str(self.path), timeout=30)
        connection.execute("PRAGMA busy_timeout=30000")
        try:
            while not self.stop.is_set():
                with connection:
                    connection.execute("INSERT INTO visits VALUES (?, ?)", (self.count, "x" * 200))
                self.count += 1
        except Exception as exc:  # noqa: BLE001 - reported by the test
            self.error = exc
        finally:
            connection.close()


def item_codes(path) -> list[str]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [row[0] for row in connection.execute("SELECT code FROM service_item ORDER BY code")]
    finally:
        connection.close()


def test_backup_while_writing_then_restore_elsewhere_and_read_back(loaded, data_dir, tmp_path, cli):
    source = data_dir / "kiosk.sqlite3"
    writer = Writer(source)
    writer.start()
    try:
        deadline = time.monotonic() + 10
        while writer.count < 200 and time.monotonic() < deadline:
            time.sleep(0.01)
        before = writer.count
        result = backup_database(loaded, tmp_path / "backups", keep=3)
        after = writer.count
        time.sleep(0.05)
    finally:
        writer.stop.set()
        writer.join()
    assert writer.error is None
    assert 200 <= before < after, "the writer must be writing while the backup runs"

    backup = result.path
    assert backup.name.startswith("kiosk-") and backup.suffix == ".sqlite3"
    assert oct(backup.stat().st_mode & 0o777) == "0o600"
    assert not list(backup.parent.glob("*-wal")) and not list(backup.parent.glob(".*part"))
    check_backup(backup)
    copy = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    rows = [n for (n,) in copy.execute("SELECT n FROM visits ORDER BY n")]
    assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    copy.close()
    # A consistent snapshot: every committed row up to some point, nothing half-written.
    assert before <= len(rows) <= writer.count and rows == list(range(len(rows)))
    assert item_codes(backup) == item_codes(source) != []

    # Restore into a fresh data folder with the CLI, then read the data back through the kiosk.
    fresh = tmp_path / "fresh"
    config_file = tmp_path / "fresh.toml"
    config_file.write_text(f'[paths]\ndata_dir = "{fresh}"\n', encoding="utf-8")
    restored = cli("--config", config_file, "db", "restore", backup)
    assert restored.exit_code == 0, restored.err
    assert "已恢复 / restored" in restored.out
    assert item_codes(fresh / "kiosk.sqlite3") == item_codes(source)
    code = item_codes(source)[0]
    shown = cli("--config", config_file, "catalog", "show", code, "--json")
    assert shown.exit_code == 0 and shown.json()["code"] == code
    connection = sqlite3.connect(str(fresh / "kiosk.sqlite3"))
    assert connection.execute("SELECT count(*) FROM visits").fetchone() == (len(rows),)
    connection.close()


def test_restore_over_an_existing_database_keeps_the_previous_one(loaded, data_dir, tmp_path):
    backup = backup_database(loaded, tmp_path / "b").path
    connection = sqlite3.connect(str(data_dir / "kiosk.sqlite3"))
    with connection:
        connection.execute("DELETE FROM service_item")
    connection.close()
    assert item_codes(data_dir / "kiosk.sqlite3") == []
    saved = restore_database(backup, loaded)
    assert item_codes(data_dir / "kiosk.sqlite3") == item_codes(backup) != []
    assert saved is not None and item_codes(saved) == []
    connection = sqlite3.connect(str(data_dir / "kiosk.sqlite3"))
    assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    connection.close()


def test_copies_saved_by_restores_are_pruned_to_the_newest_three(loaded, data_dir, tmp_path):
    backup = backup_database(loaded, tmp_path / "b").path
    for stamp in ("20261101-010000", "20261102-010000", "20261103-010000", "20261104-010000"):
        (data_dir / f"kiosk.sqlite3.before-restore-{stamp}").write_bytes(b"old copy")
    saved = restore_database(backup, loaded)
    left = sorted(p.name for p in data_dir.glob("kiosk.sqlite3.before-restore-*"))
    assert left == ["kiosk.sqlite3.before-restore-20261103-010000", "kiosk.sqlite3.before-restore-20261104-010000", saved.name]
    assert oct(saved.stat().st_mode & 0o777) == "0o600"


def test_old_generations_are_removed(loaded, tmp_path):
    start = datetime(2026, 11, 1, 2, 30)
    for day in range(5):
        backup_database(loaded, tmp_path / "b", keep=3, now=start + timedelta(days=day))
    names = [p.name for p in list_backups(tmp_path / "b")]
    assert names == ["kiosk-20261105-023000.sqlite3", "kiosk-20261104-023000.sqlite3", "kiosk-20261103-023000.sqlite3"]
    (tmp_path / "b" / "notes.txt").write_text("not a backup")
    result = backup_database(loaded, tmp_path / "b", keep=1, now=start + timedelta(days=9))
    assert [p.name for p in result.kept] == ["kiosk-20261110-023000.sqlite3"]
    assert len(result.removed) == 3 and (tmp_path / "b" / "notes.txt").exists()


def test_cli_backup_defaults_and_log(cli, loaded, data_dir):
    result = cli("db", "backup", "--keep", "2")
    assert result.exit_code == 0, result.err
    assert "已备份 / backed up" in result.out
    [backup] = list_backups(data_dir / "backups")
    check_backup(backup)
    assert "database backed up to" in (data_dir / "logs" / "kiosk.log").read_text(encoding="utf-8")


def test_not_sqlite_says_to_use_the_database_tools(cli, loaded, tmp_path):
    config = replace(loaded, database_url="postgresql+psycopg://kiosk:secret@db.local/kiosk")
    with pytest.raises(BackupError, match="pg_dump"):
        backup_database(config, tmp_path)
    with pytest.raises(BackupError, match="pg_restore"):
        restore_database(backup_database(loaded, tmp_path).path, config)
    config_file = tmp_path / "pg.toml"
    config_file.write_text('[database]\nurl = "postgresql+psycopg://kiosk:secret@db.local/kiosk"\n', encoding="utf-8")
    result = cli("--config", config_file, "db", "backup")
    assert result.exit_code == 1 and "pg_dump" in result.err


def test_restore_refuses_what_is_not_a_kiosk_backup(cli, loaded, tmp_path):
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not a database" * 100)
    result = cli("db", "restore", junk)
    assert result.exit_code == 1 and "not a usable SQLite backup" in result.err
    other = tmp_path / "other.sqlite3"
    sqlite3.connect(str(other)).execute("CREATE TABLE t (x)").connection.close()
    result = cli("db", "restore", other)
    assert result.exit_code == 1 and "not a backup of the kiosk database" in result.err
    assert cli("db", "restore", tmp_path / "missing.sqlite3").exit_code == 1


def test_restore_refuses_while_the_kiosk_service_runs(cli, loaded, tmp_path, monkeypatch):
    from cli import backup_commands

    backup = backup_database(loaded, tmp_path / "b").path
    monkeypatch.setattr(backup_commands, "kiosk_service_running", lambda: True)
    result = cli("db", "restore", backup)
    assert result.exit_code == 1 and "systemctl stop zwfw-kiosk.service" in result.err
    assert cli("db", "restore", backup, "--force").exit_code == 0
