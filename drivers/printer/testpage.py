"""The maintainer's test page: profile, width ruler, Chinese sample with punctuation and ¥,
rare characters (printed as images where the font lacks them), a QR code, the status just read."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from drivers.printer.document import Document
from drivers.printer.profiles import PrinterProfile
from drivers.printer.status import PrinterStatus
from drivers.printer.text import unprintable_chars

CHINESE_SAMPLE = "政务服务，一次告知：材料齐全、当场受理；《办事指南》“请您核对”。"
PUNCTUATION_SAMPLE = "，。、；：？！（）《》「」【】“”‘’…—·"
MONEY_SAMPLE = "工本费：¥10.00 元（￥10.00）"
RARE_SAMPLE = "生僻字：𠮷 䶮 堃 喆 龑"
MIXED_SAMPLE = (
    "Mixed 中英文 text wraps by display width: 统一社会信用代码 91411481MA9XXXXXX1，"
    "电话 0370-5123456，网址 https://www.hnzwfw.gov.cn/ 不会被截断。"
)
QR_SAMPLE = "https://www.hnzwfw.gov.cn/?kiosk-test-page"


def ruler(columns: int) -> tuple[str, str]:
    """Two lines that show the columns: tens digits, then units digits."""
    tens = "".join(str((i // 10) % 10) if i % 10 == 0 else " " for i in range(1, columns + 1))
    units = "".join(str(i % 10) for i in range(1, columns + 1))
    return tens.rstrip() or " ", units


def build_test_page(
    profile: PrinterProfile,
    status: PrinterStatus | None = None,
    *,
    uri: str = "",
    printed_at: datetime | None = None,
    extra: Iterable[tuple[str, str]] = (),
) -> Document:
    printed_at = printed_at or datetime.now()
    doc = Document("打印机测试页")
    doc.text("打印机测试页", bold=True, size=2, align="center")
    doc.text("PRINTER TEST PAGE", align="center")
    doc.rule("=")
    doc.columns("型号配置 profile", profile.name)
    doc.text(profile.description)
    doc.columns("纸宽 width", f"{profile.width_mm} mm / {profile.width_dots} dots / {profile.columns} 列")
    doc.columns("文字 text", profile.summary()["text"])  # type: ignore[arg-type]
    doc.columns("二维码 QR", profile.qr)
    doc.columns("切刀 cutter", "有 yes" if profile.cutter else "无 no")
    doc.columns("状态查询 status", profile.summary()["status"])  # type: ignore[arg-type]
    if uri:
        doc.columns("连接 URI", uri)
    for label, value in extra:
        doc.columns(label, value)
    doc.rule()
    tens, units = ruler(profile.columns)
    doc.text(tens)
    doc.text(units)
    doc.text("中" * (profile.columns // 2))
    doc.rule()
    doc.text("中文样张 Chinese sample", bold=True)
    doc.text(CHINESE_SAMPLE)
    doc.text(PUNCTUATION_SAMPLE)
    doc.text(MONEY_SAMPLE)
    rare = unprintable_chars(RARE_SAMPLE, profile)
    doc.text(RARE_SAMPLE)
    if rare:
        doc.text("（" + " ".join(rare) + " 字库没有，以图像打印）")
    doc.text(MIXED_SAMPLE, indent=2)
    doc.text("加粗 bold", bold=True)
    doc.text("倍高 tall", height=2)
    doc.text("倍宽 wide", width=2)
    doc.text("居中 centre", align="center")
    doc.text("靠右 right", align="right")
    doc.rule()
    doc.qr(QR_SAMPLE, caption="二维码测试 / QR test")
    doc.rule()
    if status is not None:
        doc.columns("状态 status", status.message_zh)
        doc.text(status.message_en, align="right")
        if status.raw:
            doc.text("应答 raw: " + " ".join(f"{k}={v.hex() or '--'}" for k, v in status.raw.items()))
    doc.columns("时间 time", printed_at.strftime("%Y-%m-%d %H:%M:%S"))
    doc.cut()
    return doc
