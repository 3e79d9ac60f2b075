"""Working-day calendar for administrative time limits (限时办结).

Each day is decided by the first source that knows it:
1. the center's override file(s),
2. the `chinese_calendar` library (official arrangements, for the years it covers),
3. the statutory rule (weekends + statutory holidays) — an estimate.
"""

from __future__ import annotations

import re

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from kiosk.paths import assets_dir
from typing import Literal, NamedTuple

import chinese_calendar

from .overrides import Overrides, YearArrangement, load_overrides
from .statutory import SUPPORTED_YEARS, statutory_holidays

Source = Literal["override", "library", "rule"]
Unit = Literal["working_day", "natural_day"]
WORKING_DAY: Unit = "working_day"
NATURAL_DAY: Unit = "natural_day"

DEFAULT_OVERRIDES_PATH = assets_dir() / "calendar" / "overrides.toml"

_ONE_DAY = timedelta(days=1)

# The years for which chinese_calendar ships the official arrangement.
LIBRARY_YEARS = range(min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year + 1)

# chinese_calendar names holidays in English; show the full Chinese names used in notices.
_LIBRARY_HOLIDAY_NAMES = {
    chinese_calendar.Holiday.new_years_day.value: "元旦",
    chinese_calendar.Holiday.spring_festival.value: "春节",
    chinese_calendar.Holiday.tomb_sweeping_day.value: "清明节",
    chinese_calendar.Holiday.labour_day.value: "劳动节",
    chinese_calendar.Holiday.dragon_boat_festival.value: "端午节",
    chinese_calendar.Holiday.mid_autumn_festival.value: "中秋节",
    chinese_calendar.Holiday.national_day.value: "国庆节",
}


@dataclass(frozen=True)
class DayInfo:
    date: date
    workday: bool
    # Holiday name in Chinese: for a day off in a holiday break, or for a 调休 working day
    # the holiday it makes up for (where the source says so). None for ordinary days.
    name: str | None
    source: Source
    estimated: bool


@dataclass(frozen=True)
class Deadline:
    date: date
    # True when any day counted or skipped came from the rule source (no official arrangement).
    estimated: bool


@dataclass(frozen=True)
class DeadlineProgress:
    remaining_working_days: int
    due_today: bool
    overdue: bool
    overdue_working_days: int


class _Status(NamedTuple):
    workday: bool
    source: Source
    name: str | None


