"""What the kiosk keeps of a card while the citizen uses it: in memory only, never written to
the database, a file or a log. Its ``repr`` is masked, so an accidental log line shows no one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from drivers.idcard.record import PROBLEM_TEXT, IdCardRecord
from kiosk import privacy


@dataclass(frozen=True, repr=False)
class CardIdentity:
    name: str
    id_number: str
    sex: str
    nation: str
    birth: date
    address: str
    valid_text: str
    #: what makes the card unusable today (expired, wrong check digit …); empty when none
    problems: tuple[str, ...] = field(default=())

    @classmethod
    def from_record(cls, record: IdCardRecord, today: date) -> CardIdentity:
        # the photo is not carried over: nothing in the kiosk needs it
        return cls(
            name=record.name,
            id_number=record.id_number,
            sex=record.sex,
            nation=record.nation,
            birth=record.birth,
            address=record.address,
            valid_text=record.validity_text,
            problems=record.problems(today),
        )

    @property
    def usable(self) -> bool:
        return not self.problems

    @property
    def problem_text(self) -> str:
        return "".join(PROBLEM_TEXT.get(p, "") for p in self.problems)

    @property
    def masked_name(self) -> str:
        return privacy.mask_name(self.name)

    @property
    def masked_id_number(self) -> str:
        return privacy.mask_id_number(self.id_number)

    def __repr__(self) -> str:
        return f"<CardIdentity {self.masked_name} {self.masked_id_number}>"

    __str__ = __repr__


def masked_card(record: IdCardRecord, today: date | None = None) -> dict[str, str]:
    """A card as a maintainer's test read or ``kiosk idcard read`` shows it: masked."""
    today = today or date.today()
    problems = record.problems(today)
    return {
        "name": privacy.mask_name(record.name),
        "sex": record.sex,
        "nation": record.nation,
        "birth_year": str(record.birth.year),
        "id_number": privacy.mask_id_number(record.id_number),
        "valid": record.validity_text,
        "check_digit": "ok" if record.check_digit_ok else "wrong",
        "problems": ",".join(problems) or "none",
        "photo_bytes": str(len(record.photo)),
    }


def needs_id_card(item) -> bool:
    """Whether a self-service item asks the citizen to identify with the ID card at the
    terminal: its self-service point says to bring the ID card, or a step says to swipe it."""
    if not getattr(item, "self_service", False):
        return False
    point = getattr(item, "self_service_point", None) or {}
    if any("身份证" in str(thing) for thing in point.get("bring", []) or []):
        return True
    return any("刷" in str(step) and "身份证" in str(step) for step in (getattr(item, "procedure", None) or []))
