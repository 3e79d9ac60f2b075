"""The helper's desk (帮办台): open calls (take, end with help types and outcome), proxy
requests (new, receipt again, the full address for a home visit, finish), and the day's ledger
with a summary per helper.

Only while a helper is signed in (ui/assistance/mode.py). Every service call runs off the UI
thread; what the service refuses is shown in its Chinese words, never a crash.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from kiosk.assistance import CALL_OUTCOMES, HELP_TYPES, OUTCOMES, PROXY_OUTCOMES
from ui import i18n, operations
from ui.assistance.mode import HelperMode
from ui.widgets.choices import ChoiceGrid
from ui.i18n import refusal_text, tr
from ui.overlays import Dialog
from ui.qt import QHBoxLayout, QLineEdit, QTimer, QVBoxLayout, QWidget
from ui.screen import Screen
from ui.widgets.basic import Card, ScrollPages, button, chip, clear_layout, hbox, label
from ui.widgets.chinese_input import ChineseInput
from ui.widgets.tabs import TabBar

log = logging.getLogger(__name__)

def where_text(call) -> str:
    """事项一次性告知 · 个体工商户设立登记: the screen's name (stored in Chinese) translated, the item as it is."""
    screen, sep, item = call.where_zh.partition(" · ")
    return tr(screen) + sep + item


TABS = (("calls", "呼叫"), ("proxies", "代办"), ("ledger", "台账"))
REFRESH_MS = 10000
CALL_CHIPS = {"open": "required", "taken": "selfservice"}


