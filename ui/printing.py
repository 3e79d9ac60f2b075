"""Printing from a screen: preview, print off the UI thread, then tell the citizen what next.

A failure never leaves the citizen stuck: it says what is wrong in plain words and what to do
instead (scan the QR code with a phone, go to the window, call a helper).
"""

from __future__ import annotations

from ui import operations
from ui.i18n import tr
from ui.widgets.qr import pil_to_pixmap

SUCCESS_CLOSE_SECONDS = 12


class PrintFlow:
    def __init__(self, shell):
        self.shell = shell
        self.item = None
        self.missing: tuple[str, ...] = ()

    @property
    def overlays(self):
        return self.shell.overlays

    def start(self, item, missing=(), *, preview: bool = True) -> None:
        self.item, self.missing = item, tuple(missing)
        if not self.shell.printer_ready:
            self._show_failure(self.shell.printer_message or tr("打印机不可用"))
            return
        if not preview:
            self.print_now()
            return
        self.overlays.show_busy(tr("正在生成凭条…"))
        operations.run(
            self.shell.pools.devices,
            self.shell.services.preview_notice,
            item.code,
            list(self.missing),
            on_success=self._show_preview,
            on_failure=lambda exc: self._show_failure(tr("凭条生成失败")),
            owner=self.shell,
        )

    def _title(self) -> str:
        return tr("补正材料清单") if self.missing else tr("一次性告知单")

    def _show_preview(self, image) -> None:
        self.overlays.show_preview(self._title(), pil_to_pixmap(image), self.print_now)

    def print_now(self) -> None:
        self.overlays.show_busy(tr("正在打印，请稍候…"), tr("打印约需几秒钟，请不要离开。"))
        operations.run(
            self.shell.pools.devices,
            self.shell.services.print_notice,
            self.item.code,
            list(self.missing),
            on_success=self._done,
            on_failure=lambda exc: self._show_failure(tr("打印机出现故障")),
            owner=self.shell,
        )

    def _done(self, outcome) -> None:
        self.shell.set_printer_state(outcome.printer_ready, outcome.printer_message)
        if not outcome.ok:
            self._show_failure(outcome.printer_message, outcome.message)
            return
        text = tr("请取走凭条。")
        if outcome.warning:
            text += "\n" + outcome.warning
        self.overlays.show_message(
            "printed", tr("打印完成"), text, role="big", auto_close_seconds=SUCCESS_CLOSE_SECONDS
        )

    def _show_failure(self, reason: str, advice: str = "") -> None:
        options = [tr("· 用手机扫描事项页上的二维码查看全部内容")]
        item = self.item
        if item is not None and item.in_center and item.windows:
            window = item.windows[0]
            options.append(tr("· 到 {number} 号窗口（{zone}）咨询，工作人员会一次性告知").format(number=window.number, zone=window.zone or tr("大厅")))
        else:
            options.append(tr("· 到综合咨询台请工作人员打印"))
        options.append(tr("· 点“呼叫工作人员”，红马甲工作人员会来帮您"))
        text = tr("打印暂不可用：{reason}。").format(reason=reason.rstrip("。"))
        if advice:
            text += advice
        text += "\n" + tr("您可以：") + "\n" + "\n".join(options)

        def call() -> None:
            self.overlays.close_all()
            self.shell.call_helper()

        self.overlays.show_message(
            "printFailed",
            tr("打印暂不可用"),
            text,
            buttons=(
                ("failureHelper", tr("呼叫工作人员"), "help", call),
                ("closeButton", tr("知道了"), "primary", self.overlays.close_all),
            ),
        )
