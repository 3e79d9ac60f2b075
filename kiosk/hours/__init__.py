"""Service hours (办理时间): when the center, a department, a window and the helpers are there.

See kiosk/hours/service.py for where the hours come from, docs/catalog-format.md (``schedule``)
and docs/configuration.md (``[service_hours]``) for how they are written.
"""

from .schedule import DEFAULT_PERIODS, Period, Schedule, ScheduleError, Season, parse_period, parse_periods, parse_weekdays
from .service import HALL, ZONE_24H, Channel, HelpAnswer, ServiceTimes
from .status import (
    AFTER,
    BEFORE,
    BREAK,
    CLOSED_DAY,
    HOLIDAY,
    OPEN,
    WEEKEND,
    Day,
    OpenState,
    closed_reason_text,
    day,
    day_text,
    next_open_text,
    next_opening,
    periods_text,
    state,
    when_text,
)

__all__ = [
    "AFTER",
    "BEFORE",
    "BREAK",
    "CLOSED_DAY",
    "Channel",
    "DEFAULT_PERIODS",
    "Day",
    "HALL",
    "HOLIDAY",
    "HelpAnswer",
    "OPEN",
    "OpenState",
    "Period",
    "Schedule",
    "ScheduleError",
    "Season",
    "ServiceTimes",
    "WEEKEND",
    "ZONE_24H",
    "closed_reason_text",
    "day",
    "day_text",
    "next_open_text",
    "next_opening",
    "parse_period",
    "parse_periods",
    "parse_weekdays",
    "periods_text",
    "state",
    "when_text",
]
