"""Is it open now, and when does it open next: a Schedule read against the working-day table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from kiosk.i18n import tr
from kiosk.workdays import WorkCalendar

from .schedule import Period, Schedule

#: how far ahead the next opening is looked for (the longest break, 春节, is 8–9 days)
HORIZON_DAYS = 60

OPEN = "open"
BEFORE = "before"  # an open day, before its first period
BREAK = "break"  # an open day, between two periods (午休)
AFTER = "after"  # an open day, after its last period (已下班)
WEEKEND = "weekend"  # a weekday the schedule does not list
HOLIDAY = "holiday"  # a public holiday (国庆节 …)
CLOSED_DAY = "closed_day"  # a day the catalog closes on its own (schedule.closed)

_WEEKDAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


@dataclass(frozen=True)
class Day:
    """One day for a schedule: open or not, why not, and its periods."""

    date: date
    open: bool
    reason: str  # OPEN, WEEKEND, HOLIDAY or CLOSED_DAY
    holiday: str | None
    periods: tuple[Period, ...]
    adjusted: bool = False  # an official adjusted working day (调休) on a weekend


@dataclass(frozen=True)
class OpenState:
    """The answer for one moment."""

    now: datetime
    open: bool
    reason: str  # OPEN, BEFORE, BREAK, AFTER, WEEKEND, HOLIDAY or CLOSED_DAY
    #: while open: when the current period ends
    closes_at: datetime | None
    #: while closed: the next opening within HORIZON_DAYS (None when none is found)
    next_open: datetime | None
    holiday: str | None
    today: tuple[Period, ...]


def day(schedule: Schedule, when: date, calendar: WorkCalendar) -> Day:
    """Open or not on ``when``: the catalog's closed days, then the working-day table
    (holiday closes, 调休 opens), then the schedule's weekdays."""
    weekend = when.isoweekday() >= 6
    if when in schedule.closed:
        return Day(when, False, CLOSED_DAY, None, ())
    try:
        info = calendar.day_info(when)
    except ValueError:  # outside the years the table covers: the weekdays alone
        info = None
    if info is not None:
        if info.workday and weekend:
            return Day(when, True, OPEN, info.name, schedule.periods_for(when), adjusted=True)
        if not info.workday and (not weekend or info.name):
            return Day(when, False, HOLIDAY, info.name, ())
    if when.isoweekday() not in schedule.weekdays:
        return Day(when, False, WEEKEND, None, ())
    return Day(when, True, OPEN, None, schedule.periods_for(when))


def state(schedule: Schedule, now: datetime, calendar: WorkCalendar) -> OpenState:
    today = day(schedule, now.date(), calendar)
    clock = now.time()
    if today.open:
        for period in today.periods:
            if period.start <= clock < period.end:
                return OpenState(now, True, OPEN, datetime.combine(now.date(), period.end), None, today.holiday, today.periods)
    if not today.open:
        reason = today.reason
    elif clock < today.periods[0].start:
        reason = BEFORE
    elif clock >= today.periods[-1].end:
        reason = AFTER
    else:
        reason = BREAK
    return OpenState(now, False, reason, None, next_opening(schedule, now, calendar), today.holiday, today.periods)


def next_opening(schedule: Schedule, now: datetime, calendar: WorkCalendar) -> datetime | None:
    """The first period start after ``now`` (now itself when a period starts this minute)."""
    for offset in range(HORIZON_DAYS + 1):
        when = now.date() + timedelta(days=offset)
        info = day(schedule, when, calendar)
        if not info.open:
            continue
        for period in info.periods:
            start = datetime.combine(when, period.start)
            if start >= now:
                return start
    return None


# --- words ----------------------------------------------------------------------------------


def clock_text(moment: datetime) -> str:
    """8:30, 14:30 (no leading zero, as on the center's notices)."""
    return f"{moment.hour}:{moment.minute:02d}"


def day_text(moment: datetime | date, now: datetime) -> str:
    """今天 / 明天, else 12月7日（周一） (no 后天: a date is clearer to everyone)."""
    when = moment.date() if isinstance(moment, datetime) else moment
    delta = (when - now.date()).days
    if delta == 0:
        return tr("今天")
    if delta == 1:
        return tr("明天")
    return tr("{month}月{day}日（{weekday}）").format(
        month=when.month, day=when.day, weekday=tr(_WEEKDAY_NAMES[when.weekday()])
    )


def when_text(moment: datetime, now: datetime) -> str:
    """明天 8:30; 10月8日（周四）8:30."""
    words = day_text(moment, now)
    return f"{words}{'' if words.endswith('）') else ' '}{clock_text(moment)}"


def periods_text(periods: tuple[Period, ...]) -> str:
    """8:30-12:00、14:30-17:30."""
    return tr("、").join(p.text() for p in periods)


def closed_reason_text(s: OpenState) -> str:
    """Why it is closed now, in a few words: 今天已下班 / 午休中 / 今天休息（国庆节）…"""
    if s.reason == AFTER:
        return tr("今天已下班")
    if s.reason == BREAK:
        return tr("午休中")
    if s.reason == BEFORE:
        return tr("还没到上班时间")
    if s.reason == HOLIDAY:
        return tr("今天{name}放假").format(name=tr(s.holiday)) if s.holiday else tr("今天放假")
    if s.reason == CLOSED_DAY:
        return tr("今天暂停办理")
    return tr("今天休息")


def next_open_text(s: OpenState, template: str = "{when} 开始办理") -> str:
    """明天 8:30 开始办理 (empty when nothing is known); ``template`` is translated, then given
    ``{when}``."""
    if s.next_open is None:
        return ""
    return tr(template).format(when=when_text(s.next_open, s.now))
