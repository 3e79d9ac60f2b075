"""The center's 工作日 table reaches a terminal's deadlines: the console publishes it as a
`workdays` snapshot, the terminal writes it as an override file its calendar reads."""

import json
from datetime import date

import pytest

from kiosk.config import load_config
from kiosk.fleet.credential import Credential
from kiosk.fleet.sync import FleetSync
from kiosk.workdays import default_calendar, write_center_table

# 2027 is not in the holiday library yet: the center enters the State Council's schedule.
TABLE = {"2027-02-06": "workday", "2027-02-10": "holiday", "2027-02-11": "holiday"}


def test_the_terminal_counts_working_days_by_the_centers_table(data_dir, database):
    config = load_config()
    sync = FleetSync(config, database, Credential("http://127.0.0.1:9", config.terminal.id, "token", "2026-12-05"))
    document = {"format": "kiosk-workdays/1", "days": TABLE, "names": {"2027-02-10": "春节"}}
    before = default_calendar(data_dir=config.data_dir)
    assert not before.is_workday(date(2027, 2, 6))  # a Saturday
    sync._apply_snapshot("workdays", 3, json.dumps(document).encode(), "2026-12-05T10:00:00")
    calendar = default_calendar(data_dir=config.data_dir)
    assert calendar.is_workday(date(2027, 2, 6))  # 调休: the Saturday is worked
    assert not calendar.is_workday(date(2027, 2, 10)) and not calendar.is_workday(date(2027, 2, 11))
    assert calendar.is_workday(date(2027, 2, 12))
    assert sync.applied_versions()["workdays"] == 3


def test_a_bad_entry_is_refused_and_leaves_the_table_as_it_was(data_dir):
    write_center_table(data_dir, TABLE)
    with pytest.raises(ValueError):
        write_center_table(data_dir, {"2027-02-30": "holiday"})
    with pytest.raises(ValueError):
        write_center_table(data_dir, {"2027-03-01": "maybe"})
    assert default_calendar(data_dir=data_dir).is_workday(date(2027, 2, 6))
