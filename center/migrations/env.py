"""Alembic environment of the center's database (PostgreSQL). Runs with the connection handed
over by center.db.CenterDatabase.upgrade, or with sqlalchemy.url from the alembic command line."""

from alembic import context
from sqlalchemy import engine_from_config, pool

from center.models import CenterBase

config = context.config
# the center's tables only; the version table is its own, so a center database could also
# hold a kiosk schema without the two histories mixing
VERSION_TABLE = "center_alembic_version"


def run_with(connection) -> None:
    context.configure(connection=connection, target_metadata=CenterBase.metadata, compare_type=True,
                      version_table=VERSION_TABLE)
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_with(connection)
else:
    engine = engine_from_config(config.get_section(config.config_ini_section, {}), prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as conn:
        run_with(conn)
