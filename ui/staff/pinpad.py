"""The staff sign-in pad: staff number (工号) and PIN on large digit keys.

A wrong entry never says which of the two was wrong; after too many the terminal's sign-in is
locked for a while (kiosk/staff). The PIN is cleared from the field after every attempt.
"""

from __future__ import annotations

from collections.abc import Callable

from ui import operations
from ui.i18n import tr
from ui.overlays import Dialog
from ui.qt import QHBoxLayout, QLineEdit, Qt, QVBoxLayout, Signal
from ui.widgets.basic import label
from ui.widgets.keypad import DigitKeys

MAX_ID = 16
MAX_PIN = 12


class PinField(QLineEdit):
    """A read-only field the pad types into; tapping it makes it the one being typed."""

    clicked = Signal()

    def __init__(self, name: str, placeholder: str, *, secret: bool = False):
        super().__init__()
        self.setObjectName(name)
        self.setReadOnly(True)  # no system input method on a kiosk: the pad types
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setPlaceholderText(placeholder)
        self.setProperty("active", "false")
        if secret:
            self.setEchoMode(QLineEdit.EchoMode.Password)

    def mousePressEvent(self, event) -> None:  # noqa: N802
        self.clicked.emit()
        event.accept()

    def set_active(self, active: bool) -> None:
        """The field being typed shows a thicker border on a light yellow ground."""
        self.setProperty("active", "true" if active else "false")
        self.setStyleSheet("QLineEdit { border-width: 5px; background: #fff6cc; }" if active else "")


class PinPadDialog(Dialog):
    def __init__(self, shell, on_signed_in: Callable[[object], None]):
        super().__init__("staffPin", tr("工作人员登录"), tr("请输入工号和密码"))
        self.shell = shell
        self.on_signed_in = on_signed_in
        self.busy = False
        theme = shell.theme

        self.id_field = PinField("staffIdField", tr("工号"))
        self.pin_field = PinField("staffPinField", tr("密码"), secret=True)
        self.id_field.clicked.connect(lambda: self.select(self.id_field))
        self.pin_field.clicked.connect(lambda: self.select(self.pin_field))
        self.message = label("", "warning")
        self.message.setObjectName("pinMessage")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)

        fields = QVBoxLayout()
        fields.setSpacing(16)
        fields.addWidget(label(tr("工号"), "heading"))
        fields.addWidget(self.id_field)
        fields.addWidget(label(tr("密码"), "heading"))
        fields.addWidget(self.pin_field)
        fields.addWidget(self.message)
        fields.addStretch(1)

        self.pad = DigitKeys(bottom=("clear", "back"), clear_text=tr("清除"), name_prefix="pinKey_", spacing=12, fill_width=True)
        self.pad.apply_theme(theme)
        self.pad.pressed.connect(self.press)
        self.keys = self.pad.keys

        body = QVBoxLayout() if theme.portrait else QHBoxLayout()
        body.setSpacing(28)
        body.addLayout(fields, 1)
        body.addLayout(self.pad, 1)
        self.layout_.addLayout(body)
        self.add_buttons(
            ("cancelButton", tr("取消"), "", self.cancel),
            ("signInButton", tr("下一步"), "primary", self.submit),
        )
        self.active = self.id_field
        self.select(self.id_field)

    # --- typing ---------------------------------------------------------------------------------

    def select(self, field: PinField) -> None:
        self.active = field
        self.id_field.set_active(field is self.id_field)
        self.pin_field.set_active(field is self.pin_field)
        self.buttons_text()

    def buttons_text(self) -> None:
        if "signInButton" in self.buttons:
            self.buttons["signInButton"].setText(tr("登录") if self.active is self.pin_field else tr("下一步"))

    def press(self, name: str) -> None:
        field = self.active
        if name == "clear":
            field.clear()
        elif name == "back":
            field.backspace()
        elif len(field.text()) < (MAX_ID if field is self.id_field else MAX_PIN):
            field.setText(field.text() + name)
        self.message.setText("")

    def keyPressEvent(self, event) -> None:  # noqa: N802 - a USB keypad works too
        text = event.text()
        if text.isdigit() and len(text) == 1:
            self.press(text)
        elif event.key() == Qt.Key.Key_Backspace:
            self.press("back")
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submit()
        else:
            super().keyPressEvent(event)

    # --- signing in -----------------------------------------------------------------------------

    def cancel(self) -> None:
        self.pin_field.clear()
        self.shell.overlays.close_all()

    def submit(self) -> None:
        if self.busy:
            return
        staff_id, pin = self.id_field.text(), self.pin_field.text()
        if self.active is self.id_field:
            if not staff_id:
                self.message.setText(tr("请先输入工号"))
                return
            self.select(self.pin_field)
            return
        if not staff_id or not pin:
            self.message.setText(tr("请输入工号和密码"))
            return
        self.busy = True
        self.buttons["signInButton"].setEnabled(False)
        self.message.setText(tr("正在验证…"))
        self.pin_field.clear()
        operations.run(
            self.shell.pools.db,
            self.shell.app.staff.sign_in,
            staff_id,
            pin,
            on_success=self._answered,
            on_failure=self._failed,
            owner=self,
        )

    def _answered(self, result) -> None:
        self.busy = False
        self.buttons["signInButton"].setEnabled(True)
        if result.ok:
            self.id_field.clear()
            self.on_signed_in(result.session)
            return
        self.message.setText(result.message_zh)
        self.select(self.pin_field)

    def _failed(self, exc) -> None:
        self.busy = False
        self.buttons["signInButton"].setEnabled(True)
        self.message.setText(tr("暂时无法登录，请稍后再试"))
