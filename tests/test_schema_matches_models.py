"""The migrations build exactly the tables the models describe (a model changed without a
migration fails here)."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from kiosk.db.models import metadata


def test_migrations_match_the_models(database):
    with database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    assert differences == []
