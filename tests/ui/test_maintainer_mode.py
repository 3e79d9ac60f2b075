"""Maintainer mode through the real widgets: the hidden entry, the PIN pad and its lockout,
faults and handovers, the device panel, terminal info, leaving, and signing out."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from drivers.printer.transports import SimState
from emulators.idcard import EmulatedReader, TcpReaderServer, load_cards
from emulators.idcard.cards import default_cards_path
from maintenance_support import A, ADMIN, B, PINS, add_people
from support import make_shell
from ui.qt import QLabel, Qt, QWidget


@pytest.fixture
def people(services):
    add_people(services.staff)
    return services.staff


@pytest.fixture
def sim(kiosk_config):
    folder = kiosk_config.printer.uri.removeprefix("sim://")

    def set_state(**state):
        SimState().replace(**state).save(folder)

    return set_state


def texts(widget) -> str:
    from ui.qt import QApplication

    QApplication.processEvents()
    return "\n".join(w.text() for w in widget.findChildren(QLabel) if w.isVisibleTo(widget))


def click(qtbot, widget):
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def open_pad(shell):
    shell.screens["maintainer"].open_pin_pad()
    assert shell.overlays.dialog_name() == "staffPin"
    return shell.overlays.dialog


def type_sign_in(qtbot, shell, staff_id, pin):
    pad = shell.overlays.dialog if shell.overlays.dialog_name() == "staffPin" else open_pad(shell)
    click(qtbot, pad.id_field)
    click(qtbot, pad.keys["clear"])
    for digit in staff_id:
        click(qtbot, pad.keys[digit])
    click(qtbot, pad.buttons["signInButton"])  # 下一步
    for digit in pin:
        click(qtbot, pad.keys[digit])
    click(qtbot, pad.buttons["signInButton"])  # 登录
    return pad


def sign_in(qtbot, shell, settle, staff_id=A):
    type_sign_in(qtbot, shell, staff_id, PINS[staff_id])
    qtbot.waitUntil(lambda: shell.current_screen() is shell.screens["maintainer"], timeout=5000)
    settle(shell)
    return shell.screens["maintainer"]


# --- the hidden entry ---------------------------------------------------------------------------


def test_holding_the_emblem_three_seconds_opens_the_pin_pad_and_a_tap_does_not(qtbot, shell):
    qtbot.mousePress(shell.emblem, Qt.MouseButton.LeftButton)
    qtbot.wait(300)
    qtbot.mouseRelease(shell.emblem, Qt.MouseButton.LeftButton)
    assert not shell.screens["maintainer"].entry.timer.isActive(), "letting go cancels the entry"
    assert not shell.overlays.has_open_dialog()

    started = time.monotonic()
    qtbot.mousePress(shell.emblem, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: shell.overlays.dialog_name() == "staffPin", timeout=10000)  # a loaded CI machine
    assert time.monotonic() - started >= 2.9
    qtbot.mouseRelease(shell.emblem, Qt.MouseButton.LeftButton)
    pad = shell.overlays.dialog
    assert pad.title.text() == "工作人员登录"
    assert {str(d) for d in range(10)} <= set(pad.keys)
    click(qtbot, pad.buttons["cancelButton"])
    assert not shell.overlays.has_open_dialog()


def test_a_wrong_pin_says_so_without_saying_which_part_and_clears_the_pin(qtbot, shell, people):
    pad = type_sign_in(qtbot, shell, A, "999999")
    qtbot.waitUntil(lambda: "不正确" in pad.message.text(), timeout=5000)
    assert pad.message.text() == "工号或密码不正确，还可以再试 4 次"
    assert pad.pin_field.text() == "" and pad.id_field.text() == A
    type_sign_in(qtbot, shell, "4321", "999999")
    qtbot.waitUntil(lambda: "3 次" in pad.message.text(), timeout=5000)
    assert pad.message.text() == "工号或密码不正确，还可以再试 3 次", "an unknown id gets the same answer"


def test_five_wrong_pins_lock_sign_in(qtbot, shell, people):
    for attempt in range(5):
        pad = type_sign_in(qtbot, shell, A, "000001")
        qtbot.waitUntil(lambda: not pad.busy, timeout=5000)
    assert "登录已锁定，请 5 分钟后再试" in pad.message.text()
    type_sign_in(qtbot, shell, A, PINS[A])
    qtbot.waitUntil(lambda: not pad.busy and "锁定" in pad.message.text(), timeout=5000)
    assert shell.current_screen() is not shell.screens["maintainer"]
    assert [e.action for e in people.audit_entries(2)] == ["signin.locked", "signin.lockout"]


def test_signing_in_ends_the_citizens_session_and_shows_a_distinct_mode(qtbot, shell, people, settle):
    shell.go("search")
    settle(shell)
    for key in "yyzz":
        click(qtbot, shell.screens["search"].keyboard.keys[key])
    shell.set_elder(True)
    screen = sign_in(qtbot, shell, settle)
    assert shell.screens["search"].field.text() == "", "nothing of the citizen's stays"
    assert not shell.elder and shell.history == []
    assert screen.bar.isVisible() and screen.bar_label.text() == "维护模式 — 工作人员 张三（维护人员）"
    assert not shell.footer.isVisible(), "no citizen buttons in maintainer mode"
    assert screen.exit_button.isVisible() and screen.exit_button.text() == "退出"
    assert [e.action for e in people.audit_entries(1)] == ["signin.ok"]


def test_a_helper_without_the_maintainer_role_never_gets_maintainer_mode(qtbot, shell, people, settle):
    people.add("3001", "红马甲", ["helper"], pin="864200")
    type_sign_in(qtbot, shell, "3001", "864200")
    qtbot.waitUntil(lambda: shell.overlays.dialog_name() != "staffPin", timeout=5000)
    settle(shell)
    maintainer = shell.screens["maintainer"]
    assert maintainer.session is None and shell.current_screen() is not maintainer
    assert "维护模式" not in texts(shell)
    assert "signin.ok" in [e.action for e in people.audit_entries(3, actor="3001")], "the sign-in is recorded"


# --- faults -------------------------------------------------------------------------------------------


def test_acknowledge_and_resolve_a_fault_with_big_buttons(qtbot, shell, people, sim, services, settle):
    sim(paper="out")
    services.poll_devices()
    screen = sign_in(qtbot, shell, settle)
    page = screen.page_widgets["faults"]
    shown = texts(page)
    assert "待处理的故障" in shown and "打印机缺纸" in shown and "负责人：张三（A岗）" in shown and "建议：更换纸卷" in shown
    assert screen.tab_buttons["faults"].text() == "故障（1）"
    [fault] = services.devices.faults.list("active")

    click(qtbot, page.findChild(type(screen.exit_button), f"ack_{fault.id}"))
    qtbot.waitUntil(lambda: "已确认" in screen.status.text(), timeout=5000)
    settle(shell)
    assert "张三 已确认" in texts(page)
    assert page.findChild(type(screen.exit_button), f"ack_{fault.id}") is None

    click(qtbot, page.findChild(type(screen.exit_button), f"resolve_{fault.id}"))
    dialog = shell.overlays.dialog
    assert shell.overlays.dialog_name() == "resolveFault" and "打印机缺纸" in dialog.title.text()
    assert dialog.group.checkedButton().text() == "已更换纸卷", "the usual fix is offered first"
    click(qtbot, dialog.keyboard_button)
    for key in "a3":
        click(qtbot, dialog.keyboard.keys[key])
    click(qtbot, dialog.buttons["confirmResolve"])
    qtbot.waitUntil(lambda: not shell.overlays.has_open_dialog(), timeout=5000)
    settle(shell)
    assert "已记录处理完成" in screen.status.text()
    shown = texts(page)
    assert "本终端没有待处理的故障" in shown and "最近 7 天已处理" in shown
    assert "处理情况：已更换纸卷；a3（张三）" in shown
    assert services.devices.faults.get(fault.id).status == "resolved"
    assert [e.action for e in people.audit_entries(2, actor=A)] == ["fault.resolve", "fault.ack"]


def test_a_sees_the_handover_of_what_b_did_and_marks_it_read(qtbot, shell, people, sim, services, settle):
    now = datetime.now().replace(microsecond=0)
    people.add_absence(A, now - timedelta(days=2), now - timedelta(minutes=1), "省里培训")
    # While A was away (the fault log's clock set back into the absence):
    services.devices.faults.clock = lambda: now - timedelta(days=1)
    sim(cover_open=True)
    services.poll_devices()
    [fault] = services.devices.faults.list("active")
    assert fault.assigned_to == B, "A was away: B got it"
    services.devices.acknowledge_fault(fault.id, B)
    services.devices.resolve_fault(fault.id, B, "已合上盖板")
    services.devices.faults.clock = datetime.now

    screen = sign_in(qtbot, shell, settle)
    page = screen.page_widgets["faults"]
    shown = texts(page)
    assert "交接：您不在岗期间的故障处理" in shown and "省里培训" in shown
    assert "李四处理：已合上盖板" in shown
    [handover] = services.pending_handovers(screen.session)
    click(qtbot, page.findChild(type(screen.exit_button), f"handoverRead_{handover.absence.id}"))
    qtbot.waitUntil(lambda: screen.status.text() == "交接已阅", timeout=5000)
    settle(shell)
    assert "交接" not in texts(page)


# --- devices ---------------------------------------------------------------------------------------


def test_device_panel_shows_live_state_and_its_actions_work(qtbot, shell, people, sim, services, settle):
    screen = sign_in(qtbot, shell, settle)
    click(qtbot, screen.tab_buttons["devices"])
    settle(shell)
    page = screen.page_widgets["devices"]
    sim(paper="out")
    click(qtbot, page.findChild(type(screen.exit_button), "refreshDevices"))
    qtbot.waitUntil(lambda: screen.status.text() == "已刷新", timeout=5000)
    settle(shell)
    assert page.widget().findChild(QLabel, "deviceState_printer").text() == "缺纸"
    shown = texts(page)
    assert "· 缺纸：更换纸卷" in shown, "the fault in words with its usual fix"
    details = page.widget().findChild(QLabel, "printerDetails")
    assert not details.isVisible() and "DLE EOT 1 = 1a" in details.text(), "raw bytes only under 详细信息"
    click(qtbot, page.findChild(type(screen.exit_button), "printerDetailsToggle"))
    assert details.isVisible()
    assert "已打印凭条 0 张" in shown and "本周故障 1 次" in shown and "未处理：" in shown
    assert page.widget().findChild(QLabel, "deviceState_disk").text() == "正常"

    click(qtbot, page.findChild(type(screen.exit_button), "printTestPage"))
    qtbot.waitUntil(lambda: "测试页未打印" in screen.status.text(), timeout=10000)
    assert "缺纸" in screen.status.text()
    sim(paper="ok")
    settle(shell)
    page.findChild(type(screen.exit_button), "printTestPage").click()  # as in the test below: QScroller
    qtbot.waitUntil(lambda: "测试页已打印" in screen.status.text(), timeout=10000)
    settle(shell)
    assert "测试页 1 张" in texts(page)
    assert page.widget().findChild(QLabel, "deviceState_printer").text() == "正常"

    click(qtbot, page.findChild(type(screen.exit_button), "reconnectPrinter"))
    qtbot.waitUntil(lambda: "已重新连接" in screen.status.text(), timeout=10000)
    assert screen.status.text() == "已重新连接，打印机状态：正常"
    actions = [e.action for e in people.audit_entries(10, actor=A)]
    assert actions[:4] == ["device.reconnect", "device.test_page", "device.test_page", "device.refresh"]


def test_the_banner_follows_the_monitors_events_from_another_thread(qtbot, shell, sim, services):
    assert not shell.printer_banner.isVisible()
    sim(cover_open=True)
    poller = threading.Thread(target=services.poll_devices, name="kiosk-device-monitor")
    poller.start()
    poller.join()
    qtbot.waitUntil(shell.printer_banner.isVisible, timeout=5000)
    assert "打印暂不可用（上盖打开）" in shell.printer_banner_text.text()
    sim()
    threading.Thread(target=services.poll_devices).start()
    qtbot.waitUntil(lambda: not shell.printer_banner.isVisible(), timeout=5000)


# --- this terminal, leaving --------------------------------------------------------------------------


def test_terminal_info_hides_secrets_and_only_an_admin_may_leave(qtbot, shell, people, services, settle):
    services.config = replace(
        services.config,
        notify=replace(services.config.notify, webhook_url="https://oapi.dingtalk.com/robot/send?access_token=abc123secret"),
    )
    services.devices.config = services.config
    screen = sign_in(qtbot, shell, settle)
    click(qtbot, screen.tab_buttons["info"])
    settle(shell)
    page = screen.page_widgets["info"]
    shown = texts(page)
    assert "软件版本" in shown and "0.1.0" in shown and "数据库大小" in shown and "剩余磁盘空间" in shown and "已运行" in shown
    assert "https://oapi.dingtalk.com/***" in shown and "abc123secret" not in shown
    assert "通知机器人地址\nnotify.webhook_url" in shown and "所在区域\nterminal.zone" in shown and "大厅" in shown
    assert page.widget().findChild(QLabel, "leaveAdminsOnly").text() == "只有管理员可以退出到桌面。"
    assert page.findChild(type(screen.exit_button), "leaveToDesktop") is None
    click(qtbot, screen.exit_button)
    settle(shell)

    screen = sign_in(qtbot, shell, settle, ADMIN)
    assert screen.bar_label.text() == "维护模式 — 工作人员 王主任（管理员）"
    click(qtbot, screen.tab_buttons["info"])
    settle(shell)
    leave = page.findChild(type(screen.exit_button), "leaveToDesktop")
    config = page.widget().findChild(QWidget, "terminalConfig")
    assert leave.mapTo(page.widget(), leave.rect().topLeft()).y() > config.geometry().bottom(), "exit comes last"
    page.ensureWidgetVisible(leave)  # it is last on a long page: scrolled to, as by a finger
    settle(shell)
    vp = page.viewport()
    from ui.qt import QScroller
    # QTest's synthetic press on a page scrolled by code is kept by the page's QScroller
    # (offscreen, since the page grew past one screen): the button is pressed as a tap would.
    leave.click()
    assert shell.overlays.dialog_name() == "confirmLeave"
    click(qtbot, shell.overlays.dialog.buttons["confirmLeaveButton"])
    qtbot.waitUntil(lambda: not shell.isVisible(), timeout=5000)
    assert [e.action for e in people.audit_entries(1)] == ["app.quit"]


def test_terminal_info_marks_the_values_the_center_set(qtbot, shell, people, services, settle):
    services.config = replace(services.config, ui=replace(services.config.ui, idle_timeout_seconds=120),
                              center_keys=frozenset({"ui.idle_timeout_seconds"}), center_layer="/data/center-config.toml")
    services.devices.config = services.config
    screen = sign_in(qtbot, shell, settle)
    click(qtbot, screen.tab_buttons["info"])
    settle(shell)
    shown = texts(screen.page_widgets["info"]).splitlines()
    assert "配置（密码、密钥已隐藏；◆ 为中心下发）" in shown
    assert "ui.idle_timeout_seconds ◆" in shown and "120 秒" in shown  # under its Chinese name
    assert "ui.idle_warning_seconds" in shown and "ui.idle_warning_seconds ◆" not in shown


def test_a_maintainer_cannot_leave_even_through_the_service(services, people):
    from kiosk.staff import StaffError

    session = services.staff_sign_in(A, PINS[A]).session
    with pytest.raises(StaffError, match="只有管理员可以退出到桌面"):
        services.leave_to_desktop(session)
    assert people.audit_entries(1)[0].ok is False


# --- signing out ------------------------------------------------------------------------------------


def test_the_exit_button_signs_out_and_returns_home(qtbot, shell, people, settle):
    screen = sign_in(qtbot, shell, settle)
    click(qtbot, screen.exit_button)
    settle(shell)
    assert shell.current_screen() is shell.screens["home"] and shell.footer.isVisible()
    assert screen.session is None
    assert [(e.action, e.detail) for e in people.audit_entries(1)] == [("signout", "button")]


def test_staff_get_a_longer_idle_time_and_the_idle_reset_signs_them_out(qtbot, shell, people, settle, kiosk_config):
    shell.note_activity()
    assert shell._idle_timer.interval() == (kiosk_config.ui.idle_timeout_seconds - kiosk_config.ui.idle_warning_seconds) * 1000
    screen = sign_in(qtbot, shell, settle)
    shell.note_activity()
    staff_idle = kiosk_config.staff.session_idle_seconds - kiosk_config.ui.idle_warning_seconds
    assert shell._idle_timer.interval() == staff_idle * 1000
    shell._idle_expired()  # the time-out passed: the warning counts down ...
    assert shell.overlays.idle_warning_visible()
    shell.reset_session()  # ... and reaches zero
    settle(shell)
    assert screen.session is None and shell.current_screen() is shell.screens["home"]
    assert [(e.action, e.detail) for e in people.audit_entries(1)] == [("signout", "idle")]
    shell.note_activity()
    assert shell._idle_timer.interval() == (kiosk_config.ui.idle_timeout_seconds - kiosk_config.ui.idle_warning_seconds) * 1000


def test_leaving_maintainer_mode_any_other_way_signs_out(qtbot, shell, people, settle):
    screen = sign_in(qtbot, shell, settle)
    shell.go("search")
    settle(shell)
    assert screen.session is None and shell.footer.isVisible()
    assert [(e.action, e.detail) for e in people.audit_entries(1)] == [("signout", "left")]
    shell.go("maintainer")
    settle(shell)
    assert shell.current_screen() is shell.screens["home"], "no maintainer screen without signing in"


def test_the_speech_test_synthesises_measures_and_plays(qtbot, shell, people, settle):
    """Real espeak-ng (the tests' player is `true`): the sentence is measured, then said."""
    screen = sign_in(qtbot, shell, settle)
    click(qtbot, screen.tab_buttons["devices"])
    settle(shell)
    page = screen.page_widgets["devices"]
    assert "已开启 · 语音 cmn" in texts(page)
    click(qtbot, page.findChild(type(screen.exit_button), "speechTest"))
    result = page.widget().findChild(QLabel, "speechTestResult")
    qtbot.waitUntil(lambda: "语音合成" in result.text(), timeout=15000)
    assert result.text().startswith("语音合成正常")


# --- the ID card reader (docs/idcard.md) ----------------------------------------------------------


@pytest.fixture
def emulated():
    return EmulatedReader(load_cards(default_cards_path()), card_index=0)


@pytest.fixture
def reader_shell(qtbot, services, emulated):
    with TcpReaderServer(emulated) as server:
        services.config = replace(services.config, idcard=replace(services.config.idcard, uri=server.uri, timeout_ms=500))
        yield from make_shell(qtbot, services, (1080, 1920))


def shown_button(page, name):
    """The button of that name on the page as it is now (a refresh rebuilds the page). Its
    click() is used below the fold: the page's kinetic scroller takes a synthetic press there."""
    from ui.qt import QApplication, QPushButton

    def visible():
        return [b for b in page.findChildren(QPushButton, name) if b.isVisibleTo(page)]

    # A rebuild that lands during processEvents() shows its new widgets one event later (Qt
    # queues the show of a widget added to a visible layout), so wait for the button a moment.
    deadline = time.monotonic() + 5
    while not visible() and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.01)
    [found] = visible()
    page.ensureWidgetVisible(found)  # scrolled to, as a finger would
    QApplication.processEvents()
    return found


