"""Serving the console on its own, until (or without) the center's full app:

    CENTER_DB_URL=postgresql+psycopg://… uvicorn --factory center.console.serve:create_app

The center app mounts the same thing: ``app.mount("/console", create_console_app(database))``.
Environment: CENTER_DB_URL (or KIOSK_DB_URL) the database; CENTER_DATA_DIR (or KIOSK_DATA_DIR)
where the center's privacy key lives (for publishing applications files).
"""

from __future__ import annotations

import os

from fastapi import FastAPI
from fastapi.responses import RedirectResponse

from center.console.app import create_console_app
from center.console.settings import ConsoleSettings
from kiosk.db import Database


def _privacy_key():
    from kiosk.config import default_data_dir
    from kiosk.privacy import PrivacyKey

    folder = os.environ.get("CENTER_DATA_DIR") or str(default_data_dir())
    return PrivacyKey.load_or_create(folder)


def create_app(database: Database | None = None, settings: ConsoleSettings | None = None) -> FastAPI:
    if database is None:
        url = os.environ.get("CENTER_DB_URL") or os.environ.get("KIOSK_DB_URL")
        if not url:
            raise SystemExit("CENTER_DB_URL is not set (中心数据库地址未配置)")
        database = Database(url)
        database.upgrade()
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    app.mount("/console", create_console_app(database, settings, privacy_key=_privacy_key))

    @app.get("/", include_in_schema=False)
    def root():
        return RedirectResponse("/console/", status_code=307)

    return app
