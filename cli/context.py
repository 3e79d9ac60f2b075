"""What a CLI command needs, created lazily: the configuration and the database."""

from __future__ import annotations

from functools import cached_property

from kiosk.config import Config, load_config


class CommandError(Exception):
    """A failure to report to the user (Chinese first, English for logs) with an exit code."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code


class CliContext:
    def __init__(self, config_path: str | None = None):
        self.config_path = config_path
        self._database = None

    @cached_property
    def config(self) -> Config:
        return load_config(self.config_path)

    @property
    def database(self):
        """The upgraded database (migrations applied on first use)."""
        if self._database is None:
            from kiosk.db import Database, DatabaseError

            try:
                database = Database(self.config.effective_database_url)
                database.upgrade()
            except DatabaseError as exc:
                raise CommandError(str(exc)) from None
            if self.config.center.enabled:  # an enrolled terminal queues its records for the center
                from kiosk.fleet.sync import connect

                connect(self.config, database)
            self._database = database
        return self._database

    def close(self) -> None:
        if self._database is not None:
            self._database.dispose()
            self._database = None
