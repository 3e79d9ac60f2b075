"""A row of large tab buttons, exactly one chosen: the helper's desk (呼叫/代办/台账), maintainer
mode (故障/设备/本机信息/统计), the admin summary's periods and the guide's audiences."""

from __future__ import annotations

from collections.abc import Iterable

from ui.qt import QButtonGroup, QHBoxLayout, QPushButton, QWidget, Signal
from ui.widgets.basic import button


class TabBar(QWidget):
    """``tabs``: (key, text already translated) pairs; a tap emits ``chosen(key)``. The caller
    decides what a tab shows and checks it with ``select`` (a tap checks it too)."""

    chosen = Signal(str)

    def __init__(self, tabs: Iterable[tuple[str, str]], *, name_prefix: str, spacing: int = 12, stretch: bool = False):
        super().__init__()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(spacing)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[str, QPushButton] = {}
        for key, text in tabs:
            tab = button(text, "tab", name=f"{name_prefix}{key}")
            tab.setCheckable(True)
            tab.clicked.connect(lambda _=False, k=key: self.chosen.emit(k))
            self.group.addButton(tab)
            row.addWidget(tab)
            self.buttons[key] = tab
        if stretch:
            row.addStretch(1)

    def select(self, key: str) -> None:
        self.buttons[key].setChecked(True)
