"""Database access: the engine, sessions and migrations.

SQLite is the default (WAL mode, foreign keys on); any SQLAlchemy URL works, PostgreSQL included.
"""

from __future__ import annotations

import ast
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy import create_engine

from kiosk.db.base import Base

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


class DatabaseError(Exception):
    """The database cannot be opened or upgraded; the message is fit for a maintainer."""


class Database:
    def __init__(self, url: str):
        try:
            parsed = make_url(url)
        except ArgumentError as exc:
            raise DatabaseError(f"数据库地址无效 / invalid database URL {url!r}: {exc}") from None
        self.url = url
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        if self.is_sqlite and not parsed.database:
            # sqlite:// and sqlite:/// would be an in-memory database: every record lost at exit
            raise DatabaseError(
                f"数据库地址缺少文件路径 / the database URL {url!r} names no file "
                "(an in-memory database would lose every record; write sqlite:////path/kiosk.sqlite3)"
            )
        if self.is_sqlite and parsed.database != ":memory:" and not parsed.database.startswith("file:"):
            path = Path(parsed.database).expanduser()
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
            raise DatabaseError(f"数据库驱动不可用 / database driver not available for {parsed.drivername!r}: {exc}") from None
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
            raise DatabaseError(f"数据库升级失败 / database upgrade failed: {exc}") from exc

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


__all__ = ["Base", "Database", "DatabaseError", "alembic_config"]
