"""A running kiosk takes what its sync worker pulls without a restart (docs/fleet.md): the
center's working-day table is used by the deadlines computed after the pull, and of a new
terminal configuration the live sections at once, while the keys that need a restart are said
to need one (log, the maintainer's 本机信息). Real center (uvicorn, PostgreSQL), the kiosk's own
services and background sync threads."""

from __future__ import annotations

import json
import logging
import time
from datetime import date

import pytest

from center.app import CenterSettings, build_service
from kiosk.config import load_config
from kiosk.services import KioskServices
from kiosk.workdays import WORKING_DAY

pytestmark = pytest.mark.postgres


def wait_for(condition, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the running kiosk did not take the pulled snapshot"
        time.sleep(0.1)


@pytest.fixture
def running(center, enrolled_terminals):
    """An enrolled terminal's KioskServices with its sync worker running (heartbeat every 5 s),
    and the center's service to publish with."""
    [(folder, config_path)] = enrolled_terminals(1, heartbeat_seconds=5)
    config = load_config(config_path, env={"KIOSK_DATA_DIR": str(folder / "data")})
    services = KioskServices(config)
    services.start()
    services.start_fleet()
    center_service = build_service(CenterSettings(database_url=center.db_url, upgrade=False))
    wait_for(lambda: services.fleet.status.online)
    try:
        yield services, center_service
    finally:
        services.close()
        center_service.database.dispose()


def test_deadlines_after_a_pull_count_by_the_new_working_day_table(running):
    services, center = running
    progress = services.app.progress  # built before the pull, as in a kiosk that has been running
    times = services.service_times()
    # 2027 is not in the holiday library: Friday 5 March + 1 working day is Monday 8 March …
    assert progress.calendar.deadline(date(2027, 3, 5), 1, WORKING_DAY).date == date(2027, 3, 8)
    assert times.calendar.is_workday(date(2027, 3, 8))
    table = {"2027-03-06": "workday", "2027-03-08": "holiday"}
    center.publish("workdays", json.dumps({"format": "kiosk-workdays/1", "days": table, "names": {"2027-03-08": "测试假日"}},
                                          ensure_ascii=False))
    # … until the center's table (Saturday 6 March worked, 调休) reaches the running kiosk
    wait_for(lambda: progress.calendar.deadline(date(2027, 3, 5), 1, WORKING_DAY).date == date(2027, 3, 6))
    assert services.app.progress is progress  # the same service, not rebuilt: no restart
    assert progress.calendar.deadline(date(2027, 3, 5), 2, WORKING_DAY).date == date(2027, 3, 9)  # the 8th is off
    assert not services.service_times().calendar.is_workday(date(2027, 3, 8))  # the hours read the same table
    assert services.fleet.applied_versions()["workdays"] == 1


def test_live_settings_apply_at_once_and_the_others_are_said_to_wait_for_a_restart(running, caplog):
    services, center = running
    before = services.config
    staff = services.app.staff
    helpers = services.app.assistance
    assert before.ui.idle_timeout_seconds == 90
    document = {"format": "kiosk-terminal-config/1",
                "all": {"ui": {"idle_timeout_seconds": 150}, "staff": {"max_pin_attempts": 3},
                        "helpers": {"expire_after_minutes": 40},
                        "service_hours": {"hotline": "0797-99999"}, "speech": {"volume": 55}},
                "terminals": {"T-01": {"terminal": {"name": "24小时自助区 1 号"}}}}
    caplog.set_level(logging.INFO, logger="kiosk.services")
    center.publish("config", json.dumps(document, ensure_ascii=False))
    wait_for(lambda: services.config.ui.idle_timeout_seconds == 150)
    config = services.config
    # in effect at once, where they are read: the idle timer (shell.config is this), the staff
    # sign-in's lockout, the helpers' expiry, the hours' hotline a citizen is given
    assert staff.config.max_pin_attempts == 3 and helpers.config.expire_after_minutes == 40
    assert services.help_answer().hotline == "0797-99999"
    # from the next start only, and said so
    assert config.terminal.name == before.terminal.name and config.speech.volume == before.speech.volume
    info = services.app.devices.terminal_info()
    assert info.restart_pending == ("speech.volume", "terminal.name")
    assert "ui.idle_timeout_seconds" in info.from_center and "speech.volume" not in info.from_center
    assert any("these take effect at the next start: speech.volume, terminal.name" in r.getMessage() for r in caplog.records)
    # the next start reads all of it (load_config with the center's layer)
    restarted = load_config(config.source, env={"KIOSK_DATA_DIR": str(config.data_dir)})
    assert (restarted.terminal.name, restarted.speech.volume) == ("24小时自助区 1 号", 55)
