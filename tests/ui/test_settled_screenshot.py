"""`kiosk screenshot` captures a screen only once its layout has settled."""

from __future__ import annotations

from ui.qt import QApplication, QTimer
from ui.screenshots import settle, settled_grab


def test_a_late_change_is_in_the_picture(shell):
    screen = shell.go("item", code=shell.services.self_service_items()[0].code)
    settle(shell)
    QTimer.singleShot(0, lambda: screen.title.setText("这行标题是稍后才换上的"))
    early = shell.grab().toImage()
    picture = settled_grab(shell).toImage()
    QApplication.instance().processEvents()
    final = shell.grab().toImage()
    assert early != final, "the late change shows (else this test could not fail)"
    assert picture == final


def test_elder_item_screen_is_captured_settled(shell, tmp_path):
    from ui.screenshots import render

    out = render(shell, "item", tmp_path / "item-elder.png", elder=True)
    for _ in range(5):
        QApplication.instance().processEvents()
    from ui.qt import QImage

    assert QImage(str(out)) == shell.grab().toImage().convertToFormat(QImage(str(out)).format())
