from datetime import date, datetime, timedelta

import chinese_calendar
import pytest

from kiosk.workdays import (
    DEFAULT_OVERRIDES_PATH,
    LIBRARY_YEARS,
    CalendarFileError,
    Deadline,
    DeadlineProgress,
    WorkCalendar,
    default_calendar,
    statutory_holidays,
)
from kiosk.workdays.statutory import lunar_new_year, qingming


@pytest.fixture(scope="module")
def calendar():
    return WorkCalendar()


def write_overrides(tmp_path, text, name="overrides.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ----- official arrangements from the library (2025, 2026) ---------------------------


def test_national_day_2025_example(calendar):
    # Sun 09-28 is a 调休 working day; 10-01…10-08 are off.
    assert calendar.add_working_days(date(2025, 9, 26), 5) == Deadline(date(2025, 10, 10), False)


def test_zero_days_is_the_start_itself(calendar):
    assert calendar.add_working_days(date(2025, 10, 1), 0) == Deadline(date(2025, 10, 1), False)


def test_negative_days_are_rejected(calendar):
    with pytest.raises(ValueError):
        calendar.add_working_days(date(2025, 9, 26), -1)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # 2025 春节: Sun 01-26 works, 01-28…02-04 off, Sat 02-08 works.
        (date(2025, 1, 24), 1, date(2025, 1, 26)),
        (date(2025, 1, 24), 2, date(2025, 1, 27)),
        (date(2025, 1, 24), 3, date(2025, 2, 5)),
        (date(2025, 1, 24), 6, date(2025, 2, 8)),
        (date(2025, 1, 24), 7, date(2025, 2, 10)),
        # 2026 春节: Sat 02-14 works, 02-15…02-23 off, Sat 02-28 works.
        (date(2026, 2, 13), 1, date(2026, 2, 14)),
        (date(2026, 2, 13), 2, date(2026, 2, 24)),
        (date(2026, 2, 13), 6, date(2026, 2, 28)),
        (date(2026, 2, 13), 7, date(2026, 3, 2)),
        # 2026 中秋 + 国庆: Sun 09-20 works, 09-25…09-27 and 10-01…10-07 off, Sat 10-10 works.
        (date(2026, 9, 18), 1, date(2026, 9, 20)),
        (date(2026, 9, 18), 6, date(2026, 9, 28)),
        (date(2026, 9, 30), 1, date(2026, 10, 8)),
        (date(2026, 9, 30), 3, date(2026, 10, 10)),
        (date(2026, 9, 30), 4, date(2026, 10, 12)),
    ],
)
def test_official_arrangements(calendar, start, n, expected):
    assert calendar.add_working_days(start, n) == Deadline(expected, estimated=False)


def test_day_info_from_library(calendar):
    assert calendar.day_info(date(2025, 9, 28)).workday  # Sunday, 调休
    assert calendar.day_info(date(2025, 9, 28)).name == "国庆节"
    mid_autumn = calendar.day_info(date(2025, 10, 6))
    assert (mid_autumn.workday, mid_autumn.name, mid_autumn.source, mid_autumn.estimated) == (
        False, "中秋节", "library", False)
    assert calendar.day_info(date(2026, 2, 16)).name == "春节"
    plain_weekday = calendar.day_info(date(2025, 3, 12))
    assert (plain_weekday.workday, plain_weekday.name) == (True, None)
    assert not calendar.is_workday(date(2025, 3, 15))  # plain Saturday


def test_datetime_arguments_are_accepted(calendar):
    accepted = datetime(2025, 9, 26, 16, 45)
    assert calendar.deadline(accepted, 5, "working_day") == Deadline(date(2025, 10, 10), False)
    assert calendar.is_workday(datetime(2025, 9, 28, 9, 0))


# ----- natural days ---------------------------------------------------------------


def test_natural_days_count_every_calendar_day(calendar):
    assert calendar.add_natural_days(date(2025, 9, 26), 15) == Deadline(date(2025, 10, 11), False)
    assert calendar.deadline(date(2030, 9, 26), 15, "natural_day") == Deadline(date(2030, 10, 11), False)


def test_unknown_unit_is_rejected(calendar):
    with pytest.raises(ValueError, match="unit"):
        calendar.deadline(date(2025, 9, 26), 5, "month")


