"""China Standard Time: UTC+8 all year (no daylight saving since 1991).

Application times are China times whatever the terminal's time zone is set to; the database
keeps them as naive datetimes in this zone.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

CHINA_TZ = timezone(timedelta(hours=8), "CST")


def china_now() -> datetime:
    """Now, to the second, as a naive China time."""
    return datetime.now(CHINA_TZ).replace(tzinfo=None, microsecond=0)


def china_today() -> date:
    return china_now().date()
