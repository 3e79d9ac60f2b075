"""The center's reports as the application offers them: any report by name, and the admin
summary, which only an admin may see (audited)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from kiosk.reports.base import Period, Report, ReportError
from kiosk.reports.summary import Summary, center_summary
from kiosk.reports.tables import ReportOptions

if TYPE_CHECKING:  # pragma: no cover
    from kiosk.db import Database
    from kiosk.staff import StaffService, StaffSession


class ReportService:
    def __init__(self, database: Database, *, staff: StaffService):
        self.database = database
        self.staff = staff

    def report(self, name: str, period: Period, options: ReportOptions | None = None) -> Report:
        """One of REPORTS (ratings, complaints, faults, ledger) for the period."""
        from kiosk.reports import REPORTS

        if name not in REPORTS:
            raise ReportError(f"没有名为 {name} 的报表", f"no report named {name!r}")
        return REPORTS[name](self.database, period, options or ReportOptions())

    def summary(self, session: StaffSession | None, first: date, last: date) -> Summary:
        """The admin summary for the days first..last; admins only, audited."""
        from kiosk.staff import require_admin

        admin = require_admin(session, "只有管理员可以查看统计", "only an admin may see the summary")
        period = Period(first, last)
        summary = center_summary(self.database, period)
        self.staff.audit(admin.staff_id, "report.summary", "center", period.text)
        return summary
