"""The SAM frame protocol of second-generation ID card readers (GA 467 style).

Every frame starts with the preamble ``AA AA AA 96 69``, then a big-endian two-byte length
that counts every byte after it (including the checksum), then

- a request: CMD PARA [data]
- a reply: SW1 SW2 SW3 [data]

and a checksum: the XOR of every byte after the preamble (length bytes included, checksum
excluded). ``SW3`` says how it went (``ReplyCode``); SW1 SW2 are 00 00.

    find card     20 01 → 9F found, 80 none
    select card   20 02 → 90 ok (8 bytes of card serial), 81 failed
    read basic    30 01 → 90, text length (2 bytes), photo length (2 bytes), 256 bytes text
                          (UCS-2 LE), 1024 bytes WLT photo
    reset SAM     10 FF → 90
    SAM status    11 FF → 90
    SAM ID        12 FF → 90 + 16 bytes

``FrameReader`` cuts frames out of a byte stream within a deadline; what it finds wrong is a
``FrameError`` whose ``kind`` names the fault (timeout, partial frame, bad checksum, garbage).
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable
from dataclasses import dataclass

from drivers.idcard.status import ReadKind

PREAMBLE = bytes.fromhex("AAAAAA9669")
#: the largest length a reader sends (read basic info with the photo is 0x0508; fingerprint
#: reads are ~0x0908); anything larger is noise read as a length
MAX_LENGTH = 0x1000
#: bytes discarded while looking for a preamble before giving up on the stream
MAX_GARBAGE = 2048


class Command(enum.Enum):
    """(CMD, PARA) of the requests we send."""

    RESET_SAM = (0x10, 0xFF)
    SAM_STATUS = (0x11, 0xFF)
    SAM_ID = (0x12, 0xFF)
    FIND_CARD = (0x20, 0x01)
    SELECT_CARD = (0x20, 0x02)
    READ_BASIC = (0x30, 0x01)

    @property
    def label(self) -> str:
        return self.name.lower()


class ReplyCode(enum.IntEnum):
    """SW3 of a reply (the SAM's operation status)."""

    OK = 0x90
    NO_CONTENT = 0x91  # the card holds nothing for this item
    CARD_FOUND = 0x9F
    RX_CHECKSUM = 0x10  # the SAM got a frame with a bad checksum
    RX_LENGTH = 0x11  # the SAM got a frame with a bad length
    BAD_COMMAND = 0x21
    UNAUTHORIZED = 0x23
    UNKNOWN_ERROR = 0x24
    CARD_AUTH_FAILED = 0x31  # the card did not authenticate the SAM
    SAM_AUTH_FAILED = 0x32  # the SAM did not authenticate the card
    VERIFY_FAILED = 0x33  # information verification failed
    CARD_TYPE = 0x40  # not a resident ID card
    READ_FAILED = 0x41  # the read did not complete (card taken away)
    RANDOM_FAILED = 0x47
    SAM_SELF_TEST = 0x60
    SAM_NOT_AUTHORIZED = 0x66
    NO_CARD = 0x80  # find card: nothing on the reader
    SELECT_FAILED = 0x81


#: SW3 → (Chinese, English) for logs and the maintainer
REPLY_TEXT: dict[int, tuple[str, str]] = {
    0x90: ("操作成功", "ok"),
    0x91: ("证件无此项内容", "no content"),
    0x9F: ("找到证件", "card found"),
    0x10: ("阅读器收到的数据校验和错误", "SAM got a bad checksum"),
    0x11: ("阅读器收到的数据长度错误", "SAM got a bad length"),
    0x21: ("阅读器不认识的命令", "SAM rejected the command"),
    0x23: ("越权操作", "unauthorized operation"),
    0x24: ("无法识别的错误", "unknown SAM error"),
    0x31: ("证件认证安全模块失败", "card did not authenticate the SAM"),
    0x32: ("安全模块认证证件失败", "SAM did not authenticate the card"),
    0x33: ("信息验证错误", "information verification failed"),
    0x40: ("无法识别的卡类型", "not an ID card"),
    0x41: ("读证操作失败", "card read failed"),
    0x47: ("取随机数失败", "random number failed"),
    0x60: ("安全模块自检失败", "SAM self-test failed"),
    0x66: ("安全模块未经授权", "SAM not authorized"),
    0x80: ("未找到证件", "no card"),
    0x81: ("选取证件失败", "card select failed"),
}


def reply_text(sw3: int) -> str:
    zh, en = REPLY_TEXT.get(sw3, ("未知状态", "unknown status"))
    return f"SW3={sw3:02X} {zh} / {en}"


def checksum(body: bytes) -> int:
    """XOR of ``body`` (the length bytes and everything up to the checksum)."""
    value = 0
    for byte in body:
        value ^= byte
    return value


def encode_frame(payload: bytes) -> bytes:
    """Preamble, length, payload, checksum."""
    length = len(payload) + 1
    if length > 0xFFFF:
        raise ValueError("frame too long")
    body = length.to_bytes(2, "big") + payload
    return PREAMBLE + body + bytes([checksum(body)])


def encode_request(command: Command, data: bytes = b"") -> bytes:
    cmd, para = command.value
    return encode_frame(bytes([cmd, para]) + data)


@dataclass(frozen=True)
class Reply:
    sw1: int
    sw2: int
    sw3: int
    data: bytes = b""

    @property
    def text(self) -> str:
        return reply_text(self.sw3)

    def __repr__(self) -> str:  # never the data: it may be a person's card
        return f"<Reply {self.sw1:02X}{self.sw2:02X}{self.sw3:02X} {len(self.data)} bytes>"


class FrameError(Exception):
    """A reply that could not be read: ``kind`` is TIMEOUT, PARTIAL_FRAME, CHECKSUM_ERROR,
    INVALID_RESPONSE or DISCONNECTED."""

    def __init__(self, kind: ReadKind, detail: str):
        self.kind = kind
        self.detail = detail
        super().__init__(f"{kind.value}: {detail}")


def decode_reply(frame_payload: bytes) -> Reply:
    if len(frame_payload) < 3:
        raise FrameError(ReadKind.INVALID_RESPONSE, f"reply of {len(frame_payload)} bytes has no status word")
    return Reply(frame_payload[0], frame_payload[1], frame_payload[2], bytes(frame_payload[3:]))


ReadFn = Callable[[int, float], bytes]


class FrameReader:
    """Cuts frames out of a byte stream. ``read(size, timeout)`` returns up to ``size``
    bytes within ``timeout`` seconds (b"" when nothing came); it may raise FrameError
    (DISCONNECTED). Bytes before a preamble are skipped (and reported as garbage when no
    frame follows)."""

    def __init__(self, read: ReadFn, *, clock: Callable[[], float] = time.monotonic):
        self._read = read
        self._clock = clock
        self._buffer = bytearray()

    def clear(self) -> None:
        self._buffer.clear()

    def _fill(self, need: int, deadline: float) -> bool:
        """Until the buffer holds ``need`` bytes; False when the deadline passed first."""
        while len(self._buffer) < need:
            remaining = deadline - self._clock()
            if remaining <= 0:
                return False
            chunk = self._read(max(need - len(self._buffer), 1), remaining)
            if chunk:
                self._buffer += chunk
        return True

    def read_frame(self, timeout: float) -> bytes:
        """The payload of the next frame (between length and checksum)."""
        deadline = self._clock() + timeout
        skipped = 0
        while True:
            start = self._buffer.find(PREAMBLE)
            if start >= 0:
                skipped += start
                del self._buffer[:start]
                break
            # keep a tail that may be the start of a preamble
            keep = 0
            for n in range(min(len(PREAMBLE) - 1, len(self._buffer)), 0, -1):
                if self._buffer.endswith(PREAMBLE[:n]):
                    keep = n
                    break
            drop = len(self._buffer) - keep
            skipped += drop
            del self._buffer[:drop]
            if skipped > MAX_GARBAGE:
                raise FrameError(ReadKind.INVALID_RESPONSE, f"{skipped} bytes without a frame preamble")
            if not self._fill(len(self._buffer) + 1, deadline):
                if skipped or self._buffer:
                    raise FrameError(
                        ReadKind.INVALID_RESPONSE if not self._buffer else ReadKind.PARTIAL_FRAME,
                        f"{skipped} bytes without a frame preamble within {timeout:g} s",
                    )
                raise FrameError(ReadKind.TIMEOUT, f"no reply within {timeout:g} s")
        header = len(PREAMBLE) + 2
        if not self._fill(header, deadline):
            got = len(self._buffer)
            self._buffer.clear()
            raise FrameError(ReadKind.PARTIAL_FRAME, f"frame cut off after {got} bytes (no length)")
        length = int.from_bytes(self._buffer[len(PREAMBLE) : header], "big")
        if length < 2 or length > MAX_LENGTH:
            del self._buffer[: len(PREAMBLE)]
            raise FrameError(ReadKind.INVALID_RESPONSE, f"implausible frame length {length}")
        if not self._fill(header + length, deadline):
            got = len(self._buffer) - header
            self._buffer.clear()
            raise FrameError(ReadKind.PARTIAL_FRAME, f"frame cut off: {got} of {length} bytes within {timeout:g} s")
        body = bytes(self._buffer[len(PREAMBLE) : header + length - 1])
        sent = self._buffer[header + length - 1]
        del self._buffer[: header + length]
        if checksum(body) != sent:
            raise FrameError(ReadKind.CHECKSUM_ERROR, f"checksum {sent:02X}, computed {checksum(body):02X}")
        if skipped:
            # noise before a good frame: the frame counts, the noise is only logged by the caller
            pass
        return body[2:]
