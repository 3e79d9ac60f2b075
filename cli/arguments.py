"""Argument types for the command line: numbers, seconds and dates within what the program
can handle, so that 5,000-digit numbers, ``inf``, ``nan`` or the year 0001 are a usage error
(exit 2, a message in Chinese and English) and never a traceback further down.

    p.add_argument("--limit", type=count(1, MAX_ROWS), default=50)
    p.add_argument("--timeout", type=seconds(0.1, 300))
    p.add_argument("--as-of", type=day)
    p.add_argument("id", type=record_id)
"""

from __future__ import annotations

import argparse
import math
from datetime import date, datetime

#: the most rows a listing prints or exports at once
MAX_ROWS = 1_000_000
#: dates typed on the command line: a government service center's working life
FIRST_YEAR, LAST_YEAR = 1970, 2100
#: database ids are 64-bit signed integers
MAX_ID = 2**63 - 1


def _number(text: str) -> int:
    text = (text or "").strip()
    if not text or len(text) > 20 or not text.lstrip("+-").isdigit():
        raise argparse.ArgumentTypeError(f"{text[:30]!r} 不是整数 / is not a whole number")
    return int(text)


def count(low: int, high: int):
    """A whole number from ``low`` to ``high``."""

    def parse(text: str) -> int:
        value = _number(text)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"应在 {low} 到 {high} 之间 / must be from {low} to {high}")
        return value

    parse.__name__ = "number"  # argparse names the type in its message
    return parse


def record_id(text: str) -> int:
    """A record number (fault #12): a positive whole number a database can hold."""
    return count(1, MAX_ID)(text)


def seconds(low: float, high: float):
    """A finite number of seconds from ``low`` to ``high`` (never inf or nan)."""

    def parse(text: str) -> float:
        try:
            value = float((text or "").strip()[:40])
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text[:30]!r} 不是秒数 / is not a number of seconds") from None
        if not math.isfinite(value) or not low <= value <= high:
            raise argparse.ArgumentTypeError(f"应在 {low:g} 到 {high:g} 秒之间 / must be from {low:g} to {high:g} seconds")
        return value

    parse.__name__ = "seconds"
    return parse


def check_year(value: date | datetime, text: str = "") -> None:
    """ValueError for a year outside FIRST_YEAR … LAST_YEAR."""
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"{text or value}: 年份应在 {FIRST_YEAR} 到 {LAST_YEAR} 之间 / the year must be from {FIRST_YEAR} to {LAST_YEAR}")


def day(text: str) -> date:
    """YYYY-MM-DD, in FIRST_YEAR … LAST_YEAR."""
    try:
        value = date.fromisoformat((text or "").strip()[:20])
        check_year(value, text)
    except ValueError as exc:
        message = str(exc) if "年份" in str(exc) else f"{text[:30]!r} is not a date like 2026-11-27 (日期格式应为 YYYY-MM-DD)"
        raise argparse.ArgumentTypeError(message) from None
    return value
