"""The console on the center: ``mount_console(app, settings, service)`` puts it under
``/console`` of the center app (center/app.py), on the same PostgreSQL database. The center's
database then holds, besides the center's own tables, the kiosk schema (the staff directory,
A/B assignments, absences, the audit log, the catalog and applications the center publishes)
and the console's tables; each has its own Alembic history."""

from __future__ import annotations

import logging

log = logging.getLogger("center.console")


def mount_console(app, settings, service, *, path: str = "/console") -> bool:
    """Mount the console; False (and a log line) when its packages are not installed."""
    try:
        import argon2  # noqa: F401
        import jinja2  # noqa: F401
        import multipart  # noqa: F401
    except ModuleNotFoundError as exc:
        log.warning("console not served: %s is not installed (pip install '.[center]')", exc.name)
        return False
    from center.console.app import create_console_app
    from center.console.settings import ConsoleSettings
    from kiosk.config import default_data_dir
    from kiosk.db import Database

    config = settings.notify_config
    console_settings = getattr(config, "console", None) or ConsoleSettings()
    data_dir = getattr(config, "data_dir", None) or default_data_dir()
    database = Database(service.database.url.render_as_string(hide_password=False))
    if settings.upgrade:
        database.upgrade()

    def privacy_key():
        from kiosk.privacy import PrivacyKey

        return PrivacyKey.load_or_create(data_dir)

    app.mount(path, create_console_app(database, console_settings, privacy_key=privacy_key, center_service=service,
                                       data_dir=data_dir, migrate=settings.upgrade))
    app.state.console_database = database
    return True
