"""A citizen taps through the kiosk; the assertions are what they would see."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ui.qt import QLabel, QPushButton, Qt
from ui.widgets.item_row import ItemRow, TouchRow

COMPANY = "1141148100492981054010001"  # 有限责任公司设立登记: 4 required, 1 deferrable, 1 optional


def visible_texts(widget) -> str:
    from ui.qt import QApplication

    QApplication.processEvents()  # children added to a shown widget appear on the next event loop pass
    return "\n".join(label.text() for label in widget.findChildren(QLabel) if label.isVisibleTo(widget))


def type_on_keyboard(qtbot, screen, text: str) -> None:
    for char in text:
        qtbot.mouseClick(screen.keyboard.keys[char], Qt.MouseButton.LeftButton)


def test_every_screen_shows_the_center_the_time_and_a_way_to_a_human(shell, settle):
    for name in ("home", "browse", "search", "selfservice"):
        shell.go(name)
        settle(shell)
        assert shell.center_name.text() == "永城市政务服务中心"
        assert shell.terminal_name.text() == "大厅自助终端 1 号"
        assert "年" in shell.clock.text() and ":" in shell.clock.text()
        assert shell.help_button.isVisible() and shell.help_button.text() == "呼叫帮办"
        assert shell.elder_button.isVisible()
        assert shell.home_button.isVisible() == (name != "home")


def test_search_by_initials_then_open_the_item(qtbot, shell, settle):
    qtbot.mouseClick(shell.screens["home"].search_button, Qt.MouseButton.LeftButton)
    search = shell.screens["search"]
    settle(shell)
    type_on_keyboard(qtbot, search, "yxzrgs")
    rows = search.results.findChildren(ItemRow)
    assert rows, "results update with every key"
    first = rows[0]
    assert first.title_label.text() == "有限责任公司设立登记"
    assert "永城市市场监督管理局" in first.detail_label.text()
    assert "A01 企业开办综合窗口（一楼A区）" in first.detail_label.text()
    qtbot.mouseClick(first, Qt.MouseButton.LeftButton)
    settle(shell)
    item = shell.screens["item"]
    assert shell.current_screen() is item
    texts = visible_texts(item)
    assert "有限责任公司设立登记" in texts
    assert "A01 号窗口  企业开办综合窗口（一楼A区）" in texts
    assert "承诺办结时限" in texts and "法定办结时限" in texts
    assert "公司章程" in texts and "容缺后补" in texts
    assert item.findChild(QLabel, "qr") is not None, "online handling offers a QR code"


def test_physical_keyboard_and_scanner_type_into_search(qtbot, shell, settle):
    shell.go("search")
    settle(shell)
    search = shell.screens["search"]
    qtbot.keyClicks(search.field, COMPANY)  # a barcode scanner types the code...
    qtbot.keyClick(search.field, Qt.Key.Key_Return)  # ...and ends it with Enter
    settle(shell)
    assert shell.current_screen() is shell.screens["item"]
    assert shell.screens["item"].title.text() == "有限责任公司设立登记"


def test_no_result_says_so_and_offers_browsing_and_a_helper(qtbot, shell, settle):
    shell.go("search")
    settle(shell)
    search = shell.screens["search"]
    type_on_keyboard(qtbot, search, "qqqqq")
    no_result = search.results.findChild(QLabel, "noResultText")
    assert no_result is not None and no_result.text() == "没有找到与“qqqqq”相关的事项。"
    assert search.results.findChild(QPushButton, "noResultHelper") is None, "the footer's 呼叫帮办 is the one way to a human"
    assert any("呼叫帮办" in lab.text() for lab in search.results.findChildren(QLabel))
    qtbot.mouseClick(search.results.findChild(QPushButton, "noResultBrowse"), Qt.MouseButton.LeftButton)
    assert shell.current_screen() is shell.screens["browse"]


def test_item_handled_elsewhere_says_where(shell, settle, services):
    elsewhere = next(e for e in services.catalog_index().entries if not e.in_center)
    shell.go("item", code=elsewhere.code)
    settle(shell)
    item = shell.screens["item"]
    texts = visible_texts(item)
    assert "本事项不在本中心办理" in texts
    assert item.item.department.address in texts or item.item.location in texts


def test_an_item_that_is_gone_shows_its_print_button_greyed_out(shell, settle):
    """A disabled 打印告知单 must look disabled (the primary style once painted it blue)."""
    shell.go("item", code="no-such-item")
    settle(shell)
    screen = shell.screens["item"]
    assert screen.title.text() == "没有找到这个事项"
    button = screen.print_button
    assert not button.isEnabled()
    image = button.grab().toImage()
    centre = image.pixelColor(8, image.height() // 2)  # inside the border, left of the text
    assert (centre.red(), centre.green(), centre.blue()) == (0xEE, 0xF1, 0xF5), centre.name()


def test_precheck_names_what_is_missing_and_explains_deferrable(qtbot, shell, settle):
    shell.go("checklist", code=COMPANY)
    settle(shell)
    checklist = shell.screens["checklist"]
    toggles = list(checklist.toggles.values())
    # required first, then deferrable, then optional
    assert [t.property("material") for t in toggles][:4] == [
        "公司登记（备案）申请书",
        "公司章程",
        "股东的主体资格文件或自然人身份证明",
        "法定代表人、董事、监事和高级管理人员的任职文件及身份证明",
    ]
    assert all(t.height() >= 60 for t in toggles)
    qtbot.mouseClick(toggles[0], Qt.MouseButton.LeftButton)
    assert toggles[0].isChecked() and toggles[0].text().startswith("✔")
    assert checklist.summary.text() == "必要材料已备齐 1 / 4 项"
    qtbot.mouseClick(checklist.check_button, Qt.MouseButton.LeftButton)
    result = visible_texts(checklist)
    assert "还缺 3 项必要材料" in result
    assert "✘ 公司章程" in result
    assert "容缺后补" in result and "住所使用相关文件" in result
    assert checklist.print_button.isVisible() and checklist.print_button.text() == "打印补正材料清单"


def test_precheck_complete_names_the_window(qtbot, shell, settle):
    shell.go("checklist", code=COMPANY)
    settle(shell)
    checklist = shell.screens["checklist"]
    for material in checklist.item.required_materials:
        qtbot.mouseClick(checklist.toggles[material.position], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(checklist.check_button, Qt.MouseButton.LeftButton)
    result = visible_texts(checklist)
    assert "必要材料已经齐全" in result
    assert "A01 号窗口（一楼A区）" in result


def test_browse_by_department_and_topic(qtbot, shell, settle):
    shell.go("browse", tab="department")
    settle(shell)
    browse = shell.screens["browse"]
    department = browse.list_widget.findChild(TouchRow, "department_SCJG")
    assert department is not None
    qtbot.mouseClick(department, Qt.MouseButton.LeftButton)
    settle(shell)
    assert browse.section.text() == "永城市市场监督管理局"
    assert browse.list_widget.findChild(QLabel, "rowTitle") is not None
    shell.back()
    settle(shell)
    assert browse.section.text() == "请选择部门"
    qtbot.mouseClick(browse.tabs["topic"], Qt.MouseButton.LeftButton)
    settle(shell)
    topics = [b for b in browse.list_widget.findChildren(TouchRow) if b.objectName().startswith("topic_")]
    assert len(topics) >= 8


def test_the_feedback_tile_offers_rating_and_complaints(qtbot, shell, settle):
    qtbot.mouseClick(shell.screens["home"].tiles["tile_feedback"], Qt.MouseButton.LeftButton)
    screen = shell.screens["feedback"]
    assert shell.current_screen() is screen
    assert screen.rate_entry.isVisible() and screen.complain_entry.isVisible()
    assert "综合咨询台" in screen.other_ways.text()  # and the way to a person


def test_elder_mode_is_larger_and_ends_with_the_session(qtbot, shell, settle):
    normal = shell.theme
    qtbot.mouseClick(shell.elder_button, Qt.MouseButton.LeftButton)
    elder = shell.theme
    assert elder.elder and shell.elder_button.text() == "退出长辈模式"
    assert elder.body_px >= 1.5 * normal.body_px
    assert elder.action_px >= 30
    shell.go("search")
    settle(shell)
    for key in shell.screens["search"].keyboard.keys.values():
        # keys are 110 px where there is room and give way down to 80 px (theme.key_floor_px)
        assert key.height() >= 80 and key.width() >= 80
    for button in (shell.back_button, shell.home_button, shell.elder_button, shell.help_button):
        assert button.height() >= 90 and button.width() >= 90
    shell.reset_session()
    assert not shell.elder and shell.theme.body_px == normal.body_px


def test_touch_targets_are_at_least_60_px(shell, settle):
    for name, params in (("home", {}), ("search", {}), ("item", {"code": COMPANY}), ("checklist", {"code": COMPANY})):
        shell.go(name, **params)
        settle(shell)
        for button in shell.findChildren(QPushButton):
            if button.isVisibleTo(shell) and button.window() is shell:
                assert button.width() >= 60 and button.height() >= 60, (name, button.objectName(), button.size())


def test_landscape_layout(landscape_shell, settle):
    shell = landscape_shell
    settle(shell)
    home = shell.screens["home"]
    tiles = list(home.tiles.values())
    assert len({t.y() for t in tiles}) == 2, "landscape puts the six tiles in two rows"
    for tile in tiles:
        assert shell.rect().contains(tile.mapTo(shell, tile.rect().bottomRight()))
    shell.go("item", code=COMPANY)
    settle(shell)
    assert shell.screens["item"].print_button.isVisible()


def test_landscape_header_takes_one_line(landscape_shell, settle):
    """Landscape is short of height: the center's and the terminal's names side by side, the
    date and time on one line."""
    wide = landscape_shell
    settle(wide)
    assert wide.terminal_name.isVisible() and wide.terminal_name.text()
    assert wide.terminal_name.x() >= wide.center_name.x() + wide.center_name.width()
    assert "\n" not in wide.clock.text() and ":" in wide.clock.text()
    assert wide.header.height() <= 72, wide.header.height()


def test_portrait_header_stacks_the_names(shell, settle):
    settle(shell)
    assert shell.terminal_name.y() >= shell.center_name.y() + shell.center_name.height()
    assert "\n" in shell.clock.text()
    assert shell.header.height() > 72, shell.header.height()


def test_printer_state_is_shown_when_not_ready(shell):
    assert not shell.printer_banner.isVisible()
    shell.set_printer_state(False, "缺纸")
    assert shell.printer_banner.isVisible()
    assert "打印暂不可用（缺纸）" in shell.printer_banner_text.text()
    shell.set_printer_state(True, "")
    assert not shell.printer_banner.isVisible()


@pytest.fixture
def quick_idle(services):
    """Idle after 2 s with a 1 s warning (the real minimum is 20 s; the logic is the same)."""
    services.config = replace(services.config, ui=replace(services.config.ui, idle_timeout_seconds=2, idle_warning_seconds=1))
    return services


def test_idle_warning_then_reset_clears_everything(qtbot, quick_idle, settle):
    from ui.app import KioskWindow, create_application

    create_application()
    shell = KioskWindow(quick_idle, size=(1080, 1920))
    qtbot.addWidget(shell)
    shell.show()
    qtbot.mouseClick(shell.elder_button, Qt.MouseButton.LeftButton)
    shell.go("search")
    settle(shell)
    search = shell.screens["search"]
    type_on_keyboard(qtbot, search, "yyzz")
    assert search.hits
    # elder mode doubles the time-outs (4 s, warning 2 s)
    assert shell._idle_seconds() == (4, 2)
    qtbot.waitUntil(shell.overlays.idle_warning_visible, timeout=8000)
    assert "秒后将返回首页" in shell.overlays.dialog.text.text()
    assert shell.overlays.dialog.buttons["continueButton"].text() == "继续使用"
    qtbot.waitUntil(lambda: shell.current_screen() is shell.screens["home"], timeout=8000)
    assert search.field.text() == "" and search.hits == []
    assert not shell.elder
    assert not shell.overlays.has_open_dialog()
    shell.allow_close = True
    shell.pools.wait()


def test_continue_keeps_the_citizen_where_they_were(qtbot, quick_idle, settle):
    from ui.app import KioskWindow, create_application

    create_application()
    shell = KioskWindow(quick_idle, size=(1080, 1920))
    qtbot.addWidget(shell)
    shell.show()
    shell.go("search")
    settle(shell)
    type_on_keyboard(qtbot, shell.screens["search"], "yyzz")
    qtbot.waitUntil(shell.overlays.idle_warning_visible, timeout=3000)
    qtbot.mouseClick(shell.overlays.dialog.buttons["continueButton"], Qt.MouseButton.LeftButton)
    assert not shell.overlays.has_open_dialog()
    assert shell.current_screen() is shell.screens["search"]
    assert shell.screens["search"].field.text() == "yyzz"
    shell.allow_close = True
    shell.pools.wait()


def test_the_window_cannot_be_closed_by_a_citizen(shell):
    shell.close()
    assert shell.isVisible()
