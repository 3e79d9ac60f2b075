"""Second-generation resident ID card readers (二代证阅读器): the SAM frame protocol over a
serial port, USB-serial adapter or TCP (see docs/idcard.md)."""

from drivers.idcard.protocol import Command, FrameError, ReplyCode
from drivers.idcard.reader import CardRead, HealthLevel, HealthReport, IdCardReader, ReaderState, ReaderStatus
from drivers.idcard.record import IdCardRecord, id_check_digit, is_valid_id_number, nation_name
from drivers.idcard.status import READ_KIND_INFO, ReadKind

__all__ = [
    "CardRead",
    "Command",
    "FrameError",
    "HealthLevel",
    "HealthReport",
    "IdCardReader",
    "IdCardRecord",
    "READ_KIND_INFO",
    "ReadKind",
    "ReaderState",
    "ReaderStatus",
    "ReplyCode",
    "id_check_digit",
    "is_valid_id_number",
    "nation_name",
]
