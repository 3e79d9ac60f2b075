"""The 一次性告知单 and 补正材料清单 builders: pure functions of item, center, terminal and time."""

from __future__ import annotations

from dataclasses import replace

import pytest
import zxingcpp
from slips.slip_samples import MOBILE_URL, PC_URL, PRINTED_AT, TERMINAL, center, company_item

from drivers.printer.document import QrCode, QrLine, TextLine, layout
from drivers.printer.profiles import PROFILES, get_profile
from drivers.printer.raster import render_image
from drivers.printer.text import text_columns
from kiosk.slips import MISSING_MARK, UnknownMaterialError, build_notice, build_test_page, resolve_missing


def printed(doc, profile="generic-80") -> list[str]:
    return [line.text for line in layout(doc, get_profile(profile)) if isinstance(line, TextLine)]


def squeezed(doc, profile="generic-80") -> str:
    return "".join("".join(printed(doc, profile)).split())


def notice(item=None, missing=(), centre="default"):
    return build_notice(
        item or company_item(),
        center() if centre == "default" else centre,
        terminal_id=TERMINAL,
        printed_at=PRINTED_AT,
        missing=missing,
    )


def test_notice_has_every_part():
    doc = notice()
    text = squeezed(doc)
    lines = printed(doc)
    assert lines[0] == "永城市政务服务中心" and lines[1] == "一次性告知单"
    for expected in (
        "事项名称：有限责任公司设立登记",
        "事项编码：1141148100492981054010001",
        "实施部门：永城市市场监督管理局",
        "A01号窗口企业开办综合窗口（一楼A区）",
        "A02号窗口",
        "法定办结时限：20个工作日",
        "承诺办结时限：5个工作日（材料齐全的当场办结）",
        "《中华人民共和国公司法》第二十九条",
        "申请人为依法设立有限责任公司的股东",
        "1.申请：在线申报",
        "4.决定：准予登记的，核发营业执照",
        "不收费",
        "咨询电话0370-5102315",
        "监督投诉电话0370-5138123",
        f"终端编号{TERMINAL}",
        "打印时间2025-03-1810:31",
    ):
        assert expected in text, expected
    assert "补正" not in text and MISSING_MARK not in text


def test_every_material_with_type_form_copies_and_necessity():
    text = squeezed(notice())
    assert "申请材料（共5项）" in text
    assert "1.公司登记（备案）申请书【必要】申请表格文书·纸质+电子·1份·A4纸" in text
    assert "3.股东的主体资格文件或自然人身份证明【必要】证件证书证明·纸质+电子·1份·复印件1份，A4纸·政府部门核发" in text
    assert "4.住所使用相关文件【容缺后补】其他·纸质·1份" in text
    assert "5.授权委托书及受托人居民身份证（委托他人代办时提供）【非必要】其他·纸质·查验原件" in text
    assert "须知：全体股东签字（自然人）或盖章（法人）" in text


def test_qr_is_the_mobile_address_else_the_pc_address_else_none():
    def qrs(doc):
        return [b.data for b in doc.blocks if isinstance(b, QrCode)]

    assert qrs(notice()) == [MOBILE_URL]
    assert qrs(notice(company_item(online="pc"))) == [PC_URL]
    assert qrs(notice(company_item(online="none"))) == []


def test_time_limit_zero_is_handled_on_the_spot():
    item = company_item()
    item.legal_limit_value = 0
    item.promised_limit_value = 0
    item.promised_limit_note = ""
    text = squeezed(notice(item))
    assert "法定办结时限：即办" in text and "承诺办结时限：即办" in text
    item.legal_limit_unit = "natural_day"
    item.legal_limit_value = 30
    assert "法定办结时限：30个自然日" in squeezed(notice(item))


def test_fees_with_standard_and_basis():
    item = company_item()
    item.fee_charged = True
    item.fee_standard = "工本费¥20元/证"
    item.fee_basis = "豫发改收费〔2017〕1号"
    text = squeezed(notice(item))
    assert "工本费¥20元/证" in text and "收费依据：豫发改收费〔2017〕1号" in text
    # On a GBK printer the ¥ prints as ￥ -- as text, not as "?".
    from drivers.printer.escpos import render_escpos

    assert "工本费￥20元".encode("gbk") in render_escpos(notice(item), get_profile("gbk-80"))


def test_item_not_handled_here_names_the_department():
    item = company_item(in_center=False, windows=False)
    text = squeezed(notice(item))
    assert "本事项不在本中心办理" in text
    assert "请到：永城市市场监督管理局" in text
    assert "地址：永城市东城区雪枫路与芒砀路交叉口东北角" in text
    assert "电话：0370-5102315" in text
    assert "号窗口" not in text


