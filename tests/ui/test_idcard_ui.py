"""进度查询 by ID card through the real widgets and a reader emulated on a real TCP socket; a
scanned notice code; and that nothing of the card is left in the database, its WAL or the log
files after the session."""

from __future__ import annotations

import logging
from dataclasses import replace

import pytest

from emulators.idcard import EmulatedReader, TcpReaderServer, load_cards
from emulators.idcard.cards import default_cards_path
from kiosk import logs
from support import make_shell
from ui.qt import QApplication, Qt

CARD_NAME = "样卡甲"
CARD_ID = "411481198503122426"
CARD_ADDRESS = "演示省样例县测试路1号"


@pytest.fixture
def emulated():
    return EmulatedReader(load_cards(default_cards_path()), card_index=0)


@pytest.fixture
def reader_server(emulated):
    server = TcpReaderServer(emulated).start()
    yield server
    server.stop()


@pytest.fixture
def card_shell(qtbot, services, reader_server):
    services.config = replace(services.config, idcard=replace(services.config.idcard, uri=reader_server.uri, timeout_ms=500, wait_seconds=5))
    yield from make_shell(qtbot, services, (1080, 1920))


def assert_not_in_files(data_dir, *, wal: bool = False) -> None:
    files = [p for p in data_dir.rglob("*") if p.is_file() and (p.suffix in (".sqlite3", ".log") or p.name.endswith(("-wal", "-shm", ".log.1")))]
    assert any(p.name == "kiosk.sqlite3" for p in files) and any(p.suffix == ".log" for p in files)
    if wal:
        assert any(p.name.endswith("-wal") for p in files)
    for path in files:
        data = path.read_bytes()
        for secret in (CARD_NAME, CARD_ID, CARD_ADDRESS):
            for encoding in ("utf-8", "utf-16-le"):
                assert secret.encode(encoding) not in data, f"{secret} found in {path.name}"


def visible_text(widget) -> str:
    from ui.qt import QAbstractButton, QLabel

    texts = [w.text() for w in widget.findChildren(QLabel) + widget.findChildren(QAbstractButton) if w.isVisible()]
    return "\n".join(texts)


def test_progress_by_card_with_consent_masked_and_nothing_kept(qtbot, card_shell, services, data_dir, emulated):
    handler = logs.add_file_logging(services.config, level=logging.DEBUG)
    shell = card_shell
    screen = shell.go("progress")
    assert screen.card_button.isVisible()
    qtbot.mouseClick(screen.card_button, Qt.MouseButton.LeftButton)
    assert screen.pages.currentWidget() is screen.card_page
    # consent first: what is read, why, and the way out; nothing read yet
    assert "仅用于查找您本人的办件" in screen.card_panel.text.text() and "不保存" in screen.card_panel.text.text()
    assert screen.card_panel.decline.isVisible()
    assert [(r.cmd, r.para) for r in emulated.received if r.cmd == 0x30] == []
    qtbot.mouseClick(screen.card_panel.agree, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.pages.currentWidget() is screen.list_page, timeout=10000)
    assert screen.list_title.text() == "样*甲 的办件（共 1 件），点一件看进度"
    shown = visible_text(screen)
    assert CARD_NAME not in shown and CARD_ID not in shown
    row = screen.findChild(type(screen.card_button), "cardApplication_0")
    assert "YC2511170007" in row.text()
    qtbot.mouseClick(row, Qt.MouseButton.LeftButton)
    assert screen.pages.currentWidget() is screen.result_page
    assert "YC2511170007" in visible_text(screen)
    assert CARD_ID not in visible_text(screen)
    qtbot.mouseClick(screen.again_button, Qt.MouseButton.LeftButton)
    assert screen.pages.currentWidget() is screen.list_page  # back to the list of this card

    # the citizen leaves: the session resets
    shell.reset_session()
    assert screen.card_views == () and screen.list_rows.count() == 0
    shell.pools.wait()
    handler.flush()
    assert_not_in_files(data_dir, wal=True)  # the WAL as the session left it
    services.database.dispose()
    assert_not_in_files(data_dir)  # and the database file once the WAL is checkpointed
    logging.getLogger().removeHandler(handler)
    handler.close()


