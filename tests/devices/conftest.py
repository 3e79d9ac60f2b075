"""A terminal with staff, the TCP printer emulator and a clock the test moves."""

from __future__ import annotations

import pytest

from emulators.escpos import EmulatedPrinter
from kiosk.clock import ManualClock
from kiosk.config import load_config
from kiosk.devices import DeviceService
from kiosk.notify import LogNotifier
from kiosk.printing import PrintService
from maintenance_support import add_people


@pytest.fixture
def clock():
    return ManualClock()


@pytest.fixture
def notifier():
    return LogNotifier()


@pytest.fixture
def config(data_dir):
    return load_config(env={"KIOSK_DATA_DIR": str(data_dir)})


@pytest.fixture
def emulator():
    with EmulatedPrinter("generic-80") as printer:
        yield printer


@pytest.fixture
def make_devices(config, database, notifier, clock):
    made = []

    def make(uri: str | None = None, *, printer: bool = True, **options):
        services = []

        def printing():
            service = PrintService.from_config(config, uri=uri, status_timeout=0.2, timeout=1.0)
            services.append(service)
            return service

        devices = DeviceService(config, database, printing=printing if printer else None, notifier=notifier, clock=clock, **options)
        made.append((devices, services))
        return devices

    yield make
    for devices, services in made:
        devices.close()
        for service in services:
            service.close()


@pytest.fixture
def devices(make_devices, emulator):
    return make_devices(emulator.uri)


@pytest.fixture
def people(devices):
    """A (张三), B (李四) and an admin (王主任), with A and B assigned to this terminal."""
    add_people(devices.staff)
    return devices.staff
