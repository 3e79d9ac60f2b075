"""Printing from a screen: preview, print off the UI thread, then tell the citizen what next.

A failure never leaves the citizen stuck: it says what is wrong in plain words and what to do
instead (scan the QR code with a phone, go to the window, call a helper).

``PrintFlow.start(item, missing)`` prints an item's notice; ``PrintFlow.run(job)`` prints any
slip described by a ``PrintJob``: how to make the slip (read from the database and laid out on
the database pool), how to print it (on the device pool, which never reads the database), and
what the citizen can do instead when it cannot print. The slip is made again for printing, so
it carries the time it was printed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from kiosk import i18n as domain_i18n
from ui import i18n, operations
from ui.i18n import state_text as tr_state, tr
from ui.widgets.qr import pil_to_pixmap

SUCCESS_CLOSE_SECONDS = 12


@dataclass(frozen=True)
class PrintJob:
    #: the slip's name, the preview's title
    title: str
    #: run on the database pool: the slip (a Document), read and laid out
    document: Callable[[], Any]
    #: run on the device pool with the slip: print it, return a PrintOutcome (None: print it
    #: once, services.print_document)
    print: Callable[[Any], Any] | None = None
    #: what the citizen can do instead when it cannot print ("· …" lines, before the helper)
    alternatives: tuple[str, ...] = ()
    #: the session's language when the job was made (PrintFlow.run fills it in): the slip is
    #: built in it on the worker, whatever the UI switches to meanwhile
    language: str = ""


class PrintFlow:
    def __init__(self, shell):
        self.shell = shell
        self.item = None
        self.missing: tuple[str, ...] = ()
        self.job: PrintJob | None = None

    @property
    def overlays(self):
        return self.shell.overlays

    def start(self, item, missing=(), *, preview: bool = True) -> None:
        self.item, self.missing = item, tuple(missing)
        self.run(self._notice_job(item, self.missing), preview=preview)

    def run(self, job: PrintJob, *, preview: bool = True) -> None:
        if not job.language:
            job = replace(job, language=i18n.current_language())
        self.job = job
        if not self.shell.printer_ready:
            self._show_failure(tr_state(self.shell.printer_message) or tr("打印机不可用"))
            return
        if not preview:
            self.print_now()
            return
        self.overlays.show_busy(tr("正在生成凭条…"))
        failed = lambda exc: self._show_failure(tr("凭条生成失败"))  # noqa: E731
        operations.run(
            self.shell.pools.db,
            partial(self._in_language, job, job.document),
            on_success=lambda document: operations.run(
                self.shell.pools.devices, self.shell.services.preview_document, document,
                on_success=self._show_preview, on_failure=failed, owner=self.shell,
            ),
            on_failure=failed,
            owner=self.shell,
        )

    def _in_language(self, job: PrintJob, work: Callable[[], Any]):
        """On the database pool: ``work`` (reading and laying out the slip) in the job's language,
        where the printer can print it; the device pool then only previews or prints it."""
        with domain_i18n.in_language(self.shell.services.slip_language(job.language)):
            return work()

    def forget(self) -> None:
        """Drop what was to be printed (the session ended)."""
        self.item, self.missing, self.job = None, (), None

    def _notice_job(self, item, missing: tuple[str, ...]) -> PrintJob:
        return PrintJob(
            title=tr("补正材料清单") if missing else tr("一次性告知单"),
            document=partial(self.shell.services.notice_document, item.code, list(missing)),
            alternatives=self._notice_alternatives(item),
        )

    def _title(self) -> str:
        return self.job.title if self.job is not None else ""

    def _show_preview(self, image) -> None:
        self.overlays.show_preview(self._title(), pil_to_pixmap(image), self.print_now)

    def print_now(self) -> None:
        if self.job is None:
            return
        job = self.job
        self.overlays.show_busy(tr("正在打印，请稍候…"), tr("打印约需几秒钟，请不要离开。"))
        failed = lambda exc: self._show_failure(tr("打印机出现故障"))  # noqa: E731
        operations.run(
            self.shell.pools.db,
            partial(self._in_language, job, job.document),
            on_success=lambda document: operations.run(
                self.shell.pools.devices, job.print or self.shell.services.print_document, document,
                on_success=self._done, on_failure=failed, owner=self.shell,
            ),
            on_failure=failed,
            owner=self.shell,
        )

    def _done(self, outcome) -> None:
        self.shell.set_printer_state(outcome.printer_ready, outcome.printer_message)
        if not outcome.ok:
            self._show_failure(tr_state(outcome.printer_message), tr(outcome.message))
            return
        text = tr("请取走凭条。")
        if outcome.warning:
            text += "\n" + tr(outcome.warning)
        self.overlays.show_message(
            "printed", tr("打印完成"), text, role="big", auto_close_seconds=SUCCESS_CLOSE_SECONDS
        )
        item = self.item  # the notice's item; None for other slips
        self.shell.offer_rating("print", item_code=item.code if item else "", item_name=item.name if item else "")

    @staticmethod
    def _notice_alternatives(item) -> tuple[str, ...]:
        options = [tr("· 用手机扫描事项页上的二维码查看全部内容")]
        if item is not None and item.in_center and item.windows:
            window = item.windows[0]
            options.append(tr("· 到 {number} 号窗口（{zone}）咨询，工作人员会一次性告知").format(number=window.number, zone=window.zone or tr("大厅")))
        else:
            options.append(tr("· 到综合咨询台请工作人员打印"))
        return tuple(options)

    def _show_failure(self, reason: str, advice: str = "") -> None:
        options = list(self.job.alternatives if self.job is not None else self._notice_alternatives(self.item))
        options.append(tr("· 点“呼叫帮办”，红马甲工作人员会来帮您"))
        if advice:
            text = tr("打印暂不可用：{reason}。{advice}。").format(reason=reason.rstrip("。. "), advice=advice.rstrip("。. "))
        else:
            text = tr("打印暂不可用：{reason}。").format(reason=reason.rstrip("。. "))
        text += "\n" + tr("您可以：") + "\n" + "\n".join(options)

        def call() -> None:
            self.overlays.close_all()
            self.shell.call_helper()

        self.overlays.show_message(
            "printFailed",
            tr("打印暂不可用"),
            text,
            buttons=(
                ("failureHelper", tr("呼叫帮办"), "help", call),
                ("closeButton", tr("知道了"), "primary", self.overlays.close_all),
            ),
        )
