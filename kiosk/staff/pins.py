"""Staff PINs: checked for strength, stored as a slow salted scrypt hash, compared in constant time.

Stored form: ``scrypt$N$r$p$SALT$HASH`` (salt and hash in unpadded base64), so the cost can be
raised later and old hashes still verify.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
from kiosk.errors import KioskError

#: scrypt cost: N=2^14, r=8, p=1 takes 16 MiB and ~50 ms per check, which makes guessing
#: a stolen database's 6-digit PINs slow; sign-in is further limited by the lockout.
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
HASH_BYTES = 32
SALT_BYTES = 16
MIN_LENGTH = 6
MAX_LENGTH = 12

_DUMMY_HASH: str | None = None


class PinError(KioskError):
    """A PIN that may not be used; ``zh`` says why to a person."""


def check_pin_strength(pin: str) -> None:
    """Raise PinError for a PIN that is not 6-12 digits or is trivially guessable."""
    if not isinstance(pin, str) or not re.fullmatch(r"[0-9]+", pin or ""):
        raise PinError("密码只能由数字组成", "a PIN is digits only")
    if not MIN_LENGTH <= len(pin) <= MAX_LENGTH:
        raise PinError(f"密码应为{MIN_LENGTH}到{MAX_LENGTH}位数字", f"a PIN has {MIN_LENGTH} to {MAX_LENGTH} digits")
    if len(set(pin)) == 1:
        raise PinError("密码不能全是同一个数字", "a PIN may not repeat one digit")
    digits = [int(c) for c in pin]
    steps = {b - a for a, b in zip(digits, digits[1:])}
    if steps in ({1}, {-1}):
        raise PinError("密码不能是连续数字（如123456）", "a PIN may not be a run like 123456")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4))


def _derive(pin: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    return hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=128 * r * (n + p + 2) + 1024 * 1024, dklen=length)


def hash_pin(pin: str) -> str:
    salt = os.urandom(SALT_BYTES)
    digest = _derive(pin, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, HASH_BYTES)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_pin(pin: str, stored: str) -> bool:
    """Whether ``pin`` matches the stored hash (False for a malformed hash, never an exception)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = _unb64(digest)
        actual = _derive(pin, _unb64(salt), int(n), int(r), int(p), len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def burn_time(pin: str) -> None:
    """Spend the time of one verification, so that an unknown staff id answers as slowly as a
    known one with a wrong PIN."""
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = hash_pin("0000000000")
    verify_pin(pin, _DUMMY_HASH)
