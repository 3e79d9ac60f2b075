"""Fixtures for driving the real kiosk widgets offscreen (QT_QPA_PLATFORM=offscreen)."""

from __future__ import annotations

import os
from dataclasses import replace

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import datetime  # noqa: E402

from kiosk.catalog import exchange  # noqa: E402
from kiosk.clock import ManualClock  # noqa: E402
from kiosk.config import load_config  # noqa: E402
from kiosk.paths import sample_catalog  # noqa: E402
from kiosk.progress.exchange import sample_file as sample_progress  # noqa: E402
from kiosk.progress.timeutil import china_today  # noqa: E402
from kiosk.services import KioskServices  # noqa: E402
from support import make_shell  # noqa: E402


@pytest.fixture
def kiosk_config(data_dir):
    config = load_config(env={"KIOSK_DATA_DIR": str(data_dir)})
    return replace(
        config,
        printer=replace(config.printer, uri="sim://" + str(data_dir / "sim-printer")),
        speech=replace(config.speech, player="true"),  # espeak-ng speaks, `true` plays nothing
    )


@pytest.fixture
def services(kiosk_config):
    services = KioskServices(kiosk_config)
    # A Wednesday morning: helpers on duty, windows open (tests of other hours set their own).
    services.hours_clock = ManualClock(datetime(2026, 12, 2, 10, 0))
    services.start()
    with services.database.session() as session:
        exchange.apply(session, exchange.read_file(sample_catalog()))
    services.progress.import_file(sample_progress(), shift_to=china_today())  # one overdue today, one due soon…
    yield services
    services.close()


@pytest.fixture
def shell(qtbot, services):
    yield from make_shell(qtbot, services, (1080, 1920))


@pytest.fixture
def screenshot_shell(qtbot, services):
    """A kiosk window on the screenshots' sample services (ui/screenshots/fakes.py)."""
    from ui.screenshots.fakes import ScreenshotServices

    yield from make_shell(qtbot, ScreenshotServices(services), (1080, 1920))


@pytest.fixture
def landscape_shell(qtbot, services):
    yield from make_shell(qtbot, services, (1920, 1080))


@pytest.fixture
def emulator():
    """An ESC/POS printer on a real TCP socket (emulators/escpos/emulator.py)."""
    from emulators.escpos import EmulatedPrinter

    with EmulatedPrinter("generic-80") as printer:
        yield printer


@pytest.fixture
def printing_shell(qtbot, services, emulator):
    """A kiosk window that prints to the emulator."""
    yield from make_shell(qtbot, services, printer_uri=emulator.uri)


@pytest.fixture
def settle(qtbot):
    """Wait until background operations have delivered their results to the widgets."""
    from ui.screenshots import settle as settle_shell

    def run(shell):
        settle_shell(shell)

    return run
