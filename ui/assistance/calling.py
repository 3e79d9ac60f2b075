"""呼叫帮办 from every screen: the call is raised off the UI thread, and an overlay says
工作人员马上到 with the call number, the wait so far and 取消呼叫. Outside the helpers' hours
([service_hours], kiosk/hours) it says instead that nobody is on duty, gives the hotline, the
center's phone and when staff are back, and lets the citizen leave the call for the morning.

The call belongs to the terminal, not to the screen: it survives moving between screens (the
footer's red button then reads 已呼叫 007 and shows the overlay again) until the citizen
cancels it, a helper takes and ends it, or nobody takes it in time. The inactivity reset clears
the screen but leaves the call open for the helper, who is on the way to this terminal anyway
(a citizen who walked off cannot cancel; one who is still there is found). While the overlay is
up the screen waits ``helpers.waiting_idle_seconds`` before the inactivity warning.

On a terminal of a fleet that knows the center cannot be reached (kiosk/services.py
center_unreachable), the call is still recorded here and shown to the helpers signed in on this
terminal, but nobody else can be told: the overlay then says 网络暂时中断 and sends the citizen to
the 咨询台 if nobody comes, instead of promising 工作人员马上到 (docs/fleet.md).

The controller also has the service raise again, every few seconds, the calls nobody took
(kiosk/assistance tick): no thread of its own, just the database pool.
"""

from __future__ import annotations

import logging

from ui import operations
from ui.i18n import tr
from ui.overlays import Dialog
from ui.qt import QLabel, QObject, Qt, QTimer, Signal
from ui.widgets.basic import label

log = logging.getLogger(__name__)

#: what each screen is called in the helpers' notification (群众所在页面)
SCREEN_LABELS = {
    "home": "首页",
    "browse": "办事指南",
    "search": "搜索事项",
    "item": "事项一次性告知",
    "checklist": "材料预审",
    "progress": "进度查询",
    "selfservice": "本机可办",
    "feedback": "评价建议",
    "rating": "好差评",
}
POLL_MS = 5000  # how often the waiting overlay asks whether a helper took the call
TICK_MS = 20000  # how often the calls nobody took are checked for raising again
DIALOG = "helperCalled"


def _wait_text(seconds: int) -> str:
    minutes, seconds = divmod(max(0, seconds), 60)
    if minutes:
        return tr("已等待 {m} 分 {s} 秒").format(m=minutes, s=seconds)
    return tr("已等待 {s} 秒").format(s=seconds)


