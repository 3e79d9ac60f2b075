"""A terminal's helper service on a real SQLite file, with the small catalog, three staff
members and a clock the test moves."""

from __future__ import annotations

import pytest

from assistance_support import add_helpers
from kiosk.catalog import exchange
from kiosk.clock import ManualClock
from kiosk.config import HelpersConfig
from kiosk.assistance import HelperService
from kiosk.notify import LogNotifier
from kiosk.privacy import PrivacyKey
from kiosk.staff import StaffService
from support import SMALL_CATALOG


@pytest.fixture
def clock():
    return ManualClock()


@pytest.fixture
def notifier():
    return LogNotifier()


@pytest.fixture
def catalog_db(database):
    with database.session() as session:
        exchange.apply(session, exchange.read_file(SMALL_CATALOG))
    return database


@pytest.fixture
def staff(catalog_db, clock):
    service = StaffService(catalog_db, terminal="YC-HALL-01", clock=clock)
    add_helpers(service)
    return service


@pytest.fixture
def make_helpers(catalog_db, staff, notifier, clock, data_dir):
    def make(terminal: str = "YC-HALL-01", name: str = "大厅自助终端 1 号", **config):
        return HelperService(
            catalog_db, terminal=terminal, terminal_name=name, config=HelpersConfig(**config), notifier=notifier,
            staff=staff, key=lambda: PrivacyKey.load_or_create(data_dir), clock=clock,
        )

    return make


@pytest.fixture
def helpers(make_helpers):
    return make_helpers()
