"""The rating offer (好差评, 一次一评): after a citizen finishes something — a slip printed, a
progress query answered — a card above the screen asks for the national five levels, once per
visit. It never covers anything: it is docked in the window's layout between the header and the
screen, which gives up its height while the card shows (the answer, the item's name, 办件编号
stay in view); the five levels look alike (no level pre-selected or highlighted: 不诱导); 跳过 is
always there, and it goes away by itself.

A visit is the citizen's session in the shell: it ends with the inactivity reset, or when the
citizen goes home after finishing something. One tap on a good level (基本满意 and better)
records it and says thank you; a poor one (不满意, 非常不满意) is recorded at once too, then the
feedback screen asks for the reasons and an optional phone for the callback.

The app (ui/app.py) builds the one RatingOffer of the window and gives it to the feedback
screen; other code calls ``shell.offer_rating(…)`` when a citizen has finished something, which
reaches the offer through the shell's ``rating_offered`` signal.
"""

from __future__ import annotations

import logging

from kiosk.feedback.choices import LEVELS, POOR_LEVELS, stars
from ui import operations
from ui.i18n import tr
from ui.qt import QFrame, QHBoxLayout, QObject, Qt, QTimer, QVBoxLayout, QWidget
from ui.widgets.basic import button, label

log = logging.getLogger(__name__)

#: the bar goes away by itself after this long on screen (not counting time under a dialog)
AUTO_DISMISS_SECONDS = 40
THANKS_SECONDS = 4
#: screens on which the bar never shows: home (the next person's), the feedback screen (it asks
#: itself), and the staff screens (maintainer mode, helper mode)
QUIET_SCREENS = frozenset({"home", "feedback", "maintainer", "helper", "helper-proxy"})


class RatingBar(QFrame):
    """The bar: a question, the five levels, 跳过 and the time left; or a thank-you line."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("ratingBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 12, 24, 14)
        outer.setSpacing(10)
        top = QHBoxLayout()
        top.setSpacing(14)
        self.question = label(tr("请您为本次服务评价（好差评）"), "heading")
        self.question.setObjectName("ratingQuestion")
        top.addWidget(self.question, 1)
        self.countdown = label("", "muted")
        self.countdown.setObjectName("ratingCountdown")
        self.countdown.setWordWrap(False)
        top.addWidget(self.countdown)
        self.skip_button = button(tr("跳过"), name="ratingSkip")
        top.addWidget(self.skip_button, 0, Qt.AlignmentFlag.AlignVCenter)
        outer.addLayout(top)
        self.levels_box = QWidget()
        row = QHBoxLayout(self.levels_box)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(10)
        self.level_buttons = {}
        for level, name in LEVELS.items():
            # The five levels look alike (no level is filled in for the citizen: 不诱导评价).
            b = button(f"{stars(level)}\n{tr(name)}", name=f"rate_{level}")
            b.setProperty("level", level)
            self.level_buttons[level] = b
            row.addWidget(b)
        outer.addWidget(self.levels_box)
        self._outer, self._top = outer, top
        self.thanks = label("", "big")
        self.thanks.setObjectName("ratingThanks")
        self.thanks.hide()
        outer.addWidget(self.thanks)

    def apply_theme(self, theme) -> None:
        # Landscape: the levels share the question's row, so that the bar takes one row of the
        # screen's height (elder mode on 1080 px has none to spare); portrait: a row of their own.
        self._outer.removeWidget(self.levels_box)
        self._top.removeWidget(self.levels_box)
        if theme.portrait:
            self._outer.insertWidget(1, self.levels_box)
        else:
            self._top.insertWidget(1, self.levels_box, 3)
        # Five in a row: in elder mode on a portrait screen the level buttons' words are a
        # little smaller than elsewhere (still above the 30 px of main functions) so they fit.
        font = min(theme.body_px, max(30, round(34 * theme.scale))) if theme.elder and theme.portrait else theme.body_px
        border = 3 if theme.elder else 2
        self.setStyleSheet(
            f"QFrame#ratingBar {{ background: #e7f0fb; border-bottom: {border + 1}px solid #0a4f9e; }}"
            f"QFrame#ratingBar QPushButton {{ font-size: {font}px; padding: 4px 4px; }}"
        )

    def retranslate(self) -> None:
        """The bar outlives the screens: its words follow the session's language."""
        self.question.setText(tr("请您为本次服务评价（好差评）"))
        self.skip_button.setText(tr("跳过"))
        for level, b in self.level_buttons.items():
            b.setText(f"{stars(level)}\n{tr(LEVELS[level])}")

    def show_levels(self) -> None:
        self.levels_box.show()
        self.question.show()
        self.countdown.show()
        self.skip_button.show()
        self.thanks.hide()
        for b in self.level_buttons.values():
            b.setEnabled(True)

    def show_thanks(self, text: str) -> None:
        self.levels_box.hide()
        self.question.hide()
        self.countdown.hide()
        self.skip_button.hide()
        self.thanks.setText(text)
        self.thanks.show()


