"""新建代办申请: the helper records a proxy request (代办) with the citizen at the terminal.

① the citizen's name and ② phone, ③ the item (from the call, from the item screen, or searched
by pinyin initials), ④ the materials handed over — one large toggle per material of the item,
required first — ⑤ whether a home visit is needed, why, and where, ⑥ a note. Registering gives
the request its number (DB-YYYYMMDD-NNN) and offers the receipt to print.

Typing: our keyboard below the form types into the field last tapped. The name, the address
and the note are Chinese: there is no input method on the terminal, so letters typed there
make a pinyin syllable and a tap on a candidate character enters it (ui/assistance/pinyin.py); a
plugged-in keyboard types straight into the field. What is typed shows as typed while the
helper checks it with the citizen; once registered the form is cleared and only masked values
are shown (docs/helpers.md). Leaving with 取消, signing out and the inactivity reset clear it.
"""

from __future__ import annotations

import logging

from kiosk.catalog import present
from kiosk.assistance import VISIT_REASONS
from ui import operations
from ui.assistance.mode import HelperMode
from ui.assistance.pinyin import CandidateBar, PinyinComposer
from ui.widgets.choices import ChoiceGrid
from ui.i18n import refusal_text, tr
from ui.qt import QBoxLayout, QEvent, QFrame, QLineEdit, QScrollArea, Qt, QVBoxLayout, QWidget
from ui.screen import Screen
from ui.widgets.basic import button, clear_layout, hbox, label
from ui.widgets.item_row import TextRow, ToggleRow
from ui.widgets.keyboard import TouchKeyboard

log = logging.getLogger(__name__)

SEARCH_LIMIT = 5
NECESSITY_ORDER = {"required": 0, "deferrable": 1, "optional": 2}


