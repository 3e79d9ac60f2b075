"""The typed record of a second-generation ID card's basic information, parsed from the
256-byte text block (UCS-2 little-endian, fixed fields padded with spaces):

====================  =======  =======================================
field                 bytes    content
====================  =======  =======================================
name                  0–30     up to 15 characters
sex                   30–32    code: 0 unknown, 1 male, 2 female, 9 unstated
nation                32–36    code 01–56 (GB 3304), 97 other, 98 foreign-born
birth date            36–52    YYYYMMDD
address               52–122   up to 35 characters
ID number             122–158  18 characters (GB 11643)
issuing authority     158–188  up to 15 characters
valid from            188–204  YYYYMMDD
valid to              204–220  YYYYMMDD or 长期 (no end)
reserved              220–256
====================  =======  =======================================

The photo (1024 bytes, WLT format) is kept as bytes in memory only: it is never decoded
(that needs the vendor's licensed decoder) and never written anywhere.

A record's ``repr`` is masked, so a record that reaches a log by accident shows no one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

TEXT_BLOCK_SIZE = 256
PHOTO_SIZE = 1024

#: (name, start, end) of each field in the text block
FIELDS = (
    ("name", 0, 30),
    ("sex", 30, 32),
    ("nation", 32, 36),
    ("birth", 36, 52),
    ("address", 52, 122),
    ("id_number", 122, 158),
    ("issuer", 158, 188),
    ("valid_from", 188, 204),
    ("valid_to", 204, 220),
)

SEXES = {"0": "未知", "1": "男", "2": "女", "9": "未说明"}

#: GB/T 3304-1991 codes of the 56 nationalities, and the two extra codes on ID cards
NATIONS = {
    "01": "汉", "02": "蒙古", "03": "回", "04": "藏", "05": "维吾尔", "06": "苗", "07": "彝", "08": "壮",
    "09": "布依", "10": "朝鲜", "11": "满", "12": "侗", "13": "瑶", "14": "白", "15": "土家", "16": "哈尼",
    "17": "哈萨克", "18": "傣", "19": "黎", "20": "傈僳", "21": "佤", "22": "畲", "23": "高山", "24": "拉祜",
    "25": "水", "26": "东乡", "27": "纳西", "28": "景颇", "29": "柯尔克孜", "30": "土", "31": "达斡尔",
    "32": "仫佬", "33": "羌", "34": "布朗", "35": "撒拉", "36": "毛南", "37": "仡佬", "38": "锡伯",
    "39": "阿昌", "40": "普米", "41": "塔吉克", "42": "怒", "43": "乌孜别克", "44": "俄罗斯", "45": "鄂温克",
    "46": "德昂", "47": "保安", "48": "裕固", "49": "京", "50": "塔塔尔", "51": "独龙", "52": "鄂伦春",
    "53": "赫哲", "54": "门巴", "55": "珞巴", "56": "基诺",
    "97": "其他", "98": "外国血统中国籍人士",
}

LONG_TERM = "长期"

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"


class CardDataError(ValueError):
    """The text block is not a valid ID card record (a field is missing or malformed)."""


def id_check_digit(first17: str) -> str:
    """The GB 11643-1999 check character of the first 17 digits (ISO 7064 MOD 11-2)."""
    if len(first17) != 17 or not first17.isdigit():
        raise ValueError("need 17 digits")
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS))
    return _CHECK_CHARS[total % 11]


def is_valid_id_number(id_number: str) -> bool:
    """18 characters, the first 17 digits, a valid birth date, and the right check character."""
    text = (id_number or "").strip().upper()
    if len(text) != 18 or not text[:17].isdigit():
        return False
    try:
        _date(text[6:14])
    except CardDataError:
        return False
    return id_check_digit(text[:17]) == text[17]


def nation_name(code: str) -> str:
    return NATIONS.get(code, "")


def _date(text: str) -> date:
    if len(text) != 8 or not text.isdigit():
        raise CardDataError(f"not a YYYYMMDD date: {len(text)} characters")
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise CardDataError("not a calendar date") from None


@dataclass(frozen=True, repr=False)
class IdCardRecord:
    name: str
    sex_code: str
    nation_code: str
    birth: date
    address: str
    id_number: str
    issuer: str
    valid_from: date
    #: None: valid without end (长期)
    valid_to: date | None
    #: the WLT photo as read (never decoded, never stored)
    photo: bytes = field(default=b"", compare=False)

    @property
    def sex(self) -> str:
        return SEXES.get(self.sex_code, "")

    @property
    def nation(self) -> str:
        return nation_name(self.nation_code)

    @property
    def check_digit_ok(self) -> bool:
        return is_valid_id_number(self.id_number)

    @property
    def validity_text(self) -> str:
        end = LONG_TERM if self.valid_to is None else self.valid_to.strftime("%Y.%m.%d")
        return f"{self.valid_from.strftime('%Y.%m.%d')}-{end}"

    def expired(self, today: date) -> bool:
        """Past its last valid day (a card valid to 2030-05-01 is still valid that day)."""
        return self.valid_to is not None and today > self.valid_to

    def problems(self, today: date) -> tuple[str, ...]:
        """What makes the card unusable as proof of identity today: ``id_check_digit`` (the
        ID number's check character is wrong), ``birth_mismatch`` (the birth date differs from
        the one in the ID number), ``not_yet_valid``, ``expired``."""
        out = []
        if not self.check_digit_ok:
            out.append("id_check_digit")
        elif self.id_number[6:14] != self.birth.strftime("%Y%m%d"):
            out.append("birth_mismatch")
        if today < self.valid_from:
            out.append("not_yet_valid")
        if self.expired(today):
            out.append("expired")
        return tuple(out)

    def __repr__(self) -> str:
        # drivers/ knows nothing of the kiosk's masking rules: show as little as possible
        name = self.name[:1] + "*" * (len(self.name) - 1)
        number = self.id_number[:1] + "*" * 16 + self.id_number[-1:]
        return f"<IdCardRecord {name} {number} valid {self.validity_text}>"

    __str__ = __repr__


#: what ``problems`` names, said to the citizen
PROBLEM_TEXT = {
    "id_check_digit": "证件号码校验不通过，证件信息可能有误，请到窗口办理。",
    "birth_mismatch": "证件出生日期与号码不符，请到窗口办理。",
    "not_yet_valid": "证件尚未生效，请到窗口办理。",
    "expired": "您的身份证已过有效期，请到窗口办理或补换领证件。",
}


def _field(block: bytes, start: int, end: int) -> str:
    try:
        text = block[start:end].decode("utf-16-le")
    except UnicodeDecodeError:
        raise CardDataError(f"bytes {start}-{end} are not UCS-2 text") from None
    return text.replace("\x00", " ").strip()


def parse_text_block(block: bytes, photo: bytes = b"") -> IdCardRecord:
    """The record in a 256-byte text block. Raises CardDataError."""
    if len(block) < 220:
        raise CardDataError(f"text block of {len(block)} bytes, need 256")
    values = {name: _field(block, start, end) for name, start, end in FIELDS}
    if not values["name"]:
        raise CardDataError("no name")
    if values["sex"] not in SEXES:
        raise CardDataError("unknown sex code")
    if values["nation"] not in NATIONS:
        raise CardDataError("unknown nation code")
    id_number = values["id_number"].upper()
    if len(id_number) != 18:
        raise CardDataError(f"ID number of {len(id_number)} characters")
    valid_to = None if values["valid_to"] == LONG_TERM else _date(values["valid_to"])
    return IdCardRecord(
        name=values["name"],
        sex_code=values["sex"],
        nation_code=values["nation"],
        birth=_date(values["birth"]),
        address=values["address"],
        id_number=id_number,
        issuer=values["issuer"],
        valid_from=_date(values["valid_from"]),
        valid_to=valid_to,
        photo=bytes(photo),
    )
