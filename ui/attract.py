"""The attract screen (待机画面): when nobody has touched the terminal for a while on the home
screen, what the terminal can do is shown large and moving slowly across the screen (a still
picture burns into a panel and is not noticed from across the hall). Any touch leaves it and
shows home; the touch that leaves it does nothing else.

It is an overlay over the whole window, not a screen: the session, history and footer are not
touched. ``ui.attract_after_seconds`` (0: never) sets when it comes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ui.i18n import tr
from ui.qt import QEvent, QFrame, QLabel, Qt, QTimer, QVBoxLayout, Signal
from ui.theme import Theme

#: how long each thing the terminal can do stays before the next one
CARD_SECONDS = 7
#: the card drifts up and down this far (a share of the window's height) over DRIFT_SECONDS
DRIFT_SHARE = 0.06
DRIFT_SECONDS = 24
FRAME_MS = 100


@dataclass(frozen=True)
class Feature:
    title: str
    text: str


def features(help_answer=None, *, zone: str = "hall") -> list[Feature]:
    """What this terminal offers, in the order a passer-by needs it; the helper card says
    honestly whether someone is on duty (kiosk/hours HelpAnswer)."""
    cards = [
        Feature(tr("查办事指南"), tr("办什么事、带什么材料、去哪个窗口，一次告诉您")),
        Feature(tr("材料预审"), tr("去窗口前先核对材料，缺什么打印一张清单")),
        Feature(tr("查办件进度"), tr("输入办件编号，看办到了哪一步、哪天办结")),
    ]
    if help_answer is None or help_answer.on_duty:
        cards.append(Feature(tr("呼叫帮办"), tr("不会操作？点“呼叫帮办”，红马甲工作人员来帮您")))
    else:
        if help_answer.back_at:
            text = tr("请拨 {hotline}，{when} 有工作人员").format(hotline=help_answer.hotline, when=help_answer.back_at)
        else:
            text = tr("请拨 {hotline}").format(hotline=help_answer.hotline)
        cards.append(Feature(tr("现在无人值守"), text))
    cards.append(Feature(tr("服务评价、投诉建议"), tr("办得好不好，告诉我们；投诉建议有编号、有答复")))
    if zone == "24h":
        cards.append(Feature(tr("24小时自助区"), tr("本区自助设备全天可用，查询打印不用等上班")))
    return cards


class AttractOverlay(QFrame):
    """Covers the shell while shown; ``left`` is emitted when a touch ends it."""

    left = Signal()

    def __init__(self, shell):
        super().__init__(shell)
        self.shell = shell
        self.setObjectName("attract")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.card = QFrame(self)
        self.card.setObjectName("attractCard")
        self.card.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        layout = QVBoxLayout(self.card)
        layout.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.center = QLabel()
        self.center.setObjectName("attractCenter")
        self.title = QLabel()
        self.title.setObjectName("attractTitle")
        self.text = QLabel()
        self.text.setObjectName("attractText")
        self.text.setWordWrap(True)
        self.hint = QLabel(tr("轻触屏幕任意位置开始"))
        self.hint.setObjectName("attractHint")
        self.hint.setParent(self)
        for widget in (self.center, self.title, self.text):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(widget)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._features: list[Feature] = []
        self._index = 0
        self._phase = 0.0
        self._next_card = QTimer(self)
        self._next_card.timeout.connect(self._advance)
        self._drift = QTimer(self)
        self._drift.timeout.connect(self._move)
        self.hide()

    # --- showing and leaving ------------------------------------------------------------------

    def start(self, cards: list[Feature], center_name: str) -> None:
        self._features = cards or features()
        self._index = 0
        self._phase = 0.0
        self.center.setText(center_name)
        self.hint.setText(tr("轻触屏幕任意位置开始"))  # in the session's language (the overlay outlives a switch)
        self._show_card()
        self.setGeometry(self.shell.rect())
        self.apply_theme(self.shell.theme)
        self.show()
        self.raise_()
        self._place()
        self._next_card.start(CARD_SECONDS * 1000)
        self._drift.start(FRAME_MS)

    def freeze(self) -> None:
        """Stop moving (a screenshot is one still picture)."""
        self._next_card.stop()
        self._drift.stop()

    def leave(self) -> None:
        if not self.isVisible():
            return
        self.freeze()
        self.hide()
        self.left.emit()

    def is_showing(self) -> bool:
        return self.isVisible()

    def current(self) -> Feature | None:
        return self._features[self._index] if self._features else None

    # a touch, a click or a key ends it, and is used for nothing else
    def event(self, event) -> bool:  # noqa: D102 - Qt's
        if event.type() in (QEvent.Type.TouchBegin, QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress):
            event.accept()
            self.leave()
            return True
        if event.type() in (QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd, QEvent.Type.MouseButtonRelease):
            event.accept()
            return True
        return super().event(event)

    # --- moving slowly --------------------------------------------------------------------------

    def _advance(self) -> None:
        if self._features:
            self._index = (self._index + 1) % len(self._features)
            self._show_card()
            self._place()

    def _show_card(self) -> None:
        feature = self.current()
        if feature is not None:
            self.title.setText(feature.title)
            self.text.setText(feature.text)

    def _move(self) -> None:
        self._phase = (self._phase + FRAME_MS / 1000 / DRIFT_SECONDS) % 1.0
        self._place()

    def _place(self) -> None:
        width, height = self.width(), self.height()
        card_width = round(width * 0.86)
        self.card.setFixedWidth(card_width)
        self.card.adjustSize()
        card_height = max(self.card.heightForWidth(card_width), self.card.sizeHint().height())
        self.card.setFixedHeight(card_height)
        drift = round(math.sin(2 * math.pi * self._phase) * height * DRIFT_SHARE)
        self.card.move((width - card_width) // 2, (height - card_height) // 2 - round(height * 0.05) + drift)
        self.hint.setFixedWidth(width)
        self.hint.adjustSize()
        self.hint.move(0, height - self.hint.height() - round(height * 0.06))

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._place()

    def apply_theme(self, theme: Theme) -> None:
        big = theme.title_px * 2
        self.setStyleSheet(
            f"""
            QFrame#attract {{ background: #0a3d7a; }}
            QFrame#attractCard {{ background: transparent; }}
            QLabel#attractCenter {{ color: #ffd65a; font-size: {theme.action_px}px; font-weight: bold; }}
            QLabel#attractTitle {{ color: white; font-size: {big}px; font-weight: bold; padding: {theme.spacing}px 0; }}
            QLabel#attractText {{ color: #e3ecf7; font-size: {round(theme.title_px * 1.1)}px; }}
            QLabel#attractHint {{ color: white; font-size: {theme.title_px}px; }}
            """
        )
        if self.isVisible():
            self._place()


class AttractController:
    """Shows the overlay after ``seconds`` without a touch while home is on screen and no
    dialog, staff mode or help call is in the way; any touch restarts the count."""

    def __init__(self, shell, seconds: int, cards=None):
        self.shell = shell
        self.seconds = seconds
        #: a callable giving the cards now (the helper card depends on the hour); it runs on a
        #: worker thread (it may read the database)
        self.cards = cards or (lambda: features())
        self.overlay = AttractOverlay(shell)
        self.overlay.left.connect(self._left)
        self._timer = QTimer(shell)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._due)
        #: a callable saying something else is in the way (staff mode, a call waiting)
        self.blocked = lambda: False
        shell.session_reset.connect(self._hide_quietly)
        if seconds > 0:
            shell.idle.activity.connect(self.restart)
            shell.screen_changed.connect(lambda _name: self.restart())
            self.restart()

    def restart(self) -> None:
        if self.seconds > 0 and not self.overlay.is_showing():
            self._timer.start(self.seconds * 1000)

    def nobody_here(self) -> bool:
        """Home, no dialog open and nothing else holding the terminal (``blocked``: a help call
        waiting, helper mode, staff): the attract screen may show (ui/nightly_restart.py adds
        its own conditions to this)."""
        return self.shell.current_name() == "home" and not self.shell.overlays.has_open_dialog() and not self.blocked()

    def _due(self) -> None:
        if not self.nobody_here():
            self.restart()
            return
        self.show_now()

    def show_now(self) -> None:
        from ui import operations

        def ready(cards) -> None:
            if self.nobody_here():  # still: the cards took a moment
                self.overlay.start(cards, self.shell.center.name)
            else:
                self.restart()

        operations.run(self.shell.pools.db, self.cards, on_success=ready,
                       on_failure=lambda exc: ready(features()), owner=self.overlay)

    def _hide_quietly(self) -> None:
        self.overlay.freeze()
        self.overlay.hide()

    def _left(self) -> None:
        self.shell.home()
        self.restart()
