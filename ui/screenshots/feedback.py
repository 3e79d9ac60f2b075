"""Screenshots of the rating offer, the feedback screen and the admin summary (ui/screenshots
adds FEEDBACK_SCREENS to SCREENS). A screenshot never records a rating or a case in the
terminal's database, nor tells the center of one: where the citizen's way would (a poor rating,
a submitted complaint, the admin's figures), sample data held in memory is shown, and the
sample services (ui/screenshots/fakes.py) record nothing."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta

from kiosk.feedback.service import ComplaintInfo, RatingInfo
from kiosk.reports.base import Period
from kiosk.reports.summary import DeviceFaults, Summary


def _settle(shell) -> None:
    from ui.screenshots import settle

    settle(shell)


def show_feedback(shell, item):
    shell.go("feedback")


def show_rating_offer(shell, item):
    """A progress query answered: the bar asks for a rating over the top of the result."""
    from ui.screenshots import PROGRESS_REVIEWING, _query_progress

    _query_progress(shell, *PROGRESS_REVIEWING)


#: sample ratings' ids: never one of the database's, never the same twice (the feedback screen
#: remembers which ratings got their reasons)
_rating_ids = itertools.count(-1, -1)


def demo_rating() -> RatingInfo:
    now = datetime.now().replace(second=0, microsecond=0)
    return RatingInfo(next(_rating_ids), "YC-HALL-01", "progress", "", "食品经营许可（新办）", now, 2, (), "", None)


def demo_case() -> ComplaintInfo:
    now = datetime.now().replace(second=0, microsecond=0)
    return ComplaintInfo(
        0, f"TS-{now:%Y%m%d}-001", "complaint", "terminal", "打印不出凭条", "YC-HALL-01", "", "", "138****5678",
        now, "received", "", "", None, "", "", None, True,
    )


def show_rating_poor(shell, item):
    """不满意 (sample data: nothing is recorded or sent): the reasons, two chosen, a phone typed."""
    show_rating_offer(shell, item)
    _settle(shell)
    screen = shell.go("feedback", page="reasons", rating=demo_rating())
    screen.reason_rows["slow"].click()
    screen.reason_rows["unclear"].click()
    for digit in "1381234":
        screen.reasons_keypad.keys[digit].click()


def _complaint_form(shell):
    screen = shell.go("feedback", page="complaint")
    screen.kind_buttons["complaint"].click()
    screen.subject_buttons["terminal"].click()
    screen.phrase_rows[0].click()
    return screen


def show_complaint(shell, item):
    screen = _complaint_form(shell)
    screen.phone_keys_button.click()
    for digit in "13812345678":
        screen.phone_keypad.keys[digit].click()


def show_complaint_done(shell, item):
    """Submitted (sample data: nothing is recorded or sent): the number on the screen."""
    screen = shell.go("feedback", page="complaint")
    screen.show_case(demo_case(), print_now=False)


def show_complaint_receipt(shell, item):
    """The receipt as it prints (the preview of the sample case)."""
    from kiosk.slips.feedback import build_feedback_receipt, receipt_title
    from ui.printing import PrintJob

    show_complaint_done(shell, item)
    case, center, services = demo_case(), shell.center, shell.services
    document = build_feedback_receipt(case, center.name, terminal_id=services.config.terminal.id,
                                      printed_at=case.created_at, center_phone=center.phone,
                                      center_address=center.address)
    shell.screens["feedback"].printing.run(
        PrintJob(receipt_title(case.kind), lambda: document, print=lambda document: None)
    )


def demo_summary() -> Summary:
    today = date.today()
    now = datetime.now().replace(second=0, microsecond=0)

    def case(number, kind, subject, text, status, hours, phone="", to=""):
        created = now - timedelta(hours=hours)
        return ComplaintInfo(
            0, number, kind, subject, text, "YC-HALL-01", "", "", phone, created, status, to, "1001" if to else "",
            created + timedelta(hours=1) if to else None, "", "", None, True,
        )

    day = f"{today:%Y%m%d}"
    return Summary(
        Period(today.replace(day=1), today),
        {5: 214, 4: 96, 3: 23, 2: 7, 1: 3},
        callbacks=5,
        complaints=4,
        suggestions=6,
        open_cases=(
            case(f"TS-{day}-002", "complaint", "attitude", "工作人员态度生硬；问问题没人理", "forwarded", 5,
                 "138****5678", "县不动产登记中心窗口"),
            case(f"TS-{day}-003", "complaint", "terminal", "打印不出凭条", "received", 2),
            case(f"JY-{day}-004", "suggestion", "hall", "建议增加座位；建议增设老年人和残疾人服务", "received", 1, "139****1234"),
        ),
        faults=(DeviceFaults("printer", "打印机", 5, 1), DeviceFaults("disk", "存储空间", 1, 0)),
        helper_cases={"帮网办": 31, "帮手机办": 18, "材料填写": 22, "办理进度查询": 9, "代办": 4, "未帮办（无人响应）": 1},
        helper_total=79,
    )


def show_admin_summary(shell, item):
    from ui.screenshots.staff import _signed_in

    _signed_in(shell, "summary", admin=True)


FEEDBACK_SCREENS = {
    "feedback": ("评价建议", show_feedback),
    "rating-offer": ("查询后请群众评价（好差评）", show_rating_offer),
    "rating-poor": ("差评：原因和回访电话", show_rating_poor),
    "complaint": ("投诉或建议", show_complaint),
    "complaint-done": ("投诉已受理：编号和回执", show_complaint_done),
    "complaint-receipt": ("投诉受理回执", show_complaint_receipt),
    "admin-summary": ("管理员：统计概览（示例数据）", show_admin_summary),
}
