"""Cards for the emulated reader, defined in a JSON file (format ``kiosk-idcards/1``)::

    {"format": "kiosk-idcards/1",
     "cards": [{"name": "样卡甲", "sex": "2", "nation": "01", "birth": "19850312",
                "address": "演示省样例县测试路1号", "id_number": "411481198503122426",
                "issuer": "样例县公安局", "valid_from": "20150301", "valid_to": "20350301"}]}

``sex``: 0 unknown, 1 male, 2 female, 9 unstated; ``nation``: 01–56, 97, 98; dates YYYYMMDD;
``valid_to`` also ``长期``. A card may set ``"raw_id_number": true`` to keep a wrong check digit
(a test of the driver's check). Encoding here is written independently of the driver's parser,
so a test through the emulator checks the layout, not the parser against itself.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

FORMAT = "kiosk-idcards/1"

#: field → (start, end) byte offsets in the 256-byte text block
LAYOUT = {
    "name": (0, 30),
    "sex": (30, 32),
    "nation": (32, 36),
    "birth": (36, 52),
    "address": (52, 122),
    "id_number": (122, 158),
    "issuer": (158, 188),
    "valid_from": (188, 204),
    "valid_to": (204, 220),
}
REQUIRED = tuple(LAYOUT)


class CardError(ValueError):
    """A card file that can't be used (named by file and card)."""


@dataclass(frozen=True)
class EmulatedCard:
    name: str
    sex: str
    nation: str
    birth: str
    address: str
    id_number: str
    issuer: str
    valid_from: str
    valid_to: str

    def text_block(self) -> bytes:
        return encode_text_block(self)

    def photo(self) -> bytes:
        """1024 bytes standing in for the WLT photo (deterministic, not an image)."""
        seed = hashlib.sha256(("photo:" + self.id_number).encode()).digest()
        return (b"WLT\x00" + seed * 32)[:1024]

    def serial(self) -> bytes:
        """The 8-byte card serial that select card answers."""
        return hashlib.sha256(("serial:" + self.id_number).encode()).digest()[:8]


def encode_text_block(card: EmulatedCard) -> bytes:
    block = bytearray(" ".encode("utf-16-le") * 128)
    for name, (start, end) in LAYOUT.items():
        value = getattr(card, name).encode("utf-16-le")
        if len(value) > end - start:
            raise CardError(f"{name} is longer than {(end - start) // 2} characters")
        block[start : start + len(value)] = value
    return bytes(block)


def _check_digit(first17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights)) % 11]


def card_from_dict(data: dict, where: str = "card") -> EmulatedCard:
    if not isinstance(data, dict):
        raise CardError(f"{where}: not an object")
    missing = [k for k in REQUIRED if not isinstance(data.get(k), str) or not data.get(k)]
    if missing:
        raise CardError(f"{where}: missing {', '.join(missing)}")
    number = data["id_number"].upper()
    if len(number) != 18 or not number[:17].isdigit():
        raise CardError(f"{where}: id_number must be 18 characters, 17 digits first")
    if not data.get("raw_id_number") and _check_digit(number[:17]) != number[17]:
        raise CardError(f"{where}: id_number check digit should be {_check_digit(number[:17])} (or set raw_id_number)")
    card = EmulatedCard(**{k: data[k] for k in REQUIRED} | {"id_number": number})
    try:
        encode_text_block(card)
    except CardError as exc:
        raise CardError(f"{where}: {exc}") from None
    return card


def load_cards(path: str | Path) -> list[EmulatedCard]:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CardError(f"{path}: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("cards"), list):
        raise CardError(f"{path}: not a {FORMAT} file (need format and cards)")
    return [card_from_dict(c, f"{path.name}: cards[{i}]") for i, c in enumerate(data["cards"])]


def default_cards_path() -> Path:
    return Path(__file__).resolve().parents[2] / "assets" / "idcards" / "sample_cards.json"
