"""Printer status: DLE EOT replies decoded into typed conditions, events and citizen messages.

Real-time status ``DLE EOT n`` (10 04 n) gets one byte back whose fixed bits follow the
pattern 0xx1xx10 (bits 0, 1, 4, 7 = 0, 1, 1, 0 when written from bit 7 down to bit 0); a byte that
does not is not a status reply. Bits used (Epson ESC/POS, the common subset):

====  ====  =========================================
n     bit   meaning when set
====  ====  =========================================
1     3     offline
2     2     cover open
2     5     printing stopped by paper end
2     6     error
3     3     auto-cutter error
3     5     unrecoverable error
3     6     auto-recoverable error (e.g. head overheated)
4     2,3   paper near end (roll near-end sensor)
4     5,6   paper end (roll end sensor)
====  ====  =========================================

``GS r 1`` (paper sensor status, answered after the data queued before it): bits 0-1 near
end, bits 2-3 paper end; bits 4 and 7 are 0.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime


class Severity(enum.IntEnum):
    OK = 0
    INFO = 1
    WARNING = 2
    ERROR = 3


class StatusKind(enum.Enum):
    """A condition of the printer. The value is the stable name used in logs and JSON."""

    OK = "ok"
    PAPER_NEAR_END = "paper_near_end"
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    OFFLINE = "offline"
    CUTTER_ERROR = "cutter_error"
    UNRECOVERABLE_ERROR = "unrecoverable_error"
    RECOVERABLE_ERROR = "recoverable_error"
    #: an error whose cause the printer does not say (DLE EOT 2 bit 6 without DLE EOT 3)
    ERROR = "error"
    #: the profile says the printer answers status requests, and it said nothing in time
    NO_RESPONSE = "no_response"
    #: a byte came back that is not a status reply (wrong printer profile, line noise)
    INVALID_RESPONSE = "invalid_response"
    #: the device can't be opened or went away (unplugged, connection refused or reset)
    DISCONNECTED = "disconnected"
    #: data could not be delivered in time (a stalled or jammed printer)
    TIMEOUT = "timeout"
    #: the printer can't tell (the profile answers no status, or the transport can't read)
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class KindInfo:
    severity: Severity
    zh: str  # short, for the citizen and the maintainer screen
    en: str
    #: a sentence for the citizen
    advice_zh: str


KIND_INFO: dict[StatusKind, KindInfo] = {
    StatusKind.OK: KindInfo(Severity.OK, "正常", "ready", "打印机正常。"),
    StatusKind.PAPER_NEAR_END: KindInfo(
        Severity.WARNING, "纸将尽", "paper near end", "打印纸即将用完，请工作人员及时更换纸卷。"
    ),
    StatusKind.PAPER_OUT: KindInfo(Severity.ERROR, "缺纸", "paper out", "打印机缺纸，暂时无法打印，请联系工作人员。"),
    StatusKind.COVER_OPEN: KindInfo(
        Severity.ERROR, "上盖打开", "cover open", "打印机上盖打开，暂时无法打印，请联系工作人员。"
    ),
    StatusKind.OFFLINE: KindInfo(Severity.ERROR, "打印机离线", "printer offline", "打印机离线，暂时无法打印，请联系工作人员。"),
    StatusKind.CUTTER_ERROR: KindInfo(
        Severity.ERROR, "切刀故障", "auto-cutter error", "打印机切纸故障，暂时无法打印，请联系工作人员。"
    ),
    StatusKind.UNRECOVERABLE_ERROR: KindInfo(
        Severity.ERROR, "打印机故障", "unrecoverable error", "打印机故障，暂时无法打印，请联系工作人员。"
    ),
    StatusKind.RECOVERABLE_ERROR: KindInfo(
        Severity.ERROR, "打印机暂时故障", "auto-recoverable error", "打印机暂时故障（如过热），请稍后再试或联系工作人员。"
    ),
    StatusKind.ERROR: KindInfo(Severity.ERROR, "打印机故障", "printer error", "打印机故障，暂时无法打印，请联系工作人员。"),
    StatusKind.NO_RESPONSE: KindInfo(
        Severity.ERROR, "打印机无响应", "no response to status request", "打印机无响应，暂时无法打印，请联系工作人员。"
    ),
    StatusKind.INVALID_RESPONSE: KindInfo(
        Severity.ERROR, "打印机状态异常", "invalid status reply", "打印机状态异常，暂时无法打印，请联系工作人员。"
    ),
    StatusKind.DISCONNECTED: KindInfo(
        Severity.ERROR, "打印机未连接", "printer not connected", "打印机未连接，暂时无法打印，请联系工作人员。"
    ),
    StatusKind.TIMEOUT: KindInfo(
        Severity.ERROR, "打印超时", "printer timed out", "打印机长时间无响应（可能卡纸），请联系工作人员。"
    ),
    StatusKind.UNKNOWN: KindInfo(Severity.INFO, "状态未知", "status not available", "打印机不支持状态查询。"),
}

#: Which condition to name first when several hold (the one a maintainer must fix first).
PRIORITY = (
    StatusKind.DISCONNECTED,
    StatusKind.TIMEOUT,
    StatusKind.NO_RESPONSE,
    StatusKind.INVALID_RESPONSE,
    StatusKind.UNRECOVERABLE_ERROR,
    StatusKind.CUTTER_ERROR,
    StatusKind.COVER_OPEN,
    StatusKind.PAPER_OUT,
    StatusKind.RECOVERABLE_ERROR,
    StatusKind.ERROR,
    StatusKind.OFFLINE,
    StatusKind.PAPER_NEAR_END,
    StatusKind.UNKNOWN,
    StatusKind.OK,
)


def severity_of(kind: StatusKind) -> Severity:
    return KIND_INFO[kind].severity


# --- decoding --------------------------------------------------------------------------------


def is_status_byte(value: int) -> bool:
    """The fixed bits of a DLE EOT reply: 0xx1xx10."""
    return value & 0b1001_0011 == 0b0001_0010


def decode_realtime(n: int, value: int, *, error_cause_known: bool = False) -> set[StatusKind]:
    """The conditions one valid DLE EOT n reply reports. ``error_cause_known``: DLE EOT 3 is
    read as well, so DLE EOT 2's error bit needs no condition of its own."""
    kinds: set[StatusKind] = set()
    if n == 1:
        if value & 0x08:
            kinds.add(StatusKind.OFFLINE)
    elif n == 2:
        if value & 0x04:
            kinds.add(StatusKind.COVER_OPEN)
        if value & 0x20:
            kinds.add(StatusKind.PAPER_OUT)
        # bit 6 "error": the cause is in DLE EOT 3 when the printer answers it; otherwise this
        # is the only sign of it.
        if value & 0x40 and not error_cause_known:
            kinds.add(StatusKind.ERROR)
    elif n == 3:
        if value & 0x08:
            kinds.add(StatusKind.CUTTER_ERROR)
        if value & 0x20:
            kinds.add(StatusKind.UNRECOVERABLE_ERROR)
        if value & 0x40:
            kinds.add(StatusKind.RECOVERABLE_ERROR)
    elif n == 4:
        if value & 0x0C:
            kinds.add(StatusKind.PAPER_NEAR_END)
        if value & 0x60:
            kinds.add(StatusKind.PAPER_OUT)
    else:
        raise ValueError(f"DLE EOT {n} is not a status request")
    return kinds


