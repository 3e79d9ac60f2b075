"""进度查询 by ID card, below the UI: the card read over TCP from the emulator finds its
holder's applications (masked views); an expired card is refused; nothing is written."""

from __future__ import annotations

from datetime import date

import pytest

from emulators.idcard import EmulatedReader, TcpReaderServer, load_cards
from emulators.idcard.cards import default_cards_path
from kiosk.config import Config, IdCardConfig, TerminalConfig
from kiosk.paths import assets_dir
from kiosk.services import KioskServices

AS_OF = date(2026, 3, 5)


@pytest.fixture
def emulated():
    return EmulatedReader(load_cards(default_cards_path()), card_index=0)


@pytest.fixture
def services(catalog_db, data_dir, emulated):
    with TcpReaderServer(emulated) as server:
        config = Config(
            terminal=TerminalConfig(id="YC-HALL-01"), data_dir=data_dir,
            idcard=IdCardConfig(uri=server.uri, timeout_ms=400, wait_seconds=2),
        )
        services = KioskServices(config, catalog_db)
        services.progress.import_file(assets_dir() / "sample_center" / "progress.json", shift_to=AS_OF)
        yield services
        services.close()


def test_the_card_finds_its_holders_applications(services):
    outcome = services.read_id_card()
    assert outcome.ok, outcome
    identity = outcome.identity
    assert identity.masked_name == "样*甲" and identity.masked_id_number == "4****************6"
    assert "样卡甲" not in repr(outcome)
    found = services.progress_by_card(identity, as_of=AS_OF)
    assert found.found
    assert [v.number for v in found.views] == ["YC2511170007"]
    view = found.views[0]
    assert view.applicant_name == "刘*燕"  # the application's own (masked) name
    assert "411481198503122426" not in repr(view)


def test_a_card_without_applications_and_an_expired_card(services, emulated):
    emulated.place_card(4)
    outcome = services.read_id_card()
    assert outcome.ok
    none = services.progress_by_card(outcome.identity, as_of=AS_OF)
    assert none.kind == "none" and none.message == "未查到您的办件"
    emulated.place_card(1)
    expired = services.read_id_card()
    assert expired.kind == "unusable" and "已过有效期" in expired.message


def test_no_card_in_time_and_a_broken_reader(services, emulated):
    emulated.remove_card()
    assert services.read_id_card().kind == "no_card"
    emulated.place_card(0)
    emulated.set_fault("sam_fault")
    fault = services.read_id_card()
    assert fault.kind == "fault" and "读卡器故障" in fault.message


def test_the_progress_table_is_not_touched(services):
    """A query by card counts no failure and writes nothing (the card is the verification)."""
    before = services.progress.count()
    outcome = services.read_id_card()
    services.progress_by_card(outcome.identity, as_of=AS_OF)
    assert services.progress.count() == before
    assert services.progress.locked_until() is None


def test_without_a_reader_the_service_says_so(catalog_db, data_dir):
    services = KioskServices(Config(data_dir=data_dir), catalog_db)
    try:
        assert not services.idcard_available()
        assert services.read_id_card().kind == "fault"
    finally:
        services.close()
