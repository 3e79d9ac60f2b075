"""刷身份证: the consent, the wait for the card and what came of it, as one panel that the
screens which use the reader share (进度查询, the helpers' proxy form, 本机可办 items).

    panel = CardReadPanel(shell, purpose=tr("查找您本人的办件"), name="progressCard")
    panel.identity_read.connect(self.card_read)     # a CardIdentity, valid and not expired
    panel.declined.connect(self.show_form)          # 不用了 / 取消
    panel.start()                                   # shows the consent first

The read runs on the devices pool (kiosk services, never the driver from here); leaving the
screen or the session reset cancels a wait (``cancel``). The panel keeps no card: it hands the
identity to the screen and forgets it, and shows only the masked name.
"""

from __future__ import annotations

import threading

from ui import operations
from ui.i18n import tr
from ui.qt import QVBoxLayout, QWidget, Signal
from ui.widgets.basic import Card, button, hbox, label

CONSENT_TEXT = (
    "将读取您身份证上的姓名和证件号码，仅用于{purpose}。"
    "本机不保存您的证件信息，离开本页后即清除。您也可以不刷身份证，改用其他方式。"
)


class CardReadPanel(QWidget):
    identity_read = Signal(object)
    declined = Signal()

    def __init__(self, shell, *, purpose: str, name: str = "cardPanel", decline_text: str = ""):
        super().__init__()
        self.shell = shell
        self.services = shell.services
        self.setObjectName(name)
        self._cancel: threading.Event | None = None
        self.state = "idle"
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(16)
        self.card = Card(tr("刷身份证"), "where")
        self.card.setObjectName(f"{name}Card")
        self.text = label(tr(CONSENT_TEXT).format(purpose=purpose), "big")
        self.text.setObjectName(f"{name}Text")
        self.card.body.addWidget(self.text)
        self.detail = label("", "body")
        self.detail.setObjectName(f"{name}Detail")
        self.card.body.addWidget(self.detail)
        column.addWidget(self.card)
        self.agree = button(tr("同意，开始刷证"), "primary", name=f"{name}Agree")
        self.agree.clicked.connect(self.read)
        self.decline = button(decline_text or tr("不刷证，返回"), name=f"{name}Decline")
        self.decline.clicked.connect(self._declined)
        column.addLayout(hbox(self.agree, self.decline, spacing=16))
        column.addStretch(1)
        self.consent_text = self.text.text()

    # --- states ------------------------------------------------------------------------------

    def start(self) -> None:
        """The consent: what is read and why, and the way out."""
        self.cancel()
        self.state = "consent"
        self.text.setText(self.consent_text)
        self.say_detail("")
        self.agree.setText(tr("同意，开始刷证"))
        self.agree.show()
        self.agree.setEnabled(True)
        self.decline.setText(tr("不刷证，返回"))

    def read(self) -> None:
        self.cancel()
        self.state = "waiting"
        self.text.setText(tr("请将身份证平放在读卡区，读完前不要移动。"))
        self.say_detail(tr("读卡区在屏幕下方，标有身份证图案。"))
        self.agree.hide()
        self.decline.setText(tr("取消"))
        cancel = threading.Event()
        self._cancel = cancel
        operations.run(
            self.shell.pools.devices,
            self.services.read_id_card,
            cancel,
            on_success=lambda outcome: self._done(outcome, cancel),
            on_failure=lambda exc: self._failed(cancel),
            owner=self,
        )

    def _done(self, outcome, cancel: threading.Event) -> None:
        if cancel is not self._cancel or cancel.is_set():
            return  # cancelled meanwhile: the citizen has moved on
        self._cancel = None
        if outcome.ok:
            self.state = "read"
            identity = outcome.identity
            self.text.setText(tr("已读取：{name}").format(name=identity.masked_name))
            self.say_detail("")
            self.decline.setText(tr("返回"))
            self.identity_read.emit(identity)
            return
        self.state = outcome.kind
        self.text.setText(outcome.message)
        self.say_detail(tr("也可以点“返回”改用其他方式，或呼叫帮办。") if outcome.kind in ("fault", "unusable") else "")
        self.agree.setText(tr("重新刷证"))
        self.agree.setVisible(outcome.kind != "fault")
        self.agree.setEnabled(True)
        self.decline.setText(tr("返回"))

    def _failed(self, cancel: threading.Event) -> None:
        if cancel is not self._cancel:
            return
        self._cancel = None
        self.state = "fault"
        self.text.setText(tr("读卡器暂时不能使用，请改用其他方式或呼叫帮办。"))
        self.say_detail("")
        self.agree.hide()
        self.decline.setText(tr("返回"))

    def say_detail(self, text: str) -> None:
        self.detail.setText(text)
        self.detail.setVisible(bool(text))

    def _declined(self) -> None:
        self.cancel()
        self.state = "idle"
        self.declined.emit()

    def cancel(self) -> None:
        """Stop waiting for a card (the screen is left, the session resets)."""
        if self._cancel is not None:
            self._cancel.set()
            self._cancel = None

    def reset(self) -> None:
        self.cancel()
        self.start()
        self.state = "idle"