def is_paper_sensor_byte(value: int) -> bool:
    """GS r 1 replies keep bits 4 and 7 clear."""
    return value & 0b1001_0000 == 0


def decode_paper_sensor(value: int) -> set[StatusKind]:
    kinds: set[StatusKind] = set()
    if value & 0x03:
        kinds.add(StatusKind.PAPER_NEAR_END)
    if value & 0x0C:
        kinds.add(StatusKind.PAPER_OUT)
    return kinds


#: conditions that make the printer go offline by themselves (Epson: "offline" is set while
#: the cover is open, the paper is out or an error holds)
OFFLINE_CAUSES = frozenset(
    {
        StatusKind.COVER_OPEN,
        StatusKind.PAPER_OUT,
        StatusKind.CUTTER_ERROR,
        StatusKind.UNRECOVERABLE_ERROR,
        StatusKind.RECOVERABLE_ERROR,
        StatusKind.ERROR,
    }
)


def simplify(kinds: set[StatusKind] | frozenset[StatusKind]) -> frozenset[StatusKind]:
    """Drop the conditions another one implies: offline when its cause is known, paper near
    end when the paper is out."""
    out = set(kinds)
    if out & OFFLINE_CAUSES:
        out.discard(StatusKind.OFFLINE)
    if StatusKind.PAPER_OUT in out:
        out.discard(StatusKind.PAPER_NEAR_END)
    return frozenset(out)


