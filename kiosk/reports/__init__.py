"""The center's reports (统计报表): one function per report returning rows and column
definitions, written as CSV (UTF-8 with BOM) or xlsx; and the admin summary. See
docs/reports.md.

    report = REPORTS["ratings"](database, Period.parse("2026-03-01", "2026-03-31"))
    write_file(report, Path("ratings.xlsx"), "xlsx")
"""

from kiosk.reports.base import Column, Period, Report, ReportError, parse_date
from kiosk.reports.tables import (
    ReportOptions,
    complaints_report,
    faults_report,
    ledger_report,
    ratings_report,
)
from kiosk.reports.writers import FORMATS, csv_bytes, default_file_name, write_csv, write_file, write_xlsx

#: report name → function(database, period, options) -> Report
REPORTS = {
    "ratings": ratings_report,
    "complaints": complaints_report,
    "faults": faults_report,
    "ledger": ledger_report,
}

__all__ = [
    "FORMATS",
    "REPORTS",
    "Column",
    "Period",
    "Report",
    "ReportError",
    "ReportOptions",
    "complaints_report",
    "csv_bytes",
    "default_file_name",
    "faults_report",
    "ledger_report",
    "parse_date",
    "ratings_report",
    "write_csv",
    "write_file",
    "write_xlsx",
]
