"""A telephone keypad (1 2 3 / 4 5 6 / 7 8 9 / ⌫ 0 清空) for typing a phone number: the layout
people know from their phones, three large keys a row, so it fits a narrow column and elder
mode. Keys never take focus, so a physical keyboard keeps typing into the field."""

from __future__ import annotations

from ui.i18n import tr
from ui.qt import QGridLayout, QLineEdit, QSizePolicy, QWidget, Signal
from ui.widgets.basic import button

ROWS = ("123", "456", "789")
#: a key's width in key heights (wider if a label needs it)
KEY_WIDTH_RATIO = 2.0


class PhonePad(QWidget):
    text_changed = Signal(str)

    def __init__(self, field: QLineEdit, parent: QWidget | None = None):
        super().__init__(parent)
        self.field = field
        self.setObjectName("phonePad")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(10)
        self.keys = {}
        for row, digits in enumerate(ROWS):
            for column, digit in enumerate(digits):
                self.keys[digit] = self._key(digit, lambda _=False, d=digit: self.type(d), f"pad_{digit}")
                grid.addWidget(self.keys[digit], row, column)
        self.backspace = self._key(tr("⌫ 删除"), self.backspace_pressed, "pad_backspace")
        self.keys["0"] = self._key("0", lambda: self.type("0"), "pad_0")
        self.clear_key = self._key(tr("清空"), self.clear, "pad_clear")
        for column, key in enumerate((self.backspace, self.keys["0"], self.clear_key)):
            grid.addWidget(key, 3, column)
        grid.setColumnStretch(3, 1)  # keys stay left, at their width

    def _key(self, text: str, handler, name: str):
        key = button(text, "key", name=name)
        key.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        key.clicked.connect(handler)
        key.setAutoRepeat(False)
        return key

    def apply_theme(self, theme) -> None:
        """Equal keys: as wide as the widest label needs (⌫ 删除), at least about two key heights."""
        keys = (*self.keys.values(), self.backspace, self.clear_key)
        for key in keys:
            key.setMinimumSize(0, 0)
            key.setMaximumSize(16777215, 16777215)
        width = max(max(k.sizeHint().width() for k in keys), round(theme.key_px * KEY_WIDTH_RATIO))
        for key in keys:
            key.setFixedSize(width, theme.key_px)

    def type(self, char: str) -> None:
        self.field.insert(char)
        self.text_changed.emit(self.field.text())

    def backspace_pressed(self) -> None:
        self.field.backspace()
        self.text_changed.emit(self.field.text())

    def clear(self) -> None:
        self.field.clear()
        self.text_changed.emit("")
