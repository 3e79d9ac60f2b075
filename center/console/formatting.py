"""Jinja2 filters of the console's pages: times the way the center's staff read them."""

from __future__ import annotations

from datetime import date, datetime, timedelta


def dt(value: datetime | None, fmt: str = "%m-%d %H:%M") -> str:
    return value.strftime(fmt) if value else "—"


def span(delta: timedelta | None) -> str:
    """A duration in words: 3分钟, 2小时5分, 4天."""
    if delta is None:
        return "—"
    seconds = max(0, int(delta.total_seconds()))
    if seconds < 60:
        return f"{seconds}秒"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes}分钟"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours}小时{minutes}分" if minutes else f"{hours}小时"
    return f"{hours // 24}天"


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def weekday(value: date) -> str:
    return "一二三四五六日"[value.weekday()]


def install(env) -> None:
    env.filters.update(dt=dt, span=span, percent=percent, weekday=weekday)
    env.autoescape = True
