"""Opening hours as data: periods of a day, the weekdays, seasons and closed days.

One ``Schedule`` describes when something is open: the center (catalog ``center.schedule``), a
department or a window (their ``schedule``), or the staff at this terminal (config
``[service_hours]``). Which days count comes from the working-day table (kiosk/workdays): a
public holiday closes even on a listed weekday, an official adjusted working day (调休, a
Saturday or Sunday that is a working day) opens even when its weekday is not listed.
The same text forms are used in the catalog file and in the configuration (docs/catalog-format.md,
docs/configuration.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from kiosk.errors import KioskError

_PERIOD = re.compile(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*")
_MONTH_DAY = re.compile(r"(\d{2})-(\d{2})")


class ScheduleError(KioskError):
    """A schedule value that cannot be read; ``key`` locates it (``periods[1]``), the message
    says why in English with the Chinese in brackets."""

    def __init__(self, key: str, problem: str):
        self.key = key
        self.problem = problem
        super().__init__(f"{key}: {problem}", f"{key}: {problem}", message=f"{key}: {problem}")


@dataclass(frozen=True)
class Period:
    """One stretch of a day, e.g. 08:30-12:00 (start included, end excluded)."""

    start: time
    end: time

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"

    def text(self) -> str:
        """As a citizen reads it: 8:30-12:00."""
        return f"{_short(self.start)}-{_short(self.end)}"


@dataclass(frozen=True)
class Season:
    """Other periods between two days of the year (both included), e.g. summer hours 05-01 … 09-30.
    A season may wrap over the new year (11-15 … 03-15)."""

    start: tuple[int, int]  # (month, day)
    end: tuple[int, int]
    periods: tuple[Period, ...]

    def covers(self, day: date) -> bool:
        md = (day.month, day.day)
        if self.start <= self.end:
            return self.start <= md <= self.end
        return md >= self.start or md <= self.end

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": "%02d-%02d" % self.start,
            "to": "%02d-%02d" % self.end,
            "periods": [str(p) for p in self.periods],
        }


DEFAULT_PERIODS = (Period(time(8, 30), time(12, 0)), Period(time(14, 30), time(17, 30)))


@dataclass(frozen=True)
class Schedule:
    weekdays: tuple[int, ...] = (1, 2, 3, 4, 5)  # ISO weekday numbers, Monday = 1
    periods: tuple[Period, ...] = DEFAULT_PERIODS
    seasons: tuple[Season, ...] = ()
    #: single days closed although they would be open (training day, system upgrade …)
    closed: tuple[date, ...] = field(default=())

    def periods_for(self, day: date) -> tuple[Period, ...]:
        """The periods that apply on ``day`` if it is an open day (the first season covering it, else the usual)."""
        for season in self.seasons:
            if season.covers(day):
                return season.periods
        return self.periods

    def to_dict(self) -> dict[str, Any]:
        """The catalog file's form (every field written)."""
        return {
            "weekdays": list(self.weekdays),
            "periods": [str(p) for p in self.periods],
            "seasons": [s.to_dict() for s in self.seasons],
            "closed": [d.isoformat() for d in self.closed],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Schedule:
        """Read the catalog's / configuration's form; ScheduleError names the first bad key."""
        if not isinstance(data, dict):
            raise ScheduleError("(schedule)", "must be an object / table (应为对象)")
        unknown = sorted(set(data) - {"weekdays", "periods", "seasons", "closed"})
        if unknown:
            raise ScheduleError(unknown[0], "unknown key (未知字段)")
        default = cls()
        weekdays = parse_weekdays(data.get("weekdays", list(default.weekdays)), "weekdays")
        periods = parse_periods(data["periods"], "periods") if "periods" in data else default.periods
        seasons_data = data.get("seasons", [])
        if not isinstance(seasons_data, list):
            raise ScheduleError("seasons", "must be a list (应为列表)")
        seasons = tuple(_parse_season(s, f"seasons[{i}]") for i, s in enumerate(seasons_data))
        closed_data = data.get("closed", [])
        if not isinstance(closed_data, list):
            raise ScheduleError("closed", "must be a list of dates such as \"2026-10-09\" (应为日期列表)")
        closed = tuple(sorted({_parse_date(d, f"closed[{i}]") for i, d in enumerate(closed_data)}))
        return cls(weekdays, periods, seasons, closed)


def parse_period(text: Any, key: str) -> Period:
    match = _PERIOD.fullmatch(text) if isinstance(text, str) else None
    if not match:
        raise ScheduleError(key, f"{text!r} is not a period like \"08:30-12:00\" (时段格式应为 08:30-12:00)")
    h1, m1, h2, m2 = map(int, match.groups())
    try:
        start, end = time(h1, m1), time(h2, m2)
    except ValueError:
        raise ScheduleError(key, f"{text!r} is not a valid time of day (时间无效)") from None
    if end <= start:
        raise ScheduleError(key, f"{text!r} ends before it starts (结束时间早于开始时间)")
    return Period(start, end)


def parse_periods(value: Any, key: str) -> tuple[Period, ...]:
    if not isinstance(value, list) or not value:
        raise ScheduleError(key, "must be a list such as [\"08:30-12:00\", \"14:30-17:30\"] (应为时段列表)")
    periods = [parse_period(text, f"{key}[{i}]") for i, text in enumerate(value)]
    ordered = sorted(periods, key=lambda p: p.start)
    for before, after in zip(ordered, ordered[1:]):
        if after.start < before.end:
            raise ScheduleError(key, f"{before} and {after} overlap (时段重叠)")
    return tuple(ordered)


def parse_weekdays(value: Any, key: str) -> tuple[int, ...]:
    if not isinstance(value, list) or not all(
        isinstance(d, int) and not isinstance(d, bool) and 1 <= d <= 7 for d in value
    ):
        raise ScheduleError(key, f"{value!r} must be a list of weekday numbers 1 (Monday) to 7 (应为1-7的列表)")
    return tuple(sorted(set(value)))


def _parse_season(value: Any, key: str) -> Season:
    if not isinstance(value, dict):
        raise ScheduleError(key, "must be an object with from, to and periods (应为对象)")
    unknown = sorted(set(value) - {"from", "to", "periods"})
    if unknown:
        raise ScheduleError(f"{key}.{unknown[0]}", "unknown key (未知字段)")
    for name in ("from", "to", "periods"):
        if name not in value:
            raise ScheduleError(f"{key}.{name}", "required (缺少此项)")
    return Season(_month_day(value["from"], f"{key}.from"), _month_day(value["to"], f"{key}.to"),
                  parse_periods(value["periods"], f"{key}.periods"))


def _month_day(value: Any, key: str) -> tuple[int, int]:
    match = _MONTH_DAY.fullmatch(value) if isinstance(value, str) else None
    if match:
        month, day = int(match.group(1)), int(match.group(2))
        try:
            date(2024, month, day)  # a leap year: 02-29 is allowed
            return month, day
        except ValueError:
            pass
    raise ScheduleError(key, f"{value!r} is not a day of the year like \"05-01\" (应为 月-日，如 05-01)")


def _parse_date(value: Any, key: str) -> date:
    try:
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise ScheduleError(key, f"{value!r} is not a date like \"2026-10-09\" (应为日期，如 2026-10-09)")


def _short(moment: time) -> str:
    return f"{moment.hour}:{moment.minute:02d}"
