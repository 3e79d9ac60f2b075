"""What a scanned code means to the kiosk.

The 办件 codes we can resolve:

- our progress slip's QR code: ``ZWFW-BJ:?number=YC2511170007`` (``progress_code``);
- the acceptance notice (受理通知书) printed by the center's system: its QR code holds an
  address with the number in it (``…?number=YC…``, ``?bjbh=``, ``?sblsh=``), or its barcode /
  QR code holds the bare number.

Anything else (a phone's payment code, a web address without a number) is ``unknown``: the
kiosk says it can't use that code, and nothing of it is logged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from kiosk.progress.exchange import NUMBER_PATTERN, normalize_number

#: the prefix of our own codes; ``?number=`` lets normalize_number read it like a notice's address
PROGRESS_CODE_PREFIX = "ZWFW-BJ:?number="
MAX_SCAN = 512
_NUMBER_FIELD = re.compile(r"[?&](?:number|no|bjbh|sblsh)=", re.IGNORECASE)


@dataclass(frozen=True)
class ScannedCode:
    kind: Literal["application", "unknown"]
    #: the application number (kind "application")
    value: str = ""


def progress_code(number: str) -> str:
    """The payload of the QR code printed on a progress slip."""
    return PROGRESS_CODE_PREFIX + normalize_number(number)


def resolve_scan(payload: str) -> ScannedCode:
    text = (payload or "").strip()
    if not text or len(text) > MAX_SCAN:
        return ScannedCode("unknown")
    number = normalize_number(text)
    if _NUMBER_FIELD.search(text):
        return ScannedCode("application", number) if NUMBER_PATTERN.fullmatch(number) else ScannedCode("unknown")
    if "/" in text or ":" in text:
        return ScannedCode("unknown")  # an address without a number
    if NUMBER_PATTERN.fullmatch(number) and sum(c.isdigit() for c in number) >= 4:
        return ScannedCode("application", number)
    return ScannedCode("unknown")
