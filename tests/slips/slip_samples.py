"""Catalog objects built in memory (no database) for the slip tests."""

from __future__ import annotations

from datetime import datetime

from kiosk.catalog.models import Center, Department, ItemWindow, Material, ServiceItem, Window

PRINTED_AT = datetime(2025, 3, 18, 10, 31, 5)
TERMINAL = "YC-HALL-01"
MOBILE_URL = "https://m.hnzwfw.gov.cn/ysb/guide/1141148100492981054010001"
PC_URL = "https://www.hnzwfw.gov.cn/portal/guide/1141148100492981054010001"


def center() -> Center:
    return Center(
        id=1,
        name="永城市政务服务中心",
        address="河南省永城市东城区东方大道与欧亚路交叉口永城市民之家",
        phone="0370-5138111",
        hours="周一至周五 上午8:30-12:00 下午14:30-17:30；法定节假日休息",
    )


def department(in_center: bool = True) -> Department:
    return Department(
        id=2,
        code="SCJG",
        name="永城市市场监督管理局",
        address="永城市东城区雪枫路与芒砀路交叉口东北角",
        phone="0370-5102315",
        in_center=in_center,
    )


def material(position, name, type_, form, necessity, copies=1, spec="", source="applicant", notes="", id_=None):
    return Material(
        id=id_ if id_ is not None else 100 + position,
        position=position,
        name=name,
        type=type_,
        form=form,
        necessity=necessity,
        copies=copies,
        spec=spec,
        source=source,
        notes=notes,
    )


def company_item(*, in_center: bool = True, online: str = "mobile", windows: bool = True) -> ServiceItem:
    """有限责任公司设立登记, as in the sample catalog."""
    dept = department(in_center)
    item = ServiceItem(
        id=10,
        code="1141148100492981054010001",
        basic_code="000105401000",
        name="有限责任公司设立登记",
        type="行政许可",
        department=dept,
        department_id=dept.id,
        audience=["legal_person"],
        basis="《中华人民共和国公司法》第二十九条；《中华人民共和国市场主体登记管理条例》第三条、第十六条、第十九条",
        conditions="申请人为依法设立有限责任公司的股东（或其委托的代理人）；申请材料齐全、符合法定形式。",
        legal_limit_value=20,
        legal_limit_unit="working_day",
        legal_limit_note="",
        promised_limit_value=5,
        promised_limit_unit="working_day",
        promised_limit_note="材料齐全的当场办结",
        visits=1,
        fee_charged=False,
        fee_standard="",
        fee_basis="",
        location="永城市政务服务中心一楼A区A01、A02窗口",
        hours="",
        consult_phone="0370-5102315",
        complaint_phone="0370-5138123",
        online_supported=online != "none",
        online_pc_url=PC_URL if online in ("pc", "mobile") else "",
        online_mobile_url=MOBILE_URL if online == "mobile" else "",
        in_center=in_center,
        self_service=False,
        procedure=[
            "申请：在线申报，或到A01、A02企业开办综合窗口提交纸质材料",
            "受理：窗口核对材料，材料齐全的当场受理，不齐全的出具一次性告知单",
            "审查：登记机关对申请材料进行形式审查",
            "决定：准予登记的，核发营业执照",
        ],
        faq=[],
        keywords=[],
    )
    item.materials = [
        material(1, "公司登记（备案）申请书", "form", "both", "required", spec="A4纸", notes="法定代表人签字"),
        material(2, "公司章程", "form", "both", "required", spec="A4纸", notes="全体股东签字（自然人）或盖章（法人）"),
        material(3, "股东的主体资格文件或自然人身份证明", "certificate", "both", "required", spec="复印件1份，A4纸", source="government"),
        material(4, "住所使用相关文件", "other", "paper", "deferrable", spec="房产证明复印件或租赁合同",
                 notes="可先签署《住所（经营场所）申报承诺书》容缺受理，3个工作日内补交"),
        material(5, "授权委托书及受托人居民身份证（委托他人代办时提供）", "other", "paper", "optional", copies=0),
    ]
    if windows:
        a01 = Window(id=1, number="A01", name="企业开办综合窗口", zone="一楼A区", department=dept, department_id=dept.id)
        a02 = Window(id=2, number="A02", name="企业开办综合窗口", zone="一楼A区", department=dept, department_id=dept.id)
        item.window_links = [ItemWindow(window=a01, position=0), ItemWindow(window=a02, position=1)]
    return item
