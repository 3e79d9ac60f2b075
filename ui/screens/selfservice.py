"""自助办理: the items done on a self-service machine — which machine, where, what to bring.

This terminal is a guide: it has no ID-card reader and no department's system behind it, so it
never says an item can be done on it. It says where the machine is that does it (the catalog's
``self_service_point``), whether it is usable at night (the 24-hour zone), and what to bring.
In landscape the list has two columns.
"""

from __future__ import annotations

from kiosk.catalog import present
from ui import operations
from ui.i18n import tr
from ui.qt import QGridLayout, QVBoxLayout, QWidget
from ui.screen import Screen
from ui.widgets.basic import Card, TouchScrollArea, clear_layout, label
from ui.widgets.item_row import ItemRow


class SelfServiceScreen(Screen):
    name = "selfservice"

    def __init__(self, shell):
        super().__init__(shell)
        self.items = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 16)
        layout.setSpacing(14)
        layout.addWidget(label(tr("自助办理"), "title"))
        how = Card(tr("怎么自助办理"))
        how.setObjectName("howToCard")
        self.how_text = label("", "body")
        self.how_text.setObjectName("howToText")
        how.body.addWidget(self.how_text)
        layout.addWidget(how)
        self.count = label("", "heading")
        self.count.setObjectName("selfServiceCount")
        layout.addWidget(self.count)
        self.content = QWidget()
        self.list_layout = QGridLayout(self.content)
        self.list_layout.setContentsMargins(0, 0, 12, 0)
        self.list_layout.setSpacing(14)
        self.scroll = TouchScrollArea(self.content)
        layout.addWidget(self.scroll, 1)

    def enter(self, **params) -> None:
        zone_24h = self.services.config.terminal.zone == "24h"
        lines = [
            tr("下面的事项不用到窗口排队，在自助设备上就能办。每一项都写了是哪台设备、在哪里、要带什么。"),
            tr("本机是查询引导终端，不能刷身份证办理，可以帮您查办事指南、打印材料清单、查询进度。"),
        ]
        if zone_24h:
            lines.append(tr("标有“全天可用”的设备在本区，夜间和节假日也能用。"))
        lines.append(tr("不会操作？点右下角“呼叫帮办”。"))
        self.how_text.setText("\n".join(lines))
        clear_layout(self.list_layout)
        operations.run(self.shell.pools.db, self.app.catalog.self_service_items, on_success=self._show, owner=self)

    def _show(self, items) -> None:
        from kiosk.idcard import needs_id_card

        self.items = items
        clear_layout(self.list_layout)
        if self.services.config.terminal.zone == "24h":  # what works at night first
            items = sorted(items, key=lambda item: not present.self_service_point(item)["all_hours"])
        self.count.setText(tr("可以自助办理的事项（{n} 项）").format(n=len(items)))
        columns = 1 if self.shell.theme.portrait else 2
        for index, item in enumerate(items):
            where = present.self_service_where(item) or tr("请到综合咨询台询问自助设备的位置")
            if needs_id_card(item):
                where += tr(" · 需刷身份证")
            bring = present.bring_text(item)
            row = ItemRow(
                item.code, item.name, item.department.name, f"{where}" + (f"\n{bring}" if bring else ""),
                in_center=item.in_center, self_service=True, online=item.online_supported, elder=self.shell.elder,
            )
            row.clicked.connect(lambda _=False, c=item.code: self.shell.go("item", code=c))
            self.list_layout.addWidget(row, index // columns, index % columns)
        self.list_layout.setRowStretch(len(items) // columns + 1, 1)

    def apply_theme(self, theme) -> None:
        if self.items:
            self._show(self.items)

    def reset(self) -> None:
        self.items = []
        clear_layout(self.list_layout)