class ProxyFormScreen(Screen):
    name = "helper-proxy"
    keep_in_history = False

    def __init__(self, shell, mode: HelperMode):
        super().__init__(shell)
        self.mode = mode
        self.item = None
        self.call_id = None
        self.call_number = ""
        self.toggles: dict[str, ToggleRow] = {}
        self.composers: dict[QLineEdit, PinyinComposer] = {}  # once the keyboard is built
        self.busy = False
        self.active = None
        self._search_serial = 0
        # portrait: the form column above the keyboard; landscape: beside it
        self.body = QBoxLayout(QBoxLayout.Direction.TopToBottom, self)
        self.body.setContentsMargins(32, 16, 32, 12)
        self.body.setSpacing(12)
        left = QWidget()
        outer = QVBoxLayout(left)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(10)
        self.title = label(tr("新建代办申请"), "title")
        self.title.setObjectName("proxyTitle")
        outer.addWidget(self.title)
        self.message = label("", "warning")
        self.message.setObjectName("proxyMessage")
        self.message.hide()
        outer.addWidget(self.message)
        self.body.addWidget(left, 1)
        self.form = QWidget()
        self.column = QVBoxLayout(self.form)
        self.column.setContentsMargins(0, 0, 12, 0)
        self.column.setSpacing(10)
        self._build_form()
        # A plain scroll area: no drag gesture in front of fields and toggles.
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(self.form)
        outer.addWidget(self.scroll, 1)
        keys = QWidget()
        keys_layout = QVBoxLayout(keys)
        keys_layout.setContentsMargins(0, 0, 0, 0)
        keys_layout.setSpacing(8)
        self.candidates = CandidateBar()
        keys_layout.addWidget(self.candidates)
        self.keyboard = TouchKeyboard(self.phone_field)
        keys_layout.addWidget(self.keyboard)
        self.keys = keys
        self.body.addWidget(keys)
        self.cancel_button = button(tr("取消"), name="proxyCancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.submit_button = button(tr("登记并打印回执"), "primary", name="proxySubmit")
        self.submit_button.clicked.connect(self.submit)
        outer.addLayout(hbox(self.cancel_button, None, self.submit_button, spacing=16))
        self.left = left
        self.composers = {
            self.name_field: PinyinComposer(self.name_field, self),
            self.address_field: PinyinComposer(self.address_field, self),
            self.notes_field: PinyinComposer(self.notes_field, self),
        }
        self.search_field.textChanged.connect(self.search)
        self.select(self.name_field)

    # --- building -----------------------------------------------------------------------------------

    def _caption(self, text: str, name: str):
        caption = label(text, "heading")
        caption.setObjectName(name)
        self.column.addWidget(caption)
        return caption

    def _field(self, name: str, placeholder: str, max_length: int) -> QLineEdit:
        field = QLineEdit()
        field.setObjectName(name)
        field.setPlaceholderText(placeholder)
        field.setMaxLength(max_length)
        field.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        field.installEventFilter(self)
        self.column.addWidget(field)
        return field

    def _build_form(self) -> None:
        self.from_call = label("", "muted")
        self.from_call.setObjectName("proxyFromCall")
        self.column.addWidget(self.from_call)
        self.name_caption = self._caption(tr("① 群众姓名"), "proxyNameCaption")
        self._build_card_reading()
        self.name_field = self._field("proxyName", tr("拼音选字，或用外接键盘输入"), 20)
        self.phone_caption = self._caption(tr("② 联系电话（查询进度时核对后4位）"), "proxyPhoneCaption")
        self.phone_field = self._field("proxyPhone", tr("11位手机号，或带区号的固定电话"), 16)
        self.item_caption = self._caption(tr("③ 代办事项"), "proxyItemCaption")
        self.item_label = label("", "big")
        self.item_label.setObjectName("proxyItem")
        self.item_code = label("", "muted", wrap=False)
        self.item_code.setObjectName("proxyItemCode")
        self.change_item = button(tr("换一个事项"), name="proxyChangeItem")
        self.change_item.clicked.connect(self.clear_item)
        self.item_row = QWidget()
        names = QVBoxLayout()
        names.setSpacing(2)
        names.addWidget(self.item_label)
        names.addWidget(self.item_code)
        row = hbox(spacing=12)
        row.addLayout(names, 1)
        row.addWidget(self.change_item)
        row.setContentsMargins(0, 0, 0, 0)
        self.item_row.setLayout(row)
        self.column.addWidget(self.item_row)
        self.search_field = self._field("proxySearch", tr("事项名称或拼音首字母，如 gtgsh"), 60)
        self.results = QWidget()
        self.results_layout = QVBoxLayout(self.results)
        self.results_layout.setContentsMargins(0, 0, 0, 0)
        self.results_layout.setSpacing(8)
        self.column.addWidget(self.results)
        self.materials_caption = self._caption(tr("④ 交接材料（点选已收到的）"), "proxyMaterialsCaption")
        self.materials = QWidget()
        self.materials_layout = QVBoxLayout(self.materials)
        self.materials_layout.setContentsMargins(0, 0, 0, 0)
        self.materials_layout.setSpacing(8)
        self.column.addWidget(self.materials)
        self.materials_summary = label("", "body")
        self.materials_summary.setObjectName("proxyMaterialsSummary")
        self.column.addWidget(self.materials_summary)
        self._caption(tr("⑤ 上门服务（免费）"), "proxyVisitCaption")
        self.visit_toggle = ToggleRow(tr("需要上门服务"), tr("行动不便、高龄、残疾等不便来中心的群众"), name="proxyVisit")
        self.visit_toggle.toggled.connect(self._visit_changed)
        self.column.addWidget(self.visit_toggle)
        self.visit_box = QWidget()
        visit = QVBoxLayout(self.visit_box)
        visit.setContentsMargins(0, 0, 0, 0)
        visit.setSpacing(8)
        visit.addWidget(label(tr("原因（可多选）"), "body"))
        self.reasons = ChoiceGrid([(r, tr(r)) for r in VISIT_REASONS], name="visitReason", columns=3)
        visit.addWidget(self.reasons)
        self.address_caption = label(tr("上门地址"), "body")
        visit.addWidget(self.address_caption)
        self.column.addWidget(self.visit_box)
        self.address_field = self._field("proxyAddress", tr("详细地址：乡镇（街道）、村（小区）、门牌号"), 200)
        self.column.removeWidget(self.address_field)
        visit.addWidget(self.address_field)
        self.visit_box.hide()
        self.notes_caption = self._caption(tr("⑥ 备注（可选）"), "proxyNotesCaption")
        self.notes_field = self._field("proxyNotes", tr("如：证照办好后电话通知"), 300)
        self.column.addStretch(1)
        self._show_item(None)

    def _build_card_reading(self) -> None:
        """刷身份证填写: the citizen's card fills the name (masked) and, for a home visit, the
        address. The ID number is not kept: a proxy request has none (docs/privacy.md)."""
        from ui.idcard import CardReadPanel

        self._card_address = ""
        self.card_button = button(tr("刷身份证填写姓名"), name="proxyByCard")
        self.card_button.clicked.connect(self.read_card)
        self.card_button.setVisible(self.services.idcard_available())
        self.column.addWidget(self.card_button)
        self.card_panel = CardReadPanel(self.shell, purpose=tr("填写本次代办的申请人姓名和上门地址"), name="proxyCard")
        self.card_panel.identity_read.connect(self._card_read)
        self.card_panel.declined.connect(self._card_closed)
        self.card_panel.hide()
        self.column.addWidget(self.card_panel)
        self.card_note = label("", "muted")
        self.card_note.setObjectName("proxyCardNote")
        self.card_note.hide()
        self.column.addWidget(self.card_note)

    def read_card(self) -> None:
        self.card_panel.start()
        self.card_panel.show()
        self.card_button.hide()

    def _card_closed(self) -> None:
        self.card_panel.hide()
        self.card_button.setVisible(self.services.idcard_available())

    def _card_read(self, identity) -> None:
        self.name_field.setText(identity.masked_name)  # stored masked in any case
        self._card_address = identity.address
        if self.visit_toggle.isChecked() and not self.address_field.text():
            self.address_field.setText(self._card_address)
        self.card_note.setText(tr("已从身份证读取：{name} {number}（证件号码不保存）").format(
            name=identity.masked_name, number=identity.masked_id_number))
        self.card_note.show()
        self._card_closed()

    def apply_theme(self, theme) -> None:
        self.keyboard.apply_theme(theme)
        self.candidates.apply_theme(theme)
        portrait = theme.portrait
        self.body.setDirection(QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight)
        self.body.setStretch(0, 1)
        self.body.setStretch(1, 0 if portrait else 1)
        self.body.setAlignment(self.keys, Qt.AlignmentFlag(0) if portrait else Qt.AlignmentFlag.AlignBottom)

    # --- entering and leaving ----------------------------------------------------------------------

    @property
    def session(self):
        return self.mode.session

    def context_item(self):
        return self.item

    def enter(self, **params) -> None:
        if self.session is None:
            self.shell.run_later(0, self.shell.home)
            return
        if "call_id" in params:
            self.call_id = params["call_id"]
            self.call_number = params.get("call_number", "")
        self.from_call.setText(tr("来自呼叫 {number}，登记后该呼叫结束并记入台账").format(number=self.call_number)
                               if self.call_id else "")
        self.from_call.setVisible(bool(self.call_id))
        code = params.get("code", "")
        if code and (self.item is None or self.item.code != code):
            self.load_item(code)

    def cancel(self) -> None:
        self.reset()
        self.shell.go("helper", tab="proxies")

    def reset(self) -> None:
        """Nothing of the citizen's stays: every field (and its undo history), the choices."""
        for field in (self.name_field, self.phone_field, self.search_field, self.address_field, self.notes_field):
            field.setText("")  # unlike clear(), setText also drops the undo history
        for composer in self.composers.values():
            composer.drop()
        self.visit_toggle.setChecked(False)
        self.reasons.clear()
        self._card_address = ""
        self.card_note.setText("")
        self.card_note.hide()
        self.card_panel.reset()
        self._card_closed()
        self.call_id, self.call_number = None, ""
        self.busy = False
        self.submit_button.setEnabled(True)
        self.say("")
        self._show_item(None)
        if self.composers:
            self.select(self.name_field)

    # --- typing ----------------------------------------------------------------------------------------

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        if event.type() in (QEvent.Type.FocusIn, QEvent.Type.MouseButtonPress) and isinstance(watched, QLineEdit):
            if self.composers:
                self.select(watched)
        return False

    def select(self, field: QLineEdit) -> None:
        """Our keyboard types into ``field`` (through the pinyin composer for Chinese fields)."""
        for composer in self.composers.values():
            if composer.target is not field:
                composer.drop()
        composer = self.composers.get(field)
        self.keyboard.field = composer if composer is not None else field
        self.candidates.show_for(composer)
        for caption, target in ((self.name_caption, self.name_field), (self.phone_caption, self.phone_field),
                                (self.item_caption, self.search_field), (self.notes_caption, self.notes_field)):
            caption.setProperty("role", "heading" if target is field else "muted")
            caption.style().unpolish(caption)
            caption.style().polish(caption)
        if self.isVisible() and not field.hasFocus():
            field.setFocus()
        self.active = field

    # --- the item ----------------------------------------------------------------------------------------

    def search(self, text: str) -> None:
        query = text.strip()
        self._search_serial += 1
        serial = self._search_serial
        clear_layout(self.results_layout)
        if not query:
            return
        operations.run(self.shell.pools.db, self.app.catalog.search, query, SEARCH_LIMIT,
                       on_success=lambda hits: self._show_hits(serial, hits), on_failure=lambda exc: None, owner=self)

    def _show_hits(self, serial: int, hits) -> None:
        if serial != self._search_serial:
            return  # an older search answering late
        clear_layout(self.results_layout)
        if not hits:
            self.results_layout.addWidget(label(tr("没有找到，请换个说法"), "muted"))
        for hit in hits:
            row = TextRow(hit.name, f"{hit.department} · {hit.code}", name=f"proxyHit_{hit.code}")
            row.clicked.connect(lambda c=hit.code: self.load_item(c))
            self.results_layout.addWidget(row)

    def load_item(self, code: str) -> None:
        operations.run(self.shell.pools.db, self.app.catalog.item, code, on_success=self._show_item,
                       on_failure=lambda exc: self.say(tr("事项暂时无法打开，请重试")), owner=self)

    def clear_item(self) -> None:
        self._show_item(None)
        self.select(self.search_field)

    def _show_item(self, item) -> None:
        self.item = item
        clear_layout(self.materials_layout)
        self.toggles = {}
        chosen = item is not None
        self.item_row.setVisible(chosen)
        self.search_field.setVisible(not chosen)
        self.results.setVisible(not chosen)
        self.materials_caption.setVisible(chosen)
        self.materials.setVisible(chosen)
        self.materials_summary.setVisible(chosen)
        if not chosen:
            self.item_label.setText("")
            self.item_code.setText("")
            return
        self.search_field.setText("")
        clear_layout(self.results_layout)
        self.item_label.setText(item.name)
        self.item_code.setText(tr("编码：{code}").format(code=item.code))
        materials = sorted(item.materials, key=lambda m: (NECESSITY_ORDER.get(m.necessity, 3), m.position))
        for material in materials:
            detail = f"{present.necessity_text(material)} · {present.copies_text(material)}"
            toggle = ToggleRow(material.name, detail, name=f"handed_{material.position}")
            toggle.toggled.connect(lambda _=False: self._materials_changed())
            self.toggles[material.name] = toggle
            self.materials_layout.addWidget(toggle)
        if not materials:
            self.materials_layout.addWidget(label(tr("本事项没有列出申请材料。"), "muted"))
        self._materials_changed()
        if self.active is self.search_field:
            self.select(self.name_field if not self.name_field.text() else self.notes_field)

    def _materials_changed(self) -> None:
        if self.item is None:
            return
        handed = [name for name, toggle in self.toggles.items() if toggle.isChecked()]
        missing = [m.name for m in self.item.materials if m.necessity == "required" and m.name not in handed]
        text = tr("已交 {n}/{total} 项").format(n=len(handed), total=len(self.toggles))
        if missing:
            text += tr("。还缺必要材料：{names}").format(names=tr("、").join(missing))
            if not self.visit_toggle.isChecked():
                text += tr("（材料不齐不能代办，可登记上门服务时收取）")
        self.materials_summary.setProperty("role", "warning" if missing else "ok")
        self.materials_summary.style().unpolish(self.materials_summary)
        self.materials_summary.style().polish(self.materials_summary)
        self.materials_summary.setText(text)

    def _visit_changed(self, on: bool) -> None:
        if on and self._card_address and not self.address_field.text():
            self.address_field.setText(self._card_address)  # the address on the citizen's card
        self.visit_box.setVisible(on)
        if not on:
            self.reasons.clear()
            self.address_field.setText("")
        self._materials_changed()

    def say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # --- registering ----------------------------------------------------------------------------------

    def fields(self) -> dict:
        return {
            "citizen_name": self.name_field.text(),
            "phone": self.phone_field.text(),
            "item_code": self.item.code if self.item is not None else "",
            "handed_over": [name for name, toggle in self.toggles.items() if toggle.isChecked()],
            "home_visit": self.visit_toggle.isChecked(),
            "visit_reasons": self.reasons.selected(),
            "address": self.address_field.text(),
            "notes": self.notes_field.text(),
            "call_id": self.call_id,
        }

    def submit(self) -> None:
        if self.busy or self.session is None:
            return
        self.busy = True
        self.submit_button.setEnabled(False)
        self.say("")
        operations.run(self.shell.pools.db, self.services.create_proxy_request, self.session, **self.fields(),
                       on_success=self._registered, on_failure=self._refused, owner=self)

    def _refused(self, exc) -> None:
        self.busy = False
        self.submit_button.setEnabled(True)
        self.say(refusal_text(exc, tr("未能登记，请重试")))
        self.scroll.verticalScrollBar().setValue(0)

    def _registered(self, request) -> None:
        self.reset()  # the form forgets the citizen; only masked values from here on
        if self.session is None:
            return  # signed out meanwhile: registered all the same, shown on the desk next time
        self.shell.go("helper", tab="proxies")
        text = "\n".join([
            tr("代办编号：{number}").format(number=request.number),
            tr("事项：{item}").format(item=request.item_name),
            tr("申请人：{name}　电话：{phone}").format(name=request.citizen_name, phone=request.phone_masked),
            tr("已交材料 {n} 项，未交 {m} 项").format(n=len(request.handed_over), m=len(request.not_handed_over)),
        ] + ([tr("上门服务：{reasons}，{address}").format(reasons=tr("、").join(request.visit_reasons),
                                                   address=request.address_masked)] if request.home_visit else []))
        self.shell.overlays.show_message(
            "proxyRegistered", tr("代办申请已登记"), text,
            buttons=(
                ("closeButton", tr("不打印"), "", self.shell.overlays.close_all),
                ("printReceipt", tr("打印回执"), "primary", lambda: self.mode.print_proxy_receipt(request.number)),
            ),
        )
