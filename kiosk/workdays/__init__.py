"""Working-day calendar for administrative time limits (限时办结). See docs/working-days.md."""

from .calendar import (
    DEFAULT_OVERRIDES_PATH,
    LIBRARY_YEARS,
    NATURAL_DAY,
    WORKING_DAY,
    DayInfo,
    Deadline,
    DeadlineProgress,
    Source,
    Unit,
    WorkCalendar,
    default_calendar,
    default_override_paths,
    write_center_table,
)
from .overrides import CalendarFileError
from .statutory import SUPPORTED_YEARS, statutory_holidays

__all__ = [
    "CalendarFileError",
    "DEFAULT_OVERRIDES_PATH",
    "DayInfo",
    "Deadline",
    "DeadlineProgress",
    "LIBRARY_YEARS",
    "NATURAL_DAY",
    "SUPPORTED_YEARS",
    "Source",
    "Unit",
    "WORKING_DAY",
    "WorkCalendar",
    "default_calendar",
    "default_override_paths",
    "statutory_holidays",
    "write_center_table",
]
