"""What a read or a status check of the ID card reader came to: one typed kind each, with a
sentence for the citizen and a short name for the maintainer."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class ReadKind(enum.Enum):
    """The outcome of talking to the reader. The value is the stable name used in logs."""

    OK = "ok"
    #: nothing on the reader (find card answered 80)
    NO_CARD = "no_card"
    #: a card is there but could not be selected (81): not placed flat, or not an ID card
    SELECT_FAILED = "select_failed"
    #: the card was taken away while it was being read
    CARD_REMOVED = "card_removed"
    #: the card was read, but its text block is not a valid ID card record
    BAD_CARD_DATA = "bad_card_data"
    #: the reader's security module answered an error code
    SAM_ERROR = "sam_error"
    #: no reply within the timeout
    TIMEOUT = "timeout"
    #: a reply cut off before its end
    PARTIAL_FRAME = "partial_frame"
    #: a reply whose checksum is wrong (line noise, wrong baud rate)
    CHECKSUM_ERROR = "checksum_error"
    #: bytes that are not a reply frame, or a reply that makes no sense for the request
    INVALID_RESPONSE = "invalid_response"
    #: the port can't be opened or went away
    DISCONNECTED = "disconnected"
    #: the wait for a card was cancelled (the citizen left the screen)
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class KindText:
    zh: str
    en: str
    advice_zh: str
    #: a fault of the device (kept in the fault log), not of the citizen's handling
    device_fault: bool


READ_KIND_INFO: dict[ReadKind, KindText] = {
    ReadKind.OK: KindText("读卡成功", "read", "读卡成功。", False),
    ReadKind.NO_CARD: KindText("未放置证件", "no card", "请将身份证平放在读卡区。", False),
    ReadKind.SELECT_FAILED: KindText("无法识别证件", "card not selected", "无法识别证件，请将身份证平放在读卡区，不要移动。", False),
    ReadKind.CARD_REMOVED: KindText("证件被移开", "card removed during the read", "读卡时证件被移开，请重新放置，读完前不要移动。", False),
    ReadKind.BAD_CARD_DATA: KindText("证件信息无法识别", "card data not valid", "证件信息无法识别，请到窗口办理。", False),
    ReadKind.SAM_ERROR: KindText("读卡器安全模块故障", "SAM error", "读卡器故障，请联系工作人员或到窗口办理。", True),
    ReadKind.TIMEOUT: KindText("读卡器无响应", "reader did not answer", "读卡器无响应，请联系工作人员或到窗口办理。", True),
    ReadKind.PARTIAL_FRAME: KindText("读卡数据不完整", "reply cut off", "读卡未完成，请重新放置证件。", True),
    ReadKind.CHECKSUM_ERROR: KindText("读卡数据校验错误", "bad checksum", "读卡数据有误，请重新放置证件。", True),
    ReadKind.INVALID_RESPONSE: KindText("读卡器应答异常", "invalid reply", "读卡器工作异常，请联系工作人员。", True),
    ReadKind.DISCONNECTED: KindText("读卡器未连接", "reader not connected", "读卡器未连接，请联系工作人员或到窗口办理。", True),
    ReadKind.CANCELLED: KindText("已取消读卡", "cancelled", "已取消读卡。", False),
}
