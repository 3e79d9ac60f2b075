"""The kiosk's refusals: a request that cannot be carried out, said twice — in Chinese for the
person at the terminal or the command line, in English for the logs."""

from __future__ import annotations

from datetime import datetime


class KioskError(ValueError):
    """Every refusal of the domain derives from this, so a screen or a command catches them by
    type and shows ``zh``. ``message`` (what str() gives) defaults to "zh / en"; an error with a
    message of its own (a file's list of problems) passes it."""

    def __init__(self, zh: str, en: str = "", *, message: str | None = None):
        self.zh, self.en = zh, en or zh
        super().__init__(message if message is not None else f"{zh} / {en}")


class PlainKioskError(KioskError):
    """A refusal raised with one bilingual sentence (``BackupError("中文 / English")``)."""

    def __init__(self, message: str):
        zh, _, en = message.partition(" / ")
        super().__init__(zh, en or message, message=message)


def iso_or_none(value: datetime | None) -> str | None:
    """A time for JSON output, to the second; None stays None."""
    return value.isoformat(timespec="seconds") if value else None
