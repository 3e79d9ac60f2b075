"""Writing Chinese by touch alone: pinyin with candidates (librime), handwriting (zinnia), and
plain letters and digits — one panel under a text field (docs/input.md).

    panel = ChineseInput(field, data_dir, modes=("pinyin", "handwriting", "letters"))

* 拼音: our keyboard's letters go to a librime session (kiosk/input/pinyin.py); the syllables
  typed and a strip of large candidates show above the keys; a tap puts the candidate in the
  field (a phrase at once: nihao → 你好). 空格 takes the first candidate.
* 手写: a writing pad sized for a finger; after each stroke the strokes are recognised on a
  worker thread (kiosk/input/handwriting.py) and the candidates replace the strip's; a tap
  puts the character in the field and clears the pad.
* 英文/数字: the keyboard types letters and digits straight into the field (search by pinyin
  and initials needs no input method).

librime is set up and its schema deployed once per process, on a worker thread, the first time a
panel shows its 拼音 mode; until then (or when it is missing) the pinyin keys type letters and the panel
says why. Nothing here blocks the Qt event loop: pinyin look-ups take well under a millisecond
once deployed, recognition runs on the input pool.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from ui import operations
from ui.i18n import refusal_text, tr
from ui.qt import (
    QColor,
    QHBoxLayout,
    QLineEdit,
    QObject,
    QPainter,
    QPen,
    QPointF,
    QSizePolicy,
    QStackedWidget,
    Qt,
    QThreadPool,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.widgets.basic import button, label
from ui.widgets.keyboard import TouchKeyboard

log = logging.getLogger(__name__)

MODES = {"pinyin": "拼音", "handwriting": "手写", "letters": "英文/数字"}
STRIP_SIZE = {(False, True): 8, (False, False): 6, (True, True): 6, (True, False): 5}  # (elder, portrait)

_pool: QThreadPool | None = None


def input_pool() -> QThreadPool:
    """One worker thread for recognition and the engine's set-up: they never wait on the UI."""
    global _pool
    if _pool is None:
        _pool = QThreadPool()
        _pool.setMaxThreadCount(1)
    return _pool


# --- the pinyin engine, started once ------------------------------------------------------------

_engine = None
_engine_error: str = ""
_engine_lock = threading.Lock()


def _start_engine(data_dir: Path):
    global _engine, _engine_error
    from kiosk.input.pinyin import PinyinEngine, PinyinUnavailable

    with _engine_lock:
        if _engine is not None:
            return _engine
        try:
            engine = PinyinEngine.start(Path(data_dir) / "rime")
            engine.deploy()
        except PinyinUnavailable as exc:
            _engine_error = exc.zh
            log.error("pinyin input unavailable: %s", exc.en)
            raise
        _engine = engine
        return engine


def pinyin_engine():
    """The engine when it is ready, else None."""
    return _engine


class RimeComposer(QObject):
    """Stands between our keyboard and a field (TouchKeyboard calls insert/backspace/clear/text
    on it): letters compose, a candidate goes into the field."""

    changed = Signal()

    def __init__(self, target: QLineEdit, parent: QObject | None = None):
        super().__init__(parent)
        self.target = target
        self.session = None
        self.preedit = ""
        self.candidates: tuple[str, ...] = ()

    def attach(self, engine) -> None:
        if self.session is None and engine is not None:
            self.session = engine.session()

    @property
    def composing(self) -> bool:
        return bool(self.session is not None and self.preedit)

    def _refresh(self, state=None) -> None:
        state = state or self.session.state()
        self.preedit, self.candidates = (state.preedit if state.input else ""), state.candidates
        self.changed.emit()

    def insert(self, char: str) -> None:
        if self.session is not None and char.isascii() and (char.isalpha() or (char == "'" and self.composing)):
            self._refresh(self.session.type(char))
        elif char == " " and self.composing:
            self.pick(0)
        else:
            self.target.insert(char)

    def pick(self, index: int) -> None:
        if self.session is None:
            return
        committed = self.session.select(index)
        if committed:
            self.target.insert(committed)
        self._refresh()

    def backspace(self) -> None:
        if self.composing:
            self._refresh(self.session.backspace())
        else:
            self.target.backspace()

    def clear(self) -> None:
        self.drop()
        self.target.clear()

    def text(self) -> str:
        return self.target.text()

    def drop(self) -> None:
        """Forget the syllables being typed (the session ended, the mode changed)."""
        if self.session is not None:
            self.session.clear()
        if self.preedit or self.candidates:
            self.preedit, self.candidates = "", ()
            self.changed.emit()


