"""Issue 20: nothing of a citizen's visit stays alive after the session reset. Counts, not
timings: the live ServiceItem objects, TouchScrollArea widgets and gesture types do not grow
with the visits."""

from __future__ import annotations

import gc

from kiosk.catalog.models import ServiceItem
from support import dialog_is
from ui.qt import QApplication, QEvent, Qt

COMPANY = "1141148100492981054010001"  # 有限责任公司设立登记


def live_items() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, ServiceItem))


def live_scroll_areas() -> int:
    return sum(1 for w in QApplication.allWidgets() if type(w).__name__ == "TouchScrollArea")


def live_gesture_types() -> int:
    """Qt.GestureType values PySide6 has made for gestures registered at run time: each new
    TouchScrollArea's kinetic scrolling (QScroller.grabGesture) registers a new recognizer with
    a new gesture type, which PySide6 keeps as a new enum class for good (≈ 3 KiB each)."""
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, Qt.GestureType) and o.value >= Qt.GestureType.CustomGesture.value)


def visit(qtbot, shell) -> None:
    """A citizen opens the item, previews its notice, closes the preview and leaves."""
    item = shell.go("item", code=COMPANY)
    qtbot.waitUntil(lambda: item.item is not None and item.title.text() == item.item.name)
    qtbot.waitUntil(lambda: shell.pools.db.activeThreadCount() == 0)
    QApplication.processEvents()  # the item's "open now" answer delivered
    qtbot.mouseClick(item.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog_is(shell, "preview"))
    shell.overlays.close_all()
    shell.reset_session()
    QApplication.processEvents()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # as the running event loop does


def test_visits_leave_no_item_and_no_preview_behind(qtbot, shell):
    for _ in range(3):
        visit(qtbot, shell)
    items, areas, gestures = live_items(), live_scroll_areas(), live_gesture_types()
    for _ in range(10):
        visit(qtbot, shell)
    assert live_items() <= items, f"{live_items() - items} ServiceItem objects kept by 10 visits"
    assert live_scroll_areas() <= areas, f"{live_scroll_areas() - areas} preview scroll areas kept by 10 visits"
    assert live_gesture_types() <= gestures, f"{live_gesture_types() - gestures} gesture types kept by 10 visits"


def test_each_preview_shows_its_own_slip_from_the_top(qtbot, shell):
    """The preview's scroll area is lent from one preview to the next: each shows its slip,
    scrolled to the top, and closing it leaves nothing of it on screen."""
    from ui.qt import QLabel, QPixmap

    pixmaps = []
    for height in (3000, 2000):
        pixmap = QPixmap(576, height)
        pixmap.fill(Qt.GlobalColor.white)
        pixmaps.append(pixmap)
    dialog = shell.overlays.show_preview("一次性告知单", pixmaps[0], lambda: None)
    scroll = dialog.findChild(QLabel, "previewImage").parentWidget().parentWidget()
    scroll.verticalScrollBar().setValue(500)
    shell.overlays.close_all()
    assert not scroll.isVisible()
    dialog = shell.overlays.show_preview("补正材料清单", pixmaps[1], lambda: None)
    qtbot.waitUntil(lambda: dialog.isVisible())
    images = dialog.findChildren(QLabel, "previewImage")
    assert len(images) == 1 and images[0].pixmap().height() == 2000 and images[0].isVisible()
    assert images[0].parentWidget().parentWidget() is scroll and scroll.verticalScrollBar().value() == 0
    assert dialog.property("dialogName") == "preview" and dialog.title.text() == "补正材料清单"
