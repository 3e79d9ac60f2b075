"""The service center's override file(s): official arrangements and single-day changes.

Format (TOML)::

    [years.2027]
    complete = true
    holidays = ["2027-01-01", ...]   # days off besides weekends
    workdays = ["2027-02-07"]        # 调休: weekend days that are working days

    [days]
    "2026-05-06" = "holiday"         # or "workday"
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

HOLIDAY = "holiday"
WORKDAY = "workday"

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_YEAR = re.compile(r"\d{4}")
_YEAR_KEYS = {"complete", "holidays", "workdays"}
_TOP_LEVEL_KEYS = {"years", "days"}


class CalendarFileError(ValueError):
    """An override file cannot be read or contains an invalid entry."""

    def __init__(self, path: Path, key: str, problem: str, problem_zh: str) -> None:
        self.path = path
        self.key = key
        location = f"{path}: {key}: " if key else f"{path}: "
        super().__init__(f"{location}{problem} ({problem_zh})")


@dataclass(frozen=True)
class YearArrangement:
    """One year's entry of an override file."""

    year: int
    complete: bool
    holidays: frozenset[date]
    workdays: frozenset[date]


@dataclass(frozen=True)
class Overrides:
    """Override data merged from one or more files."""

    years: Mapping[int, YearArrangement] = field(default_factory=lambda: MappingProxyType({}))
    # date -> True when it is a working day, False when it is a day off.
    days: Mapping[date, bool] = field(default_factory=lambda: MappingProxyType({}))

    def merged_with(self, later: Overrides) -> Overrides:
        """Layer `later` on top: its years replace whole years, its days replace single days."""
        return Overrides(
            years=MappingProxyType({**self.years, **later.years}),
            days=MappingProxyType({**self.days, **later.days}),
        )


def load_overrides(path: Path) -> Overrides:
    """Read and validate one override file; raise CalendarFileError on any problem."""
    path = Path(path)
    try:
        with path.open("rb") as file:
            document = tomllib.load(file)
    except FileNotFoundError:
        raise CalendarFileError(path, "", "file not found", "文件不存在") from None
    except tomllib.TOMLDecodeError as error:
        raise CalendarFileError(path, "", f"invalid TOML: {error}", "TOML 格式错误") from None
    except UnicodeDecodeError:
        raise CalendarFileError(path, "", "file is not UTF-8 text", "文件不是 UTF-8 编码") from None
    except OSError as error:
        raise CalendarFileError(path, "", f"cannot read file: {error}", "无法读取文件") from None
    return _FileParser(path).parse(document)


class _FileParser:
    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, key: str, problem: str, problem_zh: str) -> CalendarFileError:
        return CalendarFileError(self.path, key, problem, problem_zh)

    def parse(self, document: dict[str, Any]) -> Overrides:
        for key in document:
            if key not in _TOP_LEVEL_KEYS:
                raise self.fail(key, "unknown key, expected 'years' or 'days'",
                                "未知的键，应为 years 或 days")
        years_table = self.table(document.get("years", {}), "years")
        days_table = self.table(document.get("days", {}), "days")
        years = {}
        for year_key, entry in years_table.items():
            arrangement = self.year_arrangement(year_key, entry)
            years[arrangement.year] = arrangement
        days = {self.date_key(key): self.day_kind(key, value) for key, value in days_table.items()}
        return Overrides(years=MappingProxyType(years), days=MappingProxyType(days))

    def table(self, value: Any, key: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(key, "must be a table", "必须是表（table）")
        return value

    def year_arrangement(self, year_key: str, entry: Any) -> YearArrangement:
        key = f"years.{year_key}"
        if not _YEAR.fullmatch(year_key):
            raise self.fail(key, f"{year_key!r} is not a year like 2027", "不是有效年份，例如 2027")
        year = int(year_key)
        entry = self.table(entry, key)
        for name in entry:
            if name not in _YEAR_KEYS:
                raise self.fail(f"{key}.{name}",
                                "unknown key, expected 'complete', 'holidays' or 'workdays'",
                                "未知的键，应为 complete、holidays 或 workdays")
        complete = entry.get("complete", False)
        if not isinstance(complete, bool):
            raise self.fail(f"{key}.complete", "must be true or false", "必须为 true 或 false")
        holidays = self.date_list(entry.get("holidays", []), f"{key}.holidays", year)
        workdays = self.date_list(entry.get("workdays", []), f"{key}.workdays", year)
        for index, day in enumerate(workdays):
            if day in holidays:
                raise self.fail(f"{key}.workdays[{index}]",
                                f"{day.isoformat()} is also listed in holidays",
                                "同时出现在 holidays 中")
        if complete and not holidays:
            raise self.fail(f"{key}.holidays",
                            "complete = true but no holidays are listed",
                            "已标记为完整安排（complete = true），但未列出任何节假日")
        return YearArrangement(year, complete, frozenset(holidays), frozenset(workdays))

    def date_list(self, value: Any, key: str, year: int) -> list[date]:
        if not isinstance(value, list):
            raise self.fail(key, "must be a list of dates like [\"2027-01-01\"]",
                            "必须是日期列表，例如 [\"2027-01-01\"]")
        days = []
        for index, item in enumerate(value):
            item_key = f"{key}[{index}]"
            day = self.date_value(item, item_key)
            if day.year != year:
                raise self.fail(item_key, f"{day.isoformat()} is not in {year}", f"不在 {year} 年内")
            days.append(day)
        return days

    def date_value(self, value: Any, key: str) -> date:
        # TOML's own date literals (unquoted 2027-01-01) arrive as date objects.
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if isinstance(value, str) and _ISO_DATE.fullmatch(value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        raise self.fail(key, f"{value!r} is not a date, expected YYYY-MM-DD",
                        "不是有效日期，应为 YYYY-MM-DD")

    def date_key(self, key: str) -> date:
        return self.date_value(key, f"days.{key}")

    def day_kind(self, key: str, value: Any) -> bool:
        if value == HOLIDAY:
            return False
        if value == WORKDAY:
            return True
        raise self.fail(f"days.{key}", f"{value!r} must be \"holiday\" or \"workday\"",
                        "必须为 \"holiday\" 或 \"workday\"")
