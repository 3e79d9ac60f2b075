"""进度查询 as a citizen uses it: typing on our keyboard or scanning the acceptance notice, the
result with masked personal data and the time limit, the failure pause, the slip, the reset.

The sample applications are imported with their dates moved to today (tests/ui/conftest.py).
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from ui.qt import QLabel, QPushButton, Qt
from support import dialog_is

REVIEWING = ("YC2511170007", "5678")  # 食品经营许可（新办）, 5 working days, A05
OVERDUE = ("YC2511060002", "2468")  # 存量房买卖转移登记, deadline given, nine days ago
SAMPLES = {
    "YC2511170011": ("1234", "补正中", "需要您补正材料"),
    "YC2511200015": ("1357", "已受理", "距承诺办结日期还有 20 天"),
    "YC2511100003": ("5566", "已办结", "办结，在承诺时限内"),
    "YC2511050021": ("2020", "已送达", "办结，在承诺时限内"),
    "YC2511120009": ("1188", "不予受理", "作出不予受理决定"),
    "YC2511180004": ("3456", "审查中", "今天是承诺办结日期"),
}


def visible_texts(widget) -> str:
    from ui.qt import QApplication

    QApplication.processEvents()
    return "\n".join(label.text() for label in widget.findChildren(QLabel) if label.isVisibleTo(widget))


def open_screen(qtbot, shell, settle):
    qtbot.mouseClick(shell.screens["home"].tiles["tile_progress"], Qt.MouseButton.LeftButton)
    settle(shell)
    screen = shell.screens["progress"]
    assert shell.current_screen() is screen
    return screen


def tap(qtbot, widget):
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def type_keys(qtbot, screen, text: str) -> None:
    for char in text.lower():
        tap(qtbot, screen.keyboard.keys[char])


def query(qtbot, shell, settle, number: str, verification: str):
    """Type both on the on-screen keyboard and tap 查询."""
    screen = shell.screens["progress"]
    if screen.pages.currentWidget() is screen.result_page:
        tap(qtbot, screen.again_button)
    assert screen.pages.currentWidget() is screen.form_page
    screen.select_field("number")
    tap(qtbot, screen.keyboard.clear_key)
    type_keys(qtbot, screen, number)
    screen.select_field("verify")
    tap(qtbot, screen.keyboard.clear_key)
    type_keys(qtbot, screen, verification)
    tap(qtbot, screen.query_button)
    settle(shell)
    return screen


def test_typing_on_the_keyboard_finds_the_application(qtbot, shell, settle):
    screen = open_screen(qtbot, shell, settle)
    assert screen.keyboard.field is screen.number_field, "the number comes first"
    type_keys(qtbot, screen, REVIEWING[0])
    assert screen.number_field.text() == "YC2511170007", "letters read in capitals"
    screen.select_field("verify")
    type_keys(qtbot, screen, REVIEWING[1])
    assert screen.verify_field.text() == "5678"
    tap(qtbot, screen.query_button)
    settle(shell)
    assert screen.pages.currentWidget() is screen.result_page
    texts = visible_texts(screen)
    assert "食品经营许可（新办）" in texts
    assert "当前状态：审查中" in texts
    assert "距承诺办结日期还有" in texts and "个工作日" in texts
    assert "承诺办结日期：" in texts and "承诺时限：5个工作日（自受理次日起计算）" in texts
    # the timeline: two steps done, one in progress, two to come
    assert "✔  受理（已完成）" in texts and "▶  现场核查（办理中）" in texts and "○  制证发证（未开始）" in texts
    assert "A05 号窗口（一楼A区）" in texts
    # masked: name, ID number (first and last digit), phone, staff
    assert "刘*燕" in texts and "4****************6" in texts and "138****5678" in texts and "王*" in texts
    for secret in ("刘海燕", "13839705678", "411481198503122426", "王丽"):
        assert secret not in texts
    assert screen.verify_field.text() == "", "the verification is not kept once used"


def test_a_scanner_reads_the_notice(qtbot, shell, settle):
    screen = open_screen(qtbot, shell, settle)
    # a USB scanner is a keyboard: it types the code and ends with Enter
    qtbot.keyClicks(screen.number_field, "https://zwfw.yongcheng.gov.cn/progress?number=yc2511060002")
    qtbot.keyClick(screen.number_field, Qt.Key.Key_Return)
    assert screen.number_field.text() == "YC2511060002"
    assert screen.keyboard.field is screen.verify_field, "Enter moves on to the verification"
    qtbot.keyClicks(screen.verify_field, OVERDUE[1])
    qtbot.keyClick(screen.verify_field, Qt.Key.Key_Return)
    settle(shell)
    texts = visible_texts(screen)
    assert "存量房买卖转移登记" in texts
    assert "⚠ 已超过承诺办结日期" in texts
    assert "请到C01 号窗口（二楼C区）询问，或拨打监督投诉电话 0370-5138123。" in texts
    assert screen.findChild(QLabel, "progressContact").property("role") == "warning"
    assert screen.findChild(type(screen.result_page), "summaryCard").property("accent") == "warning"


def test_a_notice_scanned_into_the_verification_field_goes_where_it_belongs(qtbot, shell, settle):
    screen = open_screen(qtbot, shell, settle)
    screen.select_field("verify")
    qtbot.keyClicks(screen.verify_field, "YC2511170007")
    qtbot.keyClick(screen.verify_field, Qt.Key.Key_Return)
    settle(shell)
    assert screen.number_field.text() == "YC2511170007" and screen.verify_field.text() == ""
    assert "已读取办件编号" in screen.advice.text()
    assert screen.pages.currentWidget() is screen.form_page


def test_a_wrong_pair_says_only_not_found(qtbot, shell, settle):
    screen = open_screen(qtbot, shell, settle)
    query(qtbot, shell, settle, REVIEWING[0], "0000")
    wrong_verification = (screen.message.text(), screen.pages.currentWidget())
    query(qtbot, shell, settle, "YC2511170008", REVIEWING[1])
    wrong_number = (screen.message.text(), screen.pages.currentWidget())
    assert wrong_verification == wrong_number == ("未查到该办件", screen.form_page)
    assert screen.number_field.text() == "YC2511170008" and screen.verify_field.text() == ""
    assert "再输错" not in screen.advice.text()
    query(qtbot, shell, settle, REVIEWING[0], "12")
    assert screen.message.text() == "请输入申请人手机号或身份证号的后4位"


def test_five_failures_pause_queries_and_the_pause_outlives_the_screen(qtbot, shell, settle, services):
    screen = open_screen(qtbot, shell, settle)
    for attempt in range(4):
        query(qtbot, shell, settle, OVERDUE[0], "0000")
        assert screen.message.text() == "未查到该办件"
    assert "再输错 1 次，本机将暂停查询 10 分钟" in screen.advice.text()
    query(qtbot, shell, settle, OVERDUE[0], "0000")
    assert screen.pages.currentWidget() is screen.locked_page
    assert "本机暂停进度查询 10 分钟" in screen.locked_text.text()
    assert shell.help_button.isVisible() and shell.help_button.text() == "呼叫帮办"
    tap(qtbot, shell.home_button)
    open_screen(qtbot, shell, settle)
    assert screen.pages.currentWidget() is screen.locked_page, "the pause is kept in the database"
    assert services.query_progress(*OVERDUE).kind == "locked", "the right pair is refused too"


def test_every_status_reads_as_it_should(qtbot, shell, settle):
    screen = open_screen(qtbot, shell, settle)
    for number, (last4, status, line) in SAMPLES.items():
        query(qtbot, shell, settle, number, last4)
        texts = visible_texts(screen)
        assert f"当前状态：{status}" in texts, number
        assert line in texts, (number, line)
    query(qtbot, shell, settle, "YC2511100003", "5566")
    texts = visible_texts(screen)
    assert "营业执照" in texts and "91411481MAEP3K7Q2D" in texts and "领取方式" in texts
    assert screen.findChild(type(screen.result_page), "resultCard").property("accent") == "ok"


def test_the_id_number_works_as_verification(qtbot, shell, settle):
    open_screen(qtbot, shell, settle)
    screen = query(qtbot, shell, settle, "YC2511170011", "003x")  # the ID number ends in X
    assert "当前状态：补正中" in visible_texts(screen)
    assert "请补正：1. 卫生管理制度" in visible_texts(screen)


def test_home_and_the_inactivity_reset_leave_nothing_behind(qtbot, shell, settle):
    screen = open_screen(qtbot, shell, settle)
    query(qtbot, shell, settle, *REVIEWING)
    assert screen.view is not None
    tap(qtbot, shell.help_button)  # calling a human keeps the citizen's result (ui/assistance)
    qtbot.waitUntil(lambda: shell.overlays.dialog_name() == "helperCalled", timeout=5000)
    tap(qtbot, shell.overlays.dialog.buttons["keepBrowsing"])
    settle(shell)
    assert shell.current_screen() is screen
    assert screen.pages.currentWidget() is screen.result_page and screen.view is not None
    shell.reset_session()  # what the inactivity time-out does
    assert screen.view is None and screen.printing.job is None
    assert screen.number_field.text() == "" and not screen.number_field.isUndoAvailable()
    assert screen.pages.currentWidget() is screen.form_page
    assert "刘*燕" not in visible_texts(screen) and screen.cards.count() == 0
    open_screen(qtbot, shell, settle)
    query(qtbot, shell, settle, *REVIEWING)
    tap(qtbot, shell.home_button)
    assert screen.view is None and screen.number_field.text() == "", "首页 ends the query too"


@pytest.fixture
def quick_idle(services):
    services.config = replace(services.config, ui=replace(services.config.ui, idle_timeout_seconds=2, idle_warning_seconds=1))
    return services


def test_the_idle_time_out_clears_the_result(qtbot, quick_idle, settle):
    from ui.app import KioskWindow, create_application

    create_application()
    shell = KioskWindow(quick_idle, size=(1080, 1920))
    qtbot.addWidget(shell)
    shell.show()
    screen = open_screen(qtbot, shell, settle)
    query(qtbot, shell, settle, *REVIEWING)
    assert "刘*燕" in visible_texts(screen)
    qtbot.waitUntil(shell.overlays.idle_warning_visible, timeout=3000)
    qtbot.waitUntil(lambda: shell.current_screen() is shell.screens["home"], timeout=3000)
    assert screen.view is None and screen.cards.count() == 0 and screen.number_field.text() == ""
    shell.allow_close = True
    shell.pools.wait()


def test_landscape_puts_the_keyboard_beside_the_form_and_elder_mode_is_large(qtbot, landscape_shell, settle):
    shell = landscape_shell
    screen = open_screen(qtbot, shell, settle)
    assert screen.keyboard.x() > screen.number_field.x() + screen.number_field.width()
    tap(qtbot, shell.elder_button)
    settle(shell)
    assert screen.query_button.width() >= 90 and screen.query_button.height() >= 90
    for key in screen.keyboard.keys.values():  # keys give way down to 80 px (theme.key_floor_px)
        assert key.width() >= 80 and key.height() >= 80
    query(qtbot, shell, settle, *OVERDUE)
    for button in (screen.print_button, screen.again_button, shell.help_button):
        assert button.isVisible() and button.height() >= 90


# --- printing --------------------------------------------------------------------------------------


def test_the_progress_slip_prints(qtbot, printing_shell, emulator, settle):
    shell = printing_shell
    open_screen(qtbot, shell, settle)
    screen = query(qtbot, shell, settle, *OVERDUE)
    tap(qtbot, screen.print_button)
    qtbot.waitUntil(dialog_is(shell, "preview"), timeout=5000)
    assert shell.overlays.dialog.title.text() == "办件进度查询单"
    tap(qtbot, shell.overlays.dialog.buttons["printButton"])
    qtbot.waitUntil(dialog_is(shell, "printed"), timeout=10000)
    assert "请取走凭条" in shell.overlays.dialog.text.text()
    job = emulator.wait_for_jobs(1, timeout=5)[0]
    assert job.cut and not job.undecodable
    text = "".join(job.text.split())
    assert "办件进度查询单" in text and "办件编号：YC2511060002" in text
    assert "申请人：张*国" in text and "已超过承诺办结日期" in text and "0370-5138123" in text
    assert "张建国" not in text and "13703702468" not in text


def test_a_printer_fault_says_where_else_to_ask(qtbot, printing_shell, emulator, settle):
    shell = printing_shell
    emulator.state.update(paper="out")
    open_screen(qtbot, shell, settle)
    screen = query(qtbot, shell, settle, *REVIEWING)
    tap(qtbot, screen.print_button)
    qtbot.waitUntil(dialog_is(shell, "preview"), timeout=5000)
    tap(qtbot, shell.overlays.dialog.buttons["printButton"])
    qtbot.waitUntil(dialog_is(shell, "printFailed"), timeout=10000)
    text = shell.overlays.dialog.text.text()
    assert "缺纸" in text and "到A05 号窗口（一楼A区）查询办理进度" in text and "呼叫帮办" in text
    assert "二维码" not in text, "the notice's advice does not apply to a progress slip"
    assert emulator.jobs == []