def test_reader_state_test_read_counters_and_a_fault(qtbot, reader_shell, services, emulated, settle):
    shell = reader_shell
    add_people(services.staff)
    screen = sign_in(qtbot, shell, settle)
    click(qtbot, screen.tab_buttons["devices"])
    settle(shell)
    page = screen.page_widgets["devices"]
    click(qtbot, shown_button(page, "refreshDevices"))
    qtbot.waitUntil(lambda: screen.status.text() == "已刷新", timeout=10000)
    settle(shell)
    assert page.widget().findChild(QLabel, "deviceState_card_reader").text() == "正常"
    assert "安全模块 05.01-20101224-0012345678-1234567890" in texts(page)

    shown_button(page, "testReadCard").click()
    qtbot.waitUntil(lambda: "读卡成功" in screen.status.text(), timeout=10000)
    assert screen.status.text().startswith("读卡成功：样*甲 · 女 · 汉族 · 4****************6 · 有效期 2016.03.01-2036.03.01")
    assert "样卡甲" not in screen.status.text()
    settle(shell)
    assert "读卡成功 1 次 · 读卡失败 0 次 · 未放证 0 次" in texts(page)

    emulated.remove_card()
    shown_button(page, "testReadCard").click()
    qtbot.waitUntil(lambda: "读卡未成功" in screen.status.text(), timeout=10000)
    assert "请将身份证平放在读卡区" in screen.status.text()
    qtbot.waitUntil(lambda: "读卡成功 1 次 · 读卡失败 0 次 · 未放证 1 次" in texts(page), timeout=10000)

    emulated.set_fault("sam_fault")
    click(qtbot, shown_button(page, "refreshDevices"))
    qtbot.waitUntil(lambda: screen.status.text() == "已刷新", timeout=10000)
    settle(shell)
    assert page.widget().findChild(QLabel, "deviceState_card_reader").text() == "读卡器安全模块故障"
    assert [f.kind for f in services.devices.faults.list("active")] == ["reader_sam_error"]
    emulated.set_fault("none")
    shown_button(page, "reconnectCardReader").click()
    qtbot.waitUntil(lambda: "已重新连接" in screen.status.text(), timeout=10000)
    assert screen.status.text() == "已重新连接，读卡器状态：正常"
    actions = [e.action for e in services.staff.audit_entries(10, actor=A)]
    assert "device.test_read" in actions and "device.reconnect" in actions


