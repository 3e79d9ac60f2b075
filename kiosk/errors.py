"""The kiosk's refusals: a request that cannot be carried out, said twice — in Chinese for the
person at the terminal or the command line, in English for the logs."""

from __future__ import annotations

from datetime import datetime


class KioskError(ValueError):
    def __init__(self, zh: str, en: str):
        self.zh, self.en = zh, en
        super().__init__(f"{zh} / {en}")


def iso_or_none(value: datetime | None) -> str | None:
    """A time for JSON output, to the second; None stays None."""
    return value.isoformat(timespec="seconds") if value else None
