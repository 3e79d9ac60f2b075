"""Maintainer mode (维护模式): the terminal's faults and handovers, its devices, and itself.

Only reachable through the hidden entry and a staff sign-in. A coloured bar names the signed-in
person and offers 退出; the citizen's footer is hidden. Leaving the screen, the 退出 button and
the inactivity reset all sign the person out. Every service call runs off the UI thread.
"""

from __future__ import annotations

import logging

from kiosk.devices.faults import ROLE_NAMES, STATUS_LABELS
from kiosk.config_labels import label as config_label
from kiosk.config_labels import value_text
from kiosk.devices.kinds import SEVERITY_LABELS, kind_info
from kiosk.devices.service import human_bytes, human_duration
from ui import operations
from ui.admin.summary import AdminSummaryPanel
from ui import i18n
from ui.i18n import refusal_text, tr
from ui.overlays import Dialog
from ui.qt import QGridLayout, QHBoxLayout, QLineEdit, Qt, QVBoxLayout, QWidget
from ui.screen import Screen
from ui.staff.entry import StaffDoor
from ui.theme import STAFF_BAR_COLOUR
from ui.widgets.basic import Card, ScrollPages, button, chip, clear_layout, hbox, label
from ui.widgets.choices import ChoiceGrid
from ui.widgets.keyboard import TouchKeyboard
from ui.widgets.tabs import TabBar

log = logging.getLogger(__name__)

TABS = (("faults", "故障"), ("devices", "设备"), ("info", "本机信息"), ("summary", "统计"))  # 统计: admins only
#: what maintainers usually did, offered first for each kind of fault
QUICK_NOTES = {
    "paper_out": "已更换纸卷",
    "paper_near_end": "已更换纸卷",
    "cover_open": "已合上盖板",
    "cutter_error": "已清除卡纸",
    "timeout": "已清除卡纸",
    "disconnected": "已重新连接",
    "no_response": "已重启打印机",
    "offline": "已重启打印机",
    "disk_low": "已清理磁盘",
}
COMMON_NOTES = ("已更换纸卷", "已合上盖板", "已清除卡纸", "已重新连接", "已重启设备", "已联系厂家维修", "误报，无需处理")
SEVERITY_CHIPS = {"ok": "selfservice", "info": "optional", "warning": "deferrable", "error": "required"}



def _when(value) -> str:
    return f"{value:%m-%d %H:%M}" if value else "—"


def fault_title(fault) -> str:
    """打印机缺纸 in Chinese; "printer: out of paper" in another language (the title joins the two
    Chinese names into one word, which no catalog can translate)."""
    if i18n.current_language() == i18n.SOURCE_LANGUAGE:
        return fault.title_zh
    return tr("{device}：{problem}").format(device=tr(fault.device_zh), problem=i18n.state_text(fault.kind_zh))


def assignee(fault) -> str:
    if not fault.assigned_to:
        return tr("未指定")
    role = ROLE_NAMES.get(fault.assigned_role, fault.assigned_role)
    return tr("{name}（{detail}）").format(name=fault.assigned_name or fault.assigned_to, detail=tr(role))


