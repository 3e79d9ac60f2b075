"""Issue 20: nothing of a citizen's visit stays alive after the session reset. Counts, not
timings: the live ServiceItem objects and TouchScrollArea widgets do not grow with the visits."""

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
    items, areas = live_items(), live_scroll_areas()
    for _ in range(10):
        visit(qtbot, shell)
    assert live_items() <= items, f"{live_items() - items} ServiceItem objects kept by 10 visits"
    assert live_scroll_areas() <= areas, f"{live_scroll_areas() - areas} preview scroll areas kept by 10 visits"
