"""Backups of the kiosk's SQLite database, online, and their restore.

    backup_database(config, dest_dir, keep=7)   # safe while the kiosk runs
    restore_database(backup_file, config)       # with the kiosk stopped

A backup is a consistent copy made with SQLite's online backup API (``sqlite3.Connection.backup``
in one step: in WAL mode it reads a snapshot and never blocks the kiosk's writes), checked with
``PRAGMA quick_check``, switched to a self-contained single file (journal mode DELETE) and only
then renamed into place as ``kiosk-YYYYmmdd-HHMMSS.sqlite3`` (mode 0600: it holds what the
database holds). The ``keep`` newest are kept; older ones are deleted. The nightly timer
(deploy/systemd/zwfw-kiosk-backup.timer) runs ``kiosk db backup``.

Only SQLite is handled here: for PostgreSQL (or any other server) the database's own tools apply
(``pg_dump`` / ``pg_restore``), run where the server is.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from kiosk.errors import PlainKioskError
from kiosk.privacy import create_private

log = logging.getLogger(__name__)

BACKUP_DIR_NAME = "backups"
DEFAULT_KEEP = 7
#: copies of the database saved by a restore (kiosk.sqlite3.before-restore-…) kept, newest first
KEEP_BEFORE_RESTORE = 3
_NAME = re.compile(r"^kiosk-(\d{8})-(\d{6})\.sqlite3$")


class BackupError(PlainKioskError):
    """A backup or restore that cannot be done; the message says why, in Chinese and English."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    kept: tuple[Path, ...]
    removed: tuple[Path, ...]


def sqlite_path(url: str) -> Path:
    """The file of a SQLite database URL; BackupError for other databases."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise BackupError(f"数据库地址无效 / invalid database URL: {exc}") from None
    if parsed.get_backend_name() != "sqlite":
        raise BackupError(
            f"数据库不是 SQLite（{parsed.get_backend_name()}），请用该数据库自己的工具备份和恢复，"
            "例如 PostgreSQL 的 pg_dump / pg_restore / the database is not SQLite "
            f"({parsed.get_backend_name()}): back it up with its own tools, e.g. pg_dump and pg_restore for PostgreSQL"
        )
    if not parsed.database or parsed.database == ":memory:":
        raise BackupError("内存数据库无法备份 / an in-memory database cannot be backed up")
    return Path(parsed.database).expanduser()


def default_backup_dir(config) -> Path:
    return Path(config.data_dir) / BACKUP_DIR_NAME


def list_backups(dest_dir: Path) -> list[Path]:
    """The backups in ``dest_dir``, newest first (by the date and time in their names)."""
    if not dest_dir.is_dir():
        return []
    found = [p for p in dest_dir.iterdir() if p.is_file() and _NAME.match(p.name)]
    return sorted(found, key=lambda p: p.name, reverse=True)


def _connect(path: Path, *, timeout: float = 30.0) -> sqlite3.Connection:
    connection = sqlite3.connect(str(path), timeout=timeout, isolation_level=None)
    connection.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
    return connection


def _check(connection: sqlite3.Connection, what: str) -> None:
    result = connection.execute("PRAGMA quick_check").fetchall()
    if result != [("ok",)]:
        raise BackupError(f"{what} 校验失败 / failed its integrity check: {result[:3]}")


def backup_database(config, dest_dir: Path | None = None, keep: int = DEFAULT_KEEP, *, now: datetime | None = None) -> BackupResult:
    """Copy the database online into ``dest_dir`` (default ``<data_dir>/backups``) and keep the
    ``keep`` newest backups. Raises BackupError."""
    if keep < 1:
        raise BackupError("至少保留 1 份 / keep must be at least 1")
    source = sqlite_path(config.effective_database_url)
    if not source.is_file():
        raise BackupError(f"数据库文件不存在 / no database file at {source}")
    dest_dir = Path(dest_dir) if dest_dir is not None else default_backup_dir(config)
    dest_dir.mkdir(parents=True, exist_ok=True)
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    final = dest_dir / f"kiosk-{stamp}.sqlite3"
    part = dest_dir / f".{final.name}.part"
    part.unlink(missing_ok=True)
    try:
        src = _connect(source)
        try:
            fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            os.close(fd)
            dst = _connect(part)
            try:
                # pages=-1: the whole database in one step, from one read snapshot (WAL: the
                # kiosk's writers are not blocked, and a concurrent write cannot restart it).
                src.backup(dst, pages=-1)
                dst.execute("PRAGMA journal_mode=DELETE")
                _check(dst, "备份 / the backup")
            finally:
                dst.close()
        finally:
            src.close()
        with open(part, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(part, final)
    except sqlite3.Error as exc:
        raise BackupError(f"备份失败 / backup failed: {exc}") from exc
    finally:
        part.unlink(missing_ok=True)
    _fsync_dir(dest_dir)
    backups = list_backups(dest_dir)
    kept, removed = backups[:keep], backups[keep:]
    for old in removed:
        old.unlink(missing_ok=True)
    size = final.stat().st_size
    log.info("database backed up to %s (%d bytes); %d kept, %d removed", final, size, len(kept), len(removed))
    return BackupResult(final, size, tuple(kept), tuple(removed))


def check_backup(backup_file: Path) -> None:
    """A usable kiosk backup: SQLite, intact, with the kiosk's schema (alembic_version)."""
    if not backup_file.is_file():
        raise BackupError(f"备份文件不存在 / no such backup file: {backup_file}")
    try:
        connection = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
        try:
            _check(connection, f"备份 {backup_file.name} / backup {backup_file.name}")
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"不是可用的 SQLite 备份 / not a usable SQLite backup: {backup_file}: {exc}") from exc
    if "alembic_version" not in tables:
        raise BackupError(f"不是终端数据库的备份 / not a backup of the kiosk database: {backup_file}")