class WorkCalendar:
    # Each cached year is ~365 small objects; 32 years comfortably covers the
    # accepted/deadline spread of a service center while bounding memory.
    YEAR_CACHE_SIZE = 32

    library_years = LIBRARY_YEARS

    def __init__(self, override_paths: Iterable[Path | str] = ()) -> None:
        self.reload(override_paths)

    def reload(self, override_paths: Iterable[Path | str] = ()) -> None:
        """Read the override files (again): a running kiosk after it pulled the center's table.
        Days looked up from then on use them; CalendarFileError (a bad file) leaves the calendar
        as it was."""
        overrides = Overrides()
        for path in override_paths:
            # Later files win: a year table replaces the earlier one, a [days] entry the earlier day.
            overrides = overrides.merged_with(load_overrides(Path(path)))
        # the tables first, then fresh caches: a lookup running meanwhile fills only a cache that
        # is then dropped, never the new one with the old tables
        self._overrides = overrides
        self._year_statuses = lru_cache(maxsize=self.YEAR_CACHE_SIZE)(self._build_year_statuses)
        self._year_days = lru_cache(maxsize=self.YEAR_CACHE_SIZE)(self._build_year_days)

    # ----- single days -------------------------------------------------------------

    def is_workday(self, day: date) -> bool:
        return self.day_info(day).workday

    def day_info(self, day: date) -> DayInfo:
        day = _as_date(day)
        _check_supported(day)
        return self._year_days(day.year)[day]

    # ----- deadlines ---------------------------------------------------------------

    def add_working_days(self, start: date, n: int) -> Deadline:
        """The n-th working day after `start` (start itself is not counted; n = 0 gives start)."""
        start = _as_date(start)
        _check_count(n)
        day, counted, estimated = start, 0, False
        while counted < n:
            day += _ONE_DAY
            info = self.day_info(day)
            estimated = estimated or info.estimated
            counted += info.workday
        return Deadline(day, estimated)

    def add_natural_days(self, start: date, n: int) -> Deadline:
        start = _as_date(start)
        _check_count(n)
        return Deadline(start + timedelta(days=n), estimated=False)

    def deadline(self, accepted: date | datetime, value: int, unit: Unit) -> Deadline:
        """Deadline of a matter accepted on `accepted` with a time limit of `value` `unit`s."""
        if unit == WORKING_DAY:
            return self.add_working_days(accepted, value)
        if unit == NATURAL_DAY:
            return self.add_natural_days(accepted, value)
        raise ValueError(f"unit must be {WORKING_DAY!r} or {NATURAL_DAY!r}, not {unit!r}")

    def progress(self, deadline: date, as_of: date) -> DeadlineProgress:
        deadline, as_of = _as_date(deadline), _as_date(as_of)
        overdue = as_of > deadline
        return DeadlineProgress(
            remaining_working_days=self._working_days_between(as_of, deadline),
            due_today=as_of == deadline,
            overdue=overdue,
            overdue_working_days=self._working_days_between(deadline, as_of),
        )

    def _working_days_between(self, after: date, through: date) -> int:
        """Working days in (after, through]; 0 when through <= after."""
        count, day = 0, after
        while day < through:
            day += _ONE_DAY
            count += self.is_workday(day)
        return count

    # ----- per-year computation (cached) -----------------------------------------

    def _status(self, day: date) -> _Status:
        return self._year_statuses(day.year)[day]

    def _build_year_statuses(self, year: int) -> dict[date, _Status]:
        arrangement = self._overrides.years.get(year)
        return {day: self._decide(day, arrangement) for day in _days_of(year)}

    def _decide(self, day: date, arrangement: YearArrangement | None) -> _Status:
        """Working or not, by the highest-priority source that knows this day."""
        if day in self._overrides.days:
            return _Status(self._overrides.days[day], "override", None)
        if arrangement is not None:
            if day in arrangement.holidays:
                return _Status(False, "override", None)
            if day in arrangement.workdays:
                return _Status(True, "override", None)
            if arrangement.complete:
                return _Status(not _is_weekend(day), "override", None)
        if day.year in LIBRARY_YEARS:
            on_holiday, holiday = chinese_calendar.get_holiday_detail(day)
            return _Status(not on_holiday, "library", _library_holiday_name(holiday))
        statutory_name = statutory_holidays(day.year).get(day)
        return _Status(not _is_weekend(day) and statutory_name is None, "rule", statutory_name)

    def _build_year_days(self, year: int) -> dict[date, DayInfo]:
        statuses = self._year_statuses(year)
        break_names = self._break_names(year)
        return {
            day: DayInfo(
                date=day,
                workday=status.workday,
                name=status.name if status.name is not None else break_names.get(day),
                source=status.source,
                estimated=status.source == "rule",
            )
            for day, status in statuses.items()
        }

    def _break_names(self, year: int) -> dict[date, str]:
        """Name each day of a break (consecutive days off) after the statutory holiday in it.

        Override and rule days carry no names of their own, so a bridge day or weekend
        inside e.g. the Spring Festival break is named 春节 as in the official notices.
        When a break holds several holidays (国庆节 + 中秋节) the one with the most
        statutory days names the non-statutory days.
        """
        names: dict[date, str] = {}
        day = date(year, 1, 1)
        while day.year == year:
            if self._status(day).workday:
                day += _ONE_DAY
                continue
            first, last = self._break_around(day)
            break_days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
            statutory = {d: statutory_holidays(d.year).get(d) for d in break_days}
            counts = Counter(name for name in statutory.values() if name is not None)
            if counts:
                main_name = counts.most_common(1)[0][0]  # ties: the earliest in the break
                for d in break_days:
                    if d.year == year:
                        names[d] = statutory[d] or main_name
            day = last + _ONE_DAY
        return names

    def _break_around(self, day: date) -> tuple[date, date]:
        """First and last day of the run of days off containing `day` (may cross years)."""
        first = last = day
        lowest, highest = date(SUPPORTED_YEARS.start, 1, 1), date(SUPPORTED_YEARS.stop - 1, 12, 31)
        while first > lowest and not self._status(first - _ONE_DAY).workday:
            first -= _ONE_DAY
        while last < highest and not self._status(last + _ONE_DAY).workday:
            last += _ONE_DAY
        return first, last