def _minutes(delta: timedelta) -> int:
    return max(0, int(delta.total_seconds() // 60))


def refused_text(exc, fallback: str = "操作未完成，请重试") -> str:
    return refusal_text(exc, tr(fallback))


def compact(dialog: Dialog, theme) -> None:
    """Landscape screens are short: a dialog full of choices keeps its gaps small."""
    if not theme.portrait:
        dialog.layout_.setSpacing(12)
        dialog.layout_.setContentsMargins(32, 18, 32, 18)


class NotesInput(QWidget):
    """An optional note: our keyboard (letters and digits) or a physical keyboard."""

    def __init__(self, theme, name: str, placeholder: str, data_dir=None):
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        self.field = QLineEdit()
        self.field.setObjectName(name)
        self.field.setPlaceholderText(placeholder)
        self.field.setMaxLength(300)
        self.toggle = button(tr("键盘"), name=f"{name}Keyboard")
        self.toggle.clicked.connect(self.toggle_keyboard)
        layout.addLayout(hbox(self.field, self.toggle, spacing=12))
        # pinyin with candidates and handwriting: notes are Chinese (ui/widgets/chinese_input.py)
        self.keyboard = ChineseInput(self.field, data_dir)
        self.keyboard.apply_theme(theme)
        self.keyboard.hide()
        layout.addWidget(self.keyboard)
        self.hides: list[QWidget] = []  # what the keyboard takes the place of (short screens)

    def toggle_keyboard(self) -> None:
        typing = not self.keyboard.isVisible()
        for widget in self.hides:
            widget.setVisible(not typing)
        self.keyboard.setVisible(typing)
        self.toggle.setText(tr("收起键盘") if typing else tr("键盘"))

    def text(self) -> str:
        return self.field.text().strip()


class CloseCallDialog(Dialog):
    """结束呼叫 (or 登记现场帮办 without a call): what was done and how it ended."""

    def __init__(self, screen, call=None):
        title = tr("结束呼叫 {number}").format(number=call.number) if call else tr("登记现场帮办")
        text = tr("群众所在页面：{where}").format(where=where_text(call)) if call else tr("没有呼叫、群众直接来问的帮办，也记入台账。")
        super().__init__("closeCall", title, text)
        self.screen = screen
        self.call = call
        theme = screen.shell.theme
        compact(self, theme)
        columns = 3 if theme.portrait else 5
        self.types_caption = label(tr("帮办类型（可多选）"), "heading")
        self.layout_.addWidget(self.types_caption)
        self.types = ChoiceGrid(((k, tr(v)) for k, v in HELP_TYPES.items()), name="helpType", columns=columns)
        self.layout_.addWidget(self.types)
        self.outcome_caption = label(tr("办理结果"), "heading")
        self.layout_.addWidget(self.outcome_caption)
        outcomes = [(k, tr(OUTCOMES[k])) for k in CALL_OUTCOMES if call is not None or k != "to_proxy"]
        self.outcomes = ChoiceGrid(outcomes, name="outcome", exclusive=True, columns=columns)
        self.outcomes.set_selected(["resolved"])
        self.layout_.addWidget(self.outcomes)
        self.notes = NotesInput(theme, "closeNotes", tr("备注（可选）"), screen.services.config.data_dir)
        self.notes.hides = [self.types_caption, self.types, self.outcome_caption, self.outcomes]
        self.layout_.addWidget(self.notes)
        self.error = label("", "warning")
        self.error.setObjectName("closeError")
        self.error.hide()
        self.layout_.addWidget(self.error)
        self.add_buttons(
            ("cancelButton", tr("取消"), "", screen.shell.overlays.close_all),
            ("confirmClose", tr("确认"), "primary", self.confirm),
        )

    def confirm(self) -> None:
        outcome = (self.outcomes.selected() or ["resolved"])[0]
        if outcome == "to_proxy" and self.call is not None:
            self.screen.shell.overlays.close_all()
            self.screen.new_proxy(self.call)
            return
        self.buttons["confirmClose"].setEnabled(False)
        self.screen.close_call(self, self.call, self.types.selected(), outcome, self.notes.text())

    def failed(self, message: str) -> None:
        self.buttons["confirmClose"].setEnabled(True)
        self.error.setText(message)
        self.error.show()


class CloseProxyDialog(Dialog):
    def __init__(self, screen, request):
        super().__init__("closeProxy", tr("代办办结：{number}").format(number=request.number), request.item_name)
        self.screen = screen
        self.request = request
        compact(self, screen.shell.theme)
        self.outcomes = ChoiceGrid([(k, tr(OUTCOMES[k])) for k in PROXY_OUTCOMES], name="proxyOutcome", exclusive=True)
        self.outcomes.set_selected(["proxy_done"])
        self.layout_.addWidget(self.outcomes)
        self.notes = NotesInput(screen.shell.theme, "proxyNotes", tr("备注（可选）"), screen.services.config.data_dir)
        self.notes.hides = [self.outcomes]
        self.layout_.addWidget(self.notes)
        self.error = label("", "warning")
        self.error.setObjectName("closeProxyError")
        self.error.hide()
        self.layout_.addWidget(self.error)
        self.add_buttons(
            ("cancelButton", tr("取消"), "", screen.shell.overlays.close_all),
            ("confirmCloseProxy", tr("确认办结"), "primary", self.confirm),
        )

    def confirm(self) -> None:
        self.buttons["confirmCloseProxy"].setEnabled(False)
        self.screen.close_proxy(self, self.request, (self.outcomes.selected() or ["proxy_done"])[0], self.notes.text())

    def failed(self, message: str) -> None:
        self.buttons["confirmCloseProxy"].setEnabled(True)
        self.error.setText(message)
        self.error.show()


class HelperDeskScreen(Screen):
    name = "helper"

    def __init__(self, shell, mode: HelperMode):
        super().__init__(shell)
        self.mode = mode
        self.tab = "calls"
        self.calls = []
        self.requests = []
        self.summary = []
        self.entries = []
        self.day = date.today()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(32, 20, 32, 16)
        outer.setSpacing(14)
        self.tabs = TabBar(((key, tr(text)) for key, text in TABS), name_prefix="helperTab_")
        self.tabs.chosen.connect(self.show_tab)
        self.tab_buttons = self.tabs.buttons
        outer.addWidget(self.tabs)
        self.status = label("", "ok")
        self.status.setObjectName("helperStatus")
        self.status.hide()
        outer.addWidget(self.status)
        self.pages = ScrollPages([key for key, _ in TABS], "helperPage_")
        self.page_layouts = self.pages.layouts
        self.page_widgets = self.pages.widgets
        outer.addWidget(self.pages, 1)
        self._refresh = QTimer(self)
        self._refresh.timeout.connect(self._auto_refresh)
        shell.screen_changed.connect(self._screen_changed)

    @property
    def session(self):
        return self.mode.session

    # --- showing --------------------------------------------------------------------------------

    def enter(self, **params) -> None:
        if self.session is None:
            self.shell.run_later(0, self.shell.home)  # not signed in: nothing to see here
            return
        if "day" in params:
            self.day = params["day"]
        self.show_tab(params.get("tab", self.tab))
        self._refresh.start(REFRESH_MS)

    def _screen_changed(self, name: str) -> None:
        if name != self.name:
            self._refresh.stop()

    def _auto_refresh(self) -> None:
        if self.isVisible() and self.session is not None and self.tab == "calls" and not self.shell.overlays.has_open_dialog():
            self.load_calls()

    def show_tab(self, key: str) -> None:
        self.tab = key
        self.tabs.select(key)
        self.pages.setCurrentWidget(self.page_widgets[key])
        {"calls": self.load_calls, "proxies": self.load_proxies, "ledger": self.load_ledger}[key]()

    def say(self, text: str, ok: bool = True) -> None:
        self.status.setProperty("role", "ok" if ok else "warning")
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def reset(self) -> None:
        self._refresh.stop()
        self.calls, self.requests, self.summary, self.entries = [], [], [], []
        for layout in self.page_layouts.values():
            clear_layout(layout)
        self.tab = "calls"
        self.day = date.today()
        self.tab_buttons["calls"].setText(tr("呼叫"))
        self.say("")

    def _run(self, fn, *args, on_success, failure: str = "操作未完成，请重试") -> None:
        operations.run(self.shell.pools.db, fn, *args, on_success=on_success,
                       on_failure=lambda exc: self.say(refused_text(exc, failure), ok=False), owner=self)

    # --- calls ------------------------------------------------------------------------------------

    def load_calls(self) -> None:
        self._run(self.services.help_calls, self.session, on_success=self.show_calls, failure="呼叫暂时无法读取")

    def show_calls(self, calls) -> None:
        self.calls = list(calls)
        layout = self.page_layouts["calls"]
        clear_layout(layout)
        self.tab_buttons["calls"].setText(tr("呼叫（{n}）").format(n=len(self.calls)) if self.calls else tr("呼叫"))
        refresh = button(tr("刷新"), name="refreshCalls")
        refresh.clicked.connect(self.load_calls)
        record = button(tr("登记现场帮办"), name="recordHelp")
        record.clicked.connect(lambda: self.shell.overlays.open(CloseCallDialog(self)))
        layout.addLayout(hbox(refresh, record, None, spacing=16))
        if not self.calls:
            none = Card(accent="ok")
            none.setObjectName("noCalls")
            none.body.addWidget(label(tr("目前没有等待的呼叫。"), "big"))
            layout.addWidget(none)
        now = self.app.assistance.clock()
        for call in self.calls:
            layout.addWidget(self._call_card(call, now))
        layout.addStretch(1)

    def _call_card(self, call, now) -> Card:
        here = call.terminal == self.shell.config.terminal.id
        card = Card(tr("呼叫号 {number} · {terminal}").format(number=call.number, terminal=call.terminal_name),
                    "warning" if call.status == "open" else "where")
        card.setObjectName(f"call_{call.id}")
        chips = QHBoxLayout()
        chips.setSpacing(10)
        chips.addWidget(chip(tr(call.status_zh), CALL_CHIPS.get(call.status, "optional")))
        if here:
            chips.addWidget(chip(tr("本机"), "deferrable"))
        chips.addStretch(1)
        card.body.addLayout(chips)
        card.body.addWidget(label(tr("群众所在页面：{where}").format(where=where_text(call)), "body"))
        facts = tr("{time} 呼叫 · 已等待 {m} 分钟 · 已通知 {n} 次").format(
            time=f"{call.raised_at:%H:%M}", m=_minutes(call.waited(now)), n=call.raise_count)
        card.body.addWidget(label(facts, "body"))
        if call.taken_by:
            card.body.addWidget(label(tr("接单：{name}").format(name=call.taken_by_name), "body"))
        buttons = []
        if call.status == "open":
            take = button(tr("接单"), "primary", name=f"take_{call.id}")
            take.clicked.connect(lambda _=False, c=call: self.take(c))
            buttons.append(take)
        end = button(tr("结束…"), name=f"close_{call.id}")
        end.clicked.connect(lambda _=False, c=call: self.shell.overlays.open(CloseCallDialog(self, c)))
        buttons.append(end)
        proxy = button(tr("转代办"), name=f"proxy_{call.id}")
        proxy.clicked.connect(lambda _=False, c=call: self.new_proxy(c))
        buttons.append(proxy)
        card.body.addLayout(hbox(*buttons, None, spacing=16))
        return card

    def take(self, call) -> None:
        self._run(self.services.take_help_call, call.id, self.session,
                  on_success=lambda c: (self.say(tr("已接单：呼叫号 {n}，请到 {t}").format(n=c.number, t=c.terminal_name)),
                                        self.load_calls()))

    def close_call(self, dialog: CloseCallDialog, call, help_types, outcome: str, notes: str) -> None:
        def done(result) -> None:
            self.shell.overlays.close_all()
            entry = result[1] if isinstance(result, tuple) else result
            self.say(tr("已记入台账：{types}，{outcome}").format(types=i18n.state_text(entry.help_types_zh) or "—", outcome=tr(entry.outcome_zh)))
            self.load_calls()

        def failed(exc) -> None:
            dialog.failed(refused_text(exc, "未能保存，请重试"))

        if call is not None:
            fn, args = self.services.close_help_call, (call.id, self.session)
        else:
            fn, args = self.app.assistance.record_help, (self.session,)
        operations.run(self.shell.pools.db, fn, *args, help_types=help_types, outcome=outcome, notes=notes,
                       on_success=done, on_failure=failed, owner=self)

    # --- proxy requests -----------------------------------------------------------------------------

    def new_proxy(self, call=None, item_code: str = "") -> None:
        params = {}
        if call is not None:
            params = {"call_id": call.id, "call_number": call.number, "code": call.item_code}
        elif item_code:
            params = {"code": item_code}
        self.shell.go("helper-proxy", **params)

    def load_proxies(self) -> None:
        self._run(self.app.assistance.proxies_for, self.session, on_success=self.show_proxies, failure="代办申请暂时无法读取")

    def show_proxies(self, requests) -> None:
        self.requests = list(requests)
        layout = self.page_layouts["proxies"]
        clear_layout(layout)
        new = button(tr("新建代办申请"), "primary", name="newProxy")
        new.clicked.connect(lambda: self.new_proxy())
        layout.addLayout(hbox(new, None))
        layout.addWidget(label(tr("代办中的申请（群众信息已隐去部分）"), "heading"))
        if not self.requests:
            none = Card(accent="ok")
            none.setObjectName("noProxies")
            none.body.addWidget(label(tr("没有代办中的申请。"), "big"))
            layout.addWidget(none)
        for request in self.requests:
            layout.addWidget(self._proxy_card(request))
        layout.addStretch(1)

    def _proxy_card(self, request) -> Card:
        card = Card(f"{request.number} · {request.item_name}", "where" if request.home_visit else "")
        card.setObjectName(f"proxy_{request.number}")
        card.body.addWidget(label(tr("申请人 {name} · {phone} · 代办员 {helper} · {time}").format(
            name=request.citizen_name, phone=request.phone_masked, helper=request.helper_name,
            time=f"{request.created_at:%m-%d %H:%M}"), "body"))
        materials = tr("材料：已交 {n}/{total} 项").format(n=len(request.handed_over), total=len(request.materials))
        if request.missing_required:
            materials += tr("（缺必要材料：{names}）").format(names=tr("、").join(m.name for m in request.missing_required))
        card.body.addWidget(label(materials, "warning" if request.missing_required else "body"))
        buttons = []
        if request.home_visit:
            card.body.addWidget(label(tr("上门服务（{reasons}）：{address}").format(
                reasons=tr("、").join(request.visit_reasons), address=request.address_masked), "body"))
            address = button(tr("查看完整地址"), name=f"address_{request.number}")
            address.clicked.connect(lambda _=False, r=request: self.show_address(r))
            buttons.append(address)
        receipt = button(tr("补打回执"), name=f"receipt_{request.number}")
        receipt.clicked.connect(lambda _=False, r=request: self.print_receipt(r.number))
        buttons.append(receipt)
        close = button(tr("办结…"), "primary", name=f"closeProxy_{request.number}")
        close.clicked.connect(lambda _=False, r=request: self.shell.overlays.open(CloseProxyDialog(self, r)))
        buttons.append(close)
        card.body.addLayout(hbox(*buttons, None, spacing=16))
        return card

    def show_address(self, request) -> None:
        def shown(address: str) -> None:
            self.shell.overlays.show_message(
                "proxyAddress", tr("上门地址：{number}").format(number=request.number),
                address + "\n" + tr("（查看已记录。请勿拍照外传，上门后即关闭。）"), role="big", auto_close_seconds=30,
            )

        self._run(self.app.assistance.full_address, request.number, self.session, on_success=shown)

    def print_receipt(self, number: str) -> None:
        self.mode.print_proxy_receipt(number)

    def close_proxy(self, dialog: CloseProxyDialog, request, outcome: str, notes: str) -> None:
        def done(view) -> None:
            self.shell.overlays.close_all()
            self.say(tr("已办结：{number}（{outcome}）").format(number=view.number, outcome=tr(view.outcome_zh)))
            self.load_proxies()

        operations.run(self.shell.pools.db, self.app.assistance.close_proxy, request.number, self.session,
                       outcome=outcome, notes=notes, on_success=done,
                       on_failure=lambda exc: dialog.failed(refused_text(exc, "未能保存，请重试")), owner=self)

    # --- the ledger -------------------------------------------------------------------------------------

    def load_ledger(self) -> None:
        self._run(self.app.assistance.ledger_day, self.session, self.day,
                  on_success=lambda result: self.show_ledger(*result), failure="台账暂时无法读取")

    def move_day(self, days: int) -> None:
        self.day = date.today() if days == 0 else self.day + timedelta(days=days)
        self.load_ledger()

    def show_ledger(self, summary, entries) -> None:
        self.summary, self.entries = list(summary), list(entries)
        layout = self.page_layouts["ledger"]
        clear_layout(layout)
        previous = button(tr("‹ 前一天"), name="ledgerPrevious")
        previous.clicked.connect(lambda: self.move_day(-1))
        today = button(tr("今天"), name="ledgerToday")
        today.clicked.connect(lambda: self.move_day(0))
        following = button(tr("后一天 ›"), name="ledgerNext")
        following.clicked.connect(lambda: self.move_day(1))
        following.setEnabled(self.day < date.today())
        layout.addLayout(hbox(previous, today, following, None, spacing=16))
        heading = label(tr("{day} 帮办代办日汇总").format(day=f"{self.day:%Y-%m-%d}"), "heading")
        heading.setObjectName("ledgerHeading")
        layout.addWidget(heading)
        if not self.summary:
            none = Card(accent="ok")
            none.setObjectName("noLedger")
            none.body.addWidget(label(tr("当天没有台账记录。"), "big"))
            layout.addWidget(none)
        for person in self.summary:
            layout.addWidget(self._summary_card(person))
        if self.entries:
            layout.addWidget(label(tr("当天记录（{n} 条）").format(n=len(self.entries)), "heading"))
            for entry in self.entries:
                layout.addWidget(self._entry_line(entry))
        layout.addStretch(1)

    def _summary_card(self, person) -> Card:
        title = person.helper_name if person.helper_id else tr("无人接单的呼叫")
        card = Card(title, "" if person.helper_id else "warning")
        card.setObjectName(f"summary_{person.helper_id or 'nobody'}")
        facts = tr("共 {n} 件 · 呼叫 {calls} · 代办 {proxies}").format(n=person.cases, calls=person.calls, proxies=person.proxies)
        if person.mean_response is not None:
            facts += tr(" · 平均 {m} 分钟接单").format(m=_minutes(person.mean_response))
        card.body.addWidget(label(facts, "big"))
        if person.by_type:
            card.body.addWidget(label(tr("、").join(f"{tr(HELP_TYPES[k])} {n}" for k, n in person.by_type.items()), "body"))
        card.body.addWidget(label(tr("、").join(f"{tr(OUTCOMES.get(k, k))} {n}" for k, n in person.by_outcome.items()), "muted"))
        return card

    def _entry_line(self, entry):
        what = i18n.state_text(entry.help_types_zh) or "—"
        who = entry.helper_name or tr("无人接单")
        ref = tr("呼叫 {n}").format(n=entry.call_number) if entry.call_number else ""
        if entry.proxy_number:
            ref = entry.proxy_number
        text = f"{entry.at:%H:%M}  {who}  {what}  {tr(entry.outcome_zh)}" + (f"  {ref}" if ref else "")
        if entry.item_name:
            text += f"  {entry.item_name}"
        line = label(text, "body")
        line.setObjectName(f"ledgerEntry_{entry.id}")
        return line
