"""The conditions the fault log knows: devices' (from the printer's typed status) and the app's own.

A kind's name is stable: it is stored in the fault log and shown in JSON and CSV.
"""

from __future__ import annotations

from dataclasses import dataclass

from drivers.printer.status import KIND_INFO, Severity, StatusKind

#: devices and their names on the maintainer's screens
DEVICE_LABELS = {
    "printer": "打印机",
    "disk": "存储空间",
    "database": "数据库",
    "app": "终端程序",
    "scanner": "扫描器",
    "card_reader": "读卡器",
}

SEVERITY_NAMES = {Severity.OK: "ok", Severity.INFO: "info", Severity.WARNING: "warning", Severity.ERROR: "error"}
SEVERITY_LABELS = {"ok": "正常", "info": "提示", "warning": "一般", "error": "严重"}


@dataclass(frozen=True)
class FaultKind:
    name: str
    severity: str  # "warning" or "error"
    zh: str
    en: str
    #: what the maintainer usually does (a hint on the maintainer screen)
    fix_zh: str = ""


_PRINTER_FIXES = {
    StatusKind.PAPER_NEAR_END: "准备新纸卷，尽快更换",
    StatusKind.PAPER_OUT: "更换纸卷",
    StatusKind.COVER_OPEN: "合上打印机上盖",
    StatusKind.OFFLINE: "检查打印机面板指示灯，必要时重启打印机",
    StatusKind.CUTTER_ERROR: "打开上盖清除卡纸，检查切刀",
    StatusKind.UNRECOVERABLE_ERROR: "重启打印机，仍不恢复请联系厂家维修",
    StatusKind.RECOVERABLE_ERROR: "等待打印头降温后重试",
    StatusKind.ERROR: "重启打印机，仍不恢复请联系厂家维修",
    StatusKind.NO_RESPONSE: "检查打印机电源和数据线，必要时重启打印机",
    StatusKind.INVALID_RESPONSE: "检查打印机型号配置（printer.profile）",
    StatusKind.DISCONNECTED: "检查打印机电源和数据线（USB/网线），然后点“重新连接”",
    StatusKind.TIMEOUT: "检查是否卡纸，重启打印机",
}

KINDS: dict[str, FaultKind] = {}

for _status_kind, _info in KIND_INFO.items():
    if _info.severity >= Severity.WARNING:
        KINDS[_status_kind.value] = FaultKind(
            _status_kind.value, SEVERITY_NAMES[_info.severity], _info.zh, _info.en, _PRINTER_FIXES.get(_status_kind, "")
        )

#: the kinds that are not a printer's own status
APP_KINDS = (
    FaultKind("print_failed", "error", "打印失败", "print failed", "查看同时出现的打印机故障并排除，然后打印测试页"),
    FaultKind("printer_config", "error", "打印机配置错误", "printer misconfigured", "检查配置文件中的 printer.uri 和 printer.profile"),
    FaultKind("disk_low", "warning", "存储空间不足", "disk nearly full", "清理数据目录所在磁盘，或联系信息科"),
    FaultKind("database_unavailable", "error", "数据库无法访问", "database unavailable", "检查数据库文件、磁盘和数据库服务，必要时重启终端程序"),
    FaultKind("database_read_only", "error", "数据库只读，无法保存", "database read-only",
              "数据盘可能已被重新挂载为只读：查看 dmesg 中的磁盘错误，修复后重启终端"),
    FaultKind("disk_full", "error", "磁盘已满，无法保存", "disk full",
              "清理数据目录所在磁盘（旧日志、旧备份、导出文件），然后打印测试页确认"),
    FaultKind("database_error", "error", "数据库操作失败", "database error", "查看日志中的错误，检查磁盘和数据库文件，必要时重启终端程序"),
    FaultKind("reader_disconnected", "error", "读卡器未连接", "card reader not connected", "检查读卡器电源和数据线（USB 串口），然后点“重新连接”"),
    FaultKind("reader_no_response", "error", "读卡器无响应", "card reader does not answer", "检查读卡器电源和波特率（idcard.uri），必要时重新插拔读卡器"),
    FaultKind("reader_invalid_response", "error", "读卡器应答异常", "card reader sends invalid replies", "检查 idcard.uri 的端口和波特率是否为读卡器的（通常 115200），检查数据线"),
    FaultKind("reader_sam_error", "error", "读卡器安全模块故障", "card reader SAM error", "重新插拔读卡器；仍不恢复请联系厂家（安全模块可能未授权或损坏）"),
    FaultKind("reader_config", "error", "读卡器配置错误", "card reader misconfigured", "检查配置文件中的 idcard.uri"),
    FaultKind("scanner_disconnected", "error", "扫描器未连接", "scanner not connected", "检查扫描器数据线，然后点“重新连接”"),
    FaultKind("scanner_config", "error", "扫描器配置错误", "scanner misconfigured", "检查配置文件中的 scanner.uri"),
    FaultKind("unhandled_exception", "error", "程序异常", "unhandled exception", "记录出现时的操作，重启终端程序，并报告开发人员"),
)
for _kind in APP_KINDS:
    KINDS[_kind.name] = _kind

#: the kinds that happen (a failed print, an exception) rather than hold (paper out): a poll
#: never clears them; they clear by a later success or by a person
EVENT_KINDS = frozenset({"print_failed", "unhandled_exception", "database_error"})


def kind_info(name: str) -> FaultKind:
    return KINDS.get(name) or FaultKind(name, "error", name, name)


def device_label(name: str) -> str:
    return DEVICE_LABELS.get(name, name)


def join_title(label: str, text: str) -> str:
    """The device's name and what is wrong, without saying a word twice: 打印机 + 缺纸 →
    打印机缺纸, 打印机 + 打印机无响应 → 打印机无响应, 终端程序 + 程序异常 → 终端程序异常."""
    if label in text:
        return text
    for overlap in range(min(len(label), len(text)), 0, -1):
        if label.endswith(text[:overlap]):
            return label + text[overlap:]
    return label + text


def fault_title(device: str, kind: str) -> str:
    return join_title(device_label(device), kind_info(kind).zh)
