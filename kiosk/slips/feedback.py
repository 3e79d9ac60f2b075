"""The receipt of a complaint or suggestion (投诉受理回执 / 建议受理回执): the number, what
was said, the callback phone masked, and how to follow it up.

A pure function of the case (kiosk.feedback.ComplaintInfo, phone already masked), the
center's name and phone, the terminal id and the time: the same document goes to the printer,
the sim:// printer's PNG and the on-screen preview.
"""

from __future__ import annotations

from datetime import datetime

from drivers.printer.document import Document
from kiosk.i18n import tr
from kiosk.slips.frame import end_slip, start_slip

HOTLINE = "12345"


def receipt_title(kind: str) -> str:
    return tr("投诉受理回执") if kind == "complaint" else tr("建议受理回执")


def build_feedback_receipt(
    case,
    center_name: str,
    *,
    terminal_id: str,
    printed_at: datetime,
    center_phone: str = "",
    center_address: str = "",
) -> Document:
    title = receipt_title(case.kind)
    doc = start_slip(title, case.number, center_name)
    doc.text(tr("编号："), bold=True)
    doc.text(case.number, bold=True, size=2, align="center", fit=True)
    doc.rule()
    doc.text(tr("类　　型：") + tr(case.kind_zh), indent=10)
    doc.text(tr("方　　面：") + tr(case.subject_zh), indent=10)
    if case.item_name:
        doc.text(tr("事　　项：") + case.item_name, indent=10)
    doc.text(tr("内　　容：") + case.text, indent=10)
    doc.text(tr("回访电话：") + (case.phone_masked or tr("未留")), indent=10)
    doc.text(tr("提交时间：") + case.created_at.strftime("%Y-%m-%d %H:%M"), indent=10)
    doc.rule()
    doc.text(tr("您的意见已记录，并已报送中心。"), bold=True)
    if case.phone_masked:
        doc.text(tr("工作人员会按您留下的电话联系您。"))
    if center_phone:
        doc.text(tr("查询处理情况：凭本回执编号到综合咨询台询问，或拨打 {phone}。").format(phone=center_phone))
    else:
        doc.text(tr("查询处理情况：凭本回执编号到综合咨询台询问。"))
    doc.text(tr("也可拨打 {hotline} 政务服务便民热线。").format(hotline=HOTLINE))
    doc.rule()
    return end_slip(doc, terminal_id=terminal_id, printed_at=printed_at, center_address=center_address)