class HandwritingPad(QWidget):
    """A square to write one character on with a finger, with a 田字格 guide."""

    stroke_finished = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("handwritingPad")
        self.strokes: list[list[tuple[float, float]]] = []
        self._drawing = False
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)

    def clear(self) -> None:
        self.strokes = []
        self._drawing = False
        self.update()

    def undo(self) -> None:
        if self.strokes:
            self.strokes.pop()
            self.update()

    def add_stroke(self, points) -> None:
        """A whole stroke at once (tests, a stylus driver)."""
        self.strokes.append([(float(x), float(y)) for x, y in points])
        self.update()
        self.stroke_finished.emit()

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        position = event.position()
        self.strokes.append([(position.x(), position.y())])
        self._drawing = True
        self.update()

    def mouseMoveEvent(self, event) -> None:  # noqa: N802
        if self._drawing and self.strokes:
            position = event.position()
            last = self.strokes[-1][-1]
            if abs(position.x() - last[0]) + abs(position.y() - last[1]) >= 3:
                self.strokes[-1].append((position.x(), position.y()))
                self.update()

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802
        if self._drawing:
            self._drawing = False
            self.stroke_finished.emit()

    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        width, height = self.width(), self.height()
        painter.fillRect(self.rect(), QColor("#fffdf5"))
        guide = QPen(QColor("#e3c9a8"), 2, Qt.PenStyle.DashLine)
        painter.setPen(guide)
        painter.drawLine(QPointF(width / 2, 0), QPointF(width / 2, height))
        painter.drawLine(QPointF(0, height / 2), QPointF(width, height / 2))
        painter.setPen(QPen(QColor("#b5835a"), 3))
        painter.drawRect(1, 1, width - 3, height - 3)
        ink = QPen(QColor("#1d1d1d"), max(6, min(width, height) // 40))
        ink.setCapStyle(Qt.PenCapStyle.RoundCap)
        ink.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(ink)
        for stroke in self.strokes:
            if len(stroke) == 1:
                painter.drawPoint(QPointF(*stroke[0]))
            for (x0, y0), (x1, y1) in zip(stroke, stroke[1:]):
                painter.drawLine(QPointF(x0, y0), QPointF(x1, y1))
        painter.end()


class CandidateStrip(QWidget):
    """Large candidate buttons with 上一页/下一页 arrows."""

    picked = Signal(int)  # index into the whole list

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("candidateStrip")
        self.candidates: tuple[str, ...] = ()
        self.page = 0
        self.size = 6
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        self.previous = button("◀", "key", name="candidatesPrevious")
        self.previous.setAccessibleName(tr("上一页"))
        self.previous.clicked.connect(lambda: self._turn(-1))
        row.addWidget(self.previous)
        self.buttons = []
        self.row = row
        self.next = button("▶", "key", name="candidatesNext")
        self.next.setAccessibleName(tr("下一页"))
        self.next.clicked.connect(lambda: self._turn(1))
        self._build(self.size)

    def _build(self, size: int) -> None:
        for b in self.buttons:
            self.row.removeWidget(b)
            b.hide()  # gone from the screen (and from findChild) now, not when the deferred delete runs
            b.setParent(None)
            b.deleteLater()
        self.row.removeWidget(self.next)
        self.buttons = []
        for slot in range(size):
            b = button("", "candidate", name=f"candidate_{slot}")
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            b.clicked.connect(lambda _=False, s=slot: self.picked.emit(self.page * self.size + s))
            self.row.addWidget(b, 1)
            self.buttons.append(b)
        self.row.addWidget(self.next)
        self.size = size
        self._show()

    def set_size(self, size: int) -> None:
        if size != self.size:
            self._build(size)

    def set_candidates(self, candidates) -> None:
        self.candidates = tuple(candidates)
        self.page = 0
        self._show()

    def _turn(self, step: int) -> None:
        pages = max(1, -(-len(self.candidates) // self.size))
        self.page = min(max(0, self.page + step), pages - 1)
        self._show()

    def _show(self) -> None:
        start = self.page * self.size
        shown = self.candidates[start : start + self.size]
        for slot, b in enumerate(self.buttons):
            text = shown[slot] if slot < len(shown) else ""
            b.setText(text)
            b.setEnabled(bool(text))
        self.previous.setEnabled(self.page > 0)
        self.next.setEnabled(start + self.size < len(self.candidates))

    def apply_theme(self, theme) -> None:
        self.set_size(STRIP_SIZE[(theme.elder, theme.portrait)])
        for b in self.buttons:
            b.setFixedHeight(theme.key_px)
        for b in (self.previous, self.next):  # keys: their style sets the height
            b.setMinimumHeight(theme.key_px)
        for b in (self.previous, self.next):
            b.setFixedWidth(theme.key_min_px)


class ChineseInput(QWidget):
    """Mode buttons, the composition, the candidates, and the keyboard or the writing pad."""

    text_changed = Signal(str)

    def __init__(self, field: QLineEdit, data_dir: Path | None, *, modes=("pinyin", "handwriting", "letters"), parent=None):
        super().__init__(parent)
        self.setObjectName("chineseInput")
        self.field = field
        self.data_dir = data_dir
        self.modes = tuple(modes)
        self.mode = self.modes[0]
        self._recognition = 0  # the newest recognition asked for; older answers are dropped
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(8)

        tabs = QHBoxLayout()
        tabs.setSpacing(8)
        self.mode_buttons = {}
        for mode in self.modes:
            b = button(tr(MODES[mode]), "tab", name=f"inputMode_{mode}")
            b.setCheckable(True)
            b.clicked.connect(lambda _=False, m=mode: self.set_mode(m))
            tabs.addWidget(b)
            self.mode_buttons[mode] = b
        self.preedit = label("", "heading")
        self.preedit.setObjectName("inputPreedit")
        tabs.addWidget(self.preedit, 1)
        column.addLayout(tabs)
        self.notice = label("", "muted")
        self.notice.setObjectName("inputNotice")
        self.notice.hide()
        column.addWidget(self.notice)

        self.strip = CandidateStrip()
        self.strip.picked.connect(self._pick)
        column.addWidget(self.strip)

        self.stack = QStackedWidget()
        self.composer = RimeComposer(field, self)
        self.composer.changed.connect(self._composer_changed)
        self.pinyin_keys = TouchKeyboard(self.composer) if "pinyin" in self.modes else None
        self.letter_keys = TouchKeyboard(field) if "letters" in self.modes else None
        self.pad_box = QWidget()
        pad_column = QVBoxLayout(self.pad_box)
        pad_column.setContentsMargins(0, 0, 0, 0)
        pad_column.setSpacing(8)
        self.pad = HandwritingPad()
        self.pad.stroke_finished.connect(self._recognise)
        pad_row = QHBoxLayout()
        pad_row.addStretch(1)
        pad_row.addWidget(self.pad)
        pad_row.addStretch(1)
        pad_column.addLayout(pad_row, 1)
        self.rewrite = button(tr("重写"), "key", name="padClear")
        self.rewrite.clicked.connect(self._clear_pad)
        self.pad_backspace = button(tr("⌫ 删除"), "key", name="padBackspace")
        self.pad_backspace.clicked.connect(self._pad_backspace)
        pad_keys = QHBoxLayout()
        pad_keys.setSpacing(8)
        pad_keys.addWidget(self.rewrite, 1)
        pad_keys.addWidget(self.pad_backspace, 1)
        pad_column.addLayout(pad_keys)
        self.pages = {}
        for mode, page in (("pinyin", self.pinyin_keys), ("handwriting", self.pad_box), ("letters", self.letter_keys)):
            if mode in self.modes and page is not None:
                self.pages[mode] = page
                self.stack.addWidget(page)
        for keys in (self.pinyin_keys, self.letter_keys):
            if keys is not None:
                keys.text_changed.connect(lambda _text: self.text_changed.emit(self.field.text()))
        column.addWidget(self.stack)
        self.set_mode(self.mode)  # starts librime when pinyin is the first mode

    @property
    def keys(self) -> dict:
        """The letter keyboard's keys (for tests and callers that type on it)."""
        keyboard = self.letter_keys or self.pinyin_keys
        return keyboard.keys if keyboard is not None else {}

    # --- modes -----------------------------------------------------------------------------------

    def set_mode(self, mode: str) -> None:
        self.composer.drop()
        self.pad.clear()
        self.mode = mode
        for m, b in self.mode_buttons.items():
            b.setChecked(m == mode)
        self.stack.setCurrentWidget(self.pages[mode])
        # Only the page shown claims room: the five-row letter keyboard hidden behind the pad
        # would otherwise keep its height and, with the candidate strip, push elder landscape
        # past 1080 px.
        for page in self.pages.values():
            policy = QSizePolicy.Policy.Preferred if page is self.pages[mode] else QSizePolicy.Policy.Ignored
            page.setSizePolicy(policy, policy)
        self.strip.setVisible(mode != "letters")
        self.strip.set_candidates(())
        self.preedit.setText("")
        if mode == "pinyin":
            # librime holds ~40 MiB once started: not for a search screen whose citizen never
            # taps 拼音 (bench/bench_ui.py, docs/performance.md)
            self._ensure_engine()
        self._show_notice()

    def _show_notice(self) -> None:
        text = ""
        if self.mode == "pinyin" and self.composer.session is None:
            text = _engine_error or tr("拼音输入正在准备…")
        elif self.mode == "handwriting" and self._handwriting_error:
            text = self._handwriting_error
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    _handwriting_error = ""

    # --- pinyin ----------------------------------------------------------------------------------

    def _ensure_engine(self) -> None:
        engine = pinyin_engine()
        if engine is not None:
            self.composer.attach(engine)
            self._show_notice()
            return
        if self.data_dir is None:
            return
        operations.run(
            input_pool(), _start_engine, self.data_dir, on_success=self._engine_ready, on_failure=self._engine_failed, owner=self
        )

    def _engine_ready(self, engine) -> None:
        self.composer.attach(engine)
        self._show_notice()

    def _engine_failed(self, exc) -> None:
        self._show_notice()

    def _composer_changed(self) -> None:
        if self.mode != "pinyin":
            return
        self.preedit.setText(self.composer.preedit)
        self.strip.set_candidates(self.composer.candidates)
        self.text_changed.emit(self.field.text())

    # --- handwriting -----------------------------------------------------------------------------

    def _recognise(self) -> None:
        from kiosk.input.handwriting import shared_recognizer

        self._recognition += 1
        number = self._recognition
        strokes = [list(s) for s in self.pad.strokes]
        size = (self.pad.width(), self.pad.height())

        def recognise():
            return number, [c.text for c in shared_recognizer().recognize(strokes, *size, limit=20)]

        operations.run(input_pool(), recognise, on_success=self._recognised, on_failure=self._recognition_failed, owner=self)

    def _recognised(self, result) -> None:
        number, candidates = result
        if number == self._recognition and self.mode == "handwriting" and self.pad.strokes:
            self.strip.set_candidates(candidates)

    def _recognition_failed(self, exc) -> None:
        self._handwriting_error = refusal_text(exc, tr("手写识别暂不可用"))
        self._show_notice()

    def _clear_pad(self) -> None:
        self._recognition += 1
        self.pad.clear()
        self.strip.set_candidates(())

    def _pad_backspace(self) -> None:
        if self.pad.strokes:
            self.pad.undo()
            if self.pad.strokes:
                self._recognise()
            else:
                self._clear_pad()
        else:
            self.field.backspace()
            self.text_changed.emit(self.field.text())

    # --- both ------------------------------------------------------------------------------------

    def _pick(self, index: int) -> None:
        if self.mode == "pinyin":
            self.composer.pick(index)
        elif index < len(self.strip.candidates):
            self.field.insert(self.strip.candidates[index])
            self._clear_pad()
            self.text_changed.emit(self.field.text())

    def apply_theme(self, theme) -> None:
        self.strip.apply_theme(theme)
        for keys in (self.pinyin_keys, self.letter_keys):
            if keys is not None:
                keys.apply_theme(theme)
        for b in self.mode_buttons.values():
            b.setFixedHeight(theme.target_px)
        for b in (self.rewrite, self.pad_backspace):
            b.setMinimumHeight(theme.key_px)
        # the pad: square, as tall as the keyboard it replaces (four rows of keys); in landscape
        # three rows, so that the pad, its keys and the candidates fit 1080 px in elder mode
        side = theme.key_px * 4 + 24 if theme.portrait else theme.key_px * 3 + 16
        self.pad.setFixedSize(side, side)

    def reset(self) -> None:
        """Forget what was being composed or written (the session ended)."""
        self.composer.drop()
        self._clear_pad()
        self.set_mode(self.modes[0])
