"""The progress slip (办件进度查询单): where an application is and when it is due.

A pure function of the view (kiosk.progress.view.ProgressView, personal data already masked),
the center's name, the terminal id and the time: the same document goes to the printer, the
sim:// printer's PNG and the on-screen preview.
"""

from __future__ import annotations

from datetime import datetime

from drivers.printer.document import Document
from kiosk.i18n import tr
from kiosk.slips.frame import end_slip, section, start_slip, with_detail
from kiosk.scans import progress_code
from kiosk.progress.view import (
    ProgressView,
    deadline_text,
    format_datetime,
    overdue_contact_text,
    step_span_text,
    step_state_text,
    time_left_text,
)

PROGRESS_TITLE = "办件进度查询单"
NUMBER_INDENT = 4


def build_progress_slip(
    view: ProgressView,
    center_name: str,
    *,
    terminal_id: str,
    printed_at: datetime,
    center_address: str = "",
) -> Document:
    title = tr(PROGRESS_TITLE)
    doc = start_slip(title, view.number, center_name)
    doc.text(tr("办件编号：") + view.number, bold=True, indent=10)
    doc.text(tr("事项名称：") + view.item_name, bold=True, indent=10)
    doc.text(tr("申 请 人：") + view.applicant_name, indent=10)
    doc.text(tr("当前状态：") + view.status_label, bold=True, size=1, indent=10)
    doc.rule()

    section(doc, tr("受理信息"))
    doc.text(tr("受理时间：") + format_datetime(view.accepted_at), indent=10)
    doc.text(tr("受理部门：") + view.department, indent=10)
    if view.window_text:
        doc.text(tr("受理窗口：") + view.window_text, indent=10)
    doc.text(tr("受 理 人：") + view.accepted_by, indent=10)

    section(doc, tr("办理时限"))
    doc.text(tr("承诺时限：") + view.limit_text, indent=10)
    doc.text(tr("承诺办结：") + deadline_text(view), bold=view.overdue, indent=10)
    left = time_left_text(view)
    if left:
        doc.text(("！" if view.overdue and not view.closed else "") + left, bold=view.overdue)
    if view.overdue and not view.closed:
        doc.text(overdue_contact_text(view))
    if view.estimated:
        doc.text(tr("注：所涉年份的节假日安排尚未公布，日期按法定节假日推算，仅供参考。"))

    if view.steps:
        section(doc, tr("办理进度"))
        for number, step in enumerate(view.steps, 1):
            prefix = f"{number}. "
            doc.text(f"{prefix:<{NUMBER_INDENT}}" + with_detail(step.name, step_state_text(view, number - 1)), indent=NUMBER_INDENT)
            details = [step_span_text(step)] if step.started_at is not None else []
            if step.staff:
                details.append(tr("经办人 {name}").format(name=step.staff))
            if details:
                doc.text(" " * NUMBER_INDENT + "  ".join(details), indent=NUMBER_INDENT)
            if step.opinion:
                doc.text(" " * NUMBER_INDENT + tr("意见：") + step.opinion, indent=NUMBER_INDENT)

    if view.result is not None:
        result = view.result
        section(doc, tr("办理结果"))
        doc.text(tr("办结时间：") + format_datetime(result.finished_at), indent=10)
        doc.text(tr("办理结果：") + result.outcome, indent=10)
        if result.certificate_name:
            doc.text(tr("证照名称：") + result.certificate_name, indent=10)
        if result.certificate_number:
            doc.text(tr("证照编号：") + result.certificate_number, indent=10)
        if result.collect:
            doc.text(tr("领取方式：") + result.collect, indent=10)

    section(doc, tr("咨询与投诉"))
    if view.consult_phone:
        doc.columns(tr("咨询电话"), view.consult_phone)
    if view.complaint_phone:
        doc.columns(tr("监督投诉电话"), view.complaint_phone)
    doc.qr(progress_code(view.number), caption=tr("在自助终端扫此码，可再次查询进度"))
    doc.rule()
    doc.text(tr("本单据仅供查询参考，办理结果以受理部门的正式通知为准。"))
    return end_slip(doc, terminal_id=terminal_id, printed_at=printed_at, center_address=center_address,
                    time_label=tr("查询时间"))
