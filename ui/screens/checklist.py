"""材料预审: one large toggle per material; the result says what is missing and prints the
补正材料清单, or says everything required is there and names the window."""

from __future__ import annotations

from kiosk.catalog import present
from ui import operations
from ui.i18n import tr
from ui.printing import PrintFlow
from ui.qt import QVBoxLayout, QWidget
from ui.screen import Screen
from ui.widgets.basic import Card, TouchScrollArea, button, clear_layout, hbox, label
from ui.widgets.item_row import ToggleRow


class ChecklistScreen(Screen):
    name = "checklist"

    def __init__(self, shell):
        super().__init__(shell)
        self.item = None
        self.code = ""
        self.toggles: dict[int, ToggleRow] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 16)
        layout.setSpacing(14)
        self.title = label(tr("材料预审"), "title")
        self.title.setObjectName("checklistTitle")
        layout.addWidget(self.title)
        self.hint = label(tr("请逐项点一下您已经带来的材料（点后变绿色打勾），再点“看核对结果”。"), "body")
        layout.addWidget(self.hint)
        self.summary = label("", "big")
        self.summary.setObjectName("checklistSummary")
        layout.addWidget(self.summary)
        self.content = QWidget()
        self.list_layout = QVBoxLayout(self.content)
        self.list_layout.setContentsMargins(0, 0, 12, 0)
        self.list_layout.setSpacing(14)
        self.scroll = TouchScrollArea(self.content)
        layout.addWidget(self.scroll, 1)
        self.check_button = button(tr("看核对结果"), "primary", name="checkResult")
        self.check_button.clicked.connect(self.show_result)
        self.print_button = button(tr("打印补正材料清单"), "primary", name="printMissing")
        self.print_button.clicked.connect(self.print_missing)
        self.again_button = button(tr("重新核对"), name="checkAgain")
        self.again_button.clicked.connect(self.show_toggles)
        layout.addLayout(hbox(self.check_button, self.print_button, self.again_button, spacing=16))
        self.printing = PrintFlow(shell)

    def enter(self, **params) -> None:
        code = params.get("code", "")
        if code != self.code or self.item is None:
            self.code = code
            self.item = None
            self.toggles = {}
            clear_layout(self.list_layout)
            self.summary.setText(tr("正在打开…"))
            operations.run(self.shell.pools.db, self.app.catalog.item, code, on_success=self._loaded, on_failure=self._failed, owner=self)
        else:
            self._rebuild(keep=True)

    def _failed(self, exc) -> None:
        self.summary.setText(tr("暂时无法打开该事项，请返回重试或呼叫帮办。"))

    def _loaded(self, item) -> None:
        self.item = item
        if item is None:
            self.summary.setText(tr("没有找到这个事项，请返回重新查找。"))
            return
        self._rebuild(keep=False)

    def _rebuild(self, keep: bool) -> None:
        checked = {pos for pos, toggle in self.toggles.items() if toggle.isChecked()} if keep else set()
        self.title.setText(tr("材料预审：{name}").format(name=self.item.name))
        self.show_toggles(checked)

    # --- the checklist -----------------------------------------------------------------------------

    def show_toggles(self, checked: set[int] | None = None) -> None:
        if checked is None:
            checked = {pos for pos, toggle in self.toggles.items() if toggle.isChecked()}
        clear_layout(self.list_layout)
        self.scroll.scroll_to_top()
        self.toggles = {}
        self.hint.show()
        for material in present.sorted_materials(self.item):
            detail = f"{present.necessity_text(material)} · {present.copies_text(material)}"
            toggle = ToggleRow(material.name, detail, name=f"toggle_{material.position}")
            toggle.setProperty("material", material.name)
            toggle.setChecked(material.position in checked)
            toggle.toggled.connect(self._update_summary)
            self.toggles[material.position] = toggle
            self.list_layout.addWidget(toggle)
        self.list_layout.addStretch(1)
        self.check_button.show()
        self.print_button.hide()
        self.again_button.hide()
        self._update_summary()

    def missing(self) -> list:
        return [m for m in present.sorted_materials(self.item) if not self.toggles[m.position].isChecked()]

    def _update_summary(self, *_args) -> None:
        required = self.item.required_materials
        have = sum(1 for m in required if self.toggles[m.position].isChecked())
        self.summary.setText(tr("必要材料已备齐 {have} / {total} 项").format(have=have, total=len(required)))

    # --- the result ----------------------------------------------------------------------------------

    def show_result(self) -> None:
        missing = self.missing()
        missing_required = [m for m in missing if m.necessity == "required"]
        missing_deferrable = [m for m in missing if m.necessity == "deferrable"]
        clear_layout(self.list_layout)
        self.scroll.scroll_to_top()
        self.hint.hide()
        if not missing_required:
            card = Card(tr("必要材料已经齐全"), "ok")
            card.setObjectName("resultComplete")
            card.body.addWidget(label(tr("您可以去窗口办理了："), "body"))
            card.body.addWidget(label(self._where_text(), "big"))
            if missing_deferrable:
                card.body.addWidget(
                    label(
                        tr("以下材料可“容缺后补”：先受理，之后在规定时间内补交：")
                        + tr("、").join(m.name for m in missing_deferrable),
                        "body",
                    )
                )
            self.summary.setText(tr("核对结果：可以办理"))
        else:
            card = Card(tr("还缺 {n} 项必要材料").format(n=len(missing_required)), "warning")
            card.setObjectName("resultMissing")
            for material in missing_required:
                line = label("✘ " + material.name, "big")
                line.setObjectName(f"missing_{material.position}")
                card.body.addWidget(line)
                if material.notes:
                    card.body.addWidget(label("    " + material.notes, "muted"))
            if missing_deferrable:
                card.body.addWidget(
                    label(
                        tr("以下材料可“容缺后补”，没有也能先受理，之后补交：") + tr("、").join(m.name for m in missing_deferrable),
                        "body",
                    )
                )
            card.body.addWidget(label(tr("请点“打印补正材料清单”，带着清单把材料补齐后再来。办理地点：") + self._where_text(), "body"))
            self.summary.setText(tr("核对结果：材料不全"))
        self.list_layout.addWidget(card)
        self.list_layout.addStretch(1)
        self.check_button.hide()
        self.print_button.setVisible(bool(missing))
        self.again_button.show()

    def _where_text(self) -> str:
        item = self.item
        if item.in_center and item.windows:
            return tr("、").join(
                tr("{number} 号窗口（{zone}）").format(number=w.number, zone=w.zone) if w.zone
                else tr("{number} 号窗口").format(number=w.number) for w in item.windows
            )
        if item.in_center:
            return tr("本中心综合咨询台")
        return tr("{department}（{address}，电话 {phone}）").format(
            department=item.department.name, address=item.location or item.department.address, phone=item.department.phone
        )

    def print_missing(self) -> None:
        self.printing.start(self.item, missing=[m.name for m in self.missing()])

    def context_item(self):
        return self.item

    def reset(self) -> None:
        self.item = None
        self.code = ""
        self.toggles = {}
        clear_layout(self.list_layout)
        self.summary.setText("")