def test_signing_in_after_a_citizen_chose_english_opens_maintainer_mode_in_chinese(qtbot, shell, people, settle):
    """The citizen's EN ends with the session that sign-in ends, and the screens are rebuilt in
    Chinese: maintainer mode must still open, signed in (it once showed home instead)."""
    shell.set_language("en")
    settle(shell)
    screen = sign_in(qtbot, shell, settle)
    assert shell.language == "zh_CN"
    assert screen.session is not None and screen.bar.isVisible()
    assert screen.bar_label.text() == "维护模式 — 工作人员 张三（维护人员）"
    assert screen.tab_buttons["faults"].text().startswith("故障")


def test_center_settings_that_wait_for_a_restart_are_named_and_the_live_ones_apply(qtbot, shell, people, services, settle):
    """A pulled configuration in a running kiosk (docs/fleet.md): [ui] at once — the shell reads
    it — and the voice only at the next start, which 本机信息 says."""
    old = services.config
    pulled = replace(old, ui=replace(old.ui, idle_timeout_seconds=150), speech=replace(old.speech, volume=55),
                     center_keys=frozenset({"ui.idle_timeout_seconds", "speech.volume"}))
    assert services.app.apply_center_config(pulled) == (["ui.idle_timeout_seconds"], ["speech.volume"])
    assert shell.config.ui.idle_timeout_seconds == 150 and shell._idle_seconds()[0] == 150
    assert shell.config.speech.volume == old.speech.volume
    screen = sign_in(qtbot, shell, settle)
    click(qtbot, screen.tab_buttons["info"])
    settle(shell)
    shown = texts(screen.page_widgets["info"]).splitlines()
    assert "待重启生效" in shown
    assert "中心下发的以下设置将在本机下次启动后生效：播报音量" in shown
    assert "ui.idle_timeout_seconds ◆" in shown and "speech.volume ◆" not in shown  # the marks follow what is in effect