#: the working-day table an enrolled terminal pulls from its center (kiosk/fleet, docs/fleet.md)
CENTER_TABLE_NAME = "center-workdays.toml"


def default_calendar(overrides_path: Path = DEFAULT_OVERRIDES_PATH, data_dir: Path | str | None = None) -> WorkCalendar:
    """A calendar with the installation's override file, if it exists, and over it the center's
    own table in ``data_dir`` (pulled from the center console's 工作日 page), which wins. Build
    once and share it."""
    return WorkCalendar(default_override_paths(overrides_path, data_dir))


def default_override_paths(overrides_path: Path = DEFAULT_OVERRIDES_PATH, data_dir: Path | str | None = None) -> list[Path]:
    """The override files default_calendar reads, those that exist now, the center's table last
    (a running kiosk reloads its calendar from them after a pull: ``calendar.reload(...)``)."""
    paths = [Path(overrides_path)]
    if data_dir is not None:
        paths.append(Path(data_dir) / CENTER_TABLE_NAME)
    return [path for path in paths if path.exists()]


def write_center_table(data_dir: Path | str, days: dict[str, str]) -> Path:
    """Store the center's table (``{"2027-02-06": "workday", "2027-02-10": "holiday"}``) as the
    override file default_calendar reads, atomically. ValueError names a bad entry."""
    lines = ["# 中心工作日安排（从中心同步，请勿手改）/ the center's working-day table, synced", "[days]"]
    for day, kind in sorted(days.items()):
        if not _ISO_DAY.fullmatch(str(day)) or kind not in ("holiday", "workday"):
            raise ValueError(f"工作日表有误 / bad working-day entry {day!r} = {kind!r}")
        date.fromisoformat(day)  # a real date
        lines.append(f'"{day}" = "{kind}"')
    path = Path(data_dir) / CENTER_TABLE_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".toml.partial")
    partial.write_text("\n".join(lines) + "\n", encoding="utf-8")
    partial.replace(path)
    return path


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _library_holiday_name(holiday: str | None) -> str | None:
    if holiday is None:
        return None
    if holiday in _LIBRARY_HOLIDAY_NAMES:
        return _LIBRARY_HOLIDAY_NAMES[holiday]
    return getattr(chinese_calendar.Holiday(holiday), "chinese", holiday)


def _days_of(year: int) -> Iterable[date]:
    day = date(year, 1, 1)
    while day.year == year:
        yield day
        day += _ONE_DAY


def _is_weekend(day: date) -> bool:
    return day.weekday() >= 5


def _as_date(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raise TypeError(f"expected a date or datetime, not {type(value).__name__}")


def _check_supported(day: date) -> None:
    if day.year not in SUPPORTED_YEARS:
        raise ValueError(f"{day.isoformat()} is outside the supported years "
                         f"{SUPPORTED_YEARS.start}–{SUPPORTED_YEARS.stop - 1}")


def _check_count(n: int) -> None:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"the number of days must be an int, not {type(n).__name__}")
    if n < 0:
        raise ValueError(f"the number of days must not be negative, got {n}")
