"""Fixtures of the console tests: a real PostgreSQL schema, the real console app served by
uvicorn on loopback in its own process, and Debian's Chromium driven by Playwright.

The browser is the system one (/usr/bin/chromium, the Makefile's DEB_PACKAGES installs it):
`playwright install` cannot download browsers here, and is never run.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from console_support import ADMIN, DESK, HELPER, HELPER2, MAINTAINER, REPO

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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def center_db(tmp_path_factory):
    """A fresh schema on the test PostgreSQL with the center's tables and the test staff."""
    from center.console.auth import ConsoleAuth, upgrade
    from center.console.settings import ConsoleSettings
    from kiosk.db import Database
    from kiosk.staff.service import StaffService

    base = make_url(os.environ[ENV_URL])
    schema = "console_test_" + uuid.uuid4().hex[:10]
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = base.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    database = Database(url)
    database.upgrade()
    upgrade(database)
    staff = StaffService(database, terminal="test")
    auth = ConsoleAuth(database, staff, ConsoleSettings())
    for staff_id, name, roles, pin, password in (ADMIN, MAINTAINER, HELPER, HELPER2):
        staff.add(staff_id, name, roles, pin=pin, actor="test")
        auth.set_password(staff_id, password, actor="test")
    try:
        yield database
    finally:
        database.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def center_server(center_db, tmp_path_factory):
    """The console app under uvicorn in a process of its own; yields its base URL."""
    data = tmp_path_factory.mktemp("center-data")
    port = _free_port()
    env = dict(os.environ, CENTER_DB_URL=center_db.url, CENTER_DATA_DIR=str(data), KIOSK_DATA_DIR=str(data),
               PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH", "")])))
    log = (data / "uvicorn.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "center.console.serve:create_app",
         "--host", "127.0.0.1", "--port", str(port), "--no-access-log"],
        cwd=str(REPO), env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url + "/console/login", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError("the console did not start:\n" + (data / "uvicorn.log").read_text())
        time.sleep(0.2)
    try:
        yield url + "/console"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


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
def new_page(browser, center_server):
    """new_page(viewport=DESK) -> a page in a fresh browser context (its own cookies)."""
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
def new_page_at(browser):
    """new_page_at(base_url, viewport=DESK) -> a page in a fresh browser context."""
    contexts = []

    def make(_base: str, viewport=DESK):
        context = browser.new_context(viewport=viewport, locale="zh-CN", accept_downloads=True)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