class ResolveDialog(Dialog):
    """已处理: a few large choices for what was done, and optional words typed on our keyboard."""

    def __init__(self, screen, fault):
        super().__init__("resolveFault", tr("处理完成：{title}").format(title=fault_title(fault)), tr("请选择处理情况，可再补充说明。"))
        self.screen = screen
        self.fault = fault
        notes = [QUICK_NOTES[fault.kind]] if fault.kind in QUICK_NOTES else []
        notes += [n for n in COMMON_NOTES if n not in notes]
        self.notes = notes  # in Chinese: the fault log keeps them so, whatever the screen's language
        columns = 3 if screen.shell.theme.portrait is False else 2
        self.notes_box = ChoiceGrid(((str(index), tr(note)) for index, note in enumerate(notes)), name="note",
                                    exclusive=True, columns=columns, spacing=12)
        self.group = self.notes_box.group
        self.notes_box.set_selected(["0"])
        self.layout_.addWidget(self.notes_box)
        self.chosen = label("", "big")
        self.chosen.setObjectName("resolveChosen")
        self.chosen.hide()
        self.layout_.addWidget(self.chosen)
        self.extra = QLineEdit()
        self.extra.setObjectName("resolveExtra")
        self.extra.setPlaceholderText(tr("补充说明（可选，可用字母和数字）"))
        self.extra.setMaxLength(200)
        self.keyboard_button = button(tr("输入补充说明"), name="showKeyboard")
        self.keyboard_button.clicked.connect(self.toggle_keyboard)
        self.layout_.addLayout(hbox(self.extra, self.keyboard_button, spacing=12))
        self.keyboard = TouchKeyboard(self.extra)
        self.keyboard.apply_theme(screen.shell.theme)
        self.keyboard.hide()
        self.layout_.addWidget(self.keyboard)
        self.error = label("", "warning")
        self.error.setObjectName("resolveError")
        self.layout_.addWidget(self.error)
        self.add_buttons(
            ("cancelButton", tr("取消"), "", screen.shell.overlays.close_all),
            ("confirmResolve", tr("确认处理完成"), "primary", self.confirm),
        )

    def toggle_keyboard(self) -> None:
        """The keyboard takes the choices' place (a landscape screen has no room for both)."""
        typing = not self.keyboard.isVisible()
        chosen = self.group.checkedButton()
        self.chosen.setText(tr("处理情况：{note}").format(note=chosen.text() if chosen else tr("（未选择）")))
        self.notes_box.setVisible(not typing)
        self.chosen.setVisible(typing)
        self.keyboard.setVisible(typing)
        self.keyboard_button.setText(tr("收起键盘") if typing else tr("输入补充说明"))

    def note(self) -> str:
        chosen = self.notes_box.selected()
        text = self.notes[int(chosen[0])] if chosen else ""
        extra = self.extra.text().strip()
        return f"{text}；{extra}" if text and extra else (text or extra)

    def confirm(self) -> None:
        self.buttons["confirmResolve"].setEnabled(False)
        self.screen.resolve(self.fault.id, self.note(), self)

    def failed(self, message: str) -> None:
        self.buttons["confirmResolve"].setEnabled(True)
        self.error.setText(message)


