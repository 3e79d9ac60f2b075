"""Typing Chinese without an input method: one pinyin syllable at a time, then a tap on the
character (拼音选字) — for the citizen's name and address in the proxy form.

The terminal has no input method (BRIEF §7: our own keyboard, no Qt Virtual Keyboard), so a
helper types ``wang`` on our keyboard and picks 王 from the candidates. Candidates are the 3,755
common characters of GB2312 level 1 read by pypinyin (every reading of a polyphonic character);
common surnames and name characters come first. A plugged-in keyboard with the desktop's input
method types straight into the field as well. Only whole syllables, no phrases.
"""

from __future__ import annotations

import functools

from ui.i18n import tr
from ui.qt import QHBoxLayout, QLineEdit, QObject, QVBoxLayout, QWidget, Signal
from ui.widgets.basic import button, label

#: the most frequent surnames, then frequent characters of given names and of addresses, first
COMMON = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚"
    "卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "小明华红英国建文军伟芳丽秀兰玉梅春海平志强勇杰涛磊敏静燕霞云飞宇鹏辉娟婷欣宁慧佳晓东新家德成永"
    "省市县区镇乡村街道路号楼单元室组社居委城南北西中"
)
#: candidates per page, by orientation and mode (what fits beside the arrows)
PAGE = 10
PAGE_SIZES = {(True, False): 10, (True, True): 8, (False, False): 8, (False, True): 6}


@functools.lru_cache(maxsize=1)
def _index() -> dict[str, tuple[str, ...]]:
    from pypinyin import Style
    from pypinyin.pinyin_dict import pinyin_dict
    from pypinyin.style import convert

    rank = {char: index for index, char in enumerate(dict.fromkeys(COMMON))}
    readings: dict[str, list[str]] = {}
    for high in range(0xB0, 0xD8):  # GB2312 level 1: the common characters
        for low in range(0xA1, 0xFF):
            try:
                char = bytes([high, low]).decode("gb2312")
            except UnicodeDecodeError:
                continue
            for reading in (pinyin_dict.get(ord(char)) or "").split(","):
                if not reading:
                    continue
                syllable = convert(reading, Style.NORMAL, strict=True).replace("ü", "v")
                chars = readings.setdefault(syllable, [])
                if char not in chars:
                    chars.append(char)
    return {
        syllable: tuple(sorted(chars, key=lambda c: (rank.get(c, len(rank)), chars.index(c))))
        for syllable, chars in readings.items()
    }


def candidates(typed: str) -> list[str]:
    """Characters read ``typed`` (a whole syllable first), else those of syllables starting with it."""
    typed = (typed or "").lower().replace("ü", "v").replace("u:", "v")
    if not typed:
        return []
    index = _index()
    exact = list(index.get(typed, ()))
    if exact:
        return exact
    out: list[str] = []
    for syllable in sorted(s for s in index if s.startswith(typed)):
        out.extend(c for c in index[syllable] if c not in out)
    return out


class PinyinComposer(QObject):
    """Stands between our keyboard and a field: letters make a syllable, a candidate tapped
    (or 空格 for the first) goes into the field; digits and the rest go straight in.
    Offers what TouchKeyboard calls on its field: insert, backspace, clear, text."""

    changed = Signal()

    def __init__(self, target: QLineEdit, parent: QObject | None = None):
        super().__init__(parent)
        self.target = target
        self.typed = ""
        self.page = 0

    def insert(self, char: str) -> None:
        if char.isascii() and char.isalpha():
            if len(self.typed) < 6:
                self.typed += char.lower()
                self.page = 0
                self.changed.emit()
        elif char == " " and self.typed:
            found = candidates(self.typed)
            if found:
                self.pick(found[0])
        else:
            self.target.insert(char)

    def pick(self, char: str) -> None:
        self.target.insert(char)
        self.typed = ""
        self.page = 0
        self.changed.emit()

    def backspace(self) -> None:
        if self.typed:
            self.typed = self.typed[:-1]
            self.page = 0
            self.changed.emit()
        else:
            self.target.backspace()

    def clear(self) -> None:
        self.typed = ""
        self.page = 0
        self.target.setText("")  # not clear(): the undo history would keep what was typed
        self.changed.emit()

    def text(self) -> str:
        return self.target.text()

    def drop(self) -> None:
        """Forget the syllable being typed (the field changed, the session ended)."""
        if self.typed:
            self.typed = ""
            self.page = 0
            self.changed.emit()


class CandidateBar(QWidget):
    """The syllable being typed and a page of candidates to tap."""

    def __init__(self):
        super().__init__()
        self.setObjectName("pinyinBar")
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)
        self.typed = label("", "heading")
        self.typed.setObjectName("pinyinTyped")
        column.addWidget(self.typed)
        layout = QHBoxLayout()
        layout.setSpacing(6)
        column.addLayout(layout)
        self.page_size = PAGE
        self.previous = button("‹", name="pinyinPrevious")
        self.previous.clicked.connect(lambda: self._turn(-1))
        layout.addWidget(self.previous)
        self.keys = []
        for index in range(PAGE):
            key = button("", "key", name=f"pinyinCandidate_{index}")
            key.clicked.connect(lambda _=False, i=index: self._picked(i))
            layout.addWidget(key)
            self.keys.append(key)
        self.following = button("›", name="pinyinNext")
        self.following.clicked.connect(lambda: self._turn(1))
        layout.addWidget(self.following)
        layout.addStretch(1)
        self.composer: PinyinComposer | None = None
        self.shown: list[str] = []
        self.hint = tr("输入拼音，再点选汉字")
        self.show_for(None)

    def show_for(self, composer: PinyinComposer | None) -> None:
        if self.composer is not None:
            try:
                self.composer.changed.disconnect(self.refresh)
            except (RuntimeError, TypeError):
                pass
        self.composer = composer
        if composer is not None:
            composer.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        composer = self.composer
        self.setVisible(composer is not None)
        if composer is None:
            return
        found = candidates(composer.typed)
        size = self.page_size
        pages = max(1, -(-len(found) // size))
        composer.page = min(composer.page, pages - 1)
        self.shown = found[composer.page * size:(composer.page + 1) * size]
        self.typed.setText(tr("拼音：{typed}").format(typed=composer.typed) if composer.typed else self.hint)
        for index, key in enumerate(self.keys):
            key.setText(self.shown[index] if index < len(self.shown) else "")
            key.setVisible(index < len(self.shown))
        self.previous.setVisible(composer.page > 0)
        self.following.setVisible(composer.page < pages - 1)

    def _picked(self, index: int) -> None:
        if self.composer is not None and index < len(self.shown):
            self.composer.pick(self.shown[index])

    def _turn(self, step: int) -> None:
        if self.composer is not None:
            self.composer.page = max(0, self.composer.page + step)
            self.refresh()

    def apply_theme(self, theme) -> None:
        self.page_size = PAGE_SIZES[(theme.portrait, theme.elder)]
        for key in (*self.keys, self.previous, self.following):
            key.setFixedHeight(theme.key_px)
            key.setMinimumWidth(theme.key_min_px)
        self.refresh()
