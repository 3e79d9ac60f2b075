"""The one-time notification slip (一次性告知单) and, when materials are missing, the list of
materials to supply (补正材料清单, 行政许可法 第三十二条: everything to correct, at once).

``build_notice`` is a pure function of the item, the center, the terminal id and the time:
no database, no printer. The item's relationships (department, windows, materials) must be
loaded -- an item built in memory works as well as one from the catalog.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from drivers.printer.document import Document
from kiosk.catalog.models import Center, Material, ServiceItem
from kiosk.catalog.present import (
    AUDIENCE_LABELS,
    MATERIAL_FORM_LABELS,
    MATERIAL_SOURCE_LABELS,
    MATERIAL_TYPE_LABELS,
    NECESSITY_LABELS,
    limit_text,
)
from kiosk.errors import KioskError
from kiosk.i18n import tr
from kiosk.slips.frame import end_slip, section, start_slip, with_detail

NOTICE_TITLE = "一次性告知单"
CORRECTION_TITLE = "补正材料清单"
MISSING_MARK = "【缺】"
DEFERRABLE_NOTE = (
    "说明：标注“容缺后补”的材料可容缺受理——其他主要材料齐全时，窗口可先行受理，"
    "您须在承诺的期限内补交；逾期未补交的，按规定处理。"
)
#: the hanging indent of numbered entries: "12. "
NUMBER_INDENT = 4


class UnknownMaterialError(KioskError):
    """Missing materials were named that the item does not list."""

    def __init__(self, item: ServiceItem, unknown: Sequence[str]):
        self.item_code = item.code
        self.unknown = list(unknown)
        self.known = [m.name for m in item.materials]
        names = "、".join(f"“{u}”" for u in self.unknown)
        zh = f"事项 {item.code} 没有这些材料：{names}"
        en = f"item {item.code} has no material named " + ", ".join(repr(u) for u in self.unknown)
        super().__init__(zh, en, message=f"{zh} / {en}；可选 / known: " + "、".join(self.known))


def resolve_missing(item: ServiceItem, missing: Iterable[str | int]) -> list[Material]:
    """The item's materials named in ``missing`` (names, or material ids), in catalog order.
    Raises UnknownMaterialError for a name or id the item does not list."""
    by_name = {m.name.strip(): m for m in item.materials}
    by_id = {m.id: m for m in item.materials if m.id is not None}
    chosen: dict[int, Material] = {}
    unknown: list[str] = []
    for entry in missing:
        material = None
        if isinstance(entry, int) and not isinstance(entry, bool):
            material = by_id.get(entry)
        else:
            text = str(entry).strip()
            material = by_name.get(text)
            if material is None and text.isdigit():
                material = by_id.get(int(text))
        if material is None:
            unknown.append(str(entry))
        else:
            chosen[id(material)] = material
    if unknown:
        raise UnknownMaterialError(item, unknown)
    return sorted(chosen.values(), key=lambda m: (m.position, m.name))


def _label(labels: dict[str, str], key: str) -> str:
    return tr(labels.get(key, key))


def _limit(value: int, unit: str, note: str) -> str:
    return with_detail(limit_text(value, unit), note)


def _copies(material: Material) -> str:
    return tr("查验原件") if material.copies == 0 else tr("{n}份").format(n=material.copies)


def material_details(material: Material) -> str:
    """类型 · 形式 · 份数 · 规格 · 来源 of one material."""
    parts = [
        _label(MATERIAL_TYPE_LABELS, material.type),
        _label(MATERIAL_FORM_LABELS, material.form),
        _copies(material),
    ]
    if material.spec:
        parts.append(material.spec)
    if material.source and material.source != "applicant":
        parts.append(_label(MATERIAL_SOURCE_LABELS, material.source))
    return tr("·").join(parts)


def _material_entry(doc: Document, number: int, material: Material, missing: bool) -> None:
    prefix = f"{number}. "
    necessity = _label(NECESSITY_LABELS, material.necessity)
    mark = tr(MISSING_MARK) if missing else ""
    entry = tr("{name}【{necessity}】").format(name=material.name, necessity=necessity)
    doc.text(f"{prefix:<{NUMBER_INDENT}}{mark}{entry}", bold=missing, indent=NUMBER_INDENT)
    doc.text(" " * NUMBER_INDENT + material_details(material), indent=NUMBER_INDENT)
    if material.notes:
        doc.text(" " * NUMBER_INDENT + tr("须知：") + material.notes, indent=NUMBER_INDENT)


def _section(doc: Document, title: str) -> None:
    section(doc, title)


def _is_handled_here(item: ServiceItem) -> bool:
    department = item.department
    return bool(item.in_center) and (department is None or department.in_center is not False)


def _where(doc: Document, item: ServiceItem, center: Center | None) -> None:
    _section(doc, tr("办理地点"))
    department = item.department
    if not _is_handled_here(item):
        doc.text(tr("本事项不在本中心办理"), bold=True)
        if department is not None:
            doc.text(tr("请到：") + department.name, indent=6)
            address = department.address or item.location
            phone = department.phone or item.consult_phone
        else:
            address, phone = item.location, item.consult_phone
        if address:
            doc.text(tr("地址：") + address, indent=6)
        if phone:
            doc.text(tr("电话：") + phone, indent=6)
        return
    windows = item.windows
    for window in windows:
        number = tr("{number} 号窗口").format(number=window.number)
        doc.text(with_detail(f"{number} {window.name}", window.zone), indent=2)
    if item.location:
        doc.text(tr("地点：") + item.location, indent=6)
    elif not windows and center is not None and center.address:
        doc.text(tr("地点：") + center.address, indent=6)
    hours = item.hours or (center.hours if center is not None else "")
    if hours:
        doc.text(tr("时间：") + hours, indent=6)


def _qr(doc: Document, item: ServiceItem) -> None:
    if not item.online_supported:
        return
    if item.online_mobile_url:
        doc.qr(item.online_mobile_url, caption=tr("手机扫码，在线办理"))
    elif item.online_pc_url:
        doc.qr(item.online_pc_url, caption=tr("扫码打开网上办理地址"))


def build_notice(
    item: ServiceItem,
    center: Center | None,
    *,
    terminal_id: str,
    printed_at: datetime,
    missing: Iterable[str | int] = (),
) -> Document:
    """The 一次性告知单 of ``item``; with ``missing`` materials (names or ids) the
    补正材料清单: missing ones first, marked 【缺】, then the rest.
    Raises UnknownMaterialError when ``missing`` names a material the item does not list."""
    missing_materials = resolve_missing(item, missing)
    correction = bool(missing_materials)
    title = tr(CORRECTION_TITLE) if correction else tr(NOTICE_TITLE)
    doc = start_slip(title, item.code, center.name if center is not None else "")
    doc.text(tr("事项名称：") + item.name, bold=True, indent=10)
    doc.text(tr("事项编码：") + item.code, indent=10)
    if item.type:
        doc.text(tr("事项类型：") + tr(item.type), indent=10)
    if item.audience:
        doc.text(tr("服务对象：") + tr("、").join(_label(AUDIENCE_LABELS, a) for a in item.audience), indent=10)
    if item.department is not None:
        doc.text(tr("实施部门：") + item.department.name, indent=10)
    doc.rule()

    missing_ids = {id(m) for m in missing_materials}
    if correction:
        doc.text(
            tr("您申请办理的事项尚缺以下材料。根据《中华人民共和国行政许可法》第三十二条，现一次性告知需补正的全部材料，请补齐后再到窗口办理。")
        )
        _materials(doc, item, missing_materials, missing_ids)
        doc.rule()

    _where(doc, item, center)

    _section(doc, tr("办理时限"))
    doc.text(tr("法定办结时限：") + _limit(item.legal_limit_value, item.legal_limit_unit, item.legal_limit_note), indent=14)
    doc.text(
        tr("承诺办结时限：") + _limit(item.promised_limit_value, item.promised_limit_unit, item.promised_limit_note),
        indent=14,
    )
    if item.visits is not None:
        doc.text(tr("到现场次数：") + tr("{n}次").format(n=item.visits), indent=12)

    if item.basis:
        _section(doc, tr("设定依据"))
        doc.text(item.basis)
    if item.conditions:
        _section(doc, tr("受理条件"))
        doc.text(item.conditions)
    if item.procedure:
        _section(doc, tr("办理流程"))
        for number, step in enumerate(item.procedure, 1):
            doc.text(f"{f'{number}. ':<{NUMBER_INDENT}}{step}", indent=NUMBER_INDENT)

    if not correction:
        _materials(doc, item, [], set())

    _section(doc, tr("收费"))
    if item.fee_charged:
        doc.text(item.fee_standard or tr("收费"))
        if item.fee_basis:
            doc.text(tr("收费依据：") + item.fee_basis, indent=10)
    else:
        doc.text(tr("不收费"))

    _section(doc, tr("咨询与投诉"))
    if item.consult_phone:
        doc.columns(tr("咨询电话"), item.consult_phone)
    if item.complaint_phone:
        doc.columns(tr("监督投诉电话"), item.complaint_phone)
    if center is not None and center.phone and center.phone not in (item.consult_phone, item.complaint_phone):
        doc.columns(tr("中心服务电话"), center.phone)

    _qr(doc, item)
    doc.rule()
    return end_slip(doc, terminal_id=terminal_id, printed_at=printed_at,
                    center_address=center.address if center is not None else "")


def _materials(doc: Document, item: ServiceItem, missing: list[Material], missing_ids: set[int]) -> None:
    materials = list(item.materials)
    count = len(materials)
    if missing:
        _section(doc, tr("需补正的材料（共{n}项）").format(n=len(missing)))
    else:
        _section(doc, tr("申请材料（共{n}项）").format(n=count))
    ordered = missing + [m for m in materials if id(m) not in missing_ids]
    for number, material in enumerate(ordered, 1):
        if missing and number == len(missing) + 1:
            _section(doc, tr("其他材料（共{n}项）").format(n=count - len(missing)))
        _material_entry(doc, number, material, id(material) in missing_ids)
        if missing and number == len(missing) and any(m.necessity == "deferrable" for m in missing):
            doc.text(tr(DEFERRABLE_NOTE))
    if not materials:
        doc.text(tr("无需提交材料。"))
