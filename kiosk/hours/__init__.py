"""Service hours (办理时间): when the center, a department, a window and the helpers are there.

See kiosk/hours/service.py for where the hours come from, docs/catalog-format.md (``schedule``)
and docs/configuration.md (``[service_hours]``) for how they are written.
"""

from typing import TYPE_CHECKING

from kiosk.exports import lazy_exports

from .schedule import DEFAULT_PERIODS, Period, Schedule, ScheduleError, Season, parse_period, parse_periods, parse_weekdays

# The configuration needs only the schedule; the service and the status (the working-day
# calendar, lunar_python) are imported when one of their names is first used.
_LAZY = {
    "service": ("HALL", "ZONE_24H", "Channel", "HelpAnswer", "ServiceTimes"),
    "status": (
        "AFTER", "BEFORE", "BREAK", "CLOSED_DAY", "HOLIDAY", "OPEN", "WEEKEND", "Day", "OpenState",
        "closed_reason_text", "day", "day_text", "next_open_text", "next_opening", "periods_text",
        "state", "when_text",
    ),
}
__getattr__ = lazy_exports(globals(), _LAZY)

if TYPE_CHECKING:  # pragma: no cover
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
