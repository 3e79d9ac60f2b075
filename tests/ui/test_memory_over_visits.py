"""Issue 20: nothing of a citizen's visit stays alive after the session reset. Counts, not
timings: the live ServiceItem objects, TouchScrollArea widgets, gesture types and the layout
items of rebuilt lists do not grow with the visits."""

from __future__ import annotations

import gc

import shiboken6

from kiosk.catalog.models import ServiceItem
from support import dialog_is
from ui.qt import QApplication, QEvent, QHBoxLayout, QLabel, QPushButton, Qt, QVBoxLayout, QWidget
from ui.widgets.basic import clear_layout

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
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not scroll.isVisible()
    assert scroll.widget() is None and not scroll.findChildren(QLabel, "previewImage"), "the closed preview's image is kept"
    dialog = shell.overlays.show_preview("补正材料清单", pixmaps[1], lambda: None)
    qtbot.waitUntil(lambda: dialog.isVisible())
    images = dialog.findChildren(QLabel, "previewImage")
    assert len(images) == 1 and images[0].pixmap().height() == 2000 and images[0].isVisible()
    assert images[0].parentWidget().parentWidget() is scroll and scroll.verticalScrollBar().value() == 0
    assert dialog.property("dialogName") == "preview" and dialog.title.text() == "补正材料清单"


def search_visit(qtbot, shell) -> list:
    """A citizen types a query, sees the results, opens the first one and leaves. Returns the
    result list's layout items as they were on screen."""
    screen = shell.go("search")
    screen.field.setText("yyzz")
    qtbot.waitUntil(lambda: bool(screen.hits) and screen.results_layout.count() > len(screen.hits))
    items = [screen.results_layout.itemAt(i) for i in range(screen.results_layout.count())]
    qtbot.mouseClick(items[0].widget(), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: shell.current_screen() is shell.screens["item"])
    qtbot.waitUntil(lambda: shell.pools.db.activeThreadCount() == 0)
    QApplication.processEvents()
    shell.reset_session()
    QApplication.processEvents()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return items


def test_search_results_leave_no_layout_items_behind(qtbot, shell):
    """Every search rebuilds the result list (clear_layout): the layout items that held the
    last results' rows and stretch are deleted with them, not only taken out of the layout
    (≈ 90 B each, ≈ 7 KiB per visit before the fix)."""
    taken = []
    for _ in range(5):
        taken += search_visit(qtbot, shell)
    results = shell.screens["search"].results_layout
    on_screen = {id(results.itemAt(i)) for i in range(results.count())}
    kept = [item for item in taken if id(item) not in on_screen and shiboken6.isValid(item)]
    assert len(taken) >= 5 * 3
    assert not kept, f"{len(kept)} layout items of 5 searches' results still allocated"


def test_search_field_keeps_no_undo_history_after_the_reset(qtbot, shell):
    """The typed query leaves no undo history behind: QLineEdit.clear() is undoable, so the
    history kept the last citizen's query and grew with every visit's typing."""
    screen = shell.go("search")
    for key in "yyzz":
        screen.keyboard.keys[key].click()
    assert screen.field.text() == "yyzz" and screen.field.isUndoAvailable()
    shell.reset_session()
    assert screen.field.text() == "" and not screen.field.isUndoAvailable()


def test_elder_mode_rearranging_the_footer_leaves_no_layout_items_behind(qtbot, shell):
    """Elder mode on a portrait screen puts the footer on two rows; each arrangement takes the
    buttons' layout items out of the rows, and those are deleted, not left allocated."""
    taken = []
    for _ in range(3):
        for row in shell.footer_rows:
            taken += [row.itemAt(i) for i in range(row.count())]
        shell.toggle_elder()
    on_screen = {id(row.itemAt(i)) for row in shell.footer_rows for i in range(row.count())}
    kept = [item for item in taken if id(item) not in on_screen and shiboken6.isValid(item)]
    assert len(taken) >= 3 * 7
    assert not kept, f"{len(kept)} footer layout items still allocated"
    assert shell.help_button.isVisible() and shell.back_button.parentWidget() is not None


def test_the_keypads_clear_drops_what_was_typed_from_the_undo_history(qtbot):
    from ui.qt import QLineEdit
    from ui.widgets.keyboard import TouchKeyboard
    from ui.widgets.keypad import PhonePad

    for make in (PhonePad, TouchKeyboard):
        field = QLineEdit()
        pad = make(field)
        qtbot.addWidget(pad)
        for char in "1385":
            pad.type(char)
        pad.backspace_pressed()
        assert field.text() == "138" and field.isUndoAvailable()
        pad.clear()
        assert field.text() == "" and not field.isUndoAvailable(), make.__name__


def test_clear_layout_deletes_items_nested_layouts_and_widgets(qtbot):
    host = QWidget()
    qtbot.addWidget(host)
    outer = QVBoxLayout(host)
    rows = [QPushButton(f"第 {n} 项") for n in range(3)]
    for row in rows:
        outer.addWidget(row)
    inner = QHBoxLayout()
    nested = QLabel("说明")
    inner.addWidget(nested)
    outer.addLayout(inner)
    outer.addStretch(1)
    items = [outer.itemAt(i) for i in range(outer.count())] + [inner.itemAt(0)]

    clear_layout(outer)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    assert outer.count() == 0
    assert not any(shiboken6.isValid(item) for item in items), "a taken layout item was not deleted"
    assert not any(shiboken6.isValid(widget) for widget in (*rows, nested)), "a cleared widget was not deleted"
    outer.addWidget(QLabel("新的一项"))  # the layout is still usable
    assert outer.count() == 1


def test_finished_background_tasks_are_not_kept(qtbot):
    """Operations started back to back (a visit starts several) leave no task object behind
    once they ran: PySide6 recorded the pool as the parent of a task that had already run and
    been deleted, and the pool kept its wrapper for good (about one task in ten)."""
    from ui import operations
    from ui.qt import QObject, QThreadPool

    pool = QThreadPool()
    pool.setMaxThreadCount(1)
    owner = QObject()
    results = []
    for burst in range(1, 11):
        for n in range(100):
            operations.run(pool, abs, -n, on_success=results.append, owner=owner)
        assert pool.waitForDone(10000)
        qtbot.waitUntil(lambda: len(results) == 100 * burst)  # noqa: B023 (checked in this round)
    gc.collect()
    kept = sum(1 for o in gc.get_objects() if isinstance(o, operations._Task))
    assert kept == 0, f"{kept} of 1,000 finished tasks kept"
    assert sorted(results) == sorted(list(range(100)) * 10)


def test_a_callback_whose_owner_was_deleted_meanwhile_is_dropped(qtbot):
    """The owner (a screen left, a dialog closed) is deleted while its work runs: the result is
    not delivered to it, and nothing of the operation stays (its owner is not kept alive)."""
    import threading

    from ui import operations
    from ui.qt import QThreadPool

    pool = QThreadPool()
    release = threading.Event()
    owner, other = QWidget(), QWidget()
    got = []
    operations.run(pool, lambda: release.wait(10) and "left", on_success=got.append, owner=owner)
    operations.run(pool, lambda: release.wait(10) and "shown", on_success=got.append, owner=other)
    owner.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not shiboken6.isValid(owner)
    release.set()
    assert pool.waitForDone(10000)
    qtbot.waitUntil(lambda: got == ["shown"])
    QApplication.processEvents()
    assert got == ["shown"] and not operations._waiting
