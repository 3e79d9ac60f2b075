"""Service hours with a fixed clock: a weekday, an evening, a weekend, a 调休 Saturday, a holiday;
schedules from a real imported catalog and from the configuration."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from kiosk.catalog import exchange
from kiosk.catalog.service import get_item
from kiosk.clock import ManualClock
from kiosk.config import load_config
from kiosk.hours import (
    AFTER,
    BREAK,
    HOLIDAY,
    OPEN,
    WEEKEND,
    Schedule,
    ScheduleError,
    ServiceTimes,
    state,
)
from kiosk.paths import sample_catalog
from kiosk.workdays import default_calendar

CAL = default_calendar()
WEEKDAY_MORNING = datetime(2026, 12, 2, 10, 0)  # Wednesday
LUNCH = datetime(2026, 12, 2, 12, 30)
EVENING = datetime(2026, 12, 2, 19, 0)
FRIDAY_EVENING = datetime(2026, 12, 4, 18, 0)
SATURDAY = datetime(2026, 12, 5, 10, 0)
ADJUSTED_SATURDAY = datetime(2026, 10, 10, 10, 0)  # 调休: a working Saturday after 国庆节
NATIONAL_DAY = datetime(2026, 10, 2, 10, 0)
SUMMER_AFTERNOON = datetime(2026, 7, 1, 14, 45)  # summer hours: the afternoon starts at 15:00


def test_weekday_morning_is_open_until_noon():
    s = state(Schedule(), WEEKDAY_MORNING, CAL)
    assert s.open and s.reason == OPEN
    assert s.closes_at == datetime(2026, 12, 2, 12, 0)


def test_lunch_break_opens_at_half_past_two():
    s = state(Schedule(), LUNCH, CAL)
    assert not s.open and s.reason == BREAK
    assert s.next_open == datetime(2026, 12, 2, 14, 30)


def test_evening_says_tomorrow_half_past_eight():
    times = ServiceTimes(calendar=CAL, clock=ManualClock(EVENING))
    s = times.center_state()
    assert s.reason == AFTER
    assert s.next_open == datetime(2026, 12, 3, 8, 30)
    from kiosk.hours import next_open_text

    assert next_open_text(s) == "明天 8:30 开始办理"


def test_weekend_points_to_monday():
    s = state(Schedule(), SATURDAY, CAL)
    assert not s.open and s.reason == WEEKEND
    assert s.next_open == datetime(2026, 12, 7, 8, 30)
    from kiosk.hours import next_open_text

    assert next_open_text(s) == "12月7日（周一）8:30 开始办理"
    assert next_open_text(state(Schedule(), FRIDAY_EVENING, CAL)) == "12月7日（周一）8:30 开始办理"


def test_adjusted_saturday_is_a_working_day():
    s = state(Schedule(), ADJUSTED_SATURDAY, CAL)
    assert s.open, "调休 Saturday 2026-10-10 is an official working day"


def test_holiday_closes_even_a_listed_weekday_and_names_it():
    s = state(Schedule(weekdays=(1, 2, 3, 4, 5, 6)), NATIONAL_DAY, CAL)
    assert not s.open and s.reason == HOLIDAY and s.holiday == "国庆节"
    assert s.next_open == datetime(2026, 10, 8, 8, 30)  # the break is 10-01 … 10-07 in 2026


def test_closed_days_and_seasons_from_the_catalog_form():
    schedule = Schedule.from_dict(
        {"periods": ["08:30-12:00", "14:30-17:30"], "seasons": [{"from": "05-01", "to": "09-30", "periods": ["08:30-12:00", "15:00-18:00"]}],
         "closed": ["2026-12-03"]}
    )
    assert not state(schedule, SUMMER_AFTERNOON, CAL).open
    assert state(schedule, SUMMER_AFTERNOON.replace(hour=15, minute=5), CAL).open
    s = state(schedule, EVENING, CAL)
    assert s.next_open == datetime(2026, 12, 4, 8, 30), "the closed Thursday is skipped"


@pytest.mark.parametrize(
    "data, key",
    [
        ({"periods": ["8:30 to 12"]}, "periods[0]"),
        ({"periods": ["08:00-12:00", "11:00-13:00"]}, "periods"),
        ({"weekdays": [0]}, "weekdays"),
        ({"seasons": [{"from": "13-01", "to": "09-30", "periods": ["08:00-12:00"]}]}, "seasons[0].from"),
        ({"closed": ["2026-02-30"]}, "closed[0]"),
        ({"open": []}, "open"),
    ],
)
def test_bad_schedules_are_located(data, key):
    with pytest.raises(ScheduleError) as info:
        Schedule.from_dict(data)
    assert info.value.key == key


def test_helper_on_duty_follows_the_configuration(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_text('[service_hours]\nweekdays = [1, 2, 3, 4, 5, 6]\nperiods = ["09:00-12:00"]\nhotline = "0370-12345"\n', encoding="utf-8")
    config = load_config(path, env={})
    clock = ManualClock(SATURDAY)
    times = ServiceTimes.from_config(config, CAL, clock)
    assert times.helper_on_duty(), "Saturday is a staffed weekday in this configuration"
    clock.set(EVENING)
    answer = times.help_answer()
    assert not answer.on_duty
    assert answer.hotline == "0370-12345"
    assert answer.back_at == "明天 9:00"


def test_config_rejects_a_bad_season_naming_the_key(tmp_path):
    from kiosk.config import ConfigError

    path = tmp_path / "kiosk.toml"
    path.write_text('[service_hours]\nseasons = [{from = "05-01", to = "09-31", periods = ["08:00-12:00"]}]\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path, env={})
    assert info.value.key == "service_hours.seasons[0].to"


@pytest.fixture
def sample(database):
    with database.session() as session:
        exchange.apply(session, exchange.read_file(sample_catalog()))
    return database


def _times(database, now, zone="hall"):
    from dataclasses import replace

    config = load_config(env={})
    config = replace(config, terminal=replace(config.terminal, zone=zone))
    with database.session() as session:
        part = ServiceTimes.catalog_part(session)
    return ServiceTimes.from_config(config, CAL, ManualClock(now), **part)


def _item(database, name):
    with database.session() as session:
        from sqlalchemy import select

        from kiosk.catalog.models import ServiceItem

        code = session.scalars(select(ServiceItem.code).where(ServiceItem.name == name)).first()
        return get_item(session, code)


def test_item_page_line_from_the_catalog(sample):
    item = _item(sample, "个体工商户设立登记")
    assert _times(sample, WEEKDAY_MORNING).item_line(item) == "窗口正在办理（今天 12:00 停止受理）"
    assert _times(sample, EVENING).item_line(item) == "窗口今天已下班，明天 8:30 开始办理"
    assert _times(sample, SATURDAY).item_line(item) == "窗口今天休息，12月7日（周一）8:30 开始办理"
    # summer hours from the center's season
    assert _times(sample, SUMMER_AFTERNOON).item_line(item) == "窗口午休中，今天 15:00 开始办理"


def test_a_window_with_its_own_saturday_hours(sample):
    item = _item(sample, "普通护照签发")  # window D04 also opens on Saturdays
    assert _times(sample, SATURDAY).item_state(item).open
    assert not _times(sample, SATURDAY).item_state(_item(sample, "出生登记")).open


def test_what_can_be_done_now_at_night_in_the_24_hour_zone(sample):
    item = _item(sample, "个人所得税纳税记录开具")
    night = _times(sample, EVENING, zone="24h").available_now(item)
    kinds = [c.kind for c in night]
    assert "window" not in kinds
    assert "mobile" in kinds or "online" in kinds
    assert any(c.kind == "here" and "税务自助办税终端" in c.text for c in night)
    day = _times(sample, WEEKDAY_MORNING).available_now(item)
    assert day[0].kind == "window" and "E01" in day[0].text


def test_catalog_schedule_round_trips(sample, tmp_path):
    with sample.session() as session:
        document = exchange.export(session)
    assert document["center"]["schedule"]["seasons"][0]["from"] == "05-01"
    assert "schedule" not in document["departments"][0]
    d04 = next(w for w in document["windows"] if w["number"] == "D04")
    assert d04["schedule"]["weekdays"] == [1, 2, 3, 4, 5, 6]
    from kiosk.db import Database

    again = Database("sqlite:///" + str(tmp_path / "again.sqlite3"))
    again.upgrade()
    with again.session() as session:
        exchange.apply(session, exchange.validate(json.loads(exchange.dumps(document))))
    with again.session() as session:
        assert exchange.dumps(exchange.export(session)) == exchange.dumps(document)
    again.dispose()


def test_a_bad_catalog_schedule_is_listed_with_its_location():
    document = json.loads(sample_catalog().read_text(encoding="utf-8"))
    document["windows"][0]["schedule"] = {"periods": ["17:00-08:00"]}
    with pytest.raises(exchange.CatalogError) as info:
        exchange.validate(document)
    assert any(p.startswith("windows[0].schedule.periods[0]: ") and "ends before it starts" in p for p in info.value.problems)
