"""Helper mode (帮办模式): a red-vest helper signed in on the terminal, beside the citizen.

Sign-in is the staff PIN pad (ui/staff: hold the emblem 3 s). A helper without the maintainer
role comes here; someone with both roles chooses. Unlike maintainer mode the citizen's screens
stay usable — the helper assists on them — with a dark orange bar across the top naming the
helper (never seen by citizens alone), and helper-only actions on the item screen: 打印多份 and
全部窗口信息. 退出, or the inactivity reset (after staff.session_idle_seconds), signs the helper
out and clears everything on the screen, the proxy form included.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

from ui import operations
from ui.i18n import tr
from ui.overlays import Dialog
from ui.assistance.calling import CallController
from ui.printing import PrintFlow, PrintJob
from ui.qt import QFrame, QHBoxLayout, QObject, Qt, QVBoxLayout, QWidget, Signal
from ui.theme import STAFF_BAR_COLOUR
from ui.widgets.basic import button, clear_layout, label

log = logging.getLogger(__name__)

HELPER_ROLE_LABEL = "帮办人员"
COPIES = (2, 3, 4, 5)


def is_helper(session) -> bool:
    return session is not None and "helper" in session.roles


class HelperMode(QObject):
    """A helper signed in: the bar, the helper-only actions on the item screen, the idle time.

    ``calls`` is the terminal's CallController (a citizen waiting for a helper keeps the screen
    longer); ``maintaining`` says whether maintainer mode is on (it manages its own idle time).
    """

    changed = Signal(bool)  # signed in (True) or out

    def __init__(self, shell, calls: CallController, *, maintaining: Callable[[], bool]):
        super().__init__(shell)
        self.shell = shell
        self.calls = calls
        self.maintaining = maintaining
        self.session = None
        self.item_screen = None
        self.printing = PrintFlow(shell)
        self._build_bar()
        self._build_item_actions()
        shell.session_reset.connect(self._session_reset)
        calls.waiting_changed.connect(self._waiting_changed)

    # --- the bar and the helper-only actions ------------------------------------------------------

    def _build_bar(self) -> None:
        self.bar = QWidget()
        self.bar.setObjectName("helperBar")
        self.bar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.bar.setStyleSheet(
            f"QWidget#helperBar {{ background: {STAFF_BAR_COLOUR}; }} QWidget#helperBar QLabel {{ color: white; }}"
        )
        layout = QHBoxLayout(self.bar)
        layout.setContentsMargins(28, 10, 28, 10)
        layout.setSpacing(14)
        self.bar_label = label("", "big")
        self.bar_label.setObjectName("helperBarLabel")
        layout.addWidget(self.bar_label, 1)
        self.desk_button = button(tr("帮办台"), name="helperDesk")
        self.desk_button.clicked.connect(lambda: self.shell.go("helper"))
        layout.addWidget(self.desk_button)
        self.exit_button = button(tr("退出"), name="helperExit")
        self.exit_button.clicked.connect(lambda: self.sign_out("button"))
        layout.addWidget(self.exit_button)
        self.bar.hide()
        self._place_bar()

    def _place_bar(self) -> None:
        """Portrait: a bar under the header, over every screen. Landscape, where height is
        short: inside the header, which turns the staff colour (no screen loses height)."""
        self.shell.place_mode_bar(self.bar, active=self.session is not None)

    def _build_item_actions(self) -> None:
        self.item_actions = QFrame()
        self.item_actions.setObjectName("helperItemActions")
        self.item_actions.setStyleSheet(
            f"QFrame#helperItemActions {{ border: 3px solid {STAFF_BAR_COLOUR}; border-radius: 12px; }}"
        )
        row = QHBoxLayout(self.item_actions)
        row.setContentsMargins(14, 8, 14, 8)
        row.setSpacing(14)
        caption = label(tr("帮办人员："), "body")
        caption.setWordWrap(False)
        row.addWidget(caption)
        self.copies_button = button(tr("打印多份"), name="helperPrintCopies")
        self.copies_button.clicked.connect(self.ask_copies)
        self.windows_button = button(tr("全部窗口信息"), name="helperAllWindows")
        self.windows_button.clicked.connect(self.show_windows)
        row.addWidget(self.copies_button)
        row.addWidget(self.windows_button)
        row.addStretch(1)
        self.item_actions.hide()

    def attach_to_item_screen(self, screen) -> None:
        """The item screen was built: the helper-only actions go under its own buttons."""
        self.item_screen = screen
        screen.add_actions(self.item_actions)

    # --- signing in and out ---------------------------------------------------------------------

    def takes(self, session, *, maintain: Callable[[], None]) -> bool:
        """Asked by the staff sign-in (ui/staff/entry.py) before maintainer mode: True when
        helper mode takes over this session (someone with both roles chooses; ``maintain``
        starts maintainer mode)."""
        if not is_helper(session):
            return False
        if session.can_maintain:
            self._choose(session, maintain)
        else:
            self.start(session)
        return True

    def _choose(self, session, maintain: Callable[[], None]) -> None:
        def maintainer() -> None:
            self.shell.overlays.close_all()
            maintain()

        def helpers() -> None:
            self.shell.overlays.close_all()
            self.start(session)

        self.shell.overlays.show_message(
            "staffChooseMode", tr("请选择工作模式"), tr("{name}，您既是帮办人员也是维护人员。").format(name=session.name),
            buttons=(
                ("chooseMaintain", tr("维护模式"), "", maintainer),
                ("chooseHelper", tr("帮办模式"), "primary", helpers),
            ),
        )

    def start(self, session, *, tab: str = "calls") -> None:
        """A helper signed in. The citizen's screens stay as they are (the helper is there to
        help with them); the helper's desk opens."""
        self.shell.overlays.close_all()
        self.session = session
        self.bar_label.setText(tr("帮办模式 — {name}（{role}）").format(name=session.name, role=tr(HELPER_ROLE_LABEL)))
        self.bar.show()
        self._place_bar()
        self.item_actions.show()
        self.update_idle()
        self.changed.emit(True)
        self.shell.go("helper", tab=tab)

    def sign_out(self, reason: str = "button", *, reset: bool = True) -> None:
        session, self.session = self.session, None
        self.bar.hide()
        self._place_bar()
        self.item_actions.hide()
        self.printing.forget()
        if session is not None:
            operations.run(self.shell.pools.db, self.shell.app.staff.sign_out, session, reason)
        self.update_idle()
        self.changed.emit(False)
        if reset:
            self.shell.reset_session()  # nothing typed for a citizen stays (BRIEF §4)

    def _session_reset(self) -> None:
        if self.session is not None:
            self.sign_out("idle", reset=False)

    @property
    def signed_in(self) -> bool:
        return self.session is not None

    def _waiting_changed(self, waiting: bool) -> None:
        self.update_idle()

    def update_idle(self) -> None:
        """How long the screen waits before the inactivity warning: a helper's session, a
        citizen waiting for a helper, or the usual (maintainer mode manages its own)."""
        shell = self.shell
        if self.maintaining():
            return
        warning = shell.config.ui.idle_warning_seconds
        if self.session is not None:
            shell.set_idle_override((shell.config.staff.session_idle_seconds, warning))
        elif self.calls.waiting:
            shell.set_idle_override((shell.config.helpers.waiting_idle_seconds, warning))
        else:
            shell.set_idle_override(None)
        shell.restart_idle_timer()

    # --- 打印多份 --------------------------------------------------------------------------------------

    def _item(self):
        return self.item_screen.context_item() if self.item_screen is not None else None

    def ask_copies(self) -> None:
        item = self._item()
        if item is None or self.session is None:
            return
        dialog = Dialog("printCopies", tr("打印多份"), tr("“{name}”的一次性告知单，打印几份？").format(name=item.name))
        dialog.add_buttons(
            *((f"copies_{n}", tr("{n} 份").format(n=n), "primary" if n == 2 else "", partial(self.print_copies, n)) for n in COPIES),
            ("cancelButton", tr("取消"), "", self.shell.overlays.close_all),
        )
        self.shell.overlays.open(dialog)

    def print_copies(self, copies: int) -> None:
        item, session = self._item(), self.session
        if item is None or session is None:
            return
        services = self.shell.services
        self.printing.run(
            PrintJob(
                title=tr("一次性告知单（{n} 份）").format(n=copies),
                document=partial(services.notice_document, item.code, []),
                print=partial(services.print_copies, copies=copies, session=session, target=item.code),
                alternatives=PrintFlow._notice_alternatives(item),
            )
        )

    # --- 代办受理回执 ----------------------------------------------------------------------------------

    def print_proxy_receipt(self, number: str) -> None:
        """The receipt of proxy request ``number`` (just registered, or again from the desk)."""
        services = self.shell.services
        self.printing.run(PrintJob(
            title=tr("代办受理回执"),
            document=partial(services.proxy_receipt_document, number),
            alternatives=(tr("· 请把代办编号 {number} 写给群众，查询时报编号和手机号后4位").format(number=number),),
        ))

    # --- 全部窗口信息 -----------------------------------------------------------------------------------

    def show_windows(self) -> None:
        dialog = Dialog("allWindows", tr("全部窗口信息"), tr("正在读取…"))
        content = QWidget()
        dialog.rows = QVBoxLayout(content)
        dialog.rows.setContentsMargins(0, 0, 12, 0)
        dialog.rows.setSpacing(10)
        overlays = self.shell.overlays
        overlays.lend_scroll_area(dialog, content, minimum_height=min(1000, round((self.shell.height() or 1920) * 0.5)))
        dialog.add_buttons(("closeButton", tr("关闭"), "primary", overlays.close_all))
        overlays.open(dialog)
        operations.run(self.shell.pools.db, self.shell.app.catalog.all_windows,
                       on_success=lambda windows: self.fill_windows(dialog, windows),
                       on_failure=lambda exc: dialog.text.setText(tr("窗口信息暂时无法读取")), owner=dialog)

    def fill_windows(self, dialog, windows) -> None:
        clear_layout(dialog.rows)
        dialog.text.setText(tr("共 {n} 个窗口").format(n=len(windows)))
        for window in windows:
            department = window.department
            line = label(f"{window.number} 号窗口  {window.name}" + (f"（{window.zone}）" if window.zone else ""), "heading")
            line.setObjectName(f"windowLine_{window.number}")
            dialog.rows.addWidget(line)
            details = department.name + (tr("  电话：{phone}").format(phone=department.phone) if department.phone else "")
            dialog.rows.addWidget(label(details, "body"))
        dialog.rows.addStretch(1)
