"""上一页 / 下一页 in elder mode (BRIEF §6, issue 18 item 5): people unused to touch screens do
not know that a page scrolls with a finger. While elder mode is on and the current screen has a
scrolling list or text that does not fit, the footer shows two large buttons that move it by
most of a screen's height; at the top (or the end) the matching button is disabled."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from ui.i18n import tr
from ui.qt import QObject, QTimer, QWidget
from ui.widgets.basic import TouchScrollArea, button

if TYPE_CHECKING:
    from ui.overlays import OverlayHost

#: how much of the visible height one press moves (some overlap keeps the reader's place)
STEP = 0.85


def scrolling_area(screen) -> TouchScrollArea | None:
    """The screen's largest visible scroll area whose content does not fit, if any."""
    best, best_area = None, 0
    for area in screen.findChildren(TouchScrollArea):
        if not area.isVisibleTo(screen) or area.verticalScrollBar().maximum() <= 0:
            continue
        size = area.viewport().width() * area.viewport().height()
        if size > best_area:
            best, best_area = area, size
    return best


class PagingHost(Protocol):
    """What the page buttons use of the shell (ui/shell.py; its public interface)."""

    elder: bool
    overlays: OverlayHost
    screen_changed: Any  # a Qt signal carrying the screen's name

    def current_screen(self) -> QWidget: ...


class PageButtons(QObject):
    def __init__(self, shell: PagingHost):
        super().__init__(shell)
        self.shell = shell
        self.previous = button(tr("▲ 上一页"), name="pageUpButton")
        self.next = button(tr("▼ 下一页"), name="pageDownButton")
        self.previous.clicked.connect(lambda: self.turn(-1))
        self.next.clicked.connect(lambda: self.turn(1))
        for b in (self.previous, self.next):
            b.hide()
        # content arrives from worker threads and scroll positions change by dragging: look again
        # twice a second while elder mode is on (cheap: a handful of widgets)
        self._timer = QTimer(self)
        self._timer.setInterval(500)
        self._timer.timeout.connect(self.update)
        shell.screen_changed.connect(lambda _name: QTimer.singleShot(0, self, self.update))

    def elder_changed(self, on: bool) -> None:
        if on:
            self._timer.start()
            QTimer.singleShot(0, self, self.update)
        else:
            self._timer.stop()
            self.update()

    def area(self):
        if not self.shell.elder:
            return None
        if self.shell.overlays.has_open_dialog():
            return None
        return scrolling_area(self.shell.current_screen())

    def update(self) -> None:
        area = self.area()
        for b in (self.previous, self.next):
            b.setVisible(area is not None)
        if area is not None:
            bar = area.verticalScrollBar()
            self.previous.setEnabled(bar.value() > bar.minimum())
            self.next.setEnabled(bar.value() < bar.maximum())

    def turn(self, direction: int) -> None:
        area = self.area()
        if area is None:
            return
        bar = area.verticalScrollBar()
        bar.setValue(bar.value() + direction * max(1, int(area.viewport().height() * STEP)))
        self.update()
