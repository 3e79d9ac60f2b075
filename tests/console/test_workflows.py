"""The console's work in a real browser: help calls raised by a terminal process, faults,
complaints, the catalog, reports."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook

from console_support import ADMIN, HELPER, HELPER2, MAINTAINER, PHONE, REPO, shot, sign_in

HERE = Path(__file__).parent


def raise_call_on_terminal(center_db, terminal: str, name: str) -> str:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    done = subprocess.run([sys.executable, str(HERE / "raise_call.py"), center_db.url, terminal, name],
                          env=env, capture_output=True, text=True, timeout=60, check=True)
    return done.stdout.strip()


def test_a_call_taken_in_one_browser_disappears_from_the_other(new_page, center_server, center_db):
    first = sign_in(new_page(PHONE), center_server, HELPER)
    second = sign_in(new_page(PHONE), center_server, HELPER2)
    number = raise_call_on_terminal(center_db, "T03", "三号机（24小时区）")
    card = f"article[data-call='{number}']"
    # both helpers' pages show it by themselves (polling), without a reload
    first.wait_for_selector(card, timeout=8000)
    second.wait_for_selector(card, timeout=8000)
    assert "三号机（24小时区）" in first.inner_text(card)
    shot(first, "calls-open-phone")
    first.click(f"{card} button:has-text('接单')")
    assert f"已接单：呼叫号 {number}" in first.inner_text(".flash")
    # on the other phone the take button goes away and it says who took it
    second.wait_for_selector(f"{card} .badge:has-text('已接单')", timeout=8000)
    assert second.locator(f"{card} button:has-text('接单')").count() == 0
    assert "张帮办" in second.inner_text(card)
    # the first closes it with help types and an outcome: it leaves both lists and is in the ledger
    first.click(f"{card} summary")
    first.check(f"{card} input[value=online]")
    first.check(f"{card} input[value=forms]")
    first.select_option(f"{card} select[name=outcome]", "resolved")
    first.fill(f"{card} input[name=notes]", "已协助网上申报")
    first.click(f"{card} button:has-text('结束')")
    assert "已结束并记入台账" in first.inner_text(".flash")
    second.wait_for_selector(card, state="detached", timeout=8000)
    first.goto(center_server + "/proxies")
    ledger = first.inner_text("main")
    assert "帮网办、材料填写" in ledger and "已办结" in ledger and "张帮办" in ledger


def test_a_second_take_of_the_same_call_is_refused(new_page, center_server, center_db):
    number = raise_call_on_terminal(center_db, "T04", "四号机")
    first = sign_in(new_page(), center_server, HELPER)
    second = sign_in(new_page(), center_server, HELPER2)
    card = f"article[data-call='{number}']"
    second.wait_for_selector(card)
    second.evaluate("document.querySelectorAll('[data-live]').forEach(b => b.removeAttribute('data-live'))")
    first.click(f"{card} button:has-text('接单')")
    second.click(f"{card} button:has-text('接单')")  # its page is stale: the button is still there
    assert "已由 张帮办 接单" in second.inner_text(".flash")


def test_a_maintainer_acknowledges_and_resolves_a_fault(new_page, center_server, center_db):
    from kiosk.devices.faults import FaultLog
    from kiosk.staff.service import StaffService

    log = FaultLog(center_db, StaffService(center_db, terminal="T05"), terminal="T05", terminal_name="五号机")
    log.observe("printer", "paper_out", message="打印纸用完")
    page = sign_in(new_page(), center_server, MAINTAINER)
    page.goto(center_server + "/faults")
    row = page.locator("tr", has_text="T05").first
    assert "待处理" in row.inner_text()
    shot(page, "faults-open-desk")
    row.locator("button:has-text('确认')").click()
    assert "已确认" in page.inner_text(".flash")
    row = page.locator("tr", has_text="T05").first
    row.locator("summary").click()
    row.locator("input[name=note]").fill("已更换纸卷")
    row.locator("button:has-text('标为已解决')").click()
    assert "已解决" in page.inner_text(".flash")
    page.goto(center_server + "/faults?status=resolved&terminal=T05")
    assert "已更换纸卷" in page.inner_text("main")
    # the terminal's own log says the same (one fault, one owner)
    assert log.list("resolved")[0].resolved_by == MAINTAINER[0]


def test_an_admin_forwards_and_answers_a_complaint_and_sees_the_phone_on_a_click(new_page, center_server, center_db):
    from kiosk.feedback.service import FeedbackService
    from kiosk.staff.service import StaffService

    case = FeedbackService(center_db, terminal="T06").submit(
        "complaint", "efficiency", "排队等候时间太长", phone="13812345678")
    page = sign_in(new_page(), center_server, ADMIN)
    page.goto(center_server + "/feedback")
    card = page.locator(f"#case-{case.number}")
    assert "138****5678" in card.inner_text() and "13812345678" not in page.content()
    card.locator("summary").click()
    card.locator("input[name=to]").fill("市场监管局窗口")
    card.locator("button:has-text('转办')").click()
    assert "已转办至 市场监管局窗口" in page.inner_text(".flash")
    card = page.locator(f"#case-{case.number}")
    assert "已转办" in card.inner_text()
    page.on("dialog", lambda dialog: dialog.accept())
    card.locator("button:has-text('查看完整号码')").click()
    assert page.inner_text("#full-phone") == "13812345678"
    audit = StaffService(center_db, terminal="x").audit_entries(20, action="complaint.phone")
    assert audit and audit[0].actor == ADMIN[0] and audit[0].target == case.number
    page.goto(center_server + "/feedback")
    card = page.locator(f"#case-{case.number}")
    card.locator("summary").click()
    card.locator("textarea[name=text]").fill("已协调增开窗口，感谢您的意见。")
    card.locator("button:has-text('答复并办结')").click()
    assert "已答复" in page.inner_text(".flash")
    assert "已协调增开窗口" in page.inner_text(f"#case-{case.number}")
    assert FeedbackService(center_db, terminal="T06").get(case.number).status == "answered"


def test_a_bad_catalog_is_refused_with_locations_and_a_good_one_is_published(new_page, center_server, center_db, tmp_path):
    from kiosk.catalog.models import ServiceItem
    from sqlalchemy import select

    good = json.loads((REPO / "tests" / "catalog" / "small_catalog.json").read_text(encoding="utf-8"))
    bad = json.loads(json.dumps(good))
    bad["items"][1]["department"] = "NO-SUCH-DEPT"
    del bad["items"][2]["name"]
    (tmp_path / "bad.json").write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "good.json").write_text(json.dumps(good, ensure_ascii=False), encoding="utf-8")
    with center_db.session() as session:
        published = set(session.scalars(select(ServiceItem.code)))
    page = sign_in(new_page(), center_server, ADMIN)
    page.goto(center_server + "/catalog")
    panel = "#panel-catalog"
    (tmp_path / "gbk.json").write_bytes(json.dumps({"center": {"name": "县政务服务中心"}}, ensure_ascii=False).encode("gbk"))
    page.set_input_files(f"{panel} input[type=file]", str(tmp_path / "gbk.json"))
    page.click(f"{panel} button:has-text('上传并校验')")
    assert "gbk.json 不是 UTF-8 编码的文本" in page.inner_text(".flash")
    (tmp_path / "broken.json").write_text('{"format": "kiosk-catalog/1",\n "items": [', encoding="utf-8")
    page.set_input_files(f"{panel} input[type=file]", str(tmp_path / "broken.json"))
    page.click(f"{panel} button:has-text('上传并校验')")
    assert "not valid JSON at line 2" in page.inner_text(f"{panel} .error")
    page.set_input_files(f"{panel} input[type=file]", str(tmp_path / "bad.json"))
    page.click(f"{panel} button:has-text('上传并校验')")
    problems = page.inner_text(f"{panel} .error")
    assert "items[1].department" in problems and "items[2].name" in problems
    assert page.locator(f"{panel} button:has-text('发布到各终端')").count() == 0
    shot(page, "catalog-errors-desk")
    page.set_input_files(f"{panel} input[type=file]", str(tmp_path / "good.json"))
    page.click(f"{panel} button:has-text('上传并校验')")
    assert "校验通过" in page.inner_text(".flash")
    added = len({item["code"] for item in good["items"]} - published)
    assert f"新增\n{added}" in page.inner_text(f"{panel} .stats")
    shot(page, "catalog-diff-desk")
    page.on("dialog", lambda dialog: dialog.accept())
    page.click(f"{panel} button:has-text('发布到各终端')")
    assert "已发布" in page.inner_text(".flash")
    with center_db.session() as session:
        codes = set(session.scalars(select(ServiceItem.code)))
    assert codes == {item["code"] for item in good["items"]}
    # a second upload of a changed file shows what changed
    good["items"][0]["name"] = "个体工商户设立登记（新）"
    removed = good["items"].pop()
    (tmp_path / "good2.json").write_text(json.dumps(good, ensure_ascii=False), encoding="utf-8")
    page.set_input_files(f"{panel} input[type=file]", str(tmp_path / "good2.json"))
    page.click(f"{panel} button:has-text('上传并校验')")
    stats = page.inner_text(f"{panel} .stats")
    assert "新增\n0" in stats and "变更\n1" in stats and "删除\n1" in stats
    assert removed["code"] in page.inner_text(f"{panel} ul.diff-removed")


def test_reports_download_as_csv_with_bom_and_as_xlsx(new_page, center_server, center_db, tmp_path):
    from kiosk.feedback.service import FeedbackService

    FeedbackService(center_db, terminal="T07").rate(5, item_code="411481-SCJG-001", item_name="个体工商户设立登记")
    FeedbackService(center_db, terminal="T07").rate(2)
    page = sign_in(new_page(), center_server, ADMIN)
    page.goto(center_server + "/reports")
    with page.expect_download() as info:
        page.click("button:has-text('下载 CSV')")
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:3] == ["评价编号", "评价渠道", "评价渠道代码"]
    assert {r[3] for r in rows[1:]} >= {"T07"}
    page.select_option("select[name=name]", "ratings")
    with page.expect_download() as info:
        page.click("button:has-text('下载 Excel')")
    xlsx = tmp_path / info.value.suggested_filename
    info.value.save_as(xlsx)
    sheet = load_workbook(xlsx).active
    assert sheet.cell(1, 1).value == "评价编号"
    assert sheet.max_row >= 3
    page.goto(center_server + "/feedback?by=terminal")
    assert "T07" in page.inner_text("main")


def test_an_admin_enters_next_years_holidays_and_the_calendar_uses_them(new_page, center_server, center_db, tmp_path):
    from kiosk.workdays import WorkCalendar

    page = sign_in(new_page(PHONE), center_server, ADMIN)
    page.goto(center_server + "/workdays?year=2027")
    assert "节假日库还没有 2027 年的数据" in page.inner_text("main") or "节假日库中的安排" in page.inner_text("main")
    for day, kind, name in (("2027-10-04", "holiday", "国庆节"), ("2027-10-09", "workday", "国庆调休")):
        page.fill("input[name=day]", day)
        page.select_option("select[name=kind]", kind)
        page.fill("input[name=name]", name)
        page.click("form[action$='/workdays'] button[type=submit]")
        assert f"{day} 已设为" in page.inner_text(".flash")
    table = page.inner_text("main")
    assert "国庆节" in table and "调休上班" in table
    with page.expect_download() as info:
        page.click("a:has-text('下载日历文件')")
    path = tmp_path / "center-workdays.toml"
    info.value.save_as(path)
    calendar = WorkCalendar([path])
    from datetime import date

    assert not calendar.is_workday(date(2027, 10, 4))  # a Monday, made a holiday
    assert calendar.is_workday(date(2027, 10, 9))  # a Saturday, made a working day


def test_a_helper_sees_a_proxy_masked_and_the_full_address_only_on_an_audited_click(new_page, center_server, center_db):
    from kiosk.catalog import exchange
    from kiosk.assistance.service import HelperService
    from kiosk.privacy import PrivacyKey
    from kiosk.staff.service import StaffService

    good = json.loads((REPO / "tests" / "catalog" / "small_catalog.json").read_text(encoding="utf-8"))
    with center_db.session() as session:
        exchange.apply(session, exchange.validate(good))
    item = good["items"][0]  # with a home visit, missing materials are collected there
    proxy = HelperService(center_db, terminal="T08", key=PrivacyKey(b"s" * 32)).create_proxy(
        ("3001", "张帮办"), citizen_name="王秀兰", phone="13612345678", item_code=item["code"], home_visit=True,
        visit_reasons=["高龄"], address="河南省某某市某某县城关镇幸福路18号3单元")
    page = sign_in(new_page(PHONE), center_server, HELPER)
    page.goto(center_server + "/proxies?status=all")
    row = page.locator("tr", has_text=proxy.number)
    text_before = page.content()
    assert "幸福路18号" not in text_before and "13612345678" not in text_before and "王秀兰" not in text_before
    assert "136****5678" in row.inner_text()
    page.on("dialog", lambda dialog: dialog.accept())
    row.locator("button:has-text('查看完整地址')").click()
    assert page.inner_text("#full-address") == "河南省某某市某某县城关镇幸福路18号3单元"
    audit = StaffService(center_db, terminal="x").audit_entries(10, action="proxy.address")
    assert audit and audit[0].actor == HELPER[0] and audit[0].target == proxy.number
