"""Printing from the screens to the ESC/POS emulator over a real TCP socket."""

from __future__ import annotations



from ui.qt import Qt
from support import dialog_is

COMPANY = "1141148100492981054010001"  # 有限责任公司设立登记


def test_initials_to_item_to_precheck_to_missing_materials_slip(qtbot, printing_shell, emulator, settle):
    shell = printing_shell
    shell.go("search")
    settle(shell)
    search = shell.screens["search"]
    for char in "yxzrgssldj":
        qtbot.mouseClick(search.keyboard.keys[char], Qt.MouseButton.LeftButton)
    assert search.hits[0].name == "有限责任公司设立登记"
    search.open(search.hits[0].code)
    settle(shell)
    qtbot.mouseClick(shell.screens["item"].precheck_button, Qt.MouseButton.LeftButton)
    settle(shell)
    checklist = shell.screens["checklist"]
    toggles = list(checklist.toggles.values())
    qtbot.mouseClick(toggles[0], Qt.MouseButton.LeftButton)  # has only the application form
    qtbot.mouseClick(checklist.check_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(checklist.print_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(dialog_is(shell, "preview"), timeout=5000)
    assert shell.overlays.dialog.title.text() == "补正材料清单"
    qtbot.mouseClick(shell.overlays.dialog.buttons["printButton"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog_is(shell, "printed"), timeout=10000)
    assert "请取走凭条" in shell.overlays.dialog.text.text()

    job = emulator.wait_for_jobs(1, timeout=5)[0]
    assert job.cut
    assert not job.undecodable
    text = job.text
    assert "补正材料清单" in text
    assert "有限责任公司设立登记" in text
    assert "公司章程" in text
    assert "A01" in text
    # the missing ones come first and are marked; the one the citizen has comes after
    assert text.index("公司章程") < text.index("公司登记（备案）申请书")
    assert "https://m.hnzwfw.gov.cn/ysb/guide/1141148100492981054010001" in job.qr_payloads


def test_a_printer_fault_says_what_to_do_instead_and_nothing_freezes(qtbot, printing_shell, emulator, settle):
    shell = printing_shell
    emulator.state.update(paper="out")
    shell.go("item", code=COMPANY)
    settle(shell)
    item = shell.screens["item"]
    qtbot.mouseClick(item.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog_is(shell, "preview"), timeout=5000)
    qtbot.mouseClick(shell.overlays.dialog.buttons["printButton"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog_is(shell, "printFailed"), timeout=10000)
    text = shell.overlays.dialog.text.text()
    assert "打印暂不可用" in text and "缺纸" in text
    assert "二维码" in text and "A01 号窗口" in text and "呼叫帮办" in text
    assert shell.printer_banner.isVisible()
    assert emulator.jobs == []
    # the screen still answers: the citizen can go on
    qtbot.mouseClick(shell.overlays.dialog.buttons["closeButton"], Qt.MouseButton.LeftButton)
    assert not shell.overlays.has_open_dialog()
    qtbot.mouseClick(shell.home_button, Qt.MouseButton.LeftButton)
    assert shell.current_screen() is shell.screens["home"]


def test_printer_state_poll_shows_the_banner(qtbot, printing_shell, emulator):
    shell = printing_shell
    emulator.state.update(cover_open=True)
    shell.refresh_printer_state()
    qtbot.waitUntil(shell.printer_banner.isVisible, timeout=5000)
    assert "上盖" in shell.printer_banner_text.text()
    emulator.state.update(cover_open=False)
    shell.refresh_printer_state()
    qtbot.waitUntil(lambda: not shell.printer_banner.isVisible(), timeout=5000)