class MaintainerScreen(Screen):
    name = "maintainer"
    keep_in_history = False

    def __init__(self, shell, door: StaffDoor):
        super().__init__(shell)
        self.door = door
        self.session = None
        self.tab = "faults"
        self.names: dict[str, str] = {}
        self.faults = []
        self.handovers = []
        self.views = []
        self.info = None

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.bar = QWidget()
        self.bar.setObjectName("staffBar")
        self.bar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.bar.setStyleSheet(f"QWidget#staffBar {{ background: {STAFF_BAR_COLOUR}; }} QWidget#staffBar QLabel {{ color: white; }}")
        bar_layout = QHBoxLayout(self.bar)
        bar_layout.setContentsMargins(28, 12, 28, 12)
        self.bar_label = label("", "big")
        self.bar_label.setObjectName("staffBarLabel")
        bar_layout.addWidget(self.bar_label, 1)
        self.exit_button = button(tr("退出"), name="staffExit")
        self.exit_button.clicked.connect(lambda: self.sign_out("button", go_home=True))
        bar_layout.addWidget(self.exit_button)
        outer.addWidget(self.bar)

        body = QVBoxLayout()
        body.setContentsMargins(32, 20, 32, 16)
        body.setSpacing(14)
        outer.addLayout(body, 1)
        self.tabs = TabBar(((key, tr(text)) for key, text in TABS), name_prefix="tab_")
        self.tabs.chosen.connect(self.show_tab)
        self.tab_buttons = self.tabs.buttons
        body.addWidget(self.tabs)
        self.status = label("", "ok")
        self.status.setObjectName("maintainerStatus")
        body.addWidget(self.status)

        self.pages = ScrollPages([key for key, _ in TABS], "page_")
        self.page_layouts = self.pages.layouts
        self.page_widgets = self.pages.widgets
        self.summary = AdminSummaryPanel(self)  # ui/admin/summary.py: its own scrolling page
        self.pages.addWidget(self.summary)
        self.page_widgets["summary"] = self.summary
        body.addWidget(self.pages, 1)

        shell.screen_changed.connect(self._screen_changed)

    # --- signing in and out -------------------------------------------------------------------

    @property
    def entry(self):
        """The hidden entry on the emblem (ui/staff/entry.py)."""
        return self.door.entry

    def open_pin_pad(self) -> None:
        self.door.open_pin_pad()

    def start(self, session, *, tab: str = "faults") -> None:
        """A person signed in for maintainer mode (StaffDoor chose it): the citizen's session
        ends, maintainer mode begins."""
        self.shell.reset_session()  # nothing of the citizen's stays (BRIEF §4)
        # Ending a citizen's EN session rebuilds every screen in ui.language, this one included:
        # maintainer mode goes on in the screen that stands for it now.
        self.shell.screens["maintainer"].begin(session, tab=tab)

    def begin(self, session, *, tab: str = "faults") -> None:
        """Maintainer mode for ``session`` on a citizen-free terminal (start() ended the visit)."""
        self.session = session
        if not session.can_maintain:
            self.sign_out("no_role")
            self.shell.overlays.show_message(
                "staffNoRole", tr("没有维护权限"),
                tr("{name}，您的账号没有维护权限。需要维护人员或管理员账号。").format(name=session.name),
            )
            return
        self.shell.go("maintainer", remember=False, tab=tab)

    def sign_out(self, reason: str, *, go_home: bool = False) -> None:
        session, self.session = self.session, None
        self.shell.set_idle_override(None)
        self.shell.set_footer_visible(True)
        self.faults, self.handovers, self.views, self.info = [], [], [], None
        for layout in self.page_layouts.values():
            clear_layout(layout)
        self.tab_buttons["faults"].setText(tr("故障"))
        self.say("")
        if session is not None:
            operations.run(self.shell.pools.db, self.app.staff.sign_out, session, reason)
        if go_home:
            self.shell.home()

    def _screen_changed(self, name: str) -> None:
        if name != self.name and self.session is not None:
            self.sign_out("left")

    def reset(self) -> None:
        if self.session is not None:
            self.sign_out("idle")

    # --- showing --------------------------------------------------------------------------------

    def enter(self, **params) -> None:
        if self.session is None:
            self.shell.run_later(0, self.shell.home)  # not signed in: nothing to see here
            return
        self.shell.set_footer_visible(False)
        staff = self.shell.config.staff
        self.shell.set_idle_override((staff.session_idle_seconds, self.shell.config.ui.idle_warning_seconds))
        self.shell.restart_idle_timer()
        role = "管理员" if self.session.is_admin else "维护人员"
        self.bar_label.setText(tr("维护模式 — 工作人员 {name}（{role}）").format(name=self.session.name, role=tr(role)))
        self.tab_buttons["summary"].setVisible(self.session.is_admin)
        self.show_tab(params.get("tab", self.tab))

    def show_tab(self, key: str) -> None:
        self.tab = key
        self.tabs.select(key)
        self.pages.setCurrentWidget(self.page_widgets[key])
        {"faults": self.load_faults, "devices": self.load_devices, "info": self.load_info,
         "summary": lambda: self.summary.load(self.session)}[key]()

    def say(self, text: str, ok: bool = True) -> None:
        self.status.setProperty("role", "ok" if ok else "warning")
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        self.status.setText(text)

    # --- faults and handovers --------------------------------------------------------------------

    def _fetch_faults(self):
        names = {s.id: s.name for s in self.app.staff.list_staff()}
        return self.services.terminal_faults(), self.services.pending_handovers(self.session), names

    def load_faults(self) -> None:
        operations.run(self.shell.pools.db, self._fetch_faults, on_success=self._faults_loaded,
                       on_failure=lambda exc: self.say(tr("故障记录暂时无法读取"), ok=False), owner=self)

    def _faults_loaded(self, result) -> None:
        faults, handovers, names = result
        self.show_faults(faults, handovers, names)

    def show_faults(self, faults, handovers, names) -> None:
        self.faults, self.handovers, self.names = list(faults), list(handovers), dict(names)
        layout = self.page_layouts["faults"]
        clear_layout(layout)
        active = [f for f in self.faults if f.active]
        self.tab_buttons["faults"].setText(tr("故障（{n}）").format(n=len(active)) if active else tr("故障"))
        for handover in self.handovers:
            layout.addWidget(self._handover_card(handover))
        if active:
            layout.addWidget(label(tr("待处理的故障"), "heading"))
            for fault in active:
                layout.addWidget(self._fault_card(fault))
        else:
            none = Card(accent="ok")
            none.body.addWidget(label(tr("本终端没有待处理的故障。"), "big"))
            layout.addWidget(none)
        done = [f for f in self.faults if not f.active]
        if done:
            layout.addWidget(label(tr("最近 7 天已处理"), "heading"))
            for fault in done:
                layout.addWidget(self._fault_card(fault))
        layout.addStretch(1)

    def _name(self, staff_id) -> str:
        if not staff_id:
            return ""
        if staff_id == "system":
            return tr("系统")
        return self.names.get(staff_id, staff_id)

    def _fault_card(self, fault) -> Card:
        card = Card(fault_title(fault), "warning" if fault.active and fault.severity == "error" else "")
        card.setObjectName(f"fault_{fault.id}")
        chips = QHBoxLayout()
        chips.setSpacing(10)
        chips.addWidget(chip(tr(SEVERITY_LABELS.get(fault.severity, fault.severity)), SEVERITY_CHIPS.get(fault.severity, "optional")))
        chips.addWidget(chip(tr(STATUS_LABELS.get(fault.status, fault.status)), "online" if fault.active else "selfservice"))
        chips.addWidget(chip(f"#{fault.id}", "optional"))
        chips.addStretch(1)
        card.body.addLayout(chips)
        facts = tr("首次 {first} · 最近 {last} · 共 {count} 次").format(
            first=_when(fault.first_seen), last=_when(fault.last_seen), count=fault.count
        )
        card.body.addWidget(label(facts, "body"))
        who = tr("负责人：{who}").format(who=assignee(fault))
        if fault.acknowledged_by:
            who += tr(" · {name} 已确认").format(name=self._name(fault.acknowledged_by))
        card.body.addWidget(label(who, "body"))
        if fault.active and fault.fix_zh:
            card.body.addWidget(label(tr("建议：{fix}").format(fix=tr(fault.fix_zh)), "body"))
        if fault.note:
            card.body.addWidget(label(tr("处理情况：{note}（{name}）").format(note=tr(fault.note), name=self._name(fault.resolved_by)), "body"))
        if fault.detail:
            card.body.addWidget(label(fault.detail[:160], "muted"))
        if fault.active:
            buttons = []
            if fault.status == "open":
                ack = button(tr("确认收到"), name=f"ack_{fault.id}")
                ack.clicked.connect(lambda _=False, f=fault: self.acknowledge(f.id))
                buttons.append(ack)
            resolve = button(tr("已处理…"), "primary", name=f"resolve_{fault.id}")
            resolve.clicked.connect(lambda _=False, f=fault: self.shell.overlays.open(ResolveDialog(self, f)))
            buttons.append(resolve)
            card.body.addLayout(hbox(*buttons, spacing=16))
        return card

    def _handover_card(self, handover) -> Card:
        absence = handover.absence
        card = Card(tr("交接：您不在岗期间的故障处理"), "where")
        card.setObjectName(f"handover_{absence.id}")
        card.body.addWidget(label(tr("{span}（{reason}）").format(span=absence.span_text(), reason=absence.reason), "body"))
        for line in handover.summary_lines(self.names):
            card.body.addWidget(label("· " + line, "body"))
        read = button(tr("已阅"), "primary", name=f"handoverRead_{absence.id}")
        read.clicked.connect(lambda _=False, a=absence.id: self.acknowledge_handover(a))
        card.body.addLayout(hbox(read, None))
        return card

    def acknowledge(self, fault_id: int) -> None:
        operations.run(
            self.shell.pools.db, self.app.devices.acknowledge_fault, fault_id, self.session,
            on_success=lambda f: (self.say(tr("已确认：{title}").format(title=fault_title(f))), self.load_faults()),
            on_failure=self._refused, owner=self,
        )

    def resolve(self, fault_id: int, note: str, dialog: ResolveDialog) -> None:
        def done(fault) -> None:
            self.shell.overlays.close_all()
            self.say(tr("已记录处理完成：{title}（{note}）").format(title=fault_title(fault), note=fault.note))
            self.load_faults()

        operations.run(
            self.shell.pools.db, self.app.devices.resolve_fault, fault_id, self.session, note,
            on_success=done, on_failure=lambda exc: dialog.failed(refusal_text(exc, tr("未能保存，请重试"))), owner=self,
        )

    def acknowledge_handover(self, absence_id: int) -> None:
        operations.run(
            self.shell.pools.db, self.services.acknowledge_handover, absence_id, self.session,
            on_success=lambda _: (self.say(tr("交接已阅")), self.load_faults()), on_failure=self._refused, owner=self,
        )

    def _refused(self, exc) -> None:
        self.say(refusal_text(exc, tr("操作未完成，请重试")), ok=False)
        self.load_faults()

    # --- devices ------------------------------------------------------------------------------------

    def load_devices(self) -> None:
        operations.run(self.shell.pools.db, self.app.devices.overview, on_success=self.show_devices,
                       on_failure=lambda exc: self.say(tr("设备状态暂时无法读取"), ok=False), owner=self)

    def show_devices(self, views) -> None:
        self.views = list(views)
        layout = self.page_layouts["devices"]
        clear_layout(layout)
        refresh = button(tr("全部刷新"), "primary", name="refreshDevices")
        refresh.clicked.connect(self.refresh)
        layout.addLayout(hbox(refresh, None))
        for view in self.views:
            layout.addWidget(self._device_card(view))
        layout.addWidget(self._speech_card())
        layout.addStretch(1)

    def _speech_card(self) -> Card:
        """语音播报: the settings and a test that synthesises, measures and plays a sentence."""
        card = Card(tr("语音播报"))
        card.setObjectName("device_speech")
        settings = self.services.config.speech
        if self.shell.speech.enabled:
            state = tr("已开启 · 语音 {voice} · 音量 {volume} · 语速 {rate}").format(
                voice=settings.voice, volume=settings.volume, rate=settings.rate
            )
        else:
            state = tr("已关闭（配置 speech.enabled，或本机未安装 espeak-ng）")
        card.body.addWidget(label(state, "body"))
        self.speech_result = label("", "body")
        self.speech_result.setObjectName("speechTestResult")
        self.speech_result.hide()  # until a test has something to say
        card.body.addWidget(self.speech_result)
        test = button(tr("语音测试"), name="speechTest")
        test.setEnabled(self.shell.speech.enabled)
        test.clicked.connect(self.test_speech)
        card.body.addLayout(hbox(test, None))
        return card

    def test_speech(self) -> None:
        from kiosk.speech import self_test

        self.speech_result.setText(tr("正在合成…"))
        self.speech_result.show()

        def failed(exc) -> None:
            self.speech_result.setText(tr("语音测试失败：{reason}").format(reason=refusal_text(exc, str(exc))))

        operations.run(
            self.shell.pools.devices, self_test, self.shell.speech.speaker,
            on_success=lambda check: self.speech_result.setText(check.text_zh()), on_failure=failed, owner=self,
        )

    def _device_card(self, view) -> Card:
        reading = view.reading
        card = Card(view.label_zh)
        card.setObjectName(f"device_{view.device}")
        severity = reading.severity if reading else "info"
        state = i18n.state_text(reading.message_zh) if reading else tr("尚未检测")
        row = QHBoxLayout()
        row.addWidget(label(tr("当前状态"), "body"))
        state_chip = chip(state, SEVERITY_CHIPS.get(severity, "optional"))
        state_chip.setObjectName(f"deviceState_{view.device}")
        row.addWidget(state_chip)
        row.addStretch(1)
        card.body.addLayout(row)
        if reading is not None:
            when = f"{reading.read_at:%H:%M:%S}" if reading.read_at else "—"
            raw = dict(reading.raw)
            if view.device == "printer":
                # The printer's state as faults in words, each with the usual fix; the bytes it
                # answered only under 详细信息 (for the vendor's hotline).
                faults = [c for c in reading.conditions if c.severity in ("warning", "error")]
                if faults:
                    for condition in faults:
                        fix = kind_info(condition.kind).fix_zh
                        message = i18n.state_text(condition.message_zh)
                        line = label(tr("· {message}：{fix}").format(message=message, fix=tr(fix)) if fix else f"· {message}",
                                     "warning" if condition.severity == "error" else "body")
                        line.setObjectName(f"printerFault_{condition.kind}")
                        card.body.addWidget(line)
                else:
                    card.body.addWidget(label(tr("打印机正常，纸量充足（{when} 检测）").format(when=when), "body"))
                replies = tr("，").join(f"{k} = {v}" for k, v in raw.items() if k.startswith(("DLE", "GS", "status")))
                details = label(
                    tr("状态回复：{replies}（{when} 读取）").format(replies=replies or "—", when=when)
                    + (("\n" + tr("连接：{uri} · 型号配置：{profile}").format(uri=raw["uri"], profile=raw.get("profile", "")))
                       if raw.get("uri") else ""),
                    "muted",
                )
                details.setObjectName("printerDetails")
                details.hide()
                toggle = button(tr("详细信息"), name="printerDetailsToggle")
                toggle.setCheckable(True)
                toggle.toggled.connect(details.setVisible)
                card.body.addLayout(hbox(toggle, None))
                card.body.addWidget(details)
            elif view.device == "card_reader":
                sam = tr(" · 安全模块 {sam}").format(sam=raw["sam_id"]) if raw.get("sam_id") else ""
                card.body.addWidget(label(tr("连接：{uri}{sam} · {when} 检测").format(uri=raw.get("uri", ""), sam=sam, when=when), "body"))
            elif view.device == "scanner":
                card.body.addWidget(label(tr("连接：{uri} · 已扫码 {n} 次 · {when} 检测").format(
                    uri=raw.get("uri", ""), n=raw.get("codes", "0"), when=when), "body"))
            elif view.device == "disk" and "free_mb" in raw:
                free, total = int(raw["free_mb"]) * 1024 * 1024, int(raw.get("total_mb", 0)) * 1024 * 1024
                card.body.addWidget(label(tr("剩余 {free}（共 {total}） · {when} 检测").format(
                    free=human_bytes(free), total=human_bytes(total), when=when), "body"))
            else:
                card.body.addWidget(label(tr("{when} 检测").format(when=when) + (f" · {raw['backend']}" if raw.get("backend") else ""), "body"))
            if reading.detail:
                card.body.addWidget(label(reading.detail[:160], "muted"))
        counts = []
        if view.device == "printer":
            counts.append(tr("已打印凭条 {n} 张").format(n=view.counters.get("slips_printed", 0)))
            counts.append(tr("测试页 {n} 张").format(n=view.counters.get("test_pages", 0)))
        if view.device == "card_reader":
            counts.append(tr("读卡成功 {n} 次").format(n=view.counters.get("reads_ok", 0)))
            counts.append(tr("读卡失败 {n} 次").format(n=view.counters.get("reads_failed", 0)))
            counts.append(tr("未放证 {n} 次").format(n=view.counters.get("no_card", 0)))
        counts.append(tr("本周故障 {n} 次").format(n=view.faults_this_week))
        card.body.addWidget(label(" · ".join(counts), "body"))
        if view.active_faults:
            card.body.addWidget(label(tr("未处理：") + tr("、").join(f"#{f.id} {tr(f.kind_zh)}" for f in view.active_faults), "warning"))
        if view.device == "printer":
            test = button(tr("打印测试页"), name="printTestPage")
            test.clicked.connect(self.print_test_page)
            reconnect = button(tr("重新连接"), name="reconnectPrinter")
            reconnect.clicked.connect(lambda: self.reconnect("printer"))
            card.body.addLayout(hbox(test, reconnect, None, spacing=16))
        if view.device == "card_reader":
            test = button(tr("测试读卡"), name="testReadCard")
            test.clicked.connect(self.test_read_card)
            reconnect = button(tr("重新连接"), name="reconnectCardReader")
            reconnect.clicked.connect(lambda: self.reconnect("card_reader"))
            card.body.addLayout(hbox(test, reconnect, None, spacing=16))
        return card

    def refresh(self) -> None:
        self.say(tr("正在检测…"))
        operations.run(
            self.shell.pools.devices, self.app.devices.refresh, self.session,
            on_success=lambda views: (self.say(tr("已刷新")), self.show_devices(views)),
            on_failure=self._device_failed, owner=self,
        )

    def print_test_page(self) -> None:
        self.shell.overlays.show_busy(tr("正在打印测试页…"))

        def done(outcome) -> None:
            self.shell.overlays.close_all()
            if outcome.ok:
                self.say(tr("测试页已打印，请检查打印效果。") + (outcome.warning or ""))
            else:
                self.say(tr("测试页未打印：{reason}").format(reason=outcome.printer_message or outcome.message), ok=False)
            self.load_devices()

        def failed(exc) -> None:
            self.shell.overlays.close_all()
            self._device_failed(exc)

        operations.run(self.shell.pools.devices, self.app.devices.print_test_page, self.session,
                       on_success=done, on_failure=failed, owner=self)

    def reconnect(self, device: str = "printer") -> None:
        label_zh = tr("打印机") if device == "printer" else tr("读卡器")
        self.say(tr("正在重新连接{device}…").format(device=label_zh))

        def done(reading) -> None:
            state = i18n.state_text(reading.message_zh) if reading else tr("未知")
            self.say(tr("已重新连接，{device}状态：{state}").format(device=label_zh, state=state), ok=bool(reading and reading.usable))
            self.load_devices()

        operations.run(self.shell.pools.devices, self.app.devices.reconnect, device, self.session,
                       on_success=done, on_failure=self._device_failed, owner=self)

    def test_read_card(self) -> None:
        """A test read with a card on the reader: the card shown masked, stored nowhere."""
        self.say(tr("请把身份证放在读卡区，正在读卡…"))

        def done(result) -> None:
            read, shown = result
            if shown is not None:
                problems = "" if shown["problems"] == "none" else tr("（注意：{p}）").format(p=shown["problems"])
                self.say(tr("读卡成功：{name} · {sex} · {nation}族 · {number} · 有效期 {valid} · {s} 秒{problems}").format(
                    name=shown["name"], sex=tr(shown["sex"]), nation=shown["nation"], number=shown["id_number"],
                    valid=shown["valid"], s=f"{read.seconds:.1f}", problems=problems))
            else:
                self.say(tr("读卡未成功：{advice}（{kind}）").format(advice=tr(read.advice_zh), kind=read.kind.value), ok=False)
            self.load_devices()

        operations.run(self.shell.pools.devices, self.services.idcard_test_read, self.session,
                       on_success=done, on_failure=self._device_failed, owner=self)

    def _device_failed(self, exc) -> None:
        self.say(refusal_text(exc, tr("操作未完成：{error}").format(error=str(exc)[:80])), ok=False)

    # --- this terminal --------------------------------------------------------------------------------

    def load_info(self) -> None:
        operations.run(self.shell.pools.db, self.app.devices.terminal_info, on_success=self.show_info,
                       on_failure=lambda exc: self.say(tr("本机信息暂时无法读取"), ok=False), owner=self)

    def show_info(self, info) -> None:
        self.info = info
        layout = self.page_layouts["info"]
        clear_layout(layout)
        card = Card(tr("本机"))
        card.setObjectName("terminalInfo")
        rows = [
            (tr("软件版本"), info.version),
            (tr("终端"), tr("{name}（{id}，{zone}）").format(
                name=info.terminal_name, id=info.terminal_id, zone=tr("24小时自助区") if info.zone == "24h" else tr("大厅"))),
            (tr("已运行"), human_duration(info.uptime) + tr("（自 {t} 起）").format(t=f"{info.started_at:%m-%d %H:%M}")),
            (tr("数据库大小"), human_bytes(info.database_bytes)),
            (tr("剩余磁盘空间"), f"{human_bytes(info.disk_free_bytes)} / {human_bytes(info.disk_total_bytes)}"),
            (tr("设备巡检"), (tr("运行中") if info.monitor_running else tr("未运行"))
             + (tr("，最近 {t}").format(t=f"{info.last_poll:%H:%M:%S}") if info.last_poll else "")),
            (tr("故障通知"), info.notifications),
        ]
        if info.restart_pending:  # the center's settings this running kiosk cannot take (docs/fleet.md)
            rows.append((tr("待重启生效"), tr("中心下发的以下设置将在本机下次启动后生效：{keys}").format(
                keys=tr("、").join(config_label(k) for k in info.restart_pending))))
        card.body.addLayout(self._rows(rows))
        layout.addWidget(card)
        center = info.from_center  # set by the center (docs/fleet.md): marked ◆
        config = Card(tr("配置（密码、密钥已隐藏；◆ 为中心下发）") if center else tr("配置（密码、密钥已隐藏）"))
        config.setObjectName("terminalConfig")
        # In plain Chinese (kiosk/config_labels.py); the file's key small after it, for the vendor.
        config.body.addLayout(self._rows(
            [(f"{config_label(k)}\n{k}{' ◆' if k in center else ''}", value_text(k, v))
             for k, v in info.configuration.items()], small=True))
        layout.addWidget(config)
        # Leaving the kiosk is the last thing on the page, behind a confirmation.
        if self.session is not None and self.session.is_admin:
            leave = button(tr("退出到桌面…"), "help", name="leaveToDesktop")
            leave.clicked.connect(self.confirm_leave)
            layout.addLayout(hbox(leave, None))
        else:
            note = label(tr("只有管理员可以退出到桌面。"), "muted")
            note.setObjectName("leaveAdminsOnly")
            layout.addWidget(note)
        layout.addStretch(1)

    @staticmethod
    def _rows(rows, small: bool = False) -> QGridLayout:
        grid = QGridLayout()
        grid.setHorizontalSpacing(20)
        grid.setVerticalSpacing(8)
        for index, (key, value) in enumerate(rows):
            key_label = label(key, "muted" if small else "body")
            if not small:
                key_label.setWordWrap(False)
            value_label = label(value, "muted" if small else "body")
            value_label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
            grid.addWidget(key_label, index, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(value_label, index, 1)
        grid.setColumnStretch(1, 1)
        return grid

    def confirm_leave(self) -> None:
        self.shell.overlays.show_message(
            "confirmLeave", tr("退出到桌面？"), tr("终端程序将关闭，群众将无法使用本机，直到重新启动终端程序。"),
            buttons=(
                ("cancelButton", tr("取消"), "", self.shell.overlays.close_all),
                ("confirmLeaveButton", tr("退出到桌面"), "help", self.leave_to_desktop),
            ),
        )

    def leave_to_desktop(self) -> None:
        def done(_) -> None:
            log.warning("leaving the kiosk for the desktop: %s", self.session.staff_id if self.session else "?")
            self.shell.overlays.close_all()
            self.shell.close_for_good()

        operations.run(self.shell.pools.db, self.app.staff.leave_to_desktop, self.session,
                       on_success=done, on_failure=lambda exc: (self.shell.overlays.close_all(), self._device_failed(exc)),
                       owner=self)