# ----- the statutory rule ---------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "chuxi", "tomb_sweeping", "dragon_boat", "mid_autumn"),
    [
        (2025, date(2025, 1, 28), date(2025, 4, 4), date(2025, 5, 31), date(2025, 10, 6)),
        (2026, date(2026, 2, 16), date(2026, 4, 5), date(2026, 6, 19), date(2026, 9, 25)),
        (2030, date(2030, 2, 2), date(2030, 4, 5), date(2030, 6, 5), date(2030, 9, 12)),
    ],
)
def test_rule_lunar_and_solar_term_dates(year, chuxi, tomb_sweeping, dragon_boat, mid_autumn):
    holidays = statutory_holidays(year)
    assert lunar_new_year(year) == chuxi + timedelta(days=1)
    assert [d for d, name in holidays.items() if name == "春节"] == [
        chuxi + timedelta(days=i) for i in range(4)]
    assert holidays[tomb_sweeping] == "清明节"
    assert holidays[dragon_boat] == "端午节"
    assert holidays[mid_autumn] == "中秋节"
    assert len(holidays) == 13  # 1 + 4 + 1 + 2 + 1 + 1 + 3 days


def test_rule_qingming_matches_chinese_calendar_solar_terms():
    for year in range(1901, 2100):
        library_dates = [d for d, term in chinese_calendar.get_solar_terms(
            date(year, 4, 1), date(year, 4, 30)) if term == "清明"]
        assert library_dates == [qingming(year)], year


@pytest.mark.parametrize("year", [2025, 2026])
def test_rule_reproduces_the_statutory_days_of_official_years(calendar, year):
    # Every statutory day is off in the official arrangement, under the same name.
    for day, name in statutory_holidays(year).items():
        assert chinese_calendar.is_holiday(day), day
        assert calendar.day_info(day).name == name, day
    # Beyond them, the official arrangement only extends breaks (bridge days, 补休):
    # each official day off that is not statutory adjoins, through days off, a statutory day.
    statutory_days = set(statutory_holidays(year))
    official_extra = [d for d in chinese_calendar.holidays
                      if d.year == year and d not in statutory_days]
    assert official_extra  # the arrangements do add days, so this check is not vacuous
    for day in official_extra:
        earlier, later = day, day
        while earlier not in statutory_days and chinese_calendar.is_holiday(earlier):
            earlier -= timedelta(days=1)
        while later not in statutory_days and chinese_calendar.is_holiday(later):
            later += timedelta(days=1)
        assert earlier in statutory_days or later in statutory_days, day


@pytest.mark.parametrize("year", [2025, 2026])
def test_break_naming_matches_library_names(tmp_path, year):
    # Names of days without a name of their own (override and rule years) come from
    # the break they belong to; applied to the library's days off they give its names.
    overrides = [f'"{d.isoformat()}" = "holiday"' for d in chinese_calendar.holidays if d.year == year]
    workdays = [f'"{d.isoformat()}" = "workday"' for d in chinese_calendar.workdays if d.year == year]
    copied = WorkCalendar([write_overrides(tmp_path, "[days]\n" + "\n".join(overrides + workdays))])
    library = WorkCalendar()
    for day in chinese_calendar.holidays:
        if day.year == year:
            info = copied.day_info(day)
            assert info.source == "override"
            assert info.name == library.day_info(day).name, day


def test_unknown_year_is_estimated_and_skips_rule_holidays(calendar):
    assert 2030 not in LIBRARY_YEARS
    for day in (date(2030, 10, 1), date(2030, 10, 2), date(2030, 10, 3)):  # Tue–Thu
        info = calendar.day_info(day)
        assert (info.workday, info.name, info.source, info.estimated) == (False, "国庆节", "rule", True)
    assert calendar.add_working_days(date(2030, 9, 30), 1) == Deadline(date(2030, 10, 4), True)
    # 元旦 2030 is a Tuesday.
    assert not calendar.is_workday(date(2030, 1, 1))
    assert calendar.add_working_days(date(2029, 12, 31), 1) == Deadline(date(2030, 1, 2), True)
    # 2030 春节: 除夕 Sat 02-02 … 初三 Tue 02-05.
    assert calendar.add_working_days(date(2030, 2, 1), 1) == Deadline(date(2030, 2, 6), True)


