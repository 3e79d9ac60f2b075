"""Shared fixtures: every test gets its own data folder (a real SQLite file lives there)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from cli.main import main as kiosk_main
from kiosk.db import Database
from support import SMALL_CATALOG



@pytest.fixture(autouse=True)
def isolated_environment(tmp_path, monkeypatch):
    """No test reads the developer's configuration or writes to their data folder."""
    for name in ("KIOSK_CONFIG", "KIOSK_DB_URL", "KIOSK_PRINTER"):
        monkeypatch.delenv(name, raising=False)
    data_dir = tmp_path / "data"
    monkeypatch.setenv("KIOSK_DATA_DIR", str(data_dir))
    return data_dir


@pytest.fixture
def data_dir(isolated_environment) -> Path:
    return isolated_environment


@pytest.fixture
def database(data_dir) -> Database:
    db = Database("sqlite:///" + str(data_dir / "kiosk.sqlite3"))
    db.upgrade()
    yield db
    db.dispose()


@dataclass
class CliResult:
    exit_code: int
    out: str
    err: str

    def json(self):
        return json.loads(self.out)


@pytest.fixture
def cli(capsys):
    """Run the `kiosk` command in-process, as a user would type it."""

    def run(*args: str) -> CliResult:
        capsys.readouterr()
        code = kiosk_main([str(a) for a in args])
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture
def small_catalog() -> dict:
    return json.loads(SMALL_CATALOG.read_text(encoding="utf-8"))
