"""A known data set for the report tests (importable as ``reports.report_data``): ratings,
cases and faults in March 2026 (and a few outside it), written the way the kiosk writes them."""

from __future__ import annotations

from datetime import datetime

from kiosk.clock import ManualClock
from kiosk.devices.models import DeviceFault
from kiosk.feedback import FeedbackService
from kiosk.assistance import HelperService
from kiosk.notify import LogNotifier

HALL, ZONE = "YC-HALL-01", "YC-24H-01"
COMPANY = ("1141148100492981054010001", "有限责任公司设立登记")


def fill(database) -> dict:
    clock = ManualClock(datetime(2026, 3, 2, 9, 0))
    hall = FeedbackService(database, terminal=HALL, terminal_name="大厅自助终端 1 号", notifier=LogNotifier(), clock=clock)
    zone = FeedbackService(database, terminal=ZONE, terminal_name="24小时自助区终端", notifier=LogNotifier(), clock=clock)
    hall.rate(5, source="print", item_code=COMPANY[0], item_name=COMPANY[1])
    clock.set(datetime(2026, 3, 2, 10, 0))
    hall.rate(4, source="progress", item_name="不动产登记")
    case = hall.submit("complaint", "attitude", "工作人员态度生硬", phone="13812345678")
    clock.set(datetime(2026, 3, 2, 11, 0))
    hall.rate(3, source="tile")
    hall.forward(case.number, "1001", "县市场监管局窗口")
    clock.set(datetime(2026, 3, 3, 9, 0))
    poor = hall.rate(2, source="print", item_code=COMPANY[0], item_name=COMPANY[1])
    hall.add_details(poor.id, ["slow", "unclear"], "13812345678")
    suggestion = hall.submit("suggestion", "hall", "=建议增加座位")
    clock.set(datetime(2026, 3, 4, 9, 0))
    worst = hall.rate(1, source="progress")
    hall.add_details(worst.id, ["attitude"], "")
    hall.answer(case.number, "1001", "已电话回复，窗口人员已批评教育")
    clock.set(datetime(2026, 3, 5, 20, 0))
    zone.rate(4, source="print")
    clock.set(datetime(2026, 4, 1, 9, 0))
    hall.rate(5, source="tile")  # after the period
    helpers = HelperService(database, terminal=HALL, terminal_name="大厅自助终端 1 号", notifier=LogNotifier(), clock=clock)
    zone_helpers = HelperService(database, terminal=ZONE, notifier=LogNotifier(), clock=clock)
    clock.set(datetime(2026, 3, 3, 10, 0))
    helpers.record_help(("2001", "刘红梅"), help_types=["online", "forms"], item_code=COMPANY[0], item_name=COMPANY[1])
    clock.set(datetime(2026, 3, 4, 15, 0))
    zone_helpers.record_help(("2002", "赵建国"), help_types=["progress"], outcome="guided")
    clock.set(datetime(2026, 3, 5, 16, 0))
    call = helpers.raise_call(screen="item", screen_label="事项一次性告知")
    helpers.cancel_call(call.call.id)
    clock.set(datetime(2026, 2, 27, 9, 0))
    helpers.record_help(("2001", "刘红梅"), help_types=["mobile"])  # before the period
    with database.session() as session:
        session.add_all([
            DeviceFault(terminal=HALL, device="printer", kind="paper_out", severity="error", status="resolved",
                        message="缺纸", detail="", first_seen=datetime(2026, 3, 2, 8, 0),
                        last_seen=datetime(2026, 3, 2, 8, 20), count=1, assigned_to="1001", assigned_role="A",
                        escalation_level=0, acknowledged_by="1001", acknowledged_at=datetime(2026, 3, 2, 8, 5),
                        resolved_by="1001", resolved_at=datetime(2026, 3, 2, 8, 30), note="已更换纸卷"),
            DeviceFault(terminal=HALL, device="printer", kind="print_failed", severity="error", status="open",
                        active_key=f"{HALL}|printer|print_failed", message="打印失败", detail="",
                        first_seen=datetime(2026, 3, 5, 14, 0), last_seen=datetime(2026, 3, 5, 14, 10), count=2,
                        assigned_role="", escalation_level=0, note=""),
            DeviceFault(terminal=HALL, device="disk", kind="disk_low", severity="warning", status="auto_resolved",
                        message="存储空间不足", detail="", first_seen=datetime(2026, 2, 20, 8, 0),
                        last_seen=datetime(2026, 2, 28, 23, 0), count=1, assigned_role="", escalation_level=0, note=""),
        ])
    return {"complaint": case.number, "suggestion": suggestion.number}