def test_an_expired_card_and_a_broken_reader_are_said(qtbot, card_shell, emulated):
    screen = card_shell.go("progress")
    screen.show_card()
    emulated.place_card(1)
    qtbot.mouseClick(screen.card_panel.agree, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.card_panel.state == "unusable", timeout=10000)
    assert "已过有效期" in screen.card_panel.text.text()
    assert screen.card_panel.agree.isVisible()  # another card may be tried
    emulated.place_card(0)
    emulated.set_fault("sam_fault")
    qtbot.mouseClick(screen.card_panel.agree, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.card_panel.state == "fault", timeout=10000)
    assert "读卡器故障" in screen.card_panel.text.text() and not screen.card_panel.agree.isVisible()
    qtbot.mouseClick(screen.card_panel.decline, Qt.MouseButton.LeftButton)
    assert screen.pages.currentWidget() is screen.form_page


def test_leaving_cancels_the_wait_for_a_card(qtbot, card_shell, emulated):
    emulated.remove_card()
    screen = card_shell.go("progress")
    screen.show_card()
    qtbot.mouseClick(screen.card_panel.agree, Qt.MouseButton.LeftButton)
    assert screen.card_panel.state == "waiting"
    card_shell.home()
    assert screen.card_panel.state == "idle"
    card_shell.pools.wait(3000)  # the worker stops waiting within a poll interval


def test_without_a_reader_there_is_no_card_button(shell):
    screen = shell.go("progress")
    assert not screen.card_button.isVisible()


def test_a_scanned_notice_code_opens_progress_with_its_number(qtbot, shell):
    shell.go("home")
    scan_filter = shell.scan_filter
    scan_filter.clock = iter(range(0, 10_000, 5)).__next__
    window = QApplication.focusWidget() or shell
    qtbot.keyClicks(window, "ZWFW-BJ:?number=YC2511170007")
    qtbot.keyClick(window, Qt.Key.Key_Return)
    screen = shell.current_screen()
    assert screen.name == "progress"
    assert screen.number_field.text() == "YC2511170007" and screen.verify_field.text() == ""
    assert "请输入申请人手机号或身份证号的后4位" in screen.advice.text()
    # typed slowly, the same text is typing, not a scan
    scan_filter.clock = iter(range(0, 100_000, 200)).__next__
    screen.verify_field.setFocus()
    qtbot.keyClicks(screen.verify_field, "5678")
    assert screen.verify_field.text() == "5678"


def test_a_code_scanned_over_a_result_starts_a_new_query(qtbot, shell):
    screen = shell.go("progress")
    screen.show_result(shell.services.query_progress("YC2511060002", "2468").view)
    assert shell.scan_filter.handler("ZWFW-BJ:?number=YC2511170007")
    assert screen.pages.currentWidget() is screen.form_page and screen.view is None
    assert screen.number_field.text() == "YC2511170007"
    assert not shell.scan_filter.handler("https://example.com/pay")  # not ours: left alone


LICENCE_PRINT = "1141148100492981054200009"  # 营业执照自助打印: bring the legal representative's ID card


def test_a_self_service_item_that_needs_the_card_says_so_and_checks_it(qtbot, card_shell, emulated, settle):
    selfservice = card_shell.go("selfservice")
    settle(card_shell)
    assert "需刷身份证" in visible_text(selfservice)
    screen = card_shell.go("item", code=LICENCE_PRINT)
    settle(card_shell)
    need = screen.findChild(type(screen.title), "itemNeedsIdCard")
    assert need is not None and "需要核验身份" in need.text()
    check = screen.findChild(type(screen.print_button), "itemCheckCard")
    check.click()
    assert "核对您的身份证能否用于办理本事项" in screen.card_panel.text.text()
    emulated.place_card(1)
    screen.card_panel.agree.click()
    qtbot.waitUntil(lambda: screen.card_panel.state == "unusable", timeout=10000)
    assert "已过期" in screen.card_panel.text.text() or "已过有效期" in screen.card_panel.text.text()
    emulated.place_card(0)
    screen.card_panel.agree.click()
    result = screen.findChild(type(screen.title), "itemCardResult")
    qtbot.waitUntil(lambda: result.isVisible(), timeout=10000)
    assert result.text() == "身份证可以使用（样*甲），请按办理步骤操作。"
    card_shell.home()
    assert screen.card_panel is None


def test_an_item_without_identification_has_no_card_check(card_shell, settle):
    screen = card_shell.go("item", code="1141148100492981054010001")
    settle(card_shell)
    assert screen.findChild(type(screen.title), "itemNeedsIdCard") is None
