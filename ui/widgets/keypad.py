"""Digit keys laid out as on a telephone (1 2 3 / 4 5 6 / 7 8 9 / ⌫ 0 清空): the one keypad of
the kiosk. ``DigitKeys`` is the keys, a layout to put where they go; ``PhonePad`` types a phone
number into a field (feedback); the staff PIN pad (ui/staff/pinpad.py) uses DigitKeys for 工号
and 密码. (A layout, not a widget: a widget around the keys would cut off the few pixels by
which the style draws a button outside its cell.)

Keys never take focus, so a physical keyboard keeps typing into the field; they do not repeat
when held (an elderly finger rests longer).
"""

from __future__ import annotations

from ui.i18n import tr
from ui.qt import QGridLayout, QLineEdit, QSizePolicy, QWidget, Signal
from ui.widgets.basic import button

ROWS = ("123", "456", "789")
#: a key's width in key heights, for keys at their own width (wider if a label needs it)
KEY_WIDTH_RATIO = 2.0


class DigitKeys(QGridLayout):
    """The keys; a tap emits ``pressed`` with "0"…"9", "back" or "clear".

    ``bottom``: the keys left and right of 0. ``fill_width``: keys share the width they are
    given (the PIN pad's half of a dialog); otherwise equal keys at their own width, left
    aligned (a narrow column, elder mode). ``keys`` holds every key by name.
    """

    pressed = Signal(str)

    def __init__(self, *, bottom: tuple[str, str] = ("back", "clear"), clear_text: str = "", name_prefix: str = "pad_",
                 spacing: int = 10, fill_width: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.fill_width = fill_width
        grid = self
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(spacing)
        grid.setVerticalSpacing(spacing)
        texts = {"back": tr("⌫ 删除"), "clear": clear_text or tr("清空")}
        self.keys = {}
        for row, digits in enumerate(ROWS):
            for column, digit in enumerate(digits):
                self._add(grid, digit, digit, row, column, name_prefix)
        for column, name in enumerate((bottom[0], "0", bottom[1])):
            self._add(grid, name, texts.get(name, name), 3, column, name_prefix)
        if not fill_width:
            grid.setColumnStretch(3, 1)  # keys stay left, at their width

    def _add(self, grid: QGridLayout, name: str, text: str, row: int, column: int, prefix: str) -> None:
        key = button(text, "key", name=f"{prefix}{name}")
        horizontal = QSizePolicy.Policy.Expanding if self.fill_width else QSizePolicy.Policy.Fixed
        key.setSizePolicy(horizontal, QSizePolicy.Policy.Fixed)
        key.setAutoRepeat(False)
        key.clicked.connect(lambda _=False, n=name: self.pressed.emit(n))
        grid.addWidget(key, row, column)
        self.keys[name] = key

    def apply_theme(self, theme) -> None:
        """Keys ``theme.key_px`` high; at their own width, all as wide as the widest label
        needs (⌫ 删除) and at least about two key heights."""
        keys = list(self.keys.values())
        if self.fill_width:
            for key in keys:
                key.setFixedHeight(theme.key_px)
            return
        for key in keys:
            key.setMinimumSize(0, 0)
            key.setMaximumSize(16777215, 16777215)
        width = max(max(k.sizeHint().width() for k in keys), round(theme.key_px * KEY_WIDTH_RATIO))
        for key in keys:
            key.setFixedSize(width, theme.key_px)


class PhonePad(QWidget):
    """Types a phone number into ``field``: the layout people know from their phones, three
    large keys a row, so it fits a narrow column and elder mode."""

    text_changed = Signal(str)

    def __init__(self, field: QLineEdit, parent: QWidget | None = None):
        super().__init__(parent)
        self.field = field
        self.setObjectName("phonePad")
        self.digit_keys = DigitKeys(parent=self)
        self.keys = self.digit_keys.keys
        self.backspace = self.keys["back"]
        self.clear_key = self.keys["clear"]
        self.digit_keys.pressed.connect(self._pressed)

    def apply_theme(self, theme) -> None:
        self.digit_keys.apply_theme(theme)

    def _pressed(self, name: str) -> None:
        if name == "back":
            self.backspace_pressed()
        elif name == "clear":
            self.clear()
        else:
            self.type(name)

    def type(self, char: str) -> None:
        self.field.insert(char)
        self.text_changed.emit(self.field.text())

    def backspace_pressed(self) -> None:
        self.field.backspace()
        self.text_changed.emit(self.field.text())

    def clear(self) -> None:
        self.field.setText("")  # not clear(): that is undoable, and the history kept what was typed
        self.text_changed.emit("")
