"""The proxy request receipt (帮办代办受理回执): what the citizen handed over, and how to
follow the request up.

A pure function of the request's view (kiosk.assistance.ProxyView: name, phone and address already
masked), the center, the terminal id and the time: the same document goes to the printer, the
sim:// printer's PNG and the on-screen preview.
"""

from __future__ import annotations

from datetime import datetime

from drivers.printer.document import Document
from kiosk.catalog.present import NECESSITY_LABELS
from kiosk.i18n import tr
from kiosk.slips.frame import end_slip, section, start_slip, with_detail

PROXY_RECEIPT_TITLE = "代办受理回执"
NUMBER_INDENT = 4


def build_proxy_receipt(
    view,
    center_name: str,
    *,
    terminal_id: str,
    printed_at: datetime,
    center_phone: str = "",
    center_address: str = "",
) -> Document:
    title = tr(PROXY_RECEIPT_TITLE)
    doc = start_slip(title, view.number, center_name, subtitle=tr("帮办代办 · 无偿服务"))
    doc.text(tr("代办编号：") + view.number, bold=True, indent=10)
    doc.text(tr("代办事项：") + view.item_name, bold=True, indent=10)
    doc.text(tr("申 请 人：") + view.citizen_name, indent=10)
    doc.text(tr("联系电话：") + view.phone_masked, indent=10)
    doc.text(tr("受理时间：") + view.created_at.strftime("%Y-%m-%d %H:%M"), indent=10)
    doc.text(tr("代 办 员：") + tr("{name}（工号 {id}）").format(name=_mask_staff(view.helper_name), id=view.helper_id), indent=10)
    if view.home_visit:
        reasons = tr("、").join(tr(reason) for reason in view.visit_reasons)
        doc.text(tr("上门服务：是（{reasons}）").format(reasons=reasons), bold=True, indent=10)
        doc.text(tr("上门地址：") + view.address_masked, indent=10)
    doc.rule()

    handed = view.handed_over
    doc.text(tr("【已交接材料】（{n} 项）").format(n=len(handed)), bold=True)
    if handed:
        for number, material in enumerate(handed, 1):
            copies = tr("{n}份").format(n=material.copies) if material.copies else ""
            doc.text(f"{number}. ".ljust(NUMBER_INDENT) + "√ " + with_detail(material.name, copies),
                     indent=NUMBER_INDENT)
    else:
        doc.text(tr("暂无（上门服务时交接）"))
    missing = view.not_handed_over
    if missing:
        doc.text(tr("【尚未交接的材料】（{n} 项）").format(n=len(missing)), bold=True)
        for number, material in enumerate(missing, 1):
            necessity = tr(NECESSITY_LABELS.get(material.necessity, material.necessity))
            doc.text(f"{number}. ".ljust(NUMBER_INDENT) + with_detail(material.name, necessity), indent=NUMBER_INDENT)
        if view.home_visit and view.missing_required:
            doc.text(tr("必要材料请在上门服务时交给代办员。"))
    doc.rule()

    section(doc, tr("如何查询进度"))
    doc.text(tr("请保管好本回执。查询代办进度时，请提供代办编号和登记手机号的后4位："))
    doc.text(tr("· 到本中心综合咨询台（红马甲帮办代办服务）"), indent=2)
    if center_phone:
        doc.text(tr("· 或拨打中心咨询电话 {phone}").format(phone=center_phone), indent=2)
    doc.text(tr("代办员办结后会电话通知您。帮办代办全程免费，请勿向任何人支付费用。"))
    doc.rule()
    doc.text(tr("您的个人信息仅用于本次代办，办结后按规定删除。"))
    return end_slip(doc, terminal_id=terminal_id, printed_at=printed_at, center_address=center_address)


def _mask_staff(name: str) -> str:
    from kiosk.privacy import mask_name

    return mask_name(name)
