"""Our own on-screen keyboard: letters for pinyin and initials, digits, backspace, clear.

(Qt Virtual Keyboard is GPL-only; search by pinyin makes an input method unnecessary.)
Keys never take focus, so a physical keyboard or a barcode scanner keeps typing into the field.
"""

from __future__ import annotations

from ui.i18n import tr
from ui.qt import QGridLayout, QLineEdit, QSizePolicy, QWidget, Signal
from ui.widgets.basic import button

ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm")


class TouchKeyboard(QWidget):
    text_changed = Signal(str)

    def __init__(self, field: QLineEdit, parent: QWidget | None = None, *, letters: bool = True):
        super().__init__(parent)
        self.field = field
        self.setObjectName("keyboard")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        # Keys span two grid columns (rows are staggered by one); thin gaps let ten 90 px
        # elder-mode keys fit a 1080 px wide portrait screen.
        grid.setHorizontalSpacing(4)
        grid.setVerticalSpacing(8)
        self.keys = {}
        rows = ROWS if letters else (ROWS[0],)
        for row_index, row in enumerate(rows):
            offset = max(0, row_index - 1)  # stagger the letter rows like a real keyboard
            for column, char in enumerate(row):
                key = self._key(char.upper() if char.isalpha() else char, lambda _=False, c=char: self.type(c))
                key.setObjectName(f"key_{char}")
                grid.addWidget(key, row_index, column * 2 + offset, 1, 2)
                self.keys[char] = key
        last = len(rows)
        self.backspace = self._key(tr("⌫ 删除"), self.backspace_pressed)
        self.backspace.setObjectName("key_backspace")
        self.clear_key = self._key(tr("清空"), self.clear)
        self.clear_key.setObjectName("key_clear")
        if letters:
            grid.addWidget(self.backspace, 3, 16, 1, 4)
            self.space = self._key(tr("空格"), lambda: self.type(" "))
            self.space.setObjectName("key_space")
            grid.addWidget(self.clear_key, last, 0, 1, 6)
            grid.addWidget(self.space, last, 6, 1, 14)
        else:
            grid.addWidget(self.backspace, last, 0, 1, 10)
            grid.addWidget(self.clear_key, last, 10, 1, 10)

    def _key(self, text: str, handler) -> object:
        key = button(text, "key")
        key.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        key.clicked.connect(handler)
        key.setAutoRepeat(False)
        return key

    def apply_theme(self, theme) -> None:
        for key in self.findChildren(type(self.backspace)):
            key.setMinimumWidth(0)  # the grid shares the width
            # Keys are key_px high where there is room and shrink to key_floor_px where a
            # screen is short of it (elder mode with a form above), never cut off.
            key.setMinimumHeight(theme.key_floor_px)
            key.setMaximumHeight(theme.key_px)
        # The keys' own bounds make the keyboard's (no explicit size on the keyboard itself, so
        # that a keyboard hidden behind another input page claims no room: ui/widgets/chinese_input).

    def type(self, char: str) -> None:
        self.field.insert(char)
        self.text_changed.emit(self.field.text())

    def backspace_pressed(self) -> None:
        self.field.backspace()
        self.text_changed.emit(self.field.text())

    def clear(self) -> None:
        self.field.setText("")  # not clear(): that is undoable, and the history kept what was typed
        self.text_changed.emit("")
