"""One service item in a list: name, department, where it is handled, and what is special.

A frame rather than a QPushButton: a button cannot size itself to wrapped multi-line text.
"""

from __future__ import annotations

import re

from ui.i18n import tr
from ui.qt import QFrame, QHBoxLayout, QLabel, QSizePolicy, Qt, QVBoxLayout, Signal
from ui.widgets.basic import chip


class TouchRow(QFrame):
    """A tappable row with visible press feedback."""

    clicked = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setProperty("role", "touchrow")
        self.setProperty("pressed", "false")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

    def _set_pressed(self, pressed: bool) -> None:
        self.setProperty("pressed", "true" if pressed else "false")
        self.style().unpolish(self)
        self.style().polish(self)

    def mousePressEvent(self, event) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self._set_pressed(True)
        event.accept()

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802
        was_pressed = self.property("pressed") == "true"
        self._set_pressed(False)
        if was_pressed and event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.clicked.emit()
        event.accept()

    def click(self) -> None:
        self.clicked.emit()


class TextRow(TouchRow):
    """A tappable row of wrapped text (a title line and an optional detail line)."""

    def __init__(self, title: str, detail: str = "", *, name: str = ""):
        super().__init__()
        if name:
            self.setObjectName(name)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 14, 22, 14)
        layout.setSpacing(6)
        self.title_label = QLabel(title)
        self.title_label.setObjectName("rowTitle")
        self.title_label.setProperty("role", "rowtitle")
        self.title_label.setWordWrap(True)
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.title_label)
        self.detail_label = QLabel(detail)
        self.detail_label.setObjectName("rowDetail")
        self.detail_label.setProperty("role", "muted")
        self.detail_label.setWordWrap(True)
        self.detail_label.setTextFormat(Qt.TextFormat.PlainText)
        self.detail_label.setVisible(bool(detail))
        layout.addWidget(self.detail_label)


class ToggleRow(TextRow):
    """A large on/off row (a material the citizen has or has not brought)."""

    toggled = Signal(bool)

    def __init__(self, title: str, detail: str = "", *, name: str = ""):
        super().__init__(title, detail, name=name)
        self._title = title
        self._checked = False
        self.clicked.connect(self.toggle)
        self._refresh()

    def isChecked(self) -> bool:  # noqa: N802 (reads like Qt's buttons)
        return self._checked

    def setChecked(self, on: bool) -> None:  # noqa: N802
        if on != self._checked:
            self._checked = on
            self._refresh()
            self.toggled.emit(on)

    def toggle(self) -> None:
        self.setChecked(not self._checked)

    def text(self) -> str:
        return self.title_label.text() + "\n" + self.detail_label.text()

    def _refresh(self) -> None:
        self.title_label.setText(("✔  " if self._checked else "☐  ") + self._title)
        self.setProperty("checked", "true" if self._checked else "false")
        self.style().unpolish(self)
        self.style().polish(self)


class ItemRow(TouchRow):
    def __init__(self, code: str, name: str, department: str, where: str, *, in_center: bool, self_service: bool,
                 online: bool | None = None, elder: bool = False):
        super().__init__()
        self.code = code
        self.setObjectName(f"item_{code}")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(22, 14, 22, 14)
        outer.setSpacing(6)
        top = QHBoxLayout()
        title = QLabel(name)
        title.setObjectName("rowTitle")
        title.setWordWrap(True)
        title.setProperty("role", "rowtitle")
        top.addWidget(title, 1)
        if self_service:
            top.addWidget(chip(tr("自助可办"), "selfservice"), 0, Qt.AlignmentFlag.AlignTop)
        if online:
            top.addWidget(chip(tr("可网上办"), "online"), 0, Qt.AlignmentFlag.AlignTop)
        if not in_center:
            top.addWidget(chip(tr("不在本中心办理"), "elsewhere"), 0, Qt.AlignmentFlag.AlignTop)
        outer.addLayout(top)
        # Elder mode shows less per row: where to go matters more than which department.
        where = where_text(where)
        detail = QLabel(where if elder else f"{department} · {where}")
        detail.setObjectName("rowDetail")
        detail.setWordWrap(True)
        detail.setProperty("role", "muted")
        outer.addWidget(detail)
        for child in self.findChildren(QLabel):
            child.setTextFormat(Qt.TextFormat.PlainText)
        self.title_label = title
        self.detail_label = detail


_more_windows = re.compile(r" 等(\d+)个窗口")


def where_text(where: str) -> str:
    """The search index's "where it is handled" line (kiosk/catalog/search.py where_handled, built
    once for all sessions) in the session's language: its fixed words are translated here."""
    if where == "本中心办理，请到综合咨询台咨询窗口":
        return tr("本中心办理，请到综合咨询台咨询窗口")
    if where.startswith("不在本中心办理："):
        return tr("不在本中心办理：{place}").format(place=where.removeprefix("不在本中心办理："))
    more = _more_windows.search(where)
    if more:
        return where[: more.start()] + tr(" 等{n}个窗口").format(n=more.group(1)) + where[more.end() :]
    return where
