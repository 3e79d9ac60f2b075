"""The center's database: PostgreSQL through SQLAlchemy 2 (psycopg 3), migrations in
center/migrations (``kiosk center db upgrade``; ``kiosk center serve`` upgrades on start)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from kiosk.db import DatabaseError, script_heads

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
ENV_DB_URL = "KIOSK_CENTER_DB_URL"


class CenterDatabase:
    def __init__(self, url: str, pool_size: int = 10):
        try:
            parsed = make_url(url)
        except ArgumentError as exc:
            raise DatabaseError(f"中心数据库地址无效 / invalid center database URL: {exc}") from None
        if parsed.get_backend_name() != "postgresql":
            raise DatabaseError(f"中心数据库须为 PostgreSQL / the center needs PostgreSQL, not {parsed.get_backend_name()}")
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        self.url = parsed
        self.engine = create_engine(parsed, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
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
        from alembic import command

        try:
            with self.engine.begin() as connection:
                config = alembic_config(self.url.render_as_string(hide_password=False))
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
        except SQLAlchemyError as exc:
            raise DatabaseError(f"中心数据库升级失败 / center database upgrade failed: {exc}") from exc

    def current_revision(self) -> str | None:
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as connection:
            heads = MigrationContext.configure(connection).get_current_heads()
        return ",".join(sorted(heads)) or None

    def is_current(self) -> bool:
        return self.current_revision() == ",".join(sorted(script_heads(MIGRATIONS_DIR / "versions")))

    def dispose(self) -> None:
        self.engine.dispose()


def alembic_config(url: str):
    from alembic.config import Config as AlembicConfig

    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


__all__ = ["CenterDatabase", "ENV_DB_URL", "MIGRATIONS_DIR", "alembic_config"]
