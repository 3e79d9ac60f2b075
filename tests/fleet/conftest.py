"""Fixtures of the fleet tests (tests/fleet/fleet_support.py has the parts)."""

from __future__ import annotations

import pytest

from fleet_support import CenterProcess, PostgresServer, new_schema


@pytest.fixture(scope="session")
def postgres_server():
    server = PostgresServer()
    url = server.start()
    yield url
    server.stop()


@pytest.fixture
def center_schema(postgres_server):
    """A fresh schema for one test's center database, dropped afterwards."""
    schema, drop = new_schema(postgres_server)
    yield schema
    drop()


@pytest.fixture
def center(center_schema, tmp_path):
    """The real center (uvicorn, a subprocess) on a free loopback port, stopped afterwards."""
    process = CenterProcess(center_schema.url, tmp_path / "center").start()
    yield process
    process.stop()


@pytest.fixture
def enrolled_terminals(center, tmp_path):
    """``make(n)``: n terminals T-01 … enrolled with the running center, each with its own data
    folder and configuration: [(folder, config_path)]."""
    from datetime import datetime

    from center.app import CenterSettings, build_service
    from fleet_support import write_terminal_config
    from kiosk.fleet.client import CenterClient
    from kiosk.fleet.credential import Credential, save_credential

    service = build_service(CenterSettings(database_url=center.db_url))

    def make(n: int, **center_keys):
        made = []
        for i in range(1, n + 1):
            terminal_id = f"T-{i:02d}"
            folder = tmp_path / terminal_id
            config = write_terminal_config(folder, terminal_id, center.url, batch_size=7, **center_keys)
            code = service.make_code(terminal_id)
            token = CenterClient(center.url).post("/api/v1/enroll", {"terminal": terminal_id, "code": code})["token"]
            save_credential(folder / "data", Credential(center.url, terminal_id, token, datetime.now().isoformat()))
            made.append((folder, config))
        return made

    yield make
    service.database.dispose()
