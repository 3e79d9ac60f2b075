"""Database access: the engine, sessions and migrations.

SQLite is the default (WAL mode, foreign keys on); any SQLAlchemy URL works, PostgreSQL included.
"""

from __future__ import annotations

import ast
import errno
import logging
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, cast
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy import create_engine

from kiosk.db.base import Base

if TYPE_CHECKING:  # pragma: no cover
    from sqlalchemy.engine import CursorResult, Result

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def rows_changed(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE matched (Session.execute returns a CursorResult for them)."""
    return cast("CursorResult[Any]", result).rowcount


class DatabaseError(Exception):
    """The database cannot be opened or upgraded; the message is fit for a maintainer.
    ``problem`` is READ_ONLY or DISK_FULL when that is the cause (``storage_problem``)."""

    def __init__(self, message: str, problem: str | None = None, *, config: bool = False):
        super().__init__(message)
        self.problem = problem
        #: the URL or its driver is wrong (a configuration error, exit code 2 on the CLI)
        self.config = config


READ_ONLY = "read_only"
DISK_FULL = "disk_full"
#: below this many free bytes, a write error on the disk is taken for a full disk
FULL_BELOW_BYTES = 1024 * 1024
PROBLEM_MESSAGES = {
    READ_ONLY: "数据库只读，无法保存（磁盘可能已被重新挂载为只读）/ the database is read-only",
    DISK_FULL: "磁盘已满，数据库无法写入 / the disk is full: the database cannot be written",
}


def storage_problem(exc: BaseException, path: str | os.PathLike[str] | None = None) -> str | None:
    """READ_ONLY or DISK_FULL when a database error comes from the storage under it, else None.

    SQLite says SQLITE_READONLY or SQLITE_FULL when it knows; a write the filesystem refuses
    often arrives as a bare "disk I/O error" (or "unable to open database file" for a WAL
    database on a read-only mount), so then the folder of ``path`` is looked at: a
    read-only mount, or less than FULL_BELOW_BYTES free. PostgreSQL: SQLSTATE 25006 (read-only
    transaction) and 53100 (disk full)."""
    orig = getattr(exc, "orig", None) or exc
    if isinstance(orig, OSError):
        if orig.errno == errno.EROFS:
            return READ_ONLY
        if orig.errno in (errno.ENOSPC, errno.EDQUOT):
            return DISK_FULL
    code = getattr(orig, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(orig).lower()
    state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if primary == 8 or "readonly database" in text or state == "25006" or "read-only transaction" in text:
        return READ_ONLY
    if primary == 13 or "database or disk is full" in text or state == "53100" or "no space left" in text:
        return DISK_FULL
    if path is not None and (primary in (10, 14) or "disk i/o error" in text or "unable to open database" in text):
        folder = Path(path)
        while not folder.exists() and folder.parent != folder:
            folder = folder.parent
        try:
            info = os.statvfs(folder)
        except OSError:
            return None
        if info.f_flag & os.ST_RDONLY:
            return READ_ONLY
        if primary != 14 and "unable to open" not in text and info.f_blocks and info.f_bavail * info.f_frsize < FULL_BELOW_BYTES:
            return DISK_FULL
    return None


class Database:
    def __init__(self, url: str):
        try:
            parsed = make_url(url)
        except ArgumentError as exc:
            raise DatabaseError(f"数据库地址无效 / invalid database URL {url!r}: {exc}", config=True) from None
        self.url = url
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        #: the SQLite file (None for another database or an in-memory one)
        self.sqlite_path: Path | None = None
        if self.is_sqlite and not parsed.database:
            # sqlite:// and sqlite:/// would be an in-memory database: every record lost at exit
            raise DatabaseError(
                f"数据库地址缺少文件路径 / the database URL {url!r} names no file "
                "(an in-memory database would lose every record; write sqlite:////path/kiosk.sqlite3)",
                config=True,
            )
        if self.is_sqlite and parsed.database.startswith("file:"):  # an SQLite URI (?mode=ro&uri=true)
            self.sqlite_path = Path(parsed.database[len("file:"):].split("?")[0])
        elif self.is_sqlite and parsed.database != ":memory:":
            path = self.sqlite_path = Path(parsed.database).expanduser()
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseError(
                    f"无法创建数据库目录 / cannot create the database folder {path.parent}: {exc.strerror or exc}"
                ) from None
            _private_sqlite_files(path)
        try:
            self.engine: Engine = create_engine(url, future=True)
        except (ArgumentError, ImportError) as exc:  # NoSuchModuleError, a driver not installed
            raise DatabaseError(
                f"数据库驱动不可用 / database driver not available for {parsed.drivername!r}: {exc}", config=True
            ) from None
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_on_connect)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends normally, rolled back otherwise."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def upgrade(self, revision: str = "heads") -> None:
        """Apply the Alembic migrations up to ``revision`` ("heads": the newest, including any
        feature branch not merged yet)."""
        if revision == "heads" and self._applied_heads() == script_heads():
            return  # up to date: the kiosk starts without loading Alembic (~0.1 s, every start)
        from alembic import command

        try:
            with self.engine.begin() as connection:
                config = alembic_config(self.url)
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
        except SQLAlchemyError as exc:
            problem = storage_problem(exc, self.sqlite_path)
            if problem is not None:
                reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
                raise DatabaseError(f"{PROBLEM_MESSAGES[problem]}: {reason}", problem) from exc
            reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
            from kiosk.config import redact_url

            raise DatabaseError(f"数据库升级失败 / database upgrade failed: {reason} ({redact_url(self.url)})") from exc

    def _applied_heads(self) -> frozenset[str] | None:
        """The revisions recorded in alembic_version; None when that cannot be read."""
        try:
            with self.engine.connect() as connection:
                return frozenset(row[0] for row in connection.execute(text("SELECT version_num FROM alembic_version")))
        except SQLAlchemyError:
            return None  # no table yet (a new database): Alembic creates everything

    def current_revision(self) -> str | None:
        """The applied revision (comma-separated heads while feature branches are unmerged)."""
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as connection:
            heads = MigrationContext.configure(connection).get_current_heads()
        return ",".join(sorted(heads)) or None

    def listen_sessions(self, name: str, handler) -> None:
        """Register a SQLAlchemy Session event (after_flush, do_orm_execute …) for every session
        this database hands out; the fleet's outbox (kiosk/fleet/outbox.py) uses it."""
        event.listen(self._sessions, name, handler)

    def table_names(self) -> list[str]:
        return inspect(self.engine).get_table_names()

    def dispose(self) -> None:
        self.engine.dispose()


def script_heads(versions_dir: Path = MIGRATIONS_DIR / "versions") -> frozenset[str]:
    """The newest revisions of the migration scripts, read the way Alembic reads them (each
    file's `revision` and `down_revision`), without importing Alembic or the scripts."""
    revisions: set[str] = set()
    revised: set[str] = set()
    for path in versions_dir.glob("*.py"):
        values = {}
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                if node.targets[0].id in ("revision", "down_revision"):
                    values[node.targets[0].id] = ast.literal_eval(node.value)
        if "revision" not in values:
            continue
        revisions.add(values["revision"])
        down = values.get("down_revision")
        revised.update(down if isinstance(down, (tuple, list)) else [down] if down else [])
    return frozenset(revisions - revised)


def alembic_config(url: str):
    from alembic.config import Config as AlembicConfig

    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def _private_sqlite_files(path: Path) -> None:
    """The database file with mode 0600 before SQLite opens it (SQLite gives its -wal and -shm
    files the database's mode); an existing database and its WAL files are set to 0600. Where
    that fails (a read-only disk), SQLite itself reports what it can't do."""
    from kiosk.privacy import create_private

    for name in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if name == path or name.exists():
            try:
                create_private(name)
            except OSError:
                pass


def _sqlite_on_connect(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets the kiosk read while a CLI import writes; foreign keys are off by default in SQLite.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


__all__ = ["DISK_FULL", "READ_ONLY", "Base", "Database", "DatabaseError", "alembic_config", "storage_problem"]
