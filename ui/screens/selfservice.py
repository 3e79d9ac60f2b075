"""本机可办: the items this terminal handles, and how to do them here."""

from __future__ import annotations

from ui import operations
from ui.i18n import tr
from ui.qt import QVBoxLayout, QWidget
from ui.screen import Screen
from ui.widgets.basic import Card, TouchScrollArea, clear_layout, label
from ui.widgets.item_row import ItemRow

HOW_TO = (
    "1. 在下面找到要办的事项，点开查看说明；",
    "2. 按屏幕提示操作，需要证件时请放在读卡区；",
    "3. 需要凭条的，点“打印”后从出纸口取走；",
    "4. 不会操作？点右下角“呼叫工作人员”，红马甲会来帮您。",
)


class SelfServiceScreen(Screen):
    name = "selfservice"

    def __init__(self, shell):
        super().__init__(shell)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 16)
        layout.setSpacing(14)
        layout.addWidget(label(tr("本机可办"), "title"))
        how = Card(tr("在本机怎么办"))
        how.setObjectName("howToCard")
        for line in HOW_TO:
            how.body.addWidget(label(tr(line), "body"))
        layout.addWidget(how)
        self.count = label("", "heading")
        self.count.setObjectName("selfServiceCount")
        layout.addWidget(self.count)
        self.content = QWidget()
        self.list_layout = QVBoxLayout(self.content)
        self.list_layout.setContentsMargins(0, 0, 12, 0)
        self.list_layout.setSpacing(14)
        self.scroll = TouchScrollArea(self.content)
        layout.addWidget(self.scroll, 1)

    def enter(self, **params) -> None:
        clear_layout(self.list_layout)
        operations.run(self.shell.pools.db, self.services.self_service_items, on_success=self._show, owner=self)

    def _show(self, items) -> None:
        from kiosk.catalog.search import where_handled
        from kiosk.idcard import needs_id_card

        clear_layout(self.list_layout)
        self.count.setText(tr("本机可办理的事项（{n} 项）").format(n=len(items)))
        for item in items:
            where = where_handled(item) + (tr(" · 需刷身份证") if needs_id_card(item) else "")
            row = ItemRow(
                item.code, item.name, item.department.name, where,
                in_center=item.in_center, self_service=True, online=item.online_supported, elder=self.shell.elder,
            )
            row.clicked.connect(lambda _=False, c=item.code: self.shell.go("item", code=c))
            self.list_layout.addWidget(row)
        self.list_layout.addStretch(1)

    def reset(self) -> None:
        clear_layout(self.list_layout)
