"""Reports as files: CSV (UTF-8 with a byte order mark, so Excel and WPS read Chinese) and
xlsx (openpyxl: a data sheet with the headings in row 1, and a 说明 sheet)."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path
from typing import IO

from kiosk.privacy import create_private
from kiosk.reports.base import Report, ReportError

FORMATS = ("csv", "xlsx")
DATETIME_TEXT = "%Y-%m-%d %H:%M:%S"
#: characters that make a spreadsheet read a cell as a formula (CSV injection)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value: object, kind: str = "text") -> str:
    """A value as the CSV shows it."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime(DATETIME_TEXT)
    if kind == "percent" and isinstance(value, (int, float)):
        return f"{value * 100:.1f}%"
    if isinstance(value, (list, tuple)):
        value = "；".join(map(str, value))
    text = str(value)
    if kind == "text" and text.startswith(FORMULA_START):
        text = "'" + text  # typed by a citizen: never let a spreadsheet run it
    return text


def write_csv(report: Report, out: IO[str]) -> int:
    """The report as CSV into a text stream; the caller opens files with encoding
    "utf-8-sig" (write_file does). Returns the number of rows."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(report.headings)
    for row in report.rows:
        writer.writerow([cell_text(v, c.kind) for v, c in zip(report.values(row), report.columns)])
    return len(report.rows)


def csv_bytes(report: Report) -> bytes:
    buffer = io.StringIO()
    write_csv(report, buffer)
    return buffer.getvalue().encode("utf-8-sig")


def write_xlsx(report: Report, path: Path) -> int:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = report.title[:31]
    sheet.append(report.headings)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="E7F0FB")
    for index, column in enumerate(report.columns, 1):
        cell = sheet.cell(row=1, column=index)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    for row in report.rows:
        values = []
        for value, column in zip(report.values(row), report.columns):
            if column.kind in ("int", "percent") and isinstance(value, (int, float)) or isinstance(value, datetime):
                values.append(value)
            else:
                values.append(cell_text(value, column.kind) or None)
        sheet.append(values)
    for index, column in enumerate(report.columns, 1):
        if column.kind in ("datetime", "percent"):
            number_format = "yyyy-mm-dd hh:mm:ss" if column.kind == "datetime" else "0.0%"
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = number_format
    sheet.freeze_panes = "A2"

    notes = book.create_sheet("说明")
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["B"].width = 90
    for key, value in (
        ("报表", report.title),
        ("时间段", report.period.text),
        ("生成时间", report.generated_at.strftime(DATETIME_TEXT)),
        ("记录数", len(report.rows)),
        *(("说明", line) for line in report.notes),
    ):
        notes.append([key, value])
        notes.cell(row=notes.max_row, column=1).font = bold
    book.save(path)
    return len(report.rows)


def default_file_name(report: Report, fmt: str) -> str:
    return f"{report.name}-{report.period.slug}.{fmt}"


def write_file(report: Report, path: Path, fmt: str) -> int:
    """Write ``report`` to ``path`` as ``fmt``; an unwritable path is a ReportError."""
    if fmt not in FORMATS:
        raise ReportError(f"格式应为 csv 或 xlsx，不是 {fmt}", f"format must be csv or xlsx, not {fmt!r}")
    try:
        create_private(path)  # 0600: reports hold phones and names
        if fmt == "csv":
            with Path(path).open("w", encoding="utf-8-sig", newline="") as fh:
                return write_csv(report, fh)
        return write_xlsx(report, Path(path))
    except OSError as exc:
        raise ReportError(f"无法写入 {path}：{exc.strerror or exc}", f"cannot write {path}: {exc}") from None
