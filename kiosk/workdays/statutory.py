"""Statutory public holidays computed by rule, for years without an official arrangement.

Rule: 《全国年节及纪念日放假办法》 as revised in 2024 (in force from 2025-01-01).
Only the statutory days themselves are produced; the State Council's yearly
arrangement usually adds bridge days and 调休 working weekends, which cannot be
predicted, so every day derived from this module is an estimate.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from functools import lru_cache
from types import MappingProxyType

from lunar_python import Lunar

NEW_YEARS_DAY = "元旦"
SPRING_FESTIVAL = "春节"
TOMB_SWEEPING_DAY = "清明节"
LABOUR_DAY = "劳动节"
DRAGON_BOAT_FESTIVAL = "端午节"
MID_AUTUMN_FESTIVAL = "中秋节"
NATIONAL_DAY = "国庆节"

# The lunar library supports a far wider range; this bounds what the kiosk accepts.
SUPPORTED_YEARS = range(1901, 2100)


def _lunar_to_solar(year: int, month: int, day: int) -> date:
    """Gregorian date of a (non-leap) lunar month/day in lunar year `year`."""
    solar = Lunar.fromYmd(year, month, day).getSolar()
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


def lunar_new_year(year: int) -> date:
    """正月初一 of the lunar year that starts in Gregorian `year`."""
    return _lunar_to_solar(year, 1, 1)


def qingming(year: int) -> date:
    """Date of the 清明 solar term in Gregorian `year`."""
    # The solar-term table of lunar year `year` covers early April of the same Gregorian year.
    solar = Lunar.fromYmd(year, 1, 1).getJieQiTable()["清明"]
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


@lru_cache(maxsize=64)
def statutory_holidays(year: int) -> Mapping[date, str]:
    """The statutory days off of `year` (weekends not included), mapped to their Chinese name."""
    if year not in SUPPORTED_YEARS:
        raise ValueError(f"year {year} is outside the supported range "
                         f"{SUPPORTED_YEARS.start}–{SUPPORTED_YEARS.stop - 1}")
    new_year = lunar_new_year(year)
    festival_days: list[tuple[str, date]] = [
        (NEW_YEARS_DAY, date(year, 1, 1)),
        # 除夕 is the day before 正月初一 whether the twelfth month has 29 or 30 days.
        *((SPRING_FESTIVAL, new_year + timedelta(days=offset)) for offset in range(-1, 3)),
        (TOMB_SWEEPING_DAY, qingming(year)),
        (LABOUR_DAY, date(year, 5, 1)),
        (LABOUR_DAY, date(year, 5, 2)),
        (DRAGON_BOAT_FESTIVAL, _lunar_to_solar(year, 5, 5)),
        (MID_AUTUMN_FESTIVAL, _lunar_to_solar(year, 8, 15)),
        *((NATIONAL_DAY, date(year, 10, day)) for day in (1, 2, 3)),
    ]
    holidays: dict[date, str] = {}
    for name, day in festival_days:
        # 中秋 can fall on 10-01..03; such a day carries both names.
        holidays[day] = f"{holidays[day]}、{name}" if day in holidays else name
    return MappingProxyType(holidays)
