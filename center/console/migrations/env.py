"""Alembic environment of the console's own tables (version table console_alembic_version)."""

from alembic import context

from center.console.models import ConsoleBase

config = context.config
connection = config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=ConsoleBase.metadata,
    version_table="console_alembic_version",
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
