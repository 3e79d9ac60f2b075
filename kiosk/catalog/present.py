"""How catalog values read for a citizen (screens, slips and the CLI share these)."""

from __future__ import annotations

from kiosk.catalog.models import Material, ServiceItem
from kiosk.i18n import tr

NECESSITY_LABELS = {"required": "必要", "optional": "非必要", "deferrable": "容缺后补"}
MATERIAL_TYPE_LABELS = {"certificate": "证件证书证明", "form": "申请表格文书", "other": "其他"}
MATERIAL_FORM_LABELS = {"paper": "纸质", "electronic": "电子", "both": "纸质+电子"}
MATERIAL_SOURCE_LABELS = {"applicant": "申请人自备", "government": "政府部门核发", "other": "其他"}
AUDIENCE_LABELS = {"natural_person": "自然人", "legal_person": "法人"}
UNIT_LABELS = {"working_day": "个工作日", "natural_day": "个自然日"}


def limit_text(value: int, unit: str) -> str:
    """20, working_day → 20个工作日; 0 → 即办 (handled on the spot)."""
    if value == 0:
        return tr("即办")
    return f"{value}{tr(UNIT_LABELS.get(unit, unit))}"


def legal_limit_text(item: ServiceItem) -> str:
    return limit_text(item.legal_limit_value, item.legal_limit_unit)


def promised_limit_text(item: ServiceItem) -> str:
    return limit_text(item.promised_limit_value, item.promised_limit_unit)


def necessity_text(material: Material) -> str:
    return tr(NECESSITY_LABELS.get(material.necessity, material.necessity))


def copies_text(material: Material) -> str:
    if material.copies == 0:
        return tr("查验原件")
    return tr("{n}份").format(n=material.copies)


def material_line(material: Material) -> str:
    """One material as a line: 居民身份证（必要，原件1份，纸质）."""
    details = [necessity_text(material), copies_text(material), tr(MATERIAL_FORM_LABELS.get(material.form, material.form))]
    return f"{material.name}（{'，'.join(details)}）"


def fee_text(item: ServiceItem) -> str:
    if not item.fee_charged:
        return tr("不收费")
    return item.fee_standard or tr("收费")


def audience_text(item: ServiceItem) -> str:
    return tr("、").join(tr(AUDIENCE_LABELS.get(a, a)) for a in item.audience)


def sorted_materials(item: ServiceItem) -> list[Material]:
    """Required first, then deferrable (容缺后补), then optional; catalog order within each."""
    order = {"required": 0, "deferrable": 1, "optional": 2}
    return sorted(item.materials, key=lambda m: (order.get(m.necessity, 3), m.position))


def self_service_point(item: ServiceItem) -> dict:
    """Where the item is done by self-service: machine, zone, bring (list), all_hours."""
    point = item.self_service_point or {}
    return {
        "machine": point.get("machine", ""),
        "zone": point.get("zone", ""),
        "bring": list(point.get("bring", [])),
        "all_hours": bool(point.get("all_hours", False)),
    }


def self_service_where(item: ServiceItem) -> str:
    """二楼D区的交管自助服务机 / 24小时自助服务区的税务自助办税终端（全天可用）; empty when not known."""
    point = self_service_point(item)
    if not point["machine"]:
        return ""
    where = tr("{zone}的{machine}").format(zone=point["zone"], machine=point["machine"]) if point["zone"] else point["machine"]
    return where + (tr("（全天可用）") if point["all_hours"] else "")


def bring_text(item: ServiceItem) -> str:
    """请带：居民身份证、合同或收款凭证 (empty when the catalog says nothing)."""
    bring = self_service_point(item)["bring"]
    return tr("请带：{things}").format(things=tr("、").join(bring)) if bring else ""
