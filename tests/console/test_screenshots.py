"""Screenshots of every console page at desk and phone width, with a morning's data of three
terminals, for docs/console/ (make console-screenshots sets CONSOLE_SCREENSHOTS=docs/console).
Without CONSOLE_SCREENSHOTS it still opens every page with that data and checks what shows."""

from __future__ import annotations

from datetime import datetime, timedelta

from console_support import ADMIN, DESK, HELPER, PHONE, REPO, shot, sign_in

PAGES = (
    ("terminals", "终端总览"), ("terminals/T02", "二号机"), ("faults", "打印纸将尽"), ("calls", "呼叫号"),
    ("proxies", "DB-"), ("feedback", "满意率"), ("catalog", "事项目录"), ("staff", "人员与AB岗"),
    ("workdays", "工作日"), ("reports", "报表"),
)


def seed(database) -> None:
    import json

    from kiosk.catalog import exchange
    from kiosk.devices.faults import FaultLog
    from kiosk.devices.models import DeviceStateRecord
    from kiosk.feedback.service import FeedbackService
    from kiosk.assistance.service import HelperService
    from kiosk.privacy import PrivacyKey
    from kiosk.staff.service import StaffService

    with database.session() as session:
        data = exchange.validate(json.loads((REPO / "tests" / "catalog" / "small_catalog.json").read_text(encoding="utf-8")))
        exchange.apply(session, data, replace=False)
    names = {"T01": "一号机（大厅）", "T02": "二号机（市场监管窗口）", "T03": "三号机（24小时区）"}
    now = datetime.now().replace(microsecond=0)
    staff = StaffService(database, terminal="T01")
    staff.assign_terminal("2001", "1001", terminal="T01", actor="seed")
    staff.assign_terminal("2001", None, terminal="T02", actor="seed")
    with database.session() as session:
        for tid, severity, conditions, message, age in (
            ("T01", "warning", ["paper_near_end"], "打印纸将尽", 0), ("T02", "ok", [], "正常", 0),
            ("T03", "error", ["cover_open"], "打印机盖板打开", 400),
        ):
            session.merge(DeviceStateRecord(terminal=tid, device="printer", conditions=conditions, severity=severity,
                                            message=message, raw={}, detail="", read_at=now, reporter="seed",
                                            updated_at=now - timedelta(seconds=age)))
    FaultLog(database, staff, terminal="T01", terminal_name=names["T01"]).observe("printer", "paper_near_end", message="打印纸将尽")
    FaultLog(database, staff, terminal="T03", terminal_name=names["T03"]).observe("printer", "cover_open", message="打印机盖板打开")
    for tid in ("T01", "T02"):
        feedback = FeedbackService(database, terminal=tid, terminal_name=names[tid])
        for level in (5, 5, 4, 3, 2):
            feedback.rate(level, item_code="411481-SCJG-001", item_name="个体工商户设立登记")
    FeedbackService(database, terminal="T02").submit("suggestion", "hall", "希望大厅多放几把椅子", phone="13900001111")
    helpers = HelperService(database, terminal="T02", terminal_name=names["T02"], key=PrivacyKey(b"k" * 32), staff=staff)
    helpers.raise_call(screen="item", screen_label="事项详情", item_code="411481-SCJG-001", item_name="个体工商户设立登记")
    helpers.record_help(("3001", "张帮办"), help_types=["online", "forms"], item_code="411481-SCJG-001", item_name="个体工商户设立登记")
    try:
        helpers.create_proxy(("3001", "张帮办"), citizen_name="李秀英", phone="13812345678", item_code="411481-SCJG-001",
                             handed_over=(), home_visit=True, visit_reasons=["高龄"], address="河南省某某市某某县城关镇幸福路8号")
    except Exception:  # noqa: BLE001 - the sample item's materials may ask for more; the page shows none then
        pass


def test_every_page_with_data_at_desk_and_phone_width(new_page, center_server, center_db):
    seed(center_db)
    for viewport, suffix in ((DESK, "desk"), (PHONE, "phone")):
        page = sign_in(new_page(viewport), center_server, ADMIN)
        for path, expected in PAGES:
            response = page.goto(f"{center_server}/{path}")
            assert response.status == 200, path
            assert expected in page.inner_text("main"), path
            shot(page, f"{path.replace('/', '-')}-{suffix}")
    page = new_page(PHONE)
    page.goto(center_server + "/login")
    shot(page, "login-phone")
    page = sign_in(new_page(PHONE), center_server, HELPER)
    shot(page, "calls-helper-phone")
