"""Time as the domain sees it: a callable returning the local wall-clock time (naive datetime).

Everything that measures time spans (PIN lockout, fault escalation, absences) takes a
``clock`` argument, so tests and tools can drive time with ManualClock instead of sleeping.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """Local time to the second (what the center's staff read on their watches)."""
    return datetime.now().replace(microsecond=0)


class ManualClock:
    """A clock that moves only when told to."""

    def __init__(self, start: datetime | None = None):
        self.now = start or datetime(2026, 3, 2, 9, 0, 0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta | None = None, **units: float) -> datetime:
        self.now += delta if delta is not None else timedelta(**units)
        return self.now

    def set(self, when: datetime) -> None:
        self.now = when
