"""The kiosk's window: header, screens, footer, overlays, inactivity reset and elder mode.

Every screen is shown inside the shell, so every screen has the center's name, the date and
time, the terminal's name, the printer's state when it is not ready, and the ways home, back,
to elder mode and to a human.

The shell knows no screen and no feature: the app (ui/app.py) registers the screens in
``shell.screens`` (ui/screen.py) and connects the features to the shell's signals. What a
screen or a feature may use of the shell is its public interface:

- navigation: ``go``, ``back``, ``home``, ``current_name``, ``current_screen``, ``screens``;
- the session: ``reset_session``, ``session_reset``, ``screen_changed``, ``set_elder``,
  ``theme_changed``, ``language``, ``set_language``, ``language_changed``;
- the inactivity timer: ``set_idle_override``, ``restart_idle_timer``;
- the way to a human: ``call_helper`` (emits ``help_requested``), ``set_help_button_text``;
- the rating offer: ``offer_rating`` (emits ``rating_offered``);
- staff modes: ``emblem`` (the hidden entry), ``place_mode_bar``, ``set_footer_visible``,
  ``close_for_good``;
- the printer: ``set_printer_state``, ``refresh_printer_state``, ``printer_state_changed``;
- the voice (ui/speech.py): ``speech.say``, ``speech.read_screen``, ``speech.screen_ready`` (a
  screen whose answer arrives later says so, for elder mode's reading); a screen offers what
  朗读 reads with ``Screen.speech_text``; ``paging`` (ui/paging.py) is elder mode's 上一页/下一页;
- ``app`` (kiosk/app.py: ``app.catalog``, ``app.assistance``…), ``services`` (the calls that
  combine features or check a staff role: slips, helper and maintainer actions), ``config``,
  ``center``, ``pools``, ``theme``, ``overlays``, ``screen_area``, ``run_later``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from kiosk.services import KioskServices
from ui import operations
from ui.devices import DeviceEventBridge
from ui import i18n
from ui.i18n import tr
from ui.operations import Pools
from ui.overlays import OverlayHost
from ui.qt import (
    QSizePolicy,
    QApplication,
    QBoxLayout,
    QDateTime,
    QEvent,
    QFrame,
    QHBoxLayout,
    QLabel,
    QObject,
    QStackedWidget,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
    delete,
)
from ui.screen import Screen, ScreenRegistry
from ui.theme import STAFF_BAR_COLOUR, Theme
from ui.widgets.basic import button, label

log = logging.getLogger(__name__)

WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


class IdleWatcher(QObject):
    """Any touch, click or key counts as activity; silence starts the warning, then the reset."""

    activity = Signal()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        kind = event.type()
        if kind in (
            QEvent.Type.MouseButtonPress,
            QEvent.Type.TouchBegin,
            QEvent.Type.KeyPress,
            QEvent.Type.Wheel,
        ):
            self.activity.emit()
        elif kind == QEvent.Type.ContextMenu:
            return True  # no context menus anywhere on a public terminal
        return False


class Shell(QWidget):
    #: the citizen's session ended (inactivity, a staff sign-in): everything was cleared
    session_reset = Signal()
    #: a screen was shown (its name)
    screen_changed = Signal(str)
    #: the printer became usable (True) or not, with the reason
    printer_state_changed = Signal(bool, str)
    #: 呼叫帮办 was tapped (the footer, a screen's own button, a print failure)
    help_requested = Signal()
    #: the citizen finished something worth a rating: source (print, progress), item code, item name
    rating_offered = Signal(str, str, str)
    #: the theme changed (elder mode, the window's size): the new Theme
    theme_changed = Signal(object)
    #: the session's language changed (the 中文/EN switch, or back at the session's end)
    language_changed = Signal(str)

    def __init__(self, services: KioskServices, *, size: tuple[int, int] | None = None, pools: Pools | None = None):
        super().__init__()
        self.setObjectName("shell")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.services = services
        #: every feature's service (kiosk/app.py): what screens call, off the UI thread
        self.app = services.app
        self.pools = pools or Pools(self)
        self.elder = False
        #: the session's language (ui/i18n.py): ui.language, or what the citizen chose on home
        if i18n.current_language() != self.config.ui.language:
            i18n.set_language(self.config.ui.language)
        self.language = i18n.current_language()
        self.history: list[tuple[str, dict]] = []
        self.current: tuple[str, dict] | None = None
        self.session_active = False
        self.printer_ready = True
        self.printer_message = ""
        self.allow_close = False
        #: (time-out, warning) seconds replacing ui.idle_* while staff are signed in (ui/staff)
        self.idle_override: tuple[int, int] | None = None
        self._design_size = size
        self.center = self.app.catalog.center()
        self.theme = Theme.for_screen(*(size or (1080, 1920)))

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        from ui.speech import ShellSpeech

        self.speech = ShellSpeech(self)  # greeting, 朗读, farewell (ui/speech.py)
        outer.addWidget(self._build_header())
        outer.addWidget(self._build_printer_banner())
        outer.addWidget(self._build_storage_banner())
        self.stack = QStackedWidget()
        self.stack.setObjectName("stack")
        outer.addWidget(self.stack, 1)
        outer.addWidget(self._build_footer())

        self.overlays = OverlayHost(self)
        #: the app's screens (ui/app.py registers them), built on first use
        self.screens = ScreenRegistry(self, self._place_screen)

        self._clock = QTimer(self)
        self._clock.timeout.connect(self._tick)
        self._clock.start(1000)
        self._tick()

        self.idle = IdleWatcher(self)
        self.idle.activity.connect(self.note_activity)
        self._idle_timer = QTimer(self)
        self._idle_timer.setSingleShot(True)
        self._idle_timer.timeout.connect(self._idle_expired)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.idle)

        #: the device monitor's events on the UI thread (watch_devices)
        self.device_events: DeviceEventBridge | None = None

    def watch_devices(self) -> None:
        """The printer and storage banners follow the device monitor (kiosk/devices): its events,
        and its readings when refresh_printer_state asks for a poll. One source of truth.
        `kiosk run` calls this after the first paint (the device service is not needed to paint
        home); KioskWindow at once otherwise."""
        if self.device_events is None:
            self.device_events = DeviceEventBridge(self.services, self)
            self.device_events.received.connect(self._on_device_event)

    def start(self) -> None:
        """Show home: called by the app once its screens are registered and features attached."""
        self.apply_theme()
        self.go("home", remember=False)

    def _place_screen(self, screen: Screen) -> None:
        self.stack.addWidget(screen)
        screen.apply_theme(self.theme)

    # --- building -----------------------------------------------------------------------------

    def _build_header(self) -> QFrame:
        header = self.header = QFrame()
        header.setObjectName("header")
        layout = QHBoxLayout(header)
        layout.setContentsMargins(24, 12, 24, 12)
        self.emblem = QLabel("★")
        self.emblem.setObjectName("emblem")
        self.emblem.setFixedSize(64, 64)
        self.emblem.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.emblem.setStyleSheet("color:#ffd65a; font-size:44px;")
        self.center_name = QLabel()
        self.center_name.setObjectName("centerName")
        # Portrait: the terminal's name under the center's; landscape (compact_header): beside it.
        titles = self._header_titles = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        titles.setSpacing(0)
        titles.addWidget(self.center_name)
        self.terminal_name = QLabel(self.config.terminal.name)
        self.terminal_name.setObjectName("terminalName")
        titles.addWidget(self.terminal_name)
        self.clock = QLabel()
        self.clock.setObjectName("clock")
        self.clock.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        titles.addStretch(1)  # side by side, the two names stay together on the left
        layout.addWidget(self.emblem)
        layout.addLayout(titles, 1)
        layout.addWidget(self.clock)
        return header

    def _compact_header(self, compact: bool) -> None:
        """Landscape has little height to spare: the header takes one line (names side by side,
        date and time on one line, a smaller emblem) instead of two."""
        self.header.layout().setContentsMargins(*((20, 4, 20, 4) if compact else (24, 12, 24, 12)))
        size = 44 if compact else 64
        self.emblem.setFixedSize(size, size)
        self.emblem.setStyleSheet(f"color:#ffd65a; font-size:{30 if compact else 44}px;")
        self._header_titles.setDirection(
            QBoxLayout.Direction.LeftToRight if compact else QBoxLayout.Direction.TopToBottom)
        self._header_titles.setSpacing(16 if compact else 0)
        self.terminal_name.setAlignment(
            Qt.AlignmentFlag.AlignLeft | (Qt.AlignmentFlag.AlignVCenter if compact else Qt.AlignmentFlag.AlignTop))
        self._tick()

    def _build_printer_banner(self) -> QFrame:
        self.printer_banner = QFrame()
        self.printer_banner.setObjectName("printerBanner")
        layout = QHBoxLayout(self.printer_banner)
        layout.setContentsMargins(24, 8, 24, 8)
        self.printer_banner_text = label("", "body")
        self.printer_banner_text.setObjectName("printerBannerText")
        layout.addWidget(self.printer_banner_text)
        self.printer_banner.hide()
        return self.printer_banner

    def _build_storage_banner(self) -> QFrame:
        """Shown while nothing can be saved (a read-only or full disk: kiosk/devices)."""
        self.storage_banner = QFrame()
        self.storage_banner.setObjectName("storageBanner")
        layout = QHBoxLayout(self.storage_banner)
        layout.setContentsMargins(24, 8, 24, 8)
        self.storage_banner_text = label("", "body")
        self.storage_banner_text.setObjectName("storageBannerText")
        layout.addWidget(self.storage_banner_text)
        self.storage_banner.hide()
        return self.storage_banner

    def _build_footer(self) -> QFrame:
        footer = QFrame()
        footer.setObjectName("footer")
        rows = QVBoxLayout(footer)
        rows.setContentsMargins(20, 14, 20, 14)
        rows.setSpacing(14)
        self.footer_rows = (QHBoxLayout(), QHBoxLayout())
        for row in self.footer_rows:
            row.setSpacing(14)
            rows.addLayout(row)
        self.back_button = button(tr("‹ 返回"), name="backButton")
        self.back_button.clicked.connect(self.back)
        self.home_button = button(tr("⌂ 首页"), name="homeButton")
        self.home_button.clicked.connect(lambda: self.home())
        self.elder_button = button(tr("长辈模式"), "elder", name="elderButton")
        self.elder_button.clicked.connect(self.toggle_elder)
        self.help_button = button(tr("呼叫帮办"), "help", name="helpButton")
        self.help_button.clicked.connect(self.call_helper)
        from ui.paging import PageButtons

        self.paging = PageButtons(self)  # 上一页/下一页 in elder mode (ui/paging.py)
        self.footer = footer
        self._arrange_footer(two_rows=False)
        return footer

    def _arrange_footer(self, *, two_rows: bool) -> None:
        """One row; two in elder mode on a portrait screen, where seven large buttons do not fit
        side by side: the ways around (返回, 首页, 上一页, 下一页, 朗读) above, the modes below."""
        top, bottom = self.footer_rows
        for row in (top, bottom):
            while row.count():
                delete(row.takeAt(0))  # the layout item (ours once taken); its button is placed again below
        nav = [self.back_button, self.home_button, None, self.paging.previous, self.paging.next, self.speech.button]
        modes = [self.elder_button, self.help_button]
        if two_rows:
            for widget in nav:
                top.addStretch(1) if widget is None else top.addWidget(widget)
            bottom.addStretch(1)
            for widget in modes:
                bottom.addWidget(widget)
        else:
            for widget in nav + modes:
                top.addStretch(1) if widget is None else top.addWidget(widget)

    # --- navigation ---------------------------------------------------------------------------

    def go(self, name: str, *, remember: bool = True, **params) -> Screen:
        screen = self.screens[name]
        if remember and self.current is not None and self.screens[self.current[0]].keep_in_history:
            if self.current != (name, params):  # a drill-down inside one screen counts too
                self.history.append(self.current)
        if name != "home":
            self.session_active = True
        self.current = (name, params)
        self.stack.setCurrentWidget(screen)
        # Only the screen shown claims room: a QStackedWidget is as tall as its tallest page, so
        # a long screen seen earlier in the visit would push the window past the display.
        for built in self.screens.built():
            policy = QSizePolicy.Policy.Preferred if built is screen else QSizePolicy.Policy.Ignored
            built.setSizePolicy(policy, policy)
        screen.enter(**params)
        self.back_button.setVisible(name != "home")
        self.home_button.setVisible(name != "home")
        self.screen_changed.emit(name)
        return screen

    def back(self) -> None:
        if self.history:
            name, params = self.history.pop()
            self.go(name, remember=False, **params)
        else:
            self.home()

    def home(self) -> None:
        self.history.clear()
        self.go("home", remember=False)

    @property
    def config(self):
        """The terminal's configuration, as the services have it: the center's settings pulled
        while running are in it at once (kiosk.config.LIVE_CENTER_SECTIONS, docs/fleet.md)."""
        return self.services.config

    def current_screen(self) -> Screen:
        return self.stack.currentWidget()

    def current_name(self) -> str:
        return self.current[0] if self.current else "home"

    def screen_area(self) -> QWidget:
        """Where the screens are shown (between the header and the footer)."""
        return self.stack

    # --- the way to a human, the rating -------------------------------------------------------

    def call_helper(self) -> None:
        """The way to a human, on every screen: whoever handles help calls (ui/assistance/calling.py)
        raises one off the UI thread and shows 工作人员马上到 with the call number."""
        self.help_requested.emit()

    def set_help_button_text(self, text: str = "") -> None:
        """The footer's red button, the one way to a human on every screen: 呼叫帮办, or the
        state of this terminal's call (已呼叫 007, 已接单 007)."""
        self.help_button.setText(text or tr("呼叫帮办"))

    def offer_rating(self, source: str, *, item_code: str = "", item_name: str = "") -> None:
        """The citizen finished something (``source``: print, progress): the rating offer
        (ui/rating.py) asks for a rating, once per visit."""
        self.rating_offered.emit(source, item_code or "", item_name or "")

    # --- staff modes ----------------------------------------------------------------------------

    def place_mode_bar(self, bar: QWidget, *, active: bool) -> None:
        """A staff mode's bar naming the person. Portrait: under the header, over every screen.
        Landscape, where height is short: inside the header, which turns the staff colour while
        the bar is ``active`` (no screen loses height)."""
        header = self.header
        target = self.layout() if self.theme.portrait else header.layout()
        current = bar.parentWidget().layout() if bar.parentWidget() is not None else None
        if current is not target:
            if current is not None:
                current.removeWidget(bar)
            if target is self.layout():
                target.insertWidget(1, bar)
            else:
                target.insertWidget(target.count() - 1, bar)  # before the clock
        in_header = target is not self.layout()
        bar.layout().setContentsMargins(*((12, 0, 12, 0) if in_header else (28, 10, 28, 10)))
        header.setStyleSheet(f"QFrame#header {{ background: {STAFF_BAR_COLOUR}; }}" if active and in_header else "")

    def set_footer_visible(self, visible: bool) -> None:
        """Maintainer mode hides the citizen's footer."""
        self.footer.setVisible(visible)

    def close_for_good(self) -> None:
        """Leave the kiosk for the desktop (an admin's choice in maintainer mode)."""
        self.allow_close = True
        self.close()

    # --- elder mode and theme -----------------------------------------------------------------

    def toggle_elder(self) -> None:
        self.set_elder(not self.elder)

    def set_elder(self, on: bool) -> None:
        self.session_active = self.session_active or on
        self.elder = on
        self.apply_theme()
        if self.current:
            self.current_screen().enter(**self.current[1])
        self.speech.elder_changed(on)
        self.paging.elder_changed(on)

    def apply_theme(self) -> None:
        width, height = self._design_size or (self.width() or 1080, self.height() or 1920)
        self.theme = Theme.for_screen(width, height, self.elder)
        self.setStyleSheet(self.theme.stylesheet())
        self.center_name.setText(self.center.name)
        self.elder_button.setText(tr("退出长辈模式") if self.elder else tr("长辈模式"))
        self._arrange_footer(two_rows=self.elder and self.theme.portrait)
        self._compact_header(not self.theme.portrait)
        self.elder_button.setProperty("checked", "true" if self.elder else "false")
        self.elder_button.style().unpolish(self.elder_button)
        self.elder_button.style().polish(self.elder_button)
        for screen in self.screens.built():
            screen.apply_theme(self.theme)
        self.overlays.apply_theme(self.theme)
        self.theme_changed.emit(self.theme)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self._design_size is None:
            self.apply_theme()
        self.overlays.setGeometry(self.rect())

    # --- clock, printer -----------------------------------------------------------------------

    def _tick(self) -> None:
        # The domain's clock (kiosk/clock.py): the hours the screens reason about and the time in
        # the header are one time, also when a test or a screenshot fixes it.
        now = QDateTime.fromSecsSinceEpoch(int(self.services.hours_clock().timestamp()))
        weekday = tr(WEEKDAYS[now.date().dayOfWeek() - 1])
        separator = " " if not self.theme.portrait else "\n"  # one line in the compact header
        self.clock.setText(f"{now.toString(tr('yyyy年M月d日'))} {weekday}{separator}{now.toString('HH:mm')}")

    def refresh_printer_state(self) -> None:
        """Have the device monitor read the devices now; the banner shows what it found."""
        operations.run(
            self.pools.devices,
            self.app.devices.poll,
            on_success=lambda readings: self.set_printer_state(*self.app.devices.monitor.readiness("printer")),
            on_failure=lambda exc: self.set_printer_state(False, tr("打印机状态未知")),
            owner=self,
        )

    def _on_device_event(self, event) -> None:
        if event.device == "printer":
            self.set_printer_state(*self.app.devices.monitor.readiness("printer"))
        elif event.device in ("database", "disk"):
            self.set_storage_state()

    def set_storage_state(self) -> None:
        """The banner says so while the database or its disk cannot be written."""
        problems = []
        for device in ("database", "disk"):
            usable, message = self.app.devices.monitor.readiness(device)
            if not usable and message not in problems:
                problems.append(message)
        if problems:
            self.storage_banner_text.setText(
                tr("本机{reason}。评价、投诉和代办请到窗口或咨询台办理；工作人员已收到通知。").format(
                    reason=tr("、").join(problems)
                )
            )
            self.storage_banner.show()
        else:
            self.storage_banner.hide()

    def set_printer_state(self, ready: bool, message: str) -> None:
        """``message``: the printer's short state in Chinese (缺纸、上盖打开), shown translated."""
        self.printer_ready, self.printer_message = ready, message
        self._show_printer_banner()
        self.printer_state_changed.emit(ready, message)

    def _show_printer_banner(self) -> None:
        if self.printer_ready:
            self.printer_banner.hide()
            return
        self.printer_banner_text.setText(
            tr("打印暂不可用（{reason}）。您可以用手机扫描事项页的二维码查看，或到窗口、咨询台办理，也可点“呼叫帮办”。").format(
                reason=i18n.state_text(self.printer_message)
            )
        )
        self.printer_banner.show()

    # --- inactivity ---------------------------------------------------------------------------

    def note_activity(self) -> None:
        if self.overlays.idle_warning_visible():
            return  # only the warning's own button continues the session
        self.restart_idle_timer()

    def _idle_seconds(self) -> tuple[int, int]:
        """(time-out, warning) in seconds; elder mode doubles both (BRIEF §6: more time to read)."""
        ui = self.config.ui
        if self.idle_override:
            return self.idle_override
        factor = 2 if self.elder else 1
        return ui.idle_timeout_seconds * factor, ui.idle_warning_seconds * factor

    def set_idle_override(self, seconds: tuple[int, int] | None) -> None:
        """(time-out, warning) seconds replacing ui.idle_* (staff signed in, a citizen waiting
        for a helper), or None for the usual; takes effect at the next restart_idle_timer()."""
        self.idle_override = seconds

    def restart_idle_timer(self) -> None:
        timeout, warning = self._idle_seconds()
        self._idle_timer.start(max(1, timeout - warning) * 1000)

    def _idle_expired(self) -> None:
        if not self.session_active and not self.overlays.has_open_dialog():
            self.restart_idle_timer()
            return
        self.overlays.show_idle_warning(self._idle_seconds()[1], self._continue_session, self.reset_session)

    def _continue_session(self) -> None:
        self.restart_idle_timer()

    def reset_session(self) -> None:
        """Clear everything of the citizen's and return home, as if nobody had been here."""
        log.info("session reset")
        self.overlays.close_all()
        for screen in self.screens.built():
            screen.reset()
        self.history.clear()
        self.session_active = False
        if self.elder:
            self.elder = False
            self.apply_theme()
            self.paging.elder_changed(False)
        if self.language != self.config.ui.language:
            self._switch_language(self.config.ui.language)
        self.go("home", remember=False)
        self.session_active = False
        self.restart_idle_timer()
        self.session_reset.emit()

    # --- language -----------------------------------------------------------------------------

    def set_language(self, language: str) -> None:
        """The citizen's 中文/EN switch: every screen and the footer in ``language`` until the
        session ends (then ``ui.language`` again). Built screens are rebuilt in the new language."""
        if language == self.language:
            return
        self.session_active = True
        self._switch_language(language)
        if self.current is not None:
            name, params = self.current
            self.go(name, remember=False, **params)

    def _switch_language(self, language: str) -> None:
        if not i18n.set_language(language):
            return
        self.language = i18n.current_language()
        for screen in self.screens.built():
            self.stack.removeWidget(screen)
            screen.hide()
            screen.deleteLater()
        self.screens.forget_built()
        self._retranslate()
        self.language_changed.emit(self.language)

    def _retranslate(self) -> None:
        """The shell's own words (screens are rebuilt instead)."""
        self.back_button.setText(tr("‹ 返回"))
        self.home_button.setText(tr("⌂ 首页"))
        self.set_help_button_text()
        self.speech.button.setText(tr("朗读"))
        self.paging.previous.setText(tr("▲ 上一页"))
        self.paging.next.setText(tr("▼ 下一页"))
        self._show_printer_banner()
        self.apply_theme()  # the elder button's text
        self._tick()

    # --- window behaviour ---------------------------------------------------------------------

    def closeEvent(self, event) -> None:  # noqa: N802
        if self.allow_close:
            event.accept()
        else:
            event.ignore()  # a citizen cannot close the kiosk

    def run_later(self, msecs: int, fn: Callable[[], None]) -> None:
        QTimer.singleShot(msecs, self, fn)