def test_no_center_row_still_builds():
    doc = notice(centre=None)
    assert printed(doc)[0] == "政务服务中心"


def test_missing_materials_make_the_correction_list():
    doc = notice(missing=["住所使用相关文件", "公司章程"])
    lines = printed(doc)
    text = squeezed(doc)
    assert lines[1] == "补正材料清单"
    assert "《中华人民共和国行政许可法》第三十二条" in text
    assert "需补正的材料（共2项）" in text and "其他材料（共3项）" in text
    # Missing ones first (catalog order among them), marked; then the rest.
    first = text.index(f"1.{MISSING_MARK}公司章程【必要】")
    second = text.index(f"2.{MISSING_MARK}住所使用相关文件【容缺后补】")
    rest = text.index("3.公司登记（备案）申请书【必要】")
    assert first < second < rest
    assert text.count(MISSING_MARK) == 2
    # A deferrable one is missing: 容缺后补 is explained.
    assert "容缺受理" in text and "承诺的期限内补交" in text
    # Still a full notice: where to go, time limits, QR.
    assert "A01号窗口" in text and "法定办结时限" in text
    assert any(isinstance(b, QrCode) for b in doc.blocks)


def test_no_deferrable_note_when_no_deferrable_material_is_missing():
    assert "容缺受理——" not in squeezed(notice(missing=["公司章程"]))


def test_missing_by_id_and_unknown_names_are_errors():
    item = company_item()
    assert [m.name for m in resolve_missing(item, [102, "104"])] == ["公司章程", "住所使用相关文件"]
    with pytest.raises(UnknownMaterialError) as caught:
        notice(missing=["公司章程", "户口本"])
    assert caught.value.unknown == ["户口本"]
    assert "户口本" in str(caught.value) and "公司章程" in str(caught.value)
    with pytest.raises(UnknownMaterialError):
        resolve_missing(item, [999])


def test_builder_is_pure():
    a, b = notice(missing=["公司章程"]), notice(missing=["公司章程"])
    assert a == b
    later = build_notice(company_item(), center(), terminal_id="YC-24H-02", printed_at=PRINTED_AT.replace(hour=22), missing=())
    assert "YC-24H-02" in squeezed(later) and "22:31" in squeezed(later)


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_notice_fits_every_paper_and_the_qr_scans(name):
    profile = get_profile(name)
    doc = notice(missing=["公司章程"])
    for line in layout(doc, profile):
        if isinstance(line, TextLine):
            assert text_columns(line.text) * line.width <= profile.columns, (name, line.text)
    image = render_image(doc, profile)
    assert image.width == profile.width_dots
    assert MOBILE_URL in [r.text for r in zxingcpp.read_barcodes(image)]
    assert any(isinstance(line, QrLine) for line in layout(doc, profile))


def test_long_material_names_wrap_without_losing_characters():
    item = company_item()
    long_name = "法定代表人、董事、监事和高级管理人员的任职文件及身份证明（含Passport No. E12345678及ID 411481199001011234）"
    item.materials[0] = replace_material(item.materials[0], name=long_name)
    for profile in ("generic-80", "generic-58"):
        assert "".join(long_name.split()) in squeezed(notice(item), profile)


def replace_material(material, **changes):
    from kiosk.catalog.models import Material

    fields = {c: getattr(material, c) for c in ("id", "position", "name", "type", "form", "necessity", "copies", "spec", "source", "notes")}
    fields.update(changes)
    return Material(**fields)


def test_test_page_names_the_terminal_and_the_status():
    from drivers.printer.status import PrinterStatus, StatusKind

    status = PrinterStatus(frozenset({StatusKind.PAPER_NEAR_END}), {"4": b"\x1e"})
    doc = build_test_page(get_profile("gbk-80"), status, terminal_id=TERMINAL, printed_at=PRINTED_AT, uri="tcp://10.0.0.9")
    text = squeezed(doc, "gbk-80")
    assert TERMINAL in text and "gbk-80" in text and "纸将尽" in text and "4=1e" in text and "tcp://10.0.0.9" in text
    assert "123456789012345678901234567890123456789012345678" in text
    assert "¥10.00" in text
    assert any(isinstance(b, QrCode) for b in doc.blocks)


def test_dataclass_replace_is_not_needed_for_items():
    # ServiceItem is an ORM class, not a dataclass: the samples module builds fresh objects.
    with pytest.raises(TypeError):
        replace(company_item())