# --- status ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PrinterStatus:
    """What a status read found. ``conditions`` is empty when all is well."""

    conditions: frozenset[StatusKind] = frozenset()
    #: raw replies by request (1-4 for DLE EOT n, "gs_r" for GS r 1); b"" = no answer
    raw: dict[str, bytes] = field(default_factory=dict)
    read_at: datetime | None = None
    detail: str = ""

    @property
    def kinds(self) -> list[StatusKind]:
        """The conditions, most important first; [OK] when there are none."""
        if not self.conditions:
            return [StatusKind.OK]
        return [k for k in PRIORITY if k in self.conditions]

    @property
    def primary(self) -> StatusKind:
        return self.kinds[0]

    @property
    def severity(self) -> Severity:
        return max((severity_of(k) for k in self.kinds), default=Severity.OK)

    @property
    def can_print(self) -> bool:
        return self.severity < Severity.ERROR

    @property
    def ok(self) -> bool:
        return not self.conditions

    @property
    def message_zh(self) -> str:
        """Names of the conditions, most important first: 缺纸、上盖打开."""
        return "、".join(KIND_INFO[k].zh for k in self.kinds)

    @property
    def message_en(self) -> str:
        return ", ".join(KIND_INFO[k].en for k in self.kinds)

    @property
    def advice_zh(self) -> str:
        return KIND_INFO[self.primary].advice_zh

    def raw_hex(self) -> dict[str, str]:
        return {key: value.hex() for key, value in self.raw.items()}

    def to_dict(self) -> dict[str, object]:
        return {
            "status": self.primary.value,
            "severity": self.severity.name.lower(),
            "can_print": self.can_print,
            "conditions": [k.value for k in self.kinds if k is not StatusKind.OK],
            "message_zh": self.message_zh,
            "message_en": self.message_en,
            "advice_zh": self.advice_zh,
            "raw": self.raw_hex(),
            "read_at": self.read_at.isoformat(timespec="seconds") if self.read_at else None,
            "detail": self.detail,
        }

    def __str__(self) -> str:
        return f"{self.message_zh} / {self.message_en}"


@dataclass(frozen=True)
class StatusEvent:
    """A change of the printer's condition, or a fault that stopped a job.

    ``kind`` OK with ``cleared`` set means the listed conditions went away.
    """

    kind: StatusKind
    severity: Severity
    message_zh: str
    message_en: str
    raw: dict[str, bytes]
    uri: str
    at: datetime
    #: "poll" (a status read found it changed) or "job" (it concerned a print job)
    source: str = "poll"
    cleared: frozenset[StatusKind] = frozenset()
    detail: str = ""

    @classmethod
    def of(cls, kind: StatusKind, status: PrinterStatus | None, uri: str, at: datetime, source: str = "poll",
           cleared: frozenset[StatusKind] = frozenset(), detail: str = "") -> StatusEvent:
        info = KIND_INFO[kind]
        return cls(
            kind=kind,
            severity=info.severity,
            message_zh=info.zh if not cleared else "恢复正常（" + "、".join(KIND_INFO[k].zh for k in sorted(cleared, key=PRIORITY.index)) + "已消除）",
            message_en=info.en if not cleared else "recovered: " + ", ".join(KIND_INFO[k].en for k in cleared),
            raw=dict(status.raw) if status else {},
            uri=uri,
            at=at,
            source=source,
            cleared=cleared,
            detail=detail or (status.detail if status else ""),
        )
