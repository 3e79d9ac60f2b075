"""Fixtures of the console tests: a real PostgreSQL schema, the real console app served by
uvicorn on loopback in its own process, and Debian's Chromium driven by Playwright.

The browser is the system one (/usr/bin/chromium, the Makefile's DEB_PACKAGES installs it):
`playwright install` cannot download browsers here, and is never run.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from console_support import DESK, seed_staff, serve, stop
from fleet_support import free_port

ENV_URL = "KIOSK_TEST_POSTGRES_URL"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def _skip_reason() -> str | None:
    if not os.environ.get(ENV_URL):
        return f"{ENV_URL} is not set (.ci/run starts PostgreSQL with .ci/postgres.sh)"
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is missing (make system-deps installs Debian's chromium)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (make venv)"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _skip_reason()
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.postgres)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def center_db():
    """A fresh schema on the test PostgreSQL with the kiosk schema, the console's tables and the
    test staff (terminals sharing the center's database)."""
    from fleet_support import new_schema
    from kiosk.db import Database

    schema, drop = new_schema(os.environ[ENV_URL])
    database = Database(schema.url)
    seed_staff(database)
    try:
        yield database
    finally:
        database.dispose()
        drop()


@pytest.fixture(scope="session")
def center_server(center_db, tmp_path_factory):
    """The console app under uvicorn in a process of its own; yields its base URL."""
    data = tmp_path_factory.mktemp("center-data")
    port = free_port()
    process = serve(
        [sys.executable, "-m", "uvicorn", "--factory", "center.console.serve:create_app",
         "--host", "127.0.0.1", "--port", str(port), "--no-access-log"],
        f"http://127.0.0.1:{port}/console/login", data / "uvicorn.log",
        CENTER_DB_URL=center_db.url, CENTER_DATA_DIR=str(data), KIOSK_DATA_DIR=str(data),
    )
    try:
        yield f"http://127.0.0.1:{port}/console"
    finally:
        stop(process)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def open_page(browser):
    """open_page(viewport=DESK) -> a page in a fresh browser context (its own cookies)."""
    contexts = []

    def make(viewport=DESK):
        context = browser.new_context(viewport=viewport, locale="zh-CN", accept_downloads=True)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def new_page(open_page, center_server):
    """open_page with the console of the shared-database tests running."""
    return open_page