def test_deadline_becomes_estimated_once_it_reaches_an_unknown_year(calendar):
    assert calendar.add_working_days(date(2026, 12, 30), 1) == Deadline(date(2026, 12, 31), False)
    # 2027-01-01 (Fri) is 元旦 by rule, then a weekend.
    assert calendar.add_working_days(date(2026, 12, 30), 2) == Deadline(date(2027, 1, 4), True)


# ----- override files -------------------------------------------------------------

# Made-up test data in the shape of an official notice; NOT the real 2027 arrangement.
FICTIONAL_2027 = """
[years.2027]
complete = true
holidays = ["2027-01-01", "2027-01-02", "2027-01-03",
            "2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08",
            "2027-02-09", "2027-02-10", "2027-02-11",
            "2027-04-05", "2027-05-01", "2027-05-02", "2027-05-03",
            "2027-06-09", "2027-09-15", "2027-10-01", "2027-10-02", "2027-10-03",
            "2027-10-04", "2027-10-05", "2027-10-06", "2027-10-07"]
workdays = ["2027-02-13", 2027-09-26]
"""


def test_override_year_makes_deadlines_official(tmp_path):
    calendar = WorkCalendar([write_overrides(tmp_path, FICTIONAL_2027)])
    # Thu 2027-02-04 + 1: 02-05…02-11 off → Fri 02-12, not estimated any more.
    assert calendar.add_working_days(date(2027, 2, 4), 1) == Deadline(date(2027, 2, 12), False)
    # Sat 02-13 is a 调休 working day in the file.
    assert calendar.add_working_days(date(2027, 2, 4), 2) == Deadline(date(2027, 2, 13), False)
    assert calendar.day_info(date(2027, 9, 26)).workday  # unquoted TOML date accepted
    bridge = calendar.day_info(date(2027, 2, 10))
    assert (bridge.workday, bridge.name, bridge.source, bridge.estimated) == (
        False, "春节", "override", False)
    ordinary = calendar.day_info(date(2027, 3, 10))
    assert (ordinary.workday, ordinary.source, ordinary.estimated) == (True, "override", False)
    # Years not in the file are unaffected.
    assert calendar.day_info(date(2028, 3, 10)).estimated


def test_incomplete_override_year_keeps_rule_estimates_elsewhere(tmp_path):
    path = write_overrides(tmp_path, '[years.2027]\nworkdays = ["2027-02-13"]\n')
    calendar = WorkCalendar([path])
    listed = calendar.day_info(date(2027, 2, 13))
    assert (listed.workday, listed.source, listed.estimated) == (True, "override", False)
    other = calendar.day_info(date(2027, 2, 12))
    assert (other.source, other.estimated) == ("rule", True)


def test_single_day_override(tmp_path):
    path = write_overrides(tmp_path, """
[days]
"2026-05-06" = "holiday"   # local day off after 劳动节
"2026-03-07" = "workday"   # a Saturday
""")
    calendar = WorkCalendar([path])
    extra = calendar.day_info(date(2026, 5, 6))
    assert (extra.workday, extra.source, extra.estimated) == (False, "override", False)
    assert extra.name == "劳动节"  # it extends the 劳动节 break
    # 2026-04-30 + 1: 05-01…05-05 official, 05-06 override → Thu 05-07.
    assert calendar.add_working_days(date(2026, 4, 30), 1) == Deadline(date(2026, 5, 7), False)
    assert calendar.is_workday(date(2026, 3, 7))
    assert not WorkCalendar().is_workday(date(2026, 3, 7))


def test_later_override_file_wins(tmp_path):
    first = write_overrides(tmp_path, '[days]\n"2026-05-06" = "holiday"\n', "first.toml")
    second = write_overrides(tmp_path, '[days]\n"2026-05-06" = "workday"\n', "second.toml")
    assert WorkCalendar([first, second]).is_workday(date(2026, 5, 6))
    assert not WorkCalendar([second, first]).is_workday(date(2026, 5, 6))


def test_day_override_beats_year_table(tmp_path):
    path = write_overrides(tmp_path, FICTIONAL_2027 + '\n[days]\n"2027-02-10" = "workday"\n')
    assert WorkCalendar([path]).is_workday(date(2027, 2, 10))


