"""Small building blocks that carry the theme's roles (see ui/theme.py)."""

from __future__ import annotations

from ui.qt import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QScroller,
    QScrollerProperties,
    QSizePolicy,
    QStackedWidget,
    Qt,
    QVBoxLayout,
    QWidget,
    delete,
)


def label(text: str = "", role: str = "body", *, wrap: bool = True, selectable: bool = False) -> QLabel:
    widget = QLabel(text)
    widget.setProperty("role", role)
    widget.setWordWrap(wrap)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    if selectable:
        widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return widget


def chip(text: str, kind: str) -> QLabel:
    widget = QLabel(text)
    widget.setProperty("role", "chip")
    widget.setProperty("chip", kind)
    widget.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Maximum)
    return widget


def button(text: str, role: str = "", *, name: str = "") -> QPushButton:
    widget = QPushButton(text)
    if role:
        widget.setProperty("role", role)
    if name:
        widget.setObjectName(name)
    widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a touch screen: no focus rectangles
    widget.setCursor(Qt.CursorShape.PointingHandCursor)
    return widget


class Card(QFrame):
    """A white box with a heading, used to group one kind of information."""

    def __init__(self, heading: str = "", accent: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setProperty("role", "card")
        if accent:
            self.setProperty("accent", accent)
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(24, 18, 24, 20)
        self.body.setSpacing(10)
        if heading:
            self.heading = label(heading, "heading")
            self.body.addWidget(self.heading)


def hbox(*widgets, spacing: int = 12, stretch_last: bool = False) -> QHBoxLayout:
    layout = QHBoxLayout()
    layout.setSpacing(spacing)
    for widget in widgets:
        if widget is None:
            layout.addStretch(1)
        else:
            layout.addWidget(widget)
    if stretch_last:
        layout.addStretch(1)
    return layout


class TouchScrollArea(QScrollArea):
    """A scroll area a finger can drag, with kinetic scrolling (QScroller)."""

    def __init__(self, content: QWidget | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.content = content or QWidget()
        self.setWidget(self.content)
        QScroller.grabGesture(self.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
        scroller = QScroller.scroller(self.viewport())
        properties = scroller.scrollerProperties()
        # Stop at the ends instead of bouncing: calmer for people unused to touch screens.
        properties.setScrollMetric(
            QScrollerProperties.ScrollMetric.VerticalOvershootPolicy,
            QScrollerProperties.OvershootPolicy.OvershootAlwaysOff,
        )
        properties.setScrollMetric(QScrollerProperties.ScrollMetric.DragStartDistance, 0.004)
        scroller.setScrollerProperties(properties)

    def scroll_to_top(self) -> None:
        self.verticalScrollBar().setValue(0)


class ScrollPages(QStackedWidget):
    """One touch-scrolling page per tab key; ``layouts[key]`` is where a page's rows go."""

    def __init__(self, keys, name_prefix: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.layouts: dict[str, QVBoxLayout] = {}
        self.widgets: dict[str, QWidget] = {}
        for key in keys:
            content = QWidget()
            layout = QVBoxLayout(content)
            layout.setContentsMargins(0, 0, 12, 0)
            layout.setSpacing(16)
            scroll = TouchScrollArea(content)
            scroll.setObjectName(f"{name_prefix}{key}")
            self.addWidget(scroll)
            self.layouts[key] = layout
            self.widgets[key] = scroll


def clear_layout(layout) -> None:
    """Remove and delete every widget of a layout (lists are rebuilt on each visit), with the
    layout items that held them. takeAt() hands its item (a widget's QWidgetItem, a stretch's
    QSpacerItem, a nested layout) to the caller, who must delete it; PySide6 does not when the
    item's wrapper goes, so each one stayed allocated (≈ 90 B per result row, ≈ 7 KiB per
    visit, issue 20)."""
    while layout.count():
        entry = layout.takeAt(0)
        widget = entry.widget()
        if widget is not None:
            widget.setParent(None)
            widget.deleteLater()
        elif entry.layout() is not None:
            clear_layout(entry.layout())
        delete(entry)  # the item only: the widget goes with deleteLater() above
