"""A database that can no longer be written — a disk remounted read-only, a full disk — is a
fault with a clear name, not 正常 (issue 16 items 4 and 10)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from kiosk.db import DISK_FULL, READ_ONLY, Database, DatabaseError
from kiosk.devices.monitor import DatabaseProbe, DiskProbe


def read_only_url(data_dir: Path) -> str:
    """The kiosk's database opened read-only: SQLite refuses every write as it does on a
    filesystem remounted read-only ("attempt to write a readonly database")."""
    return f"sqlite:///file:{data_dir / 'kiosk.sqlite3'}?mode=ro&uri=true"


@pytest.fixture
def populated(cli, data_dir):
    assert cli("devices", "check").exit_code == 0  # creates and upgrades the database
    return data_dir


def test_a_read_only_database_is_a_fault_and_check_exits_1(cli, populated, monkeypatch):
    monkeypatch.setenv("KIOSK_DB_URL", read_only_url(populated))
    result = cli("devices", "check", "--json")
    assert result.exit_code == 1, result.err
    database = next(d for d in result.json()["devices"] if d["device"] == "database")
    assert database["conditions"] == ["database_read_only"] and not database["usable"]
    assert database["message_zh"] == "数据库只读，无法保存"
    text = cli("devices", "check")
    assert text.exit_code == 1 and "数据库只读" in text.out and "正常" not in text.out.split("数据库")[1].splitlines()[0]


def test_the_probe_names_a_read_only_database(populated):
    database = Database(read_only_url(populated))
    try:
        reading = DatabaseProbe(database, "YC-HALL-01").read(None)
    finally:
        database.dispose()
    assert reading.kinds == {"database_read_only"} and reading.message_zh == "数据库只读，无法保存"


def test_a_disk_without_free_space_is_an_error_not_a_warning(tmp_path):
    reading = DiskProbe(tmp_path, 500, usage=lambda path: (10 * 2**30, 10 * 2**30 - 4096, 4096)).read(None)
    assert reading.kinds == {"disk_full"} and not reading.usable and reading.message_zh == "磁盘已满，无法保存"


def _mount(*args: str) -> bool:
    return shutil.which("mount") is not None and subprocess.run(["mount", *args], capture_output=True).returncode == 0


@pytest.fixture
def small_disk(tmp_path):
    """A real 3 MB filesystem (tmpfs; needs root): skipped where mounting is not allowed."""
    mountpoint = tmp_path / "disk"
    mountpoint.mkdir()
    if os.geteuid() != 0 or not _mount("-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mountpoint)):
        pytest.skip("cannot mount a tmpfs here (needs root)")
    yield mountpoint
    subprocess.run(["umount", "-l", str(mountpoint)], check=False)


def test_a_full_disk_during_upgrade_says_disk_full_and_raises_a_fault(small_disk, cli, monkeypatch, caplog):
    fd = os.open(small_disk / "filler", os.O_WRONLY | os.O_CREAT)
    try:  # fill the disk to the last byte
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:
        pass
    finally:
        os.close(fd)
    url = "sqlite:///" + str(small_disk / "kiosk.sqlite3")
    with pytest.raises(DatabaseError) as failed:
        Database(url).upgrade()
    assert failed.value.problem == DISK_FULL and "磁盘已满" in str(failed.value)
    monkeypatch.setenv("KIOSK_DB_URL", url)
    result = cli("db", "upgrade")
    assert result.exit_code == 1 and "磁盘已满" in result.err and "Traceback" not in result.err
    # the fault log is on the full disk: the maintainers are told directly (the log notifier here)
    assert "【自助终端故障】" in caplog.text and "磁盘已满" in caplog.text


def test_a_disk_remounted_read_only_is_found_by_the_next_check(small_disk, cli, monkeypatch):
    monkeypatch.setenv("KIOSK_DB_URL", "sqlite:///" + str(small_disk / "kiosk.sqlite3"))
    database = Database("sqlite:///" + str(small_disk / "kiosk.sqlite3"))
    database.upgrade()
    assert DatabaseProbe(database, "YC-HALL-01").read(None).kinds == set()
    database.dispose()  # a filesystem with files open for writing cannot be remounted
    assert _mount("-o", "remount,ro", str(small_disk))
    database = Database("sqlite:///" + str(small_disk / "kiosk.sqlite3"))
    try:
        reading = DatabaseProbe(database, "YC-HALL-01").read(None)
        assert reading.kinds == {"database_read_only"}, reading.detail
        with pytest.raises(DatabaseError) as failed:
            database.upgrade()
        assert failed.value.problem == READ_ONLY and "数据库只读" in str(failed.value)
    finally:
        database.dispose()
    result = cli("devices", "check")
    assert result.exit_code == 1 and "数据库只读" in result.err + result.out, result.err
