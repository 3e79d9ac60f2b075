"""本终端暂未开通: a feature this terminal does not offer yet, and where a person can help."""

from __future__ import annotations

from ui.i18n import tr
from ui.qt import Qt, QVBoxLayout
from ui.shell import Screen
from ui.widgets.basic import Card, button, label

FEATURES = {
    "feedback": ("评价建议", "请到综合咨询台提出意见建议，或拨打 12345 政务服务便民热线。"),
    "helper": ("呼叫帮办", "请到一楼综合咨询台，穿红马甲的帮办代办人员会免费为您服务。"),
}


class UnavailableScreen(Screen):
    name = "unavailable"

    def __init__(self, shell):
        super().__init__(shell)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 48, 48, 32)
        layout.setSpacing(28)
        self.title = label("", "title")
        self.title.setObjectName("unavailableTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.title)
        self.notice = label(tr("本终端暂未开通此功能"), "big")
        self.notice.setObjectName("unavailableNotice")
        self.notice.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.notice)
        card = Card(tr("请找工作人员"), "where")
        self.advice = label("", "big")
        self.advice.setObjectName("unavailableAdvice")
        card.body.addWidget(self.advice)
        self.phone = label("", "body")
        self.phone.setObjectName("centerPhone")
        card.body.addWidget(self.phone)
        layout.addWidget(card)
        home = button(tr("返回首页"), "primary", name="unavailableHome")
        home.clicked.connect(self.shell.home)
        layout.addWidget(home)
        layout.addStretch(1)

    def enter(self, **params) -> None:
        feature = params.get("feature", "helper")
        title, advice = FEATURES.get(feature, FEATURES["helper"])
        self.title.setText(tr(title))
        self.notice.setVisible(feature != "helper")
        self.advice.setText(tr(advice))
        center = self.shell.center
        self.phone.setText(tr("中心咨询电话：{phone}").format(phone=center.phone) if center.phone else "")