def restore_database(backup_file: Path, config, *, keep_current: bool = True,
                     keep_before_restore: int = KEEP_BEFORE_RESTORE) -> Path | None:
    """Replace the database's content with ``backup_file``'s. Run it with the kiosk stopped
    (`systemctl stop zwfw-kiosk`): a running kiosk would go on with what it has in memory.
    The current database is first saved beside it as ``kiosk.sqlite3.before-restore-…``
    (returned, mode 0600), unless ``keep_current`` is False or there is none; of these copies
    the ``keep_before_restore`` newest are kept (each is a full copy of personal data)."""
    backup_file = Path(backup_file)
    check_backup(backup_file)
    target = sqlite_path(config.effective_database_url)
    target.parent.mkdir(parents=True, exist_ok=True)
    saved = None
    try:
        if keep_current and target.is_file():
            saved = target.with_name(f"{target.name}.before-restore-{datetime.now():%Y%m%d-%H%M%S}")
            create_private(saved)
            current = _connect(target)
            copy = _connect(saved)
            try:
                current.backup(copy, pages=-1)
                copy.execute("PRAGMA journal_mode=DELETE")
            finally:
                copy.close()
                current.close()
            os.chmod(saved, 0o600)
        # Through the backup API into the live file: its WAL and shared memory stay consistent.
        src = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
        dst = _connect(target)
        try:
            src.backup(dst, pages=-1)
            dst.execute("PRAGMA journal_mode=WAL")
            _check(dst, "恢复后的数据库 / the restored database")
        finally:
            dst.close()
            src.close()
    except sqlite3.Error as exc:
        raise BackupError(f"恢复失败 / restore failed: {exc}") from exc
    log.warning("database %s restored from %s (previous content saved as %s)", target, backup_file, saved)
    if saved is not None:
        prune_before_restore(target, max(1, keep_before_restore))
    return saved


def prune_before_restore(target: Path, keep: int = KEEP_BEFORE_RESTORE) -> list[Path]:
    """Delete all but the ``keep`` newest ``<database>.before-restore-YYYYmmdd-HHMMSS`` copies."""
    pattern = re.compile(re.escape(target.name) + r"\.before-restore-\d{8}-\d{6}$")
    copies = sorted((p for p in target.parent.iterdir() if pattern.match(p.name)), key=lambda p: p.name, reverse=True)
    removed = []
    for old in copies[keep:]:
        try:
            old.unlink()
            removed.append(old)
        except OSError as exc:
            log.warning("old copy %s not deleted: %s", old, exc)
    return removed


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
