"""Proxy requests (代办): the materials handed over checked against the item's list, numbering,
the home visit, masking and what is stored, following up, closing, the purge, and the printed
receipt read back from the ESC/POS emulator."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import timedelta

import pytest
from assistance_support import FORM, HELPER, HELPER2, ID_PROOF, ITEM, ITEM_NAME, PREMISES, sent

from emulators.escpos import EmulatedPrinter
from kiosk.config import Config, PrinterConfig, TerminalConfig
from kiosk.assistance import HelperError
from kiosk.printing import PrintService
from kiosk.slips.proxy import build_proxy_receipt

ME = (HELPER, "刘红梅")
CITIZEN = dict(citizen_name="王小明", phone="138 1234 5678", item_code=ITEM)
ADDRESS = "河南省永城市东城区光明路12号3单元401"


def test_a_request_with_every_required_material(helpers, notifier, clock):
    request = helpers.create_proxy(ME, **CITIZEN, handed_over=[FORM, ID_PROOF], notes="营业执照办好后电话通知")
    assert request.number == "DB-20260302-001"
    assert request.citizen_name == "王*明" and request.phone_masked == "138****5678"
    assert request.item_name == ITEM_NAME and request.status_zh == "代办中" and not request.home_visit
    assert [(m.name, m.handed_over) for m in request.materials] == [(FORM, True), (ID_PROOF, True), (PREMISES, False)]
    assert request.missing_required == []
    assert helpers.create_proxy(ME, **CITIZEN, handed_over=[1, 2, 3]).number == "DB-20260302-002"
    clock.advance(days=1)
    assert helpers.create_proxy(ME, **CITIZEN, handed_over=[FORM, ID_PROOF]).number == "DB-20260303-001"
    note = sent(notifier, "proxy_request")[0]
    assert note.title == "【代办申请】DB-20260302-001"
    assert "材料：已交 2 项，未交 1 项" in note.text and "王" not in note.text


def test_required_materials_must_be_handed_over_without_a_home_visit(helpers):
    with pytest.raises(HelperError) as refused:
        helpers.create_proxy(ME, **CITIZEN, handed_over=[FORM])
    assert refused.value.zh == f"还缺必要材料：{ID_PROOF}。代办需要材料齐全；请一次性告知群众补齐，或登记上门服务"
    with pytest.raises(HelperError) as unknown:
        helpers.create_proxy(ME, **CITIZEN, handed_over=[FORM, ID_PROOF, "户口本"])
    assert unknown.value.zh == f"“户口本”不是事项“{ITEM_NAME}”的申请材料"
    with pytest.raises(HelperError) as position:
        helpers.create_proxy(ME, **CITIZEN, handed_over=[1, 2, 9])
    assert position.value.zh == f"事项“{ITEM_NAME}”没有第 9 项材料"
    assert helpers.proxies() == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"citizen_name": " "}, "请填写群众姓名"),
        ({"citizen_name": "王小明2"}, "姓名“王小明2”无效：不能含数字或符号，最多20个字"),
        ({"phone": "12345"}, "电话号码“12345”无效：请填写11位手机号，或带区号的固定电话"),
        ({"phone": "1381234567"}, "电话号码“1381234567”无效：请填写11位手机号，或带区号的固定电话"),
        ({"item_code": ""}, "请选择代办的事项"),
        ({"item_code": "NO-SUCH"}, "事项编码“NO-SUCH”不在事项目录中"),
    ],
)
def test_bad_input_is_explained(helpers, change, message):
    with pytest.raises(HelperError) as refused:
        helpers.create_proxy(ME, **{**CITIZEN, **change}, handed_over=[FORM, ID_PROOF])
    assert refused.value.zh == message


def test_a_home_visit_collects_what_is_missing(helpers, notifier):
    with pytest.raises(HelperError) as no_reason:
        helpers.create_proxy(ME, **CITIZEN, home_visit=True, address=ADDRESS)
    assert no_reason.value.zh == "请选择需要上门服务的原因（如行动不便、高龄）"
    with pytest.raises(HelperError) as no_address:
        helpers.create_proxy(ME, **CITIZEN, home_visit=True, visit_reasons=["高龄"], address="东城")
    assert no_address.value.zh == "请填写上门服务的详细地址"
    with pytest.raises(HelperError) as bad_reason:
        helpers.create_proxy(ME, **CITIZEN, home_visit=True, visit_reasons=["太忙"], address=ADDRESS)
    assert bad_reason.value.zh.startswith("上门原因“太忙”无效")
    request = helpers.create_proxy(ME, **CITIZEN, handed_over=[FORM], home_visit=True, visit_reasons=["行动不便", "高龄"],
                                   address=ADDRESS)
    assert request.home_visit and request.visit_reasons == ("行动不便", "高龄")
    assert request.address_masked == "河南省永城市东城区****"
    assert [m.name for m in request.missing_required] == [ID_PROOF]
    note = sent(notifier, "proxy_request")[0]
    assert note.title == "【代办申请】DB-20260302-001（上门服务）"
    assert "地址：河南省永城市东城区****（完整地址见帮办模式）" in note.text and "光明路" not in note.text
    # the full address only for a helper, and every look is audited
    assert helpers.full_address(request.number, (HELPER2, "赵建国")) == ADDRESS
    assert [a.action for a in helpers.staff.audit_entries(actor=HELPER2)] == ["proxy.address"]


def test_only_masked_and_hashed_personal_data_is_stored(helpers, data_dir):
    helpers.create_proxy(ME, **CITIZEN, handed_over=[FORM, ID_PROOF])
    connection = sqlite3.connect(data_dir / "kiosk.sqlite3")
    dump = "\n".join(connection.iterdump())
    connection.close()
    assert "王小明" not in dump and "13812345678" not in dump and "12345678" not in dump
    assert "王*明" in dump and "138****5678" in dump


def test_a_citizen_following_up_needs_the_number_and_the_phone(helpers):
    number = helpers.create_proxy(ME, **CITIZEN, handed_over=[FORM, ID_PROOF]).number
    assert helpers.find_proxy(number, "5678").number == number
    assert helpers.find_proxy(number.lower(), "13812345678").number == number
    assert helpers.find_proxy(number, "5679") is None
    assert helpers.find_proxy(number, "13812345679") is None
    assert helpers.find_proxy("DB-20260302-999", "5678") is None
    with pytest.raises(HelperError) as bad:
        helpers.proxy("12345")
    assert bad.value.zh == "代办编号“12345”格式不对，应为 DB-年月日-序号，如 DB-20260302-001"


def test_a_request_from_a_call_ends_the_call(helpers):
    call = helpers.raise_call(screen="item", item_code=ITEM, item_name=ITEM_NAME).call
    request = helpers.create_proxy(ME, **CITIZEN, handed_over=[FORM, ID_PROOF], call_id=call.id)
    assert helpers.call(call.id).status == "closed" and helpers.call(call.id).taken_by == HELPER
    entries = helpers.ledger(call.raised_at, call.raised_at + timedelta(hours=1))
    assert [(e.outcome_zh, e.help_types_zh, e.call_number, e.proxy_number) for e in entries] == [
        ("转为代办", "代办", "001", ""),
        ("代办中", "代办", "001", request.number),
    ]


def test_closing_finishes_the_ledger_entry_and_the_purge_erases_the_person(helpers, clock):
    request = helpers.create_proxy(ME, **CITIZEN, handed_over=[FORM], home_visit=True, visit_reasons=["残疾"],
                                   address=ADDRESS)
    with pytest.raises(HelperError) as bad_outcome:
        helpers.close_proxy(request.number, ME, outcome="resolved")
    assert "办理结果“已办结”无效" in bad_outcome.value.zh
    clock.advance(days=3)
    closed = helpers.close_proxy(request.number, (HELPER2, "赵建国"), outcome="proxy_done", notes="证照已送达")
    assert closed.status == "closed" and closed.outcome_zh == "代办完成" and closed.closed_by == HELPER2
    with pytest.raises(HelperError) as twice:
        helpers.close_proxy(request.number, ME)
    assert twice.value.zh == f"代办申请 {request.number} 已结束（代办完成）"
    [entry] = helpers.ledger(request.created_at, clock.now)
    assert entry.outcome_zh == "代办完成" and entry.finished_at == clock.now
    assert entry.help_types_zh == "代办、上门服务" and entry.notes == "证照已送达"
    # an open request is kept whatever its age; a closed one until purge_after_days (30) have passed
    open_one = helpers.create_proxy(ME, **CITIZEN, handed_over=[FORM, ID_PROOF])
    clock.advance(days=29)
    assert helpers.purge() == 0
    clock.advance(days=1)
    assert helpers.purge() == 1
    purged = helpers.proxy(request.number)
    assert (purged.citizen_name, purged.phone_masked, purged.address_masked, purged.visit_reasons) == ("", "", "", ())
    assert purged.purged_at == clock.now and purged.item_name == ITEM_NAME and len(purged.materials) == 3
    assert helpers.find_proxy(request.number, "5678") is None
    with pytest.raises(HelperError) as gone:
        helpers.full_address(request.number, ME)
    assert gone.value.zh == f"代办申请 {request.number} 没有上门地址（或已按规定删除）"
    assert helpers.proxy(open_one.number).citizen_name == "王*明"
    [entry] = helpers.ledger(request.created_at, request.created_at + timedelta(minutes=1))
    assert entry.outcome_zh == "代办完成"  # the ledger stays
    assert helpers.purge() == 0


def _receipt(helpers, request):
    return build_proxy_receipt(request, "永城市政务服务中心", terminal_id="YC-HALL-01", printed_at=request.created_at,
                               center_phone="0370-5111234", center_address="永城市东城区欧亚路中段")


def test_the_receipt_lists_the_materials_and_how_to_follow_up(helpers, tmp_path):
    request = helpers.create_proxy(ME, **CITIZEN, handed_over=[FORM], home_visit=True, visit_reasons=["行动不便"],
                                   address=ADDRESS)
    config = Config(terminal=TerminalConfig(id="YC-HALL-01"), data_dir=tmp_path,
                    printer=PrinterConfig(uri="sim://", profile="generic-80"))
    with EmulatedPrinter("generic-80") as emulator:
        service = PrintService.from_config(replace(config, printer=PrinterConfig(uri=emulator.uri)), timeout=1.0)
        try:
            outcome = service.print_document(_receipt(helpers, request))
        finally:
            service.close()
        assert outcome.ok
        job = emulator.wait_for_jobs(1)[0]
    assert not job.undecodable and not job.unknown_commands and not job.warnings and job.cut
    text = "".join(job.text.split())
    assert job.lines[:2] == ["永城市政务服务中心", "代办受理回执"]
    for expected in (
        "代办编号：DB-20260302-001", f"代办事项：{ITEM_NAME}", "申请人：王*明", "联系电话：138****5678",
        "代办员：刘*梅（工号2001）", "上门服务：是（行动不便）", "上门地址：河南省永城市东城区****",
        "【已交接材料】（1项）", f"1.√{FORM}（1份）", "【尚未交接的材料】（2项）", f"1.{ID_PROOF}（必要）",
        f"2.{PREMISES}（容缺后补）", "必要材料请在上门服务时交给代办员。", "代办编号和登记手机号的后4位",
        "拨打中心咨询电话0370-5111234", "帮办代办全程免费", "终端编号YC-HALL-01",
    ):
        assert expected in text, expected
    assert "王小明" not in text and "5678" not in text.replace("138****5678", "") and "光明路" not in text


def test_the_receipt_fits_58mm_paper(helpers, tmp_path):
    request = helpers.create_proxy(ME, **CITIZEN, handed_over=[FORM, ID_PROOF])
    with EmulatedPrinter("generic-58") as emulator:
        config = Config(terminal=TerminalConfig(id="YC-HALL-01"), data_dir=tmp_path,
                        printer=PrinterConfig(uri=emulator.uri, profile="generic-58"))
        service = PrintService.from_config(config, timeout=1.0)
        try:
            assert service.print_document(_receipt(helpers, request)).ok
        finally:
            service.close()
        job = emulator.wait_for_jobs(1)[0]
    assert not job.undecodable and not job.warnings and not job.wrapped
    assert "暂无" not in job.text and "尚未交接" in job.text  # the optional 容缺后补 one
