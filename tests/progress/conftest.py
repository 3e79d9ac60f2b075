"""Progress tests run on a real SQLite database holding the sample center's catalog (built
once per session and copied: importing the catalog takes a while)."""

from __future__ import annotations

import shutil

import pytest

from kiosk.catalog import exchange as catalog_exchange
from kiosk.db import Database
from kiosk.paths import sample_catalog


@pytest.fixture(scope="session")
def catalog_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("catalog") / "kiosk.sqlite3"
    database = Database("sqlite:///" + str(path))
    database.upgrade()
    with database.session() as session:
        catalog_exchange.apply(session, catalog_exchange.read_file(sample_catalog()))
    database.dispose()  # the last connection checkpoints the WAL into the file
    return path


@pytest.fixture
def catalog_db(data_dir, catalog_template):
    data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(catalog_template, data_dir / "kiosk.sqlite3")
    database = Database("sqlite:///" + str(data_dir / "kiosk.sqlite3"))
    yield database
    database.dispose()
