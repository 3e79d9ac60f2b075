"""What a CLI command needs, created lazily: the configuration, the database and the
application object (kiosk/app.py) whose services the commands use."""

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
        self._app = None

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
                raise CommandError(str(exc), 2 if exc.config else 1) from None
            if self.config.center.enabled:  # an enrolled terminal queues its records for the center
                from kiosk.fleet.sync import connect

                connect(self.config, database)
            self._database = database
        return self._database

    @property
    def app(self):
        """The kiosk's services on the upgraded database, as the command line (role "cli")."""
        if self._app is None:
            from kiosk.app import Application

            self._app = Application(self.config, self.database, role="cli")
        return self._app

    def close(self) -> None:
        """Stop what the command started; pending notifications get ten seconds."""
        if self._app is not None:
            self._app.close(timeout=10.0)
            self._app = None
            self._database = None
        if self._database is not None:
            self._database.dispose()
            self._database = None