class CallController(QObject):
    """The citizen's side of a help call on this terminal: answers the shell's help_requested."""

    #: a call began or stopped waiting (helper mode lengthens the idle time meanwhile)
    waiting_changed = Signal(bool)

    def __init__(self, shell):
        super().__init__(shell)
        self.shell = shell
        self.call = None  # a kiosk.assistance.CallView while this terminal's call is open
        self.busy = False
        self._generation = 0  # bumped by the session reset: late answers of an earlier session are dropped
        self.waited_seconds = 0
        self._second = QTimer(self)
        self._second.timeout.connect(self._count)
        self._poll = QTimer(self)
        self._poll.timeout.connect(self.refresh)
        self._tick = QTimer(self)
        self._tick.timeout.connect(self._tick_service)
        self._tick.start(TICK_MS)
        shell.session_reset.connect(self.forget)
        shell.help_requested.connect(self.call_helper)

    # --- raising -------------------------------------------------------------------------------

    def context(self) -> dict[str, str]:
        """Where the citizen is: the screen and, on an item's screens, the item."""
        name = self.shell.current_name()
        screen = self.shell.current_screen()
        item = screen.context_item() if screen is not None else None
        return {
            "screen": name,
            "screen_label": SCREEN_LABELS.get(name, name),
            "item_code": (item.code if item is not None else "") or "",
            "item_name": (item.name if item is not None else "") or "",
        }

    def call_helper(self) -> None:
        """呼叫帮办 / 呼叫帮办: raise the call (or show the one already waiting)."""
        if self.call is not None:
            self.show()
            self.refresh()
            return
        if self.busy:
            return
        self.busy = True
        self.shell.overlays.show_busy(tr("正在呼叫帮办…"))
        generation = self._generation
        # First whether anyone is on duty (kiosk/hours): at night or on a holiday nobody comes,
        # and the screen says so rather than 工作人员马上到.
        # A call pressed for stands even if the session is reset meanwhile (the helper comes).
        operations.run(
            self.shell.pools.db, self.shell.services.help_answer,
            on_success=lambda answer: self._answered(answer, generation),
            on_failure=lambda exc: self._raise(generation), owner=self,
        )

    def _answered(self, answer, generation: int) -> None:
        if answer.on_duty:
            self._raise(generation)
        elif generation == self._generation:
            self.busy = False
            self.show_after_hours(answer)

    def _raise(self, generation: int) -> None:
        operations.run(
            self.shell.pools.db, self.shell.app.assistance.raise_call, **self.context(),
            on_success=lambda result: self._raised(result) if generation == self._generation else None,
            on_failure=lambda exc: self._not_raised(exc) if generation == self._generation else None, owner=self,
        )

    # --- outside the helpers' hours ----------------------------------------------------------------

    def show_after_hours(self, answer) -> None:
        """Nobody on duty: say so, give the hotline, the center's phone and when staff are back,
        and let the citizen leave the call for the morning."""
        from kiosk.config_labels import weekdays_text
        from kiosk.hours import periods_text

        hours = self.shell.config.service_hours
        lines = [
            tr("帮办人员在岗时间：{days} {periods}（法定节假日除外）").format(
                days=weekdays_text(hours.weekdays), periods=periods_text(hours.periods)),
            tr("您可以："),
        ]
        if answer.back_at:
            lines.append(tr("· {when} 以后工作人员在岗，可以再来").format(when=answer.back_at))
        lines.append(tr("· 拨打政务服务便民热线 {hotline}（全天）").format(hotline=answer.hotline))
        if answer.center_phone:
            lines.append(tr("· 中心咨询电话 {phone}（上班时间）").format(phone=answer.center_phone))
        lines.append(tr("· 登记这次呼叫，上班后帮办人员会看到"))
        self.shell.overlays.show_message(
            "helperAfterHours", tr("现在没有帮办人员值班"), "\n".join(lines),
            buttons=(
                ("deferCall", tr("登记呼叫"), "", lambda: self.defer(answer)),
                ("closeButton", tr("知道了"), "primary", self.shell.overlays.close_all),
            ),
        )

    def defer(self, answer) -> None:
        """The citizen leaves the call for the morning (kiosk/assistance defer_call)."""
        self.shell.overlays.show_busy(tr("正在登记…"))
        generation = self._generation

        def done(call) -> None:
            if generation != self._generation:
                return
            if answer.back_at:
                text = tr("呼叫号 {number} 已登记。上班后（{when}）帮办人员会看到这条记录。\n本机无法给您回电；需要答复请拨 {hotline}。")
            else:
                text = tr("呼叫号 {number} 已登记。上班后帮办人员会看到这条记录。\n本机无法给您回电；需要答复请拨 {hotline}。")
            self.shell.overlays.show_message(
                "helperDeferred", tr("已登记"), text.format(number=call.number, when=answer.back_at, hotline=answer.hotline),
                role="big",
            )

        operations.run(self.shell.pools.db, self.shell.app.assistance.defer_call, **self.context(),
                       on_success=done, on_failure=self._not_raised, owner=self)

    def _raised(self, result) -> None:
        self.busy = False
        if self.shell.overlays.dialog_name() == "busy":
            self.shell.overlays.close_all()
        self.call = result.call
        self.waited_seconds = 0  # refresh() below counts a call shown again from when it was raised
        self._second.start(1000)
        self._poll.start(POLL_MS)
        self._update_idle()
        self._update_button()
        self.show()
        self.refresh()

    def _not_raised(self, exc) -> None:
        self.busy = False
        log.error("help call not raised: %s", exc)
        self.shell.overlays.show_message(
            "helperCallFailed", tr("呼叫暂未发出"),
            tr("本机暂时无法呼叫帮办。请到一楼综合咨询台，穿红马甲的帮办代办人员会免费为您服务。")
            + (("\n" + tr("中心咨询电话：{phone}").format(phone=self.shell.center.phone)) if self.shell.center.phone else ""),
            role="big",
        )

    # --- the overlay ----------------------------------------------------------------------------

    def dialog(self) -> Dialog | None:
        overlays = self.shell.overlays
        return overlays.dialog if overlays.dialog_name() == DIALOG else None

    def show(self) -> None:
        if self.call is None:
            return
        dialog = Dialog(DIALOG, tr("工作人员马上到"), "", "big")
        number = QLabel(tr("呼叫号 {number}").format(number=self.call.number))
        number.setObjectName("callNumber")
        number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        number.setStyleSheet(f"font-size: {round(self.shell.theme.title_px * 1.6)}px; font-weight: bold; color: #b3261e;")
        dialog.layout_.insertWidget(1, number)
        dialog.wait = label("", "body")
        dialog.wait.setObjectName("callWait")
        dialog.wait.setAlignment(Qt.AlignmentFlag.AlignCenter)
        dialog.layout_.addWidget(dialog.wait)
        dialog.advice = label(tr("如果久等无人，请到一楼综合咨询台。"), "muted")
        dialog.advice.setObjectName("callAdvice")
        dialog.advice.setAlignment(Qt.AlignmentFlag.AlignCenter)
        dialog.layout_.addWidget(dialog.advice)
        dialog.add_buttons(
            ("cancelCall", tr("取消呼叫"), "", self.cancel),
            ("keepBrowsing", tr("继续浏览"), "primary", self.shell.overlays.close_all),
        )
        self.shell.overlays.open(dialog)
        self._show_state()

    def _show_state(self) -> None:
        """The overlay's words for the call's state, every second: a helper took it; or it waits
        and the helpers were told; or it waits and, the center being out of reach, only this
        terminal knows of it."""
        dialog = self.dialog()
        if dialog is None or self.call is None:
            return
        offline = self.call.status != "taken" and self.shell.services.center_unreachable()
        dialog.title.setText(tr("网络暂时中断") if offline else tr("工作人员马上到"))
        if self.call.status == "taken":
            dialog.text.setText(tr("工作人员已接单，正在赶来，请在这里稍候。"))
        elif offline:
            dialog.text.setText(tr("呼叫已在本机登记，但暂时通知不到大厅的帮办人员。"))
        else:
            dialog.text.setText(tr("已通知穿红马甲的帮办人员，请在这里稍候。"))
        dialog.advice.setText(tr("如果没有人来，请到一楼综合咨询台找穿红马甲的帮办人员。") if offline
                              else tr("如果久等无人，请到一楼综合咨询台。"))
        dialog.wait.setText(_wait_text(self.waited_seconds))

    def _count(self) -> None:
        self.waited_seconds += 1
        self._show_state()
        self._update_button()

    def _update_button(self) -> None:
        if self.call is None:
            self.shell.set_help_button_text()
        elif self.call.status == "taken":
            self.shell.set_help_button_text(tr("已接单 {number}").format(number=self.call.number))
        else:
            self.shell.set_help_button_text(tr("已呼叫 {number}").format(number=self.call.number))

    # --- following the call ------------------------------------------------------------------------

    def refresh(self) -> None:
        if self.call is None:
            return
        operations.run(self.shell.pools.db, self.shell.app.assistance.call, self.call.id,
                       on_success=self._refreshed, on_failure=lambda exc: None, owner=self)

    def _refreshed(self, call) -> None:
        if self.call is None or call.id != self.call.id:
            return
        self.call = call
        now_wait = int(call.waited(self.shell.app.assistance.clock()).total_seconds())
        if call.status in ("open", "taken"):
            if call.status == "open":
                self.waited_seconds = now_wait
            self._show_state()
            self._update_button()
            return
        ended, self.call = call, None
        self._stop()
        if ended.status == "expired" and self.dialog() is not None:
            self.shell.overlays.show_message(
                "helperCallExpired", tr("暂时没有工作人员接单"),
                tr("请到一楼综合咨询台，穿红马甲的帮办代办人员会免费为您服务。"), role="big",
            )
        elif self.dialog() is not None:
            self.shell.overlays.close_all()

    def cancel(self) -> None:
        call, self.call = self.call, None
        self._stop()
        self.shell.overlays.close_all()
        if call is None:
            return
        operations.run(self.shell.pools.db, self.shell.app.assistance.cancel_call, call.id,
                       on_success=lambda _: None, on_failure=lambda exc: log.error("cancel failed: %s", exc), owner=self)
        self.shell.overlays.show_message("helperCallCancelled", tr("已取消呼叫"), tr("如需帮助，可随时再点“呼叫帮办”。"),
                                         role="big", auto_close_seconds=5)

    def _stop(self) -> None:
        self._second.stop()
        self._poll.stop()
        self.waited_seconds = 0
        self._update_button()
        self._update_idle()

    def forget(self) -> None:
        """The session ended: the screen forgets the call; the call stays open for the helper."""
        if self.call is not None:
            log.info("session reset: call %s stays open for the helper", self.call.number)
        self.call = None
        self.busy = False
        self._generation += 1
        self._stop()

    def _update_idle(self) -> None:
        self.waiting_changed.emit(self.waiting)

    @property
    def waiting(self) -> bool:
        return self.call is not None

    # --- raising again ------------------------------------------------------------------------------

    def _tick_service(self) -> None:
        operations.run(self.shell.pools.db, self.shell.app.assistance.tick,
                       on_success=lambda report: None, on_failure=lambda exc: log.error("helper tick failed: %s", exc),
                       owner=self)