class RatingOffer(QObject):
    """Once per visit: whether the citizen was offered a rating or rated, and the bar."""

    def __init__(self, shell):
        super().__init__(shell)
        self.shell = shell
        self.offered = False
        self.rated = False
        #: the citizen finished something this visit (going home after it ends the visit)
        self.finished = False
        self.context: dict[str, str] = {}
        self.remaining = 0
        self.bar = RatingBar(shell)
        self.bar.hide()
        # Docked above the screen area in the window's layout: the screen gives up the bar's
        # height while it shows, and nothing of the screen (its title, the item, 办件编号) is
        # ever covered.
        self.area = shell.screen_area()
        outer = shell.layout()
        outer.insertWidget(outer.indexOf(self.area), self.bar)
        self.bar.skip_button.clicked.connect(self.skip)
        for level, b in self.bar.level_buttons.items():
            b.clicked.connect(lambda _=False, lv=level: self.choose(lv))
        self._tick = QTimer(self)
        self._tick.timeout.connect(self._count)
        self._hide_later = QTimer(self)
        self._hide_later.setSingleShot(True)
        self._hide_later.timeout.connect(self.hide)
        shell.session_reset.connect(self.new_visit)
        shell.screen_changed.connect(self._screen_changed)
        shell.rating_offered.connect(self._offered)
        shell.theme_changed.connect(self.apply_theme)
        shell.language_changed.connect(lambda _language: self.bar.retranslate())
        self.apply_theme(shell.theme)

    # --- the visit ---------------------------------------------------------------------------------

    def new_visit(self) -> None:
        self.offered = self.rated = self.finished = False
        self.context = {}
        self.hide()

    def note_rated(self) -> None:
        """The citizen rated on the feedback screen: no more offers this visit."""
        self.rated = self.offered = self.finished = True
        self.hide()

    def _screen_changed(self, name: str) -> None:
        if name == "home":
            if self.finished:
                self.new_visit()  # home after finishing: the next person may come
            self.hide()
        elif name in QUIET_SCREENS:
            self.hide()

    # --- offering ------------------------------------------------------------------------------------

    def _offered(self, source: str, item_code: str, item_name: str) -> None:
        self.offer(source, item_code=item_code, item_name=item_name)

    def offer(self, source: str, *, item_code: str = "", item_name: str = "") -> bool:
        """Show the bar unless this visit was offered a rating already; True when shown."""
        self.finished = True
        current = self.shell.current_name()
        if self.offered or self.rated or current in QUIET_SCREENS:
            return False
        self.offered = True
        self.context = {"source": source, "item_code": item_code or "", "item_name": item_name or ""}
        self.remaining = AUTO_DISMISS_SECONDS
        self.apply_theme(self.shell.theme)
        self.bar.show_levels()
        self._show_remaining()
        self.bar.show()
        self.place()
        self._tick.start(1000)
        return True

    def visible(self) -> bool:
        return self.bar.isVisible()

    def apply_theme(self, theme) -> None:
        self.bar.apply_theme(theme)
        self.place()

    def place(self) -> None:
        """The bar is in the window's layout (above the screen area): nothing to position."""
        self.bar.updateGeometry()

    def skip(self) -> None:
        self.hide()

    def hide(self) -> None:
        self._tick.stop()
        self._hide_later.stop()
        self.bar.hide()

    def _count(self) -> None:
        if self.shell.overlays.has_open_dialog():
            return  # a message (打印完成 …) is in front: the time runs once it is gone
        self.remaining -= 1
        if self.remaining <= 0:
            self.hide()
            return
        self._show_remaining()

    def _show_remaining(self) -> None:
        self.bar.countdown.setText(tr("{n} 秒后关闭").format(n=self.remaining))

    # --- rating ---------------------------------------------------------------------------------------

    def choose(self, level: int) -> None:
        """A level tapped: recorded at once; a poor one goes on to the reasons."""
        self._tick.stop()
        self.rated = True
        for b in self.bar.level_buttons.values():
            b.setEnabled(False)
        context = dict(self.context)
        operations.run(
            self.shell.pools.db,
            self.shell.app.feedback.rate,
            level,
            source=context.get("source", ""),
            item_code=context.get("item_code", ""),
            item_name=context.get("item_name", ""),
            on_success=self._recorded,
            on_failure=self._failed,
            owner=self.shell,
        )

    def _recorded(self, rating) -> None:
        if rating.level in POOR_LEVELS:
            self.hide()
            self.shell.go("feedback", page="reasons", rating=rating)
            return
        self.bar.show_thanks(tr("谢谢您的评价（{level}）！").format(level=tr(rating.level_zh)))
        self.place()
        self._hide_later.start(THANKS_SECONDS * 1000)

    def _failed(self, exc) -> None:
        log.error("rating not recorded: %s", exc)
        self.bar.show_thanks(tr("评价暂时无法保存，谢谢您。也可以到综合咨询台反映。"))
        self.place()
        self._hide_later.start(THANKS_SECONDS * 1000)


__all__ = ["AUTO_DISMISS_SECONDS", "QUIET_SCREENS", "RatingBar", "RatingOffer"]
