"""Calling a helper and helper mode through the real widgets: the 工作人员马上到 overlay and
its call, navigation, cancelling and the session reset; the helper's sign-in, desk, take and
close into the ledger; helper-only actions on the item screen; the proxy form with the pinyin
picker and the materials check, its receipt printed to the ESC/POS emulator; signing out."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy.exc import OperationalError

from assistance_support import HELPER, HELPER2, MAINTAINER, PINS, add_helpers, sent
from kiosk.clock import ManualClock
from kiosk.assistance.models import HelpCall, LedgerEntry, ProxyRequest
from ui.qt import QApplication, QFrame, QLabel, QPushButton, Qt
from ui.widgets.basic import TouchScrollArea
from support import dialog_is, make_shell

COMPANY = "1141148100492981054010001"  # 有限责任公司设立登记: 6 materials, 4 required, 1 容缺后补, 1 optional
COMPANY_NAME = "有限责任公司设立登记"


@pytest.fixture
def people(services):
    add_helpers(services.staff)
    return services.staff


@pytest.fixture
def printing_shell(qtbot, services, emulator, people):
    yield from make_shell(qtbot, services, printer_uri=emulator.uri)


def click(qtbot, widget):
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def texts(widget) -> str:
    QApplication.processEvents()
    return "\n".join(w.text() for w in widget.findChildren(QLabel) if w.isVisibleTo(widget))


def calls(services) -> list[HelpCall]:
    with services.database.session() as session:
        return list(session.query(HelpCall).order_by(HelpCall.id))


def ledger(services) -> list[LedgerEntry]:
    with services.database.session() as session:
        return list(session.query(LedgerEntry).order_by(LedgerEntry.id))


def call_from(qtbot, shell, settle, widget):
    click(qtbot, widget)
    qtbot.waitUntil(dialog_is(shell, "helperCalled"), timeout=5000)
    settle(shell)
    return shell.overlays.dialog


def sign_in(qtbot, shell, settle, staff_id=HELPER):
    shell.screens["maintainer"].open_pin_pad()
    pad = shell.overlays.dialog
    for digit in staff_id:
        click(qtbot, pad.keys[digit])
    click(qtbot, pad.buttons["signInButton"])  # 下一步
    for digit in PINS[staff_id]:
        click(qtbot, pad.keys[digit])
    click(qtbot, pad.buttons["signInButton"])  # 登录
    qtbot.waitUntil(lambda: shell.helper_mode.signed_in, timeout=5000)
    settle(shell)
    return shell.screens["helper"]


# --- calling a helper -----------------------------------------------------------------------------


def test_calling_from_the_item_screen_says_a_helper_is_coming(qtbot, shell, services, settle):
    shell.go("item", code=COMPANY)
    settle(shell)
    dialog = call_from(qtbot, shell, settle, shell.help_button)
    assert dialog.title.text() == "工作人员马上到"
    assert dialog.findChild(QLabel, "callNumber").text() == "呼叫号 001"
    assert dialog.text.text() == "已通知穿红马甲的帮办人员，请在这里稍候。"
    assert dialog.wait.text().startswith("已等待")
    assert dialog.buttons["cancelCall"].text() == "取消呼叫"
    assert shell.help_button.text() == "已呼叫 001"
    [call] = calls(services)
    assert (call.status, call.screen, call.screen_label, call.item_code, call.item_name) == (
        "open", "item", "事项一次性告知", COMPANY, COMPANY_NAME)
    [note] = sent(services.devices.notifier, "help_call")
    assert note.title == "【呼叫帮办】大厅自助终端 1 号 呼叫号 001"
    assert f"群众所在页面：事项一次性告知 · {COMPANY_NAME}" in note.text


def test_the_wait_counts_up(qtbot, shell, services, settle):
    call_from(qtbot, shell, settle, shell.help_button)
    first = shell.help_calls.waited_seconds
    qtbot.waitUntil(lambda: shell.help_calls.waited_seconds >= first + 1, timeout=3000)
    assert shell.overlays.dialog.wait.text() == f"已等待 {shell.help_calls.waited_seconds} 秒"


def test_the_call_survives_moving_between_screens_and_is_cancelled(qtbot, shell, services, settle):
    call_from(qtbot, shell, settle, shell.help_button)
    assert calls(services)[0].screen == "home"
    click(qtbot, shell.overlays.dialog.buttons["keepBrowsing"])
    assert not shell.overlays.has_open_dialog()
    shell.go("search")
    settle(shell)
    assert shell.help_button.text() == "已呼叫 001"
    dialog = call_from(qtbot, shell, settle, shell.help_button)  # the same call, shown again
    assert dialog.findChild(QLabel, "callNumber").text() == "呼叫号 001"
    assert len(calls(services)) == 1
    click(qtbot, dialog.buttons["cancelCall"])
    qtbot.waitUntil(dialog_is(shell, "helperCallCancelled"), timeout=3000)
    settle(shell)
    assert shell.help_button.text() == "呼叫帮办"
    assert calls(services)[0].status == "cancelled"
    assert [e.outcome for e in ledger(services)] == ["cancelled"]
    assert sent(services.devices.notifier)[-1].event == "help_call_cancelled"


def test_the_inactivity_reset_clears_the_screen_but_the_helper_still_comes(qtbot, shell, services, settle):
    call_from(qtbot, shell, settle, shell.help_button)
    assert shell._idle_seconds() == (services.config.helpers.waiting_idle_seconds, services.config.ui.idle_warning_seconds)
    shell.reset_session()
    settle(shell)
    assert not shell.overlays.has_open_dialog()
    assert shell.help_button.text() == "呼叫帮办"
    assert shell._idle_seconds() == (services.config.ui.idle_timeout_seconds, services.config.ui.idle_warning_seconds)
    assert calls(services)[0].status == "open"
    again = call_from(qtbot, shell, settle, shell.help_button)
    assert again.findChild(QLabel, "callNumber").text() == "呼叫号 001" and len(calls(services)) == 1


def test_a_taken_call_says_so(qtbot, shell, services, people, settle):
    call_from(qtbot, shell, settle, shell.help_button)
    services.helpers.take_call(calls(services)[0].id, (HELPER2, "赵建国"))
    shell.help_calls.refresh()
    qtbot.waitUntil(lambda: shell.overlays.dialog.text.text() == "工作人员已接单，正在赶来，请在这里稍候。", timeout=3000)
    assert shell.help_button.text() == "已接单 001"
    services.helpers.close_call(calls(services)[0].id, (HELPER2, "赵建国"), help_types=["online"])
    shell.help_calls.refresh()
    qtbot.waitUntil(lambda: not shell.overlays.has_open_dialog(), timeout=3000)
    assert shell.help_button.text() == "呼叫帮办"


def test_calls_work_with_the_printer_down_and_a_broken_database_is_a_message(qtbot, shell, services, settle, monkeypatch):
    shell.set_printer_state(False, "缺纸")
    call_from(qtbot, shell, settle, shell.help_button)
    assert calls(services)[0].status == "open"
    shell.reset_session()

    def broken():
        raise OperationalError("INSERT INTO help_calls", {}, Exception("database is locked"))

    # The database itself breaks (not one call of one façade): whether anyone is on duty and
    # the call both fail underneath, and the citizen is told where to go instead.
    monkeypatch.setattr(services.app.database, "session", broken)
    shell.help_calls.forget()
    click(qtbot, shell.help_button)
    qtbot.waitUntil(dialog_is(shell, "helperCallFailed"), timeout=3000)
    assert "请到一楼综合咨询台" in shell.overlays.dialog.text.text()


def test_a_call_nobody_takes_is_raised_again_by_the_kiosk(qtbot, shell, services, settle):
    clock = ManualClock(datetime.now().replace(microsecond=0))
    services.helpers.clock = clock
    call_from(qtbot, shell, settle, shell.help_button)
    clock.advance(minutes=services.config.helpers.reraise_after_minutes)
    shell.help_calls._tick_service()  # what its timer does every 20 s
    qtbot.waitUntil(lambda: bool(sent(services.devices.notifier, "help_call_reraised")), timeout=3000)
    assert calls(services)[0].raise_count == 2


# --- helper mode ------------------------------------------------------------------------------------


def test_a_helper_signs_in_takes_and_closes_a_call_into_the_ledger(qtbot, shell, services, people, settle):
    shell.go("item", code=COMPANY)
    settle(shell)
    call_from(qtbot, shell, settle, shell.help_button)
    click(qtbot, shell.overlays.dialog.buttons["keepBrowsing"])
    desk = sign_in(qtbot, shell, settle)
    mode = shell.helper_mode
    assert shell.current_screen() is desk
    assert mode.bar.isVisible() and mode.bar_label.text() == "帮办模式 — 刘红梅（帮办人员）"
    assert shell.footer.isVisible(), "the citizen's screens stay usable in helper mode"
    assert shell._idle_seconds()[0] == services.config.staff.session_idle_seconds
    call_id = calls(services)[0].id
    card = desk.findChild(QFrame, f"call_{call_id}")
    assert "呼叫号 001 · 大厅自助终端 1 号" in texts(card) and f"事项一次性告知 · {COMPANY_NAME}" in texts(card)
    assert desk.tab_buttons["calls"].text() == "呼叫（1）"
    click(qtbot, desk.findChild(QPushButton, f"take_{call_id}"))
    qtbot.waitUntil(lambda: "已接单：呼叫号 001" in desk.status.text(), timeout=3000)
    settle(shell)
    assert calls(services)[0].taken_by == HELPER
    assert desk.findChild(QPushButton, f"take_{call_id}") is None
    click(qtbot, desk.findChild(QPushButton, f"close_{call_id}"))
    dialog = shell.overlays.dialog
    assert shell.overlays.dialog_name() == "closeCall"
    dialog.outcomes.set_selected([])
    click(qtbot, dialog.buttons["confirmClose"])  # nothing chosen: asks
    qtbot.waitUntil(lambda: dialog.error.text() == "请至少选择一种帮办类型（如帮网办、材料填写）", timeout=3000)
    click(qtbot, dialog.types.buttons["online"])
    click(qtbot, dialog.types.buttons["upload"])
    click(qtbot, dialog.outcomes.buttons["guided"])
    click(qtbot, dialog.buttons["confirmClose"])
    qtbot.waitUntil(lambda: "已记入台账：帮网办、电子文件上传，已引导至窗口" in desk.status.text(), timeout=3000)
    settle(shell)
    [entry] = ledger(services)
    assert (entry.helper_id, entry.help_types, entry.outcome, entry.item_code) == (HELPER, ["online", "upload"], "guided", COMPANY)
    assert desk.findChild(QFrame, "noCalls") is not None
    click(qtbot, desk.tab_buttons["ledger"])
    settle(shell)
    summary = desk.findChild(QFrame, f"summary_{HELPER}")
    assert "刘红梅" in texts(summary) and "共 1 件 · 呼叫 1 · 代办 0" in texts(summary)
    assert "帮网办 1、电子文件上传 1" in texts(summary)
    # the citizen's overlay hears the call is over
    shell.help_calls.refresh()
    qtbot.waitUntil(lambda: shell.help_button.text() == "呼叫帮办", timeout=3000)


def test_signing_out_and_the_inactivity_reset_end_helper_mode(qtbot, shell, services, people, settle):
    sign_in(qtbot, shell, settle)
    click(qtbot, shell.helper_mode.exit_button)
    settle(shell)
    assert not shell.helper_mode.signed_in and not shell.helper_mode.bar.isVisible()
    assert shell.current_screen() is shell.screens["home"]
    assert shell._idle_seconds() == (services.config.ui.idle_timeout_seconds, services.config.ui.idle_warning_seconds)
    sign_in(qtbot, shell, settle)
    shell.reset_session()
    settle(shell)
    assert not shell.helper_mode.signed_in
    assert [e.action for e in people.audit_entries(4)][:2] == ["signout", "signin.ok"]
    shell.go("helper")  # not signed in: nothing to see
    qtbot.waitUntil(lambda: shell.current_screen() is shell.screens["home"], timeout=3000)


def test_a_person_with_both_roles_chooses_and_a_maintainer_is_not_a_helper(qtbot, shell, services, people, settle):
    people.add("2003", "孙丽", ["helper", "maintainer"], pin="975313")
    PINS["2003"] = "975313"
    try:
        shell.screens["maintainer"].open_pin_pad()
        pad = shell.overlays.dialog
        for digit in "2003":
            click(qtbot, pad.keys[digit])
        click(qtbot, pad.buttons["signInButton"])
        for digit in "975313":
            click(qtbot, pad.keys[digit])
        click(qtbot, pad.buttons["signInButton"])
        qtbot.waitUntil(dialog_is(shell, "staffChooseMode"), timeout=5000)
    finally:
        del PINS["2003"]
    click(qtbot, shell.overlays.dialog.buttons["chooseMaintain"])
    settle(shell)
    assert shell.current_screen() is shell.screens["maintainer"] and not shell.helper_mode.signed_in
    click(qtbot, shell.screens["maintainer"].exit_button)
    settle(shell)
    shell.screens["maintainer"].open_pin_pad()
    pad = shell.overlays.dialog
    for digit in MAINTAINER:
        click(qtbot, pad.keys[digit])
    click(qtbot, pad.buttons["signInButton"])
    for digit in PINS[MAINTAINER]:
        click(qtbot, pad.keys[digit])
    click(qtbot, pad.buttons["signInButton"])
    qtbot.waitUntil(lambda: shell.current_screen() is shell.screens["maintainer"], timeout=5000)
    assert not shell.helper_mode.signed_in


def test_helper_only_actions_on_the_item_screen(qtbot, printing_shell, services, emulator, settle):
    shell = printing_shell
    shell.go("item", code=COMPANY)
    settle(shell)
    actions = shell.helper_mode.item_actions
    assert not actions.isVisible(), "citizens never see the helpers' buttons"
    sign_in(qtbot, shell, settle)
    shell.go("item", code=COMPANY)
    settle(shell)
    assert actions.isVisible()
    click(qtbot, shell.helper_mode.windows_button)
    qtbot.waitUntil(lambda: "共 " in shell.overlays.dialog.text.text(), timeout=3000)
    windows = shell.overlays.dialog
    assert windows.findChild(QLabel, "windowLine_A01").text() == "A01 号窗口  企业开办综合窗口（一楼A区）"
    assert len(services.all_windows()) == windows.rows.count() // 2
    # the overlay host's one scroll area is lent to the list (each new one costs PySide6 a
    # gesture type it keeps for good), again on the next opening, and then to the preview
    scroll = windows.findChild(TouchScrollArea)
    click(qtbot, windows.buttons["closeButton"])
    click(qtbot, shell.helper_mode.windows_button)
    qtbot.waitUntil(lambda: "共 " in shell.overlays.dialog.text.text(), timeout=3000)
    assert shell.overlays.dialog.findChild(TouchScrollArea) is scroll and scroll.isVisible()
    assert shell.overlays.dialog.findChild(QLabel, "windowLine_A01") is not None
    click(qtbot, shell.overlays.dialog.buttons["closeButton"])
    click(qtbot, shell.helper_mode.copies_button)
    assert shell.overlays.dialog_name() == "printCopies"
    click(qtbot, shell.overlays.dialog.buttons["copies_3"])
    qtbot.waitUntil(dialog_is(shell, "preview"), timeout=5000)
    assert shell.overlays.dialog.title.text() == "一次性告知单（3 份）"
    assert shell.overlays.dialog.findChild(TouchScrollArea) is scroll
    click(qtbot, shell.overlays.dialog.buttons["printButton"])
    qtbot.waitUntil(dialog_is(shell, "printed"), timeout=15000)
    jobs = emulator.wait_for_jobs(3, timeout=10)
    assert len(jobs) == 3 and all("一次性告知单" in job.text and COMPANY_NAME in job.text for job in jobs)
    assert services.staff.audit_entries(1)[0].action == "help.print_copies"


# --- proxy requests ------------------------------------------------------------------------------------


def type_pinyin(qtbot, form, syllable, char):
    for key in syllable:
        click(qtbot, form.keyboard.keys[key])
    assert char in form.candidates.shown, (syllable, form.candidates.shown)
    click(qtbot, form.candidates.keys[form.candidates.shown.index(char)])


def test_a_proxy_request_from_a_call_with_its_receipt(qtbot, printing_shell, services, emulator, settle):
    shell = printing_shell
    shell.go("item", code=COMPANY)
    settle(shell)
    call_from(qtbot, shell, settle, shell.help_button)
    click(qtbot, shell.overlays.dialog.buttons["keepBrowsing"])
    desk = sign_in(qtbot, shell, settle)
    call_id = calls(services)[0].id
    click(qtbot, desk.findChild(QPushButton, f"proxy_{call_id}"))
    settle(shell)
    form = shell.screens["helper-proxy"]
    assert shell.current_screen() is form
    assert form.from_call.text() == "来自呼叫 001，登记后该呼叫结束并记入台账"
    assert form.item_label.text() == COMPANY_NAME and len(form.toggles) == 6

    # the name by pinyin, a tap on each character; the phone on the digits
    click(qtbot, form.name_field)
    type_pinyin(qtbot, form, "wang", "王")
    type_pinyin(qtbot, form, "xiao", "小")
    for key in "ming":
        click(qtbot, form.keyboard.keys[key])
    assert form.candidates.typed.text() == "拼音：ming"
    click(qtbot, form.keyboard.space)  # the first candidate
    assert form.name_field.text() == "王小明"
    click(qtbot, form.phone_field)
    for key in "13812345678":
        click(qtbot, form.keyboard.keys[key])
    assert form.phone_field.text() == "13812345678"

    # not every required material: refused, saying which
    toggles = list(form.toggles.values())
    for toggle in toggles[:3]:
        click(qtbot, toggle)
    assert "还缺必要材料：" in form.materials_summary.text()
    click(qtbot, form.submit_button)
    qtbot.waitUntil(lambda: form.message.text().startswith("还缺必要材料："), timeout=3000)
    assert calls(services)[0].status == "open"
    click(qtbot, toggles[3])
    assert form.materials_summary.text() == "已交 4/6 项"
    click(qtbot, form.submit_button)
    qtbot.waitUntil(dialog_is(shell, "proxyRegistered"), timeout=5000)
    text = shell.overlays.dialog.text.text()
    number = f"DB-{datetime.now():%Y%m%d}-001"
    assert f"代办编号：{number}" in text and "申请人：王*明　电话：138****5678" in text
    assert "王小明" not in text and "13812345678" not in text
    assert form.name_field.text() == form.phone_field.text() == "" and form.item is None, "the form forgets the citizen"
    assert shell.current_screen() is desk and desk.tab == "proxies"
    assert calls(services)[0].status == "closed"
    with services.database.session() as session:
        [request] = session.query(ProxyRequest).all()
        assert (request.citizen_name, request.phone_last4, request.call_id) == ("王*明", "5678", call_id)

    click(qtbot, shell.overlays.dialog.buttons["printReceipt"])
    qtbot.waitUntil(dialog_is(shell, "preview"), timeout=5000)
    assert shell.overlays.dialog.title.text() == "代办受理回执"
    click(qtbot, shell.overlays.dialog.buttons["printButton"])
    qtbot.waitUntil(dialog_is(shell, "printed"), timeout=10000)
    job = emulator.wait_for_jobs(1, timeout=5)[0]
    printed = "".join(job.text.split())
    assert not job.undecodable and job.cut
    assert f"代办编号：{number}" in printed and "申请人：王*明" in printed and "联系电话：138****5678" in printed
    assert "【已交接材料】（4项）" in printed and "【尚未交接的材料】（2项）" in printed
    assert "王小明" not in printed

    # the desk lists it, masked; closing it finishes the ledger entry
    settle(shell)
    card = desk.findChild(QFrame, f"proxy_{number}")
    assert "申请人 王*明 · 138****5678 · 代办员 刘红梅" in texts(card)
    click(qtbot, desk.findChild(QPushButton, f"closeProxy_{number}"))
    click(qtbot, shell.overlays.dialog.buttons["confirmCloseProxy"])
    qtbot.waitUntil(lambda: f"已办结：{number}（代办完成）" in desk.status.text(), timeout=3000)
    assert [e.outcome for e in ledger(services)] == ["to_proxy", "proxy_done"]


def test_a_home_visit_needs_reasons_and_an_address_and_the_form_is_cleared_on_leaving(qtbot, shell, services, people, settle):
    desk = sign_in(qtbot, shell, settle)
    click(qtbot, desk.tab_buttons["proxies"])
    settle(shell)
    click(qtbot, desk.findChild(QPushButton, "newProxy"))
    settle(shell)
    form = shell.screens["helper-proxy"]
    assert form.search_field.isVisible() and not form.materials.isVisible()
    click(qtbot, form.search_field)
    for key in "gtgsh":
        click(qtbot, form.keyboard.keys[key])
    qtbot.waitUntil(lambda: form.results_layout.count() > 0 and form.results_layout.itemAt(0).widget() is not None, timeout=3000)
    hit = form.results_layout.itemAt(0).widget()
    assert "个体工商户" in hit.title_label.text()
    hit.click()
    qtbot.waitUntil(lambda: form.item is not None, timeout=3000)
    form.name_field.setText("李四")  # a plugged-in keyboard types straight in
    form.phone_field.setText("0370-5123456")
    click(qtbot, form.visit_toggle)
    assert form.visit_box.isVisible()
    click(qtbot, form.submit_button)
    qtbot.waitUntil(lambda: form.message.text() == "请选择需要上门服务的原因（如行动不便、高龄）", timeout=3000)
    click(qtbot, form.reasons.buttons["高龄"])
    click(qtbot, form.submit_button)
    qtbot.waitUntil(lambda: form.message.text() == "请填写上门服务的详细地址", timeout=3000)
    form.address_field.setText("永城市城关镇人民路8号")
    click(qtbot, form.cancel_button)
    settle(shell)
    assert form.name_field.text() == form.address_field.text() == "" and not form.visit_toggle.isChecked()
    assert form.name_field.isUndoAvailable() is False
    with services.database.session() as session:
        assert session.query(ProxyRequest).count() == 0


def test_the_pinyin_picker_pages_and_backspaces(qtbot, shell, people, settle):
    sign_in(qtbot, shell, settle)
    form = shell.go("helper-proxy")
    settle(shell)
    click(qtbot, form.name_field)
    for key in "yi":
        click(qtbot, form.keyboard.keys[key])
    first_page = list(form.candidates.shown)
    assert len(first_page) == form.candidates.page_size and form.candidates.following.isVisible()
    click(qtbot, form.candidates.following)
    assert form.candidates.shown != first_page and form.candidates.previous.isVisible()
    click(qtbot, form.keyboard.backspace)
    assert form.candidates.typed.text() == "拼音：y"
    click(qtbot, form.keyboard.backspace)
    assert form.candidates.typed.text() == "输入拼音，再点选汉字"
    for key in "12":
        click(qtbot, form.keyboard.keys[key])
    assert form.name_field.text() == "12"  # digits go straight in (and the service refuses them)
    click(qtbot, form.phone_field)
    assert not form.candidates.isVisible(), "no candidates for the phone"


def test_an_answer_arriving_after_the_reset_is_not_shown_to_the_next_person(qtbot, shell, services, settle):
    click(qtbot, shell.help_button)
    shell.reset_session()  # before the call is stored
    settle(shell)
    assert not shell.overlays.has_open_dialog() and shell.help_button.text() == "呼叫帮办"
    assert [c.status for c in calls(services)] == ["open"], "the call stands; the helper still comes"


# --- the proxy form from an ID card (docs/idcard.md) ---------------------------------------------


def test_a_proxy_request_prefilled_from_the_citizens_card(qtbot, services, people, settle):
    from dataclasses import replace as replace_config

    from emulators.idcard import EmulatedReader, TcpReaderServer, load_cards
    from emulators.idcard.cards import default_cards_path

    emulated = EmulatedReader(load_cards(default_cards_path()), card_index=4)
    with TcpReaderServer(emulated) as server:
        services.config = replace_config(services.config, idcard=replace_config(services.config.idcard, uri=server.uri, timeout_ms=500))
        shell_gen = make_shell(qtbot, services)
        shell = next(shell_gen)
        try:
            desk = sign_in(qtbot, shell, settle)
            click(qtbot, desk.tab_buttons["proxies"])
            settle(shell)
            click(qtbot, desk.findChild(QPushButton, "newProxy"))
            settle(shell)
            form = shell.screens["helper-proxy"]
            assert form.card_button.isVisible()
            click(qtbot, form.card_button)
            assert "仅用于填写本次代办的申请人姓名和上门地址" in form.card_panel.text.text()
            click(qtbot, form.card_panel.agree)
            qtbot.waitUntil(lambda: form.card_note.isVisible(), timeout=10000)
            assert form.name_field.text() == "欧***戊"
            assert form.card_note.text() == "已从身份证读取：欧***戊 4****************5（证件号码不保存）"
            assert "欧阳样卡戊" not in texts(form) and "411481200109182025" not in texts(form)
            click(qtbot, form.visit_toggle)
            assert form.address_field.text() == "演示省样例县测试路5号幸福小区6号楼7单元801室"
            click(qtbot, form.cancel_button)
            settle(shell)
            assert form.name_field.text() == form.address_field.text() == "" and not form.card_note.isVisible()
            assert form._card_address == ""
        finally:
            for _ in shell_gen:
                pass


@pytest.mark.parametrize(
    "now, back",
    [(datetime(2026, 12, 2, 19, 0), "明天 8:30"),  # a weekday evening
     (datetime(2026, 12, 5, 10, 0), "12月7日（周一）8:30"),  # a Saturday
     (datetime(2026, 10, 2, 10, 0), "10月8日（周四）8:30")],  # 国庆节
    ids=["evening", "weekend", "holiday"],
)
def test_outside_hours_the_call_button_is_honest(qtbot, shell, services, settle, now, back):
    services.hours_clock = ManualClock(now)
    click(qtbot, shell.help_button)
    qtbot.waitUntil(dialog_is(shell, "helperAfterHours"), timeout=5000)
    dialog = shell.overlays.dialog
    assert dialog.title.text() == "现在没有帮办人员值班"
    text = dialog.text.text()
    assert "马上到" not in text and "12345" in text and "0370-5138111" in text and f"{back} 以后工作人员在岗" in text
    assert calls(services) == [], "nothing is raised that nobody would answer"
    click(qtbot, dialog.buttons["deferCall"])
    qtbot.waitUntil(dialog_is(shell, "helperDeferred"), timeout=5000)
    assert "已登记" in shell.overlays.dialog.text.text() and "12345" in shell.overlays.dialog.text.text()
    [call] = calls(services)
    assert call.status == "deferred"
    assert shell.help_button.text() == "呼叫帮办", "a call left for the morning does not hold the button"


def test_on_duty_on_an_adjusted_saturday(qtbot, shell, services, settle):
    services.hours_clock = ManualClock(datetime(2026, 10, 10, 10, 0))  # 调休: a working Saturday
    dialog = call_from(qtbot, shell, settle, shell.help_button)
    assert dialog.title.text() == "工作人员马上到"
