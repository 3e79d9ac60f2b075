"""What a report is: columns (key, Chinese heading, kind) and rows, for a period.

One function per report (kiosk/reports/__init__.py REPORTS) returns a Report; the writers
(kiosk/reports/writers.py) turn any Report into CSV or xlsx. Columns are documented in
docs/reports.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from kiosk.errors import KioskError

#: cell kinds: how a value is written (CSV text, or an xlsx number / date cell)
KINDS = ("text", "int", "datetime", "percent")


class ReportError(KioskError):
    """A report that cannot be made as asked; ``zh`` for the person, ``en`` for logs."""


@dataclass(frozen=True)
class Column:
    key: str
    #: the heading in the file (what the center's staff and the provincial import read)
    title: str
    kind: str = "text"
    #: an xlsx column's width in characters (a Chinese character counts as two)
    width: int = 14


@dataclass(frozen=True)
class Period:
    """From the start of ``first`` to the end of ``last`` (both whole days, inclusive)."""

    first: date
    last: date

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, datetime.min.time())

    @property
    def end(self) -> datetime:
        """Exclusive: midnight after the last day."""
        return datetime.combine(self.last, datetime.min.time()) + timedelta(days=1)

    @property
    def text(self) -> str:
        return f"{self.first:%Y-%m-%d} 至 {self.last:%Y-%m-%d}"

    @property
    def slug(self) -> str:
        return f"{self.first:%Y%m%d}-{self.last:%Y%m%d}"

    @classmethod
    def parse(cls, first: str, last: str) -> Period:
        start, end = parse_date(first, "--from"), parse_date(last, "--to")
        if end < start:
            raise ReportError(
                f"结束日期 {end:%Y-%m-%d} 早于开始日期 {start:%Y-%m-%d}", f"--to {end} is before --from {start}"
            )
        if (end - start).days > 3660:
            raise ReportError("时间段不能超过 10 年", "the period may not exceed 10 years")
        return cls(start, end)


def parse_date(text: str, option: str = "") -> date:
    """A date as typed: 2026-03-02, 2026/3/2, 20260302 or 2026年3月2日."""
    raw = (text or "").strip()
    match = (
        re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", raw)
        or re.fullmatch(r"(\d{4})(\d{2})(\d{2})", raw)
    )
    if match:
        try:
            return date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
    where = f"{option} " if option else ""
    raise ReportError(
        f"{where}日期“{raw}”无法识别，请写成 2026-03-02", f"{where}not a date: {raw!r} (write 2026-03-02)"
    )


@dataclass(frozen=True)
class Report:
    name: str
    title: str
    period: Period
    columns: tuple[Column, ...]
    rows: tuple[dict, ...]
    #: lines for the notes sheet and the command's summary (what is left out and why …)
    notes: tuple[str, ...] = ()
    generated_at: datetime = field(default_factory=lambda: datetime.now().replace(microsecond=0))

    @property
    def headings(self) -> list[str]:
        return [c.title for c in self.columns]

    def values(self, row: dict) -> list[object]:
        return [row.get(c.key) for c in self.columns]