@pytest.mark.parametrize(
    ("text", "key", "message_part"),
    [
        ('[years.2027]\nholidays = ["2027-01-01", "2027-02-05", "2027-02-06", "2027-13-01"]\n',
         "years.2027.holidays[3]", "'2027-13-01' is not a date"),
        ('[years.2027]\nholidays = ["2027-1-1"]\n', "years.2027.holidays[0]", "不是有效日期"),
        ('[years.2027]\nholidays = ["2026-12-31"]\n', "years.2027.holidays[0]", "不在 2027 年内"),
        ('[years.2027]\nholiday = ["2027-01-01"]\n', "years.2027.holiday", "unknown key"),
        ('[years.2027]\ncomplete = "yes"\nholidays = ["2027-01-01"]\n',
         "years.2027.complete", "true or false"),
        ('[years.2027]\ncomplete = true\n', "years.2027.holidays", "no holidays"),
        ('[years.2027]\nholidays = ["2027-02-07"]\nworkdays = ["2027-02-07"]\n',
         "years.2027.workdays[0]", "also listed in holidays"),
        ('[years.2027]\nholidays = "2027-01-01"\n', "years.2027.holidays", "list of dates"),
        ('[years.next]\n', "years.next", "not a year"),
        ('[days]\n"2026-05-06" = "off"\n', "days.2026-05-06", '"holiday" or "workday"'),
        ('[days]\n"May 6" = "holiday"\n', "days.May 6", "not a date"),
        ('[year.2027]\n', "year", "unknown key"),
    ],
)
def test_bad_override_file_names_the_file_and_key(tmp_path, text, key, message_part):
    path = write_overrides(tmp_path, text)
    with pytest.raises(CalendarFileError) as caught:
        WorkCalendar([path])
    assert caught.value.key == key
    assert str(path) in str(caught.value)
    assert f"{key}: " in str(caught.value)
    assert message_part in str(caught.value)


def test_unreadable_override_files(tmp_path):
    with pytest.raises(CalendarFileError, match="TOML 格式错误"):
        WorkCalendar([write_overrides(tmp_path, "[years.2027\n")])
    with pytest.raises(CalendarFileError, match="文件不存在"):
        WorkCalendar([tmp_path / "missing.toml"])


def test_shipped_override_file_loads():
    assert DEFAULT_OVERRIDES_PATH.exists()
    calendar = default_calendar()
    assert calendar.add_working_days(date(2025, 9, 26), 5) == Deadline(date(2025, 10, 10), False)


def test_default_calendar_without_file(tmp_path):
    calendar = default_calendar(tmp_path / "absent.toml")
    assert calendar.day_info(date(2030, 10, 1)).source == "rule"


# ----- progress -------------------------------------------------------------------


def test_progress_remaining_working_days(calendar):
    deadline = date(2025, 10, 10)
    assert calendar.progress(deadline, date(2025, 9, 26)) == DeadlineProgress(5, False, False, 0)
    # After Tue 09-30 only Thu 10-09 and Fri 10-10 are working days.
    assert calendar.progress(deadline, date(2025, 9, 30)) == DeadlineProgress(2, False, False, 0)


def test_progress_due_today(calendar):
    assert calendar.progress(date(2025, 10, 10), date(2025, 10, 10)) == DeadlineProgress(0, True, False, 0)


def test_progress_overdue_across_weekend(calendar):
    # Deadline Fri 09-19; Sat is overdue but no working day has passed; Mon is 1.
    assert calendar.progress(date(2025, 9, 19), date(2025, 9, 20)) == DeadlineProgress(0, False, True, 0)
    assert calendar.progress(date(2025, 9, 19), date(2025, 9, 22)) == DeadlineProgress(0, False, True, 1)


def test_progress_overdue_across_holiday(calendar):
    # Deadline Tue 09-30; 10-01…10-08 off; Thu 10-09, Fri 10-10 and Sat 10-11 (调休) work.
    assert calendar.progress(date(2025, 9, 30), date(2025, 10, 8)) == DeadlineProgress(0, False, True, 0)
    assert calendar.progress(date(2025, 9, 30), date(2025, 10, 9)) == DeadlineProgress(0, False, True, 1)
    assert calendar.progress(date(2025, 9, 30), date(2025, 10, 11)) == DeadlineProgress(0, False, True, 3)


def test_year_cache_is_bounded():
    calendar = WorkCalendar()
    for year in range(2000, 2100):
        calendar.is_workday(date(year, 6, 1))
    assert calendar._year_days.cache_info().currsize <= WorkCalendar.YEAR_CACHE_SIZE
    assert calendar.add_working_days(date(2025, 9, 26), 5).date == date(2025, 10, 10)
