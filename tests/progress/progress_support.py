"""Builders for kiosk-progress/1 documents and a progress service on a real database
(importable as ``progress.progress_support``: tests/ is on pytest's pythonpath)."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta

from kiosk.privacy import PrivacyKey, id_check_character
from kiosk.progress import ProgressService
from kiosk.workdays import WorkCalendar

FOOD = "1141148100492981054010007"  # 食品经营许可（新办）: 5 working days, window A05
COMPANY = "1141148100492981054010001"  # 有限责任公司设立登记: 1 working day
ID_CARD = "1141148100265629XJ4070003"  # 居民身份证换领: 20 natural days
HOUSE = "1241148100447473XX4070002"  # 存量房买卖转移登记: 3 working days, complaint 0370-5138123
TERMINAL = "YC-HALL-01"


def id_number(first17: str = "41148119850312242") -> str:
    return first17 + id_check_character(first17)


ZHANG_ID = id_number("41148119900101123")  # ends in its check character
ZHANG_PHONE = "13812345678"


def application(**overrides) -> dict:
    """A valid application (审查中, accepted Fri 2025-09-26 at A05) with overrides."""
    base = {
        "number": "YC2509260001",
        "item_code": FOOD,
        "applicant": {"name": "张小三", "id_number": ZHANG_ID, "phone": ZHANG_PHONE},
        "applied_at": "2025-09-26T09:12:00+08:00",
        "accepted_at": "2025-09-26T09:30:00+08:00",
        "department": "永城市市场监督管理局",
        "window": "A05",
        "accepted_by": "王丽",
        "status": "reviewing",
        "steps": [
            {"name": "受理", "started_at": "2025-09-26T09:12:00+08:00", "finished_at": "2025-09-26T09:30:00+08:00",
             "staff": "王丽", "opinion": "材料齐全，予以受理。"},
            {"name": "现场核查", "started_at": "2025-09-29T09:00:00+08:00", "staff": "陈晓东"},
            {"name": "审批决定"},
        ],
    }
    merged = copy.deepcopy(base)
    merged.update(copy.deepcopy(overrides))
    return merged


def result(**overrides) -> dict:
    base = {
        "finished_at": "2025-10-09T15:00:00+08:00",
        "outcome": "准予许可",
        "certificate_name": "食品经营许可证",
        "certificate_number": "JY14114810012345",
        "collect": "到A05窗口领取，或选择邮寄。",
    }
    base.update(overrides)
    return base


class Clock:
    """A clock that moves only when told to (China time, naive)."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **units: float) -> None:
        self.now += timedelta(**units)


def document(*applications, **top) -> dict:
    return {"format": "kiosk-progress/1", **top, "applications": list(applications)}


def make_service(database, data_dir, *, clock=None, terminal_id: str = TERMINAL, calendar=None) -> ProgressService:
    return ProgressService(
        database,
        calendar=calendar or WorkCalendar(),
        key=PrivacyKey.load_or_create(data_dir),
        terminal_id=terminal_id,
        clock=clock or (lambda: datetime(2025, 9, 30, 10, 0)),
    )
