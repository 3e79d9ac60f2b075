"""The item's one-time notification (一次性告知): everything about it, arranged for a citizen."""

from __future__ import annotations

from kiosk.catalog import present
from ui import operations
from ui.i18n import tr
from ui.printing import PrintFlow
from ui.qt import QGridLayout, QHBoxLayout, Qt, QVBoxLayout, QWidget
from ui.screen import Screen
from ui.widgets.basic import Card, TouchScrollArea, button, chip, clear_layout, hbox, label
from ui.widgets.qr import QrLabel


def online_address(item) -> str:
    """The address a phone should open: the mobile one, else the PC one."""
    if not item.online_supported:
        return ""
    return item.online_mobile_url or item.online_pc_url


class ItemScreen(Screen):
    name = "item"

    def __init__(self, shell):
        super().__init__(shell)
        self.item = None
        self.where_card = None
        self.code = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 16)
        layout.setSpacing(14)
        self.title = label("", "title")
        self.title.setObjectName("itemTitle")
        layout.addWidget(self.title)
        self.subtitle = label("", "muted")
        self.subtitle.setObjectName("itemSubtitle")
        layout.addWidget(self.subtitle)
        self.content = QWidget()
        self.cards = QVBoxLayout(self.content)
        self.cards.setContentsMargins(0, 0, 12, 0)
        self.cards.setSpacing(18)
        self.scroll = TouchScrollArea(self.content)
        layout.addWidget(self.scroll, 1)
        self.print_button = button(tr("打印告知单"), "primary", name="printNotice")
        self.print_button.clicked.connect(self.print_notice)
        self.precheck_button = button(tr("材料预审"), name="startPrecheck")
        self.precheck_button.clicked.connect(lambda: self.shell.go("checklist", code=self.code))
        # The way to a human is the footer's 呼叫帮办, in the same place on every screen.
        layout.addLayout(hbox(self.print_button, self.precheck_button, None, spacing=16))
        self.printing = PrintFlow(shell)
        self.card_panel = None  # 刷身份证 for an item that needs identification
        shell.screen_changed.connect(lambda name: self._stop_card() if name != self.name else None)

    def enter(self, **params) -> None:
        code = params.get("code", "")
        if code != self.code or self.item is None:
            self.code = code
            self.item = None
            self.title.setText(tr("正在打开…"))
            self.subtitle.setText("")
            clear_layout(self.cards)
            operations.run(self.shell.pools.db, self.app.catalog.item, code, on_success=self._show, on_failure=self._failed, owner=self)
        else:
            self._show(self.item)

    def _failed(self, exc) -> None:
        self.title.setText(tr("暂时无法打开该事项"))
        self.subtitle.setText(tr("请返回重试，或呼叫帮办。"))

    def _stop_card(self) -> None:
        """A wait for a card ends when the screen is left or rebuilt."""
        if self.card_panel is not None:
            self.card_panel.cancel()
            self.card_panel = None

    def _show(self, item) -> None:
        self._stop_card()
        clear_layout(self.cards)
        self.scroll.scroll_to_top()
        self.item = item
        if item is None:
            self.title.setText(tr("没有找到这个事项"))
            self.subtitle.setText(tr("事项可能已调整，请返回重新查找，或呼叫帮办。"))
            self.print_button.setEnabled(False)
            self.precheck_button.setEnabled(False)
            return
        self.print_button.setEnabled(True)
        self.precheck_button.setEnabled(bool(item.materials))
        self.title.setText(item.name)
        self.subtitle.setText(f"{item.department.name} · {tr(item.type)} · {tr('事项编码')} {item.code}")
        self.where_card = self._where_card(item)
        self.cards.addWidget(self.where_card)
        # Whether its window is open now, and what can be done now (kiosk/hours), off the UI thread.
        operations.run(self.shell.pools.db, self.services.item_now, item,
                       on_success=lambda now, it=item: self._show_now(it, now), on_failure=lambda exc: None, owner=self)
        self.cards.addWidget(self._time_card(item))
        self.cards.addWidget(self._materials_card(item))
        if item.procedure:
            self.cards.addWidget(self._procedure_card(item))
        if online_address(item):
            self.cards.addWidget(self._online_card(item))
        self.cards.addWidget(self._basis_card(item))
        self.cards.addWidget(self._phones_card(item))
        if item.faq:
            self.cards.addWidget(self._faq_card(item))
        self.cards.addStretch(1)
        self.shell.speech.screen_ready(self)

    def speech_text(self) -> str:
        """朗读: the notice's key lines — where to go, what to bring, how long (ui/speech.py)."""
        if self.item is None:
            return ""
        from kiosk.speech.texts import item_notice

        return item_notice(self.item)

    # --- cards ------------------------------------------------------------------------------------

    def _where_card(self, item) -> Card:
        card = Card(tr("第一步：去哪里办"), "where")
        card.setObjectName("whereCard")
        if item.in_center and item.windows:
            for window in item.windows:
                line = label(tr("{number} 号窗口").format(number=window.number) + f"  {window.name}" + (f"（{window.zone}）" if window.zone else ""), "big")
                line.setObjectName(f"window_{window.number}")
                card.body.addWidget(line)
        elif item.in_center:
            card.body.addWidget(label(tr("本中心办理，请到综合咨询台，工作人员会带您到窗口。"), "big"))
        else:
            notice = label(tr("本事项不在本中心办理"), "warning")
            notice.setObjectName("notInCenter")
            card.body.addWidget(notice)
            department = item.department
            card.body.addWidget(label(department.name, "big"))
            card.body.addWidget(label(tr("地址：{address}").format(address=item.location or department.address), "body"))
            if department.phone:
                card.body.addWidget(label(tr("电话：{phone}").format(phone=department.phone), "body"))
        if item.self_service:
            where = present.self_service_where(item)
            if where:
                line = tr("也可以自助办理：到{where}").format(where=where)
                bring = present.bring_text(item)
                selfservice = label(line + (f"，{bring}" if bring else ""), "ok")
            else:
                selfservice = label(tr("也可以在自助设备上办理，请到综合咨询台询问设备位置。"), "ok")
            selfservice.setObjectName("selfServicePoint")
            card.body.addWidget(selfservice)
            self._identification(item, card)
        return card

    def _identification(self, item, card) -> None:
        """An item that needs the citizen's ID card says so, and lets them check the card on
        the reader first (valid, not expired) — nothing of it is kept (docs/privacy.md)."""
        from kiosk.idcard import needs_id_card

        if not needs_id_card(item):
            return
        need = label(tr("需要核验身份：请带好本人居民身份证，办理时在读卡区刷证。"), "body")
        need.setObjectName("itemNeedsIdCard")
        card.body.addWidget(need)
        if not self.services.idcard_available():
            return
        from ui.idcard import CardReadPanel

        check = button(tr("先刷身份证，看证件能否使用"), name="itemCheckCard")
        panel = CardReadPanel(self.shell, purpose=tr("核对您的身份证能否用于办理本事项"), name="itemCard")
        panel.hide()
        result = label("", "ok")
        result.setObjectName("itemCardResult")
        result.hide()

        def start() -> None:
            check.hide()
            result.hide()
            panel.start()
            panel.show()

        def read(identity) -> None:
            panel.hide()
            result.setText(tr("身份证可以使用（{name}），请按办理步骤操作。").format(name=identity.masked_name))
            result.show()
            check.show()

        def closed() -> None:
            panel.hide()
            check.show()

        check.clicked.connect(start)
        panel.identity_read.connect(read)
        panel.declined.connect(closed)
        card.body.addWidget(check)
        card.body.addWidget(panel)
        card.body.addWidget(result)
        self.card_panel = panel

    def _show_now(self, item, now) -> None:
        """窗口今天已下班，明天 8:30 开始办理, and what the citizen can do right now."""
        if item is not self.item or self.where_card is None:
            return
        line, channels = now
        body = self.where_card.body
        point = self.where_card.findChild(QWidget, "selfServicePoint")
        at = body.indexOf(point) if point is not None else body.count()
        closed = any(c.kind == "notice" for c in channels)
        if line:
            state = label(line, "warning" if closed else "ok")
            state.setObjectName("windowHours")
            body.insertWidget(at, state)
            at += 1
        if line and closed:  # what can be done now, the window being closed
            box = label(tr("现在可以：") + "\n" + "\n".join(f"· {c.text}" for c in channels), "body")
            box.setObjectName("availableNow")
            body.insertWidget(at, box)
            if point is not None:
                point.hide()  # said in the list already
        if item.hours:
            hours = label(tr("办理时间：{hours}").format(hours=item.hours), "muted")
            hours.setObjectName("itemHours")
            self.where_card.body.addWidget(hours)

    def _time_card(self, item) -> Card:
        card = Card(tr("办理时限与费用"))
        card.setObjectName("timeCard")
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(8)
        rows = [
            (tr("承诺办结时限"), present.promised_limit_text(item) + (f"（{item.promised_limit_note}）" if item.promised_limit_note else "")),
            (tr("法定办结时限"), present.legal_limit_text(item) + (f"（{item.legal_limit_note}）" if item.legal_limit_note else "")),
            (tr("到现场次数"), self._visits_text(item)),
            (tr("收费"), present.fee_text(item)),
        ]
        for row, (name, value) in enumerate(rows):
            key = label(name, "muted")
            grid.addWidget(key, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(label(value, "body"), row, 1)
        grid.setColumnStretch(1, 1)
        card.body.addLayout(grid)
        return card

    @staticmethod
    def _visits_text(item) -> str:
        if item.visits:
            return tr("最多跑 {n} 次").format(n=item.visits)
        if item.online_supported:
            return tr("不用到现场，可全程网上办理")
        return tr("不用到窗口")

    def _materials_card(self, item) -> Card:
        materials = present.sorted_materials(item)
        card = Card(tr("需要带的材料（共 {n} 项）").format(n=len(materials)))
        card.setObjectName("materialsCard")
        for index, material in enumerate(materials, 1):
            row = QHBoxLayout()
            row.setSpacing(12)
            name = label(f"{index}. {material.name}", "body")
            name.setObjectName(f"material_{material.position}")
            row.addWidget(name, 1)
            row.addWidget(chip(present.necessity_text(material), material.necessity), 0, Qt.AlignmentFlag.AlignTop)
            card.body.addLayout(row)
            details = [present.copies_text(material), tr(present.MATERIAL_FORM_LABELS.get(material.form, material.form))]
            if material.spec:
                details.append(material.spec)
            extra = tr("，").join(details)
            if material.notes:
                extra += tr("。") + material.notes
            card.body.addWidget(label("    " + extra, "muted"))
        if any(m.necessity == "deferrable" for m in materials):
            card.body.addWidget(
                label(tr("“容缺后补”：这项材料暂时没有也可以先受理，之后在规定时间内补交。"), "muted")
            )
        return card

    def _procedure_card(self, item) -> Card:
        card = Card(tr("办理流程"))
        card.setObjectName("procedureCard")
        for index, step in enumerate(item.procedure, 1):
            card.body.addWidget(label(f"{index}. {step}", "body"))
        return card

    def _online_card(self, item) -> Card:
        card = Card(tr("用手机办理"))
        card.setObjectName("onlineCard")
        row = QHBoxLayout()
        side = round(260 * self.shell.theme.scale * (1.3 if self.shell.elder else 1))
        qr = QrLabel(online_address(item), side)
        row.addWidget(qr)
        text = QVBoxLayout()
        text.addWidget(label(tr("用手机扫一扫，可在网上或手机上办理，不用排队。"), "big"))
        if item.online_pc_url:
            text.addWidget(label(tr("电脑办理：{url}").format(url=item.online_pc_url), "muted"))
        text.addStretch(1)
        row.addLayout(text, 1)
        card.body.addLayout(row)
        return card

    def _basis_card(self, item) -> Card:
        card = Card(tr("受理条件与办理依据"))
        card.setObjectName("basisCard")
        if item.conditions:
            card.body.addWidget(label(tr("受理条件：") + item.conditions, "body"))
        if item.basis:
            card.body.addWidget(label(tr("设定依据：") + item.basis, "muted"))
        if item.fee_charged and item.fee_basis:
            card.body.addWidget(label(tr("收费依据：") + item.fee_basis, "muted"))
        return card

    def _phones_card(self, item) -> Card:
        card = Card(tr("咨询与投诉"))
        card.setObjectName("phonesCard")
        if item.consult_phone:
            card.body.addWidget(label(tr("咨询电话：{phone}").format(phone=item.consult_phone), "body"))
        if item.complaint_phone:
            card.body.addWidget(label(tr("监督投诉电话：{phone}").format(phone=item.complaint_phone), "body"))
        if item.hours:
            card.body.addWidget(label(tr("办理时间：{hours}").format(hours=item.hours), "muted"))
        return card

    def _faq_card(self, item) -> Card:
        card = Card(tr("常见问题"))
        card.setObjectName("faqCard")
        for entry in item.faq:
            card.body.addWidget(label(tr("问：") + entry["q"], "body"))
            card.body.addWidget(label(tr("答：") + entry["a"], "muted"))
        return card

    # --- for others ---------------------------------------------------------------------------------

    def context_item(self):
        return self.item

    def add_actions(self, widget: QWidget) -> None:
        """A row of someone else's actions under the screen's own (helper mode's, ui/assistance)."""
        self.layout().addWidget(widget)

    # --- actions ------------------------------------------------------------------------------------

    def print_notice(self) -> None:
        if self.item is not None:
            self.printing.start(self.item, missing=())

    def reset(self) -> None:
        self._stop_card()
        self.item = None
        self.where_card = None
        self.code = ""
        clear_layout(self.cards)
        self.title.setText("")
        self.subtitle.setText("")
