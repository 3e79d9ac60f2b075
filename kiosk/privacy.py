"""Personal data on a public terminal: masking for display, a keyed hash for matching.

Screens, slips and the CLI show a citizen's personal data de-identified (BRIEF §4, GB/T 35273
§7.2)::

    mask_name("张小三") == "张*三"      mask_name("李四") == "李*"
    mask_id_number("411481199003150017") == "4****************7"
    mask_phone("13812345678") == "138****5678"

What the terminal must compare but never show (a full ID number or phone) is kept only as a
keyed hash: HMAC-SHA256 with a secret key of this installation, so the stored value cannot be
reversed by trying every ID number without the key. The key is 32 random bytes in
``<data_dir>/privacy.key`` (hex), created on first use with mode 0600. See docs/privacy.md.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import stat
from pathlib import Path

KEY_FILE_NAME = "privacy.key"
KEY_BYTES = 32
MASK = "*"

_SPACES = re.compile(r"[\s\u3000·•.\-]+")


class PrivacyKeyError(Exception):
    """The key file exists but cannot be used (unreadable, wrong length, not hex)."""


# --- masking --------------------------------------------------------------------------------


def mask_name(name: str) -> str:
    """A person's name with only its first and (for three characters or more) last character:
    张三 → 张*, 张小三 → 张*三, 欧阳小明 → 欧**明. Already masked names stay as they are."""
    name = (name or "").strip()
    if not name:
        return ""
    if len(name) == 1:
        return MASK
    if len(name) == 2:
        return name[0] + MASK
    return name[0] + MASK * (len(name) - 2) + name[-1]


def mask_id_number(id_number: str) -> str:
    """An ID number with only its first and last character: 4****************7."""
    text = normalize_id_number(id_number)
    if not text:
        return ""
    if len(text) <= 2:
        return MASK * len(text)
    return text[0] + MASK * (len(text) - 2) + text[-1]


def mask_phone(phone: str) -> str:
    """A phone number with its first three and last four digits: 138****5678. Shorter numbers
    keep only their last two digits."""
    digits = normalize_phone(phone)
    if not digits:
        return ""
    if len(digits) >= 8:
        return digits[:3] + MASK * (len(digits) - 7) + digits[-4:]
    return MASK * max(0, len(digits) - 2) + digits[-2:]


# --- masking in free text (logs, notifications, crash records) -----------------------------------

# A digit, letter or another number part may not touch a match: an item code such as
# 1241148100447473XX4070002 or a 14-digit timestamp is left alone.
_LEFT = r"(?<![0-9A-Za-z])"
_RIGHT = r"(?![0-9A-Za-z])"
_SEP = r"[ \-\u3000]?"
_DATE = r"(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"  # MMDD of a birth date
_ID_18 = re.compile(
    _LEFT + "(?:"
    r"[1-9]\d{16}[\dXx]"  # unbroken, as stored
    rf"|[1-9]\d{{5}}{_SEP}(?:18|19|20)\d{{2}}{_DATE}{_SEP}\d{{3}}[\dXx]"  # 6-8-4
    r"|[1-9]\d{3}(?:[ \-\u3000]\d{4}){3}[ \-\u3000]\d[\dXx]"  # groups of four
    ")" + _RIGHT
)
_ID_15 = re.compile(_LEFT + rf"[1-9]\d{{5}}{_SEP}\d{{2}}{_DATE}{_SEP}\d{{3}}" + _RIGHT)
_MOBILE = re.compile(
    _LEFT + r"((?:(?:\+|\uff0b|00)?86[ \-]?|\(\+?86\)[ \-]?|（\+?86）[ \-]?)?)"
    rf"(1[3-9]\d){_SEP}\d{{4}}{_SEP}(\d{{4}})" + _RIGHT
)
#: common Chinese surnames, to recognise a name after 我叫, 姓名: …
_SURNAMES = (
    "欧阳|司马|上官|诸葛|东方|皇甫|尉迟|公孙|慕容|令狐|"
    "[王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施"
    "文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷"
    "盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷"
    "晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝]"
)
_NAME_CONTEXT = re.compile(
    r"((?:姓名|名字|我叫|我是|本人|联系人|申请人|委托人|受托人|代办人|经办人|家属|老人)"
    r"(?:[是叫为:：]|\s){0,3})"
    rf"((?:{_SURNAMES})[\u4e00-\u9fa5]{{1,2}})"
)


def mask_personal_data(text: str) -> str:
    """What looks like personal data in free text, masked the way screens show it: ID numbers
    (18 or 15 characters, unbroken or written in groups) keep their first and last character,
    mobile numbers (with or without +86, spaces or dashes) their first three and last four
    digits, and a name where the words around it say it is one (我叫张三, 姓名：张小三) its
    first and last character. Landlines, item codes and timestamps are left alone."""
    if not text:
        return text or ""

    def id_number(match: re.Match) -> str:
        return mask_id_number(match.group(0))

    text = _ID_18.sub(id_number, text)
    text = _ID_15.sub(id_number, text)
    text = _MOBILE.sub(lambda m: m.group(1) + m.group(2) + "****" + m.group(3), text)
    return _NAME_CONTEXT.sub(lambda m: m.group(1) + mask_name(m.group(2)), text)


# --- normalising ------------------------------------------------------------------------------


def normalize_id_number(id_number: str) -> str:
    """Upper case, without spaces: the form that is hashed and compared."""
    return _SPACES.sub("", id_number or "").upper()


def normalize_phone(phone: str) -> str:
    """Digits only, without a +86 / 0086 country prefix on a mobile number."""
    digits = re.sub(r"\D", "", phone or "")
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11 and digits[len(prefix)] == "1":
            return digits[len(prefix):]
    return digits


def last4(text: str) -> str:
    return text[-4:] if len(text) >= 4 else ""


# --- files with personal data ------------------------------------------------------------------

PRIVATE_MODE = 0o600


def create_private(path: str | os.PathLike[str]) -> Path:
    """Make ``path`` a file only its owner can read (0600) before anything personal goes in:
    a new file is created so (never readable by others, not even for a moment), an existing
    regular file is set to 0600 and keeps its content. Opening it afterwards to write (``"w"``)
    keeps the mode. A device or a pipe (``/dev/stdout``) is left as it is."""
    path = Path(path)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), PRIVATE_MODE)
    try:
        info = os.fstat(fd)
        if stat.S_ISREG(info.st_mode) and stat.S_IMODE(info.st_mode) != PRIVATE_MODE:
            os.fchmod(fd, PRIVATE_MODE)
    finally:
        os.close(fd)
    return path


# --- ID number checks (GB 11643) ------------------------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_check_character(first17: str) -> str:
    """The check character of an 18-character citizen ID number (GB 11643-1999)."""
    total = sum(int(char) * weight for char, weight in zip(first17, _ID_WEIGHTS))
    return _ID_CHECK[total % 11]


def id_number_problem(id_number: str) -> str | None:
    """Why this is not a valid 18-character ID number, or None when it is."""
    text = normalize_id_number(id_number)
    if not re.fullmatch(r"\d{17}[\dX]", text):
        return "is not an 18-character ID number (17 digits and a digit or X) (身份证号码应为18位)"
    if id_check_character(text[:17]) != text[17]:
        return "has a wrong check digit, probably a typing error (身份证号码校验位不正确)"
    return None


# --- the keyed hash -----------------------------------------------------------------------------


class PrivacyKey:
    """The installation's secret for keyed hashes. ``load_or_create`` is safe to call from
    several processes at once: the file is created exclusively, and a loser reads the winner's."""

    def __init__(self, secret: bytes, path: Path | None = None):
        if len(secret) < 16:
            raise PrivacyKeyError("the privacy key is too short (密钥过短)")
        self._secret = secret
        self.path = path

    @classmethod
    def load_or_create(cls, data_dir: str | os.PathLike[str]) -> PrivacyKey:
        path = Path(data_dir) / KEY_FILE_NAME
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass  # another process was first
            else:
                with os.fdopen(fd, "w", encoding="ascii") as fh:
                    fh.write(secrets.token_hex(KEY_BYTES) + "\n")
        try:
            text = path.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise PrivacyKeyError(f"{path}: cannot be read (无法读取隐私密钥文件): {exc}") from None
        try:
            secret = bytes.fromhex(text)
        except ValueError:
            raise PrivacyKeyError(f"{path}: is not a hex key (隐私密钥文件格式错误)") from None
        if len(secret) != KEY_BYTES:
            raise PrivacyKeyError(f"{path}: holds {len(secret)} bytes, expected {KEY_BYTES} (隐私密钥长度错误)")
        return cls(secret, path)

    def hash(self, kind: str, value: str) -> str:
        """HMAC-SHA256 of ``kind:value`` as hex. ``kind`` ("id", "phone") keeps equal strings
        of different kinds apart. Normalise the value first (normalize_id_number / normalize_phone)."""
        message = f"{kind}:{value}".encode("utf-8")
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    def hash_id_number(self, id_number: str) -> str:
        return self.hash("id", normalize_id_number(id_number))

    def hash_phone(self, phone: str) -> str:
        return self.hash("phone", normalize_phone(phone))

    def __repr__(self) -> str:  # never print the secret
        return f"PrivacyKey(path={str(self.path)!r})"


def same_hash(a: str, b: str) -> bool:
    """Constant-time comparison of two hashes (or last-4 strings)."""
    return bool(a) and bool(b) and hmac.compare_digest(a.encode(), b.encode())
