"""A grid of large choice buttons: helper mode's help types, outcomes and visit reasons, and
what a maintainer did about a fault."""

from __future__ import annotations

from collections.abc import Iterable

from ui.qt import QButtonGroup, QGridLayout, QWidget, Signal
from ui.widgets.basic import button


class ChoiceGrid(QWidget):
    """Large checkable buttons in a grid; one choice (``exclusive``) or several."""

    changed = Signal()

    def __init__(self, options: Iterable[tuple[str, str]], *, name: str, exclusive: bool = False, columns: int = 3,
                 spacing: int = 10):
        super().__init__()
        self.setObjectName(name)
        self.group = QButtonGroup(self)
        self.group.setExclusive(exclusive)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(spacing)
        self.buttons = {}
        for index, (key, text) in enumerate(options):
            choice = button(text, "tab", name=f"{name}_{key}")
            choice.setCheckable(True)
            choice.toggled.connect(lambda _=False: self.changed.emit())
            self.group.addButton(choice)
            self.buttons[key] = choice
            grid.addWidget(choice, index // columns, index % columns)

    def selected(self) -> list[str]:
        return [key for key, choice in self.buttons.items() if choice.isChecked()]

    def set_selected(self, keys: Iterable[str]) -> None:
        keys = set(keys)
        exclusive = self.group.exclusive()
        self.group.setExclusive(False)
        for key, choice in self.buttons.items():
            choice.setChecked(key in keys)
        self.group.setExclusive(exclusive)

    def clear(self) -> None:
        self.set_selected(())
