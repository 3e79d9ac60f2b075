"""Dialogs drawn inside the kiosk window (never system dialogs): the inactivity warning,
"please wait" while printing, results with what to do next, and slip previews."""

from __future__ import annotations

from collections.abc import Callable

from ui.i18n import tr
from ui.qt import QEvent, QFrame, QLabel, Qt, QTimer, QVBoxLayout, QWidget
from ui.theme import Theme
from ui.widgets.basic import TouchScrollArea, button, hbox, label


class Dialog(QFrame):
    def __init__(self, name: str, title: str, text: str = "", role: str = "body"):
        super().__init__()
        self.setObjectName("dialog")
        self.setProperty("dialogName", name)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(40, 36, 40, 36)
        self.layout_.setSpacing(24)
        self.title = label(title, "title")
        self.title.setObjectName("dialogTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.layout_.addWidget(self.title)
        self.text = label(text, role)
        self.text.setObjectName("dialogText")
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.layout_.addWidget(self.text)
        self.buttons: dict[str, QWidget] = {}

    def add_buttons(self, *specs: tuple[str, str, str, Callable[[], None]]) -> None:
        """(object name, text, role, handler) per button, in one row."""
        widgets = []
        for name, text, role, handler in specs:
            b = button(text, role, name=name)
            b.clicked.connect(handler)
            self.buttons[name] = b
            widgets.append(b)
        self.layout_.addLayout(hbox(*widgets, spacing=20))

    def event(self, event) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.LayoutRequest and self.parentWidget() is not None:
            self.fit()  # a text changed after opening (a countdown, a call taken)
        return handled

    def fit(self) -> None:
        """Make the dialog as tall as its wrapped text needs at its width. The overlay centres it
        by its size hint, which Qt computes without height-for-width: long text in elder mode or on
        a landscape screen would otherwise be cut (issue 18 item 5)."""
        width = max(self.minimumWidth(), min(self.maximumWidth(), self.sizeHint().width()))
        self.setFixedWidth(width)
        frame = self.frameWidth()  # the style sheet's border: the layout lives inside it
        if self.layout_.hasHeightForWidth():
            needed = self.layout_.heightForWidth(width - 2 * frame) + 2 * frame
        else:
            needed = self.sizeHint().height()
        screen = self.parentWidget().height() if self.parentWidget() else 0
        self.setMinimumHeight(min(needed, screen) if screen else needed)


class OverlayHost(QFrame):
    """Covers the shell while a dialog is open; invisible otherwise."""

    def __init__(self, shell):
        super().__init__(shell)
        self.shell = shell
        self.setObjectName("overlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.dialog: Dialog | None = None
        self._countdown = QTimer(self)
        self._countdown.timeout.connect(self._count)
        self._auto_close = QTimer(self)
        self._auto_close.setSingleShot(True)
        self._auto_close.timeout.connect(self.close_all)
        self._remaining = 0
        self._on_timeout: Callable[[], None] | None = None
        #: the scroll area made once and lent to each dialog that scrolls (lend_scroll_area):
        #: every new TouchScrollArea registers a gesture recognizer whose new gesture type
        #: PySide6 keeps for good (≈ 3 KiB per print preview, every visit; issue 20)
        self._lent_scroll: TouchScrollArea | None = None
        self.hide()

    # --- generic --------------------------------------------------------------------------------

    def open(self, dialog: Dialog) -> Dialog:
        self.close_all()
        self.dialog = dialog
        theme = self.shell.theme
        dialog.setMaximumWidth(round(self.shell.width() * 0.88) if self.shell.width() else 950)
        dialog.setMinimumWidth(min(900, round((self.shell.width() or 1080) * 0.8)))
        self.layout_.addWidget(dialog, 0, Qt.AlignmentFlag.AlignCenter)
        self.apply_theme(theme)
        self.setGeometry(self.shell.rect())
        dialog.ensurePolished()
        dialog.fit()
        self.show()
        self.raise_()
        return dialog

    def close_all(self) -> None:
        self._countdown.stop()
        self._auto_close.stop()
        if self.dialog is not None:
            self._take_back_scroll()
            self.dialog.setParent(None)
            self.dialog.deleteLater()
            self.dialog = None
        self.hide()

    def has_open_dialog(self) -> bool:
        return self.dialog is not None

    def dialog_name(self) -> str | None:
        return self.dialog.property("dialogName") if self.dialog else None

    def apply_theme(self, theme: Theme) -> None:
        if self.dialog is not None:
            self.dialog.setStyleSheet("")  # the shell's sheet applies
            self.dialog.setMinimumHeight(0)
            # once the new fonts are in; dropped with the host (a window closed meanwhile)
            QTimer.singleShot(0, self, self._refit)

    def _refit(self) -> None:
        if self.dialog is not None:
            self.dialog.fit()

    # --- inactivity warning ------------------------------------------------------------------------

    def idle_warning_visible(self) -> bool:
        return self.dialog_name() == "idle"

    def show_idle_warning(self, seconds: int, on_continue: Callable[[], None], on_timeout: Callable[[], None]) -> None:
        dialog = Dialog("idle", tr("您还在使用吗？"), "", "big")

        def keep_going() -> None:
            self.close_all()
            on_continue()

        dialog.add_buttons(("continueButton", tr("继续使用"), "primary", keep_going))
        self.open(dialog)
        self._remaining = seconds
        self._on_timeout = on_timeout
        self._show_remaining()
        self._countdown.start(1000)

    def _count(self) -> None:
        self._remaining -= 1
        if self._remaining <= 0:
            self._countdown.stop()
            callback, self._on_timeout = self._on_timeout, None
            self.close_all()
            if callback:
                callback()
            return
        self._show_remaining()

    def _show_remaining(self) -> None:
        if self.dialog is not None:
            self.dialog.text.setText(
                tr("{n} 秒后将返回首页，您刚才查看和填写的内容会被清除。\n如需继续，请点“继续使用”。").format(n=self._remaining)
            )
            self.dialog.fit()

    def remaining_seconds(self) -> int:
        return self._remaining

    # --- printing -----------------------------------------------------------------------------------

    def show_busy(self, title: str, text: str = "") -> Dialog:
        dialog = Dialog("busy", title, text)
        spinner = QLabel("◐")
        spinner.setObjectName("spinner")
        spinner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        spinner.setStyleSheet("font-size: 96px; color: #0a4f9e;")
        dialog.layout_.insertWidget(1, spinner)
        frames = "◐◓◑◒"
        timer = QTimer(dialog)
        state = {"i": 0}

        def spin() -> None:
            state["i"] = (state["i"] + 1) % len(frames)
            spinner.setText(frames[state["i"]])

        timer.timeout.connect(spin)
        timer.start(250)
        return self.open(dialog)

    def show_message(
        self,
        name: str,
        title: str,
        text: str,
        *,
        role: str = "body",
        buttons: tuple[tuple[str, str, str, Callable[[], None]], ...] = (),
        auto_close_seconds: int = 0,
    ) -> Dialog:
        dialog = Dialog(name, title, text, role)
        if "\n" in text:  # a list of options reads better flush left
            dialog.text.setAlignment(Qt.AlignmentFlag.AlignLeft)
        dialog.add_buttons(*(buttons or (("closeButton", tr("关闭"), "primary", self.close_all),)))
        self.open(dialog)
        if auto_close_seconds:
            self._auto_close.start(auto_close_seconds * 1000)
        return dialog

    def show_preview(self, title: str, pixmap, on_print: Callable[[], None]) -> Dialog:
        dialog = Dialog("preview", title, tr("这是凭条的样子。确认无误后请点“打印”。"))
        image = QLabel()
        image.setObjectName("previewImage")
        image.setPixmap(pixmap)
        image.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        image.setStyleSheet("background: white; border: 1px solid #c9d2de; padding: 12px;")
        self.lend_scroll_area(dialog, image, index=2, minimum_height=min(1100, round((self.shell.height() or 1920) * 0.55)))
        dialog.add_buttons(
            ("cancelButton", tr("返回"), "", self.close_all),
            ("printButton", tr("打印"), "primary", on_print),
        )
        return self.open(dialog)

    def lend_scroll_area(self, dialog: Dialog, content: QWidget, *, index: int = -1, minimum_height: int = 0) -> TouchScrollArea:
        """The host's one scroll area, showing ``content`` (the last dialog's content is deleted),
        placed in ``dialog``'s layout at ``index``; taken back when the dialog closes. Dialogs that
        scroll (the print preview, helper mode's 全部窗口信息) borrow it rather than make their own."""
        if self._lent_scroll is None:
            self._lent_scroll = TouchScrollArea(content, self)
        else:
            self._lent_scroll.setWidget(content)
            self._lent_scroll.content = content
        scroll = self._lent_scroll
        scroll.scroll_to_top()
        scroll.setMinimumHeight(minimum_height)
        dialog.layout_.insertWidget(index, scroll, 1)
        scroll.show()  # hidden when the last dialog gave it back
        return scroll

    def _take_back_scroll(self) -> None:
        """Keep the scroll area when its dialog goes: it is lent to the next one."""
        scroll = self._lent_scroll
        if scroll is not None and self.dialog is not None and scroll.parentWidget() is self.dialog:
            self.dialog.layout_.removeWidget(scroll)
            scroll.hide()
            scroll.setParent(self)
            # nor its content until the next dialog (a slip image: 576 × 2086 px, 32 bits, ≈ 4.6 MiB)
            image = scroll.takeWidget()
            if image is not None:
                image.deleteLater()
