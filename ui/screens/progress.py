"""进度查询: where is my application, and when will it be done?

The citizen enters the application number (our keyboard, a physical keyboard, or a USB
scanner reading the QR code / barcode of the acceptance notice — a scanner types and ends
with Enter) and the last 4 characters of the applicant's phone or ID number. A wrong pair
says only 未查到该办件. After too many failures the terminal pauses queries (the service
decides, in the database) and this screen says until when.

The result: the item, the status, the time limit (deadline, working days left, overdue with
whom to contact), the steps as a timeline, who accepted it where, the result and how to
collect it — every name, ID number and phone masked — and a slip to print.
"""

from __future__ import annotations

from functools import partial

from kiosk.progress.exchange import NUMBER_PATTERN, normalize_number
from kiosk.progress.service import locked_message, normalize_verification, verification_problem
from kiosk.progress.timeutil import china_now
from kiosk.progress.view import (
    deadline_text,
    format_datetime,
    overdue_contact_text,
    step_mark,
    step_span_text,
    step_state_text,
    time_left_text,
)
from ui import operations
from ui.i18n import tr
from ui.printing import PrintFlow, PrintJob
from ui.qt import (
    QBoxLayout,
    QEvent,
    QFrame,
    QGridLayout,
    QLineEdit,
    QScrollArea,
    QStackedWidget,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
)
from ui.screen import Screen
from ui.widgets.basic import Card, TouchScrollArea, button, clear_layout, hbox, label
from ui.widgets.keyboard import TouchKeyboard

#: a scanned QR code may hold an address with the number in it
MAX_INPUT = 200


class ProgressScreen(Screen):
    name = "progress"

    def __init__(self, shell):
        super().__init__(shell)
        self.view = None
        self.copy_note = ""  # the center unreachable: how old the terminal's copy is
        self.busy = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 16)
        layout.setSpacing(14)
        self.title = label(tr("办件进度查询"), "title")
        self.title.setObjectName("progressTitle")
        layout.addWidget(self.title)
        self.pages = QStackedWidget()
        layout.addWidget(self.pages, 1)
        self.form_page = self._build_form()
        self.result_page = self._build_result()
        self.locked_page = self._build_locked()
        self.card_page = self._build_card()
        self.list_page = self._build_list()
        for page in (self.form_page, self.result_page, self.locked_page, self.card_page, self.list_page):
            self.pages.addWidget(page)
        #: the applications found by ID card (masked views), until the citizen leaves
        self.card_views: tuple = ()
        self.printing = PrintFlow(shell)
        self._unlock_timer = QTimer(self)
        self._unlock_timer.setSingleShot(True)
        self._unlock_timer.timeout.connect(self.show_form)
        # 首页 means "I am done": the result must not wait there for the next person
        shell.screen_changed.connect(self._screen_changed)

    # --- building -----------------------------------------------------------------------------------

    def _build_form(self) -> QWidget:
        page = QWidget()
        page.setObjectName("progressForm")
        # The form scrolls if it must (a short landscape screen in elder mode with the printer
        # banner shown), so it never pushes the window beyond the display.
        self.form_column = QWidget()
        column = QVBoxLayout(self.form_column)
        column.setContentsMargins(0, 0, 12, 0)
        column.setSpacing(12)
        self.hint = label(
            tr("办件编号在受理通知书上。可以用屏幕上的键盘输入，也可以把通知书上的二维码或条形码对准扫码口。"), "muted"
        )
        self.hint.setObjectName("progressHint")
        column.addWidget(self.hint)
        self.number_caption = label(tr("① 办件编号"), "heading")
        column.addWidget(self.number_caption)
        self.number_field = self._field("progressNumber", tr("如 YC2511170007"))
        self.number_field.returnPressed.connect(self._number_entered)
        self.number_field.textChanged.connect(self._upper_case)
        column.addWidget(self.number_field)
        self.verify_caption = label(tr("② 申请人手机号或身份证号的后4位"), "muted")
        column.addWidget(self.verify_caption)
        self.verify_field = self._field("progressVerify", tr("后4位，如 5678"))
        self.verify_field.returnPressed.connect(self._verify_entered)
        column.addWidget(self.verify_field)
        self.message = label("", "warning")
        self.message.setObjectName("progressMessage")
        column.addWidget(self.message)
        self.advice = label("", "body")
        self.advice.setObjectName("progressAdvice")
        column.addWidget(self.advice)
        self.query_button = button(tr("查询"), "primary", name="progressQuery")
        self.query_button.clicked.connect(self.submit)
        self.card_button = button(tr("没有办件编号？刷身份证查询"), name="progressByCard")
        self.card_button.clicked.connect(self.show_card)
        self.card_button.setVisible(self.services.idcard_available())
        column.addLayout(hbox(self.query_button, self.card_button, spacing=16))
        column.addStretch(1)
        self.keyboard = TouchKeyboard(self.number_field)
        self.body = QBoxLayout(QBoxLayout.Direction.TopToBottom, page)
        self.body.setContentsMargins(0, 0, 0, 0)
        self.body.setSpacing(16)
        # A plain scroll area: no kinetic-scrolling gesture in front of the fields and the button.
        self.form_scroll = QScrollArea()
        self.form_scroll.setWidgetResizable(True)
        self.form_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.form_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.form_scroll.setWidget(self.form_column)
        self.body.addWidget(self.form_scroll, 1)
        self.body.addWidget(self.keyboard)
        self._set_target(self.number_field)
        return page

    def _field(self, name: str, placeholder: str) -> QLineEdit:
        field = QLineEdit()
        field.setObjectName(name)
        field.setPlaceholderText(placeholder)
        field.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        field.setMaxLength(MAX_INPUT)
        field.installEventFilter(self)
        return field

    def _build_result(self) -> QWidget:
        page = QWidget()
        page.setObjectName("progressResult")
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(14)
        self.content = QWidget()
        self.cards = QVBoxLayout(self.content)
        self.cards.setContentsMargins(0, 0, 12, 0)
        self.cards.setSpacing(18)
        self.scroll = TouchScrollArea(self.content)
        column.addWidget(self.scroll, 1)
        self.print_button = button(tr("打印进度单"), "primary", name="printProgress")
        self.print_button.clicked.connect(self.print_slip)
        self.again_button = button(tr("再查一件"), name="progressAgain")
        self.again_button.clicked.connect(self.query_another)
        column.addLayout(hbox(self.print_button, self.again_button, None, spacing=16))
        return page

    def _build_locked(self) -> QWidget:
        page = QWidget()
        page.setObjectName("progressLocked")
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 16, 0, 0)
        column.setSpacing(24)
        card = Card(tr("查询已暂停"), "warning")
        card.setObjectName("lockedCard")
        self.locked_text = label("", "big")
        self.locked_text.setObjectName("lockedText")
        card.body.addWidget(self.locked_text)
        card.body.addWidget(
            label(tr("连续多次未查到办件时，为防止他人猜测办件信息，本机会暂停查询一段时间。"), "body")
        )
        column.addWidget(card)
        card.body.addWidget(label(tr("需要帮助，请点右下角的“呼叫帮办”。"), "body"))
        column.addStretch(1)
        return page

    def _build_card(self) -> QWidget:
        from ui.idcard import CardReadPanel

        self.card_panel = CardReadPanel(self.shell, purpose=tr("查找您本人的办件"), name="progressCard")
        self.card_panel.identity_read.connect(self._card_read)
        self.card_panel.declined.connect(self.show_form)
        return self.card_panel

    def _build_list(self) -> QWidget:
        page = QWidget()
        page.setObjectName("progressList")
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(14)
        self.list_title = label("", "heading")
        self.list_title.setObjectName("progressListTitle")
        column.addWidget(self.list_title)
        self.list_content = QWidget()
        self.list_rows = QVBoxLayout(self.list_content)
        self.list_rows.setContentsMargins(0, 0, 12, 0)
        self.list_rows.setSpacing(14)
        column.addWidget(TouchScrollArea(self.list_content), 1)
        back = button(tr("返回"), name="progressListBack")
        back.clicked.connect(self.query_another)
        helper = button(tr("呼叫帮办"), "help", name="progressListHelper")
        helper.clicked.connect(self.shell.call_helper)
        column.addLayout(hbox(back, helper, spacing=16))
        return page

    # --- navigation -----------------------------------------------------------------------------------

    def enter(self, **params) -> None:
        number = params.get("number")
        if number:  # a notice's code scanned elsewhere
            self.reset()
            self._scanned_number(number)
            return
        if self.view is not None and self.pages.currentWidget() is self.result_page:
            return  # back from the helper: the citizen's result is still theirs
        if self.card_views and self.pages.currentWidget() is self.list_page:
            return
        self.show_form()
        operations.run(
            self.shell.pools.db,
            self.services.progress_locked_until,
            on_success=self._lock_checked,
            on_failure=lambda exc: None,  # the query itself will say what is wrong
            owner=self,
        )

    def _lock_checked(self, until) -> None:
        if until is not None:
            self.show_locked(tr("查询已暂停"), locked_message(until), until)

    def _screen_changed(self, name: str) -> None:
        if name != self.name and self.card_panel.state != "idle":
            self.card_panel.reset()  # a wait for a card ends when the screen is left
        if name == "home" and (self.view is not None or self.card_views or self.number_field.text() or self.verify_field.text()):
            self.reset()

    def apply_theme(self, theme) -> None:
        self.keyboard.apply_theme(theme)
        portrait = theme.portrait
        self.body.setDirection(QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight)
        self.body.setStretch(1, 0 if portrait else 1)
        self.body.setAlignment(self.keyboard, Qt.AlignmentFlag(0) if portrait else Qt.AlignmentFlag.AlignBottom)

    def reset(self) -> None:
        """Nothing of the citizen's stays: fields (with their undo history), result, slip."""
        for field in (self.number_field, self.verify_field):
            field.setText("")  # unlike clear(), setText also drops the undo history
        self.view = None
        self.card_views = ()
        self.copy_note = ""
        self.busy = False
        self.query_button.setEnabled(True)
        clear_layout(self.cards)
        clear_layout(self.list_rows)
        self.list_title.setText("")
        self.card_panel.reset()
        self.message.setText("")
        self.advice.setText("")
        self.locked_text.setText("")
        self.printing.forget()
        self._unlock_timer.stop()
        self.pages.setCurrentWidget(self.form_page)
        self._set_target(self.number_field)

    # --- the form -------------------------------------------------------------------------------------

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.FocusIn and watched in (self.number_field, self.verify_field):
            self._set_target(watched)
        return False

    def _upper_case(self, text: str) -> None:
        """Application numbers read in capitals, whatever typed them."""
        if text != text.upper():
            position = self.number_field.cursorPosition()
            self.number_field.setText(text.upper())
            self.number_field.setCursorPosition(position)

    def select_field(self, which: str) -> None:
        """Tap on a field: "number" or "verify"."""
        self._set_target(self.number_field if which == "number" else self.verify_field)

    def _set_target(self, field: QLineEdit) -> None:
        """The on-screen keyboard types into ``field``; its caption is highlighted."""
        self.keyboard.field = field
        for caption, target in ((self.number_caption, self.number_field), (self.verify_caption, self.verify_field)):
            caption.setProperty("role", "heading" if target is field else "muted")
            caption.style().unpolish(caption)
            caption.style().polish(caption)
        if self.isVisible() and not field.hasFocus():
            field.setFocus()  # a scanner types into the focused field

    def show_form(self) -> None:
        self._unlock_timer.stop()
        self.pages.setCurrentWidget(self.form_page)
        self._set_target(self.verify_field if self.number_field.text() and not self.verify_field.text() else self.number_field)

    def _number_entered(self) -> None:
        """Enter in the number field (a scanner ends with it): tidy the number, go on."""
        number = normalize_number(self.number_field.text())
        self.number_field.setText(number)
        if number and normalize_verification(self.verify_field.text()):
            self.submit()
        elif number:
            self._set_target(self.verify_field)

    def _verify_entered(self) -> None:
        text = self.verify_field.text()
        scanned = normalize_number(text)
        if verification_problem(normalize_verification(text)) and NUMBER_PATTERN.fullmatch(scanned) and len(scanned) > 4:
            # the notice was scanned while the verification field was selected
            self.verify_field.setText("")
            self.number_field.setText(scanned)
            self.message.setText("")
            self.advice.setText(tr("已读取办件编号，请输入申请人手机号或身份证号的后4位。"))
            self._set_target(self.verify_field)
            return
        self.submit()

    def submit(self) -> None:
        if self.busy:
            return
        number = normalize_number(self.number_field.text())
        self.number_field.setText(number)
        self.busy = True
        self.query_button.setEnabled(False)
        self.message.setText("")
        self.advice.setText(tr("正在查询…"))
        operations.run(
            self.shell.pools.db,
            self.services.query_progress,
            number,
            self.verify_field.text(),
            on_success=self.show_outcome,
            on_failure=self._failed,
            owner=self,
        )

    def _failed(self, exc) -> None:
        self.busy = False
        self.query_button.setEnabled(True)
        self.message.setText(tr("暂时无法查询"))
        self.advice.setText(tr("请稍后再试，或到受理窗口、综合咨询台查询，也可以点“呼叫帮办”。"))

    def show_outcome(self, outcome) -> None:
        self.busy = False
        self.query_button.setEnabled(True)
        if outcome.found:
            self.verify_field.setText("")
            self.copy_note = outcome.copy_note  # the center unreachable: how old the local copy is
            self.show_result(outcome.view)
            self.shell.offer_rating("progress", item_code=outcome.view.item_code, item_name=outcome.view.item_name)
        elif outcome.kind == "locked":
            self.verify_field.setText("")
            self.show_locked(outcome.message, outcome.advice, outcome.locked_until)
        else:
            self.message.setText(outcome.message)
            self.advice.setText(outcome.advice)
            if outcome.kind == "not_found":
                self.verify_field.setText("")
                self._set_target(self.verify_field)

    def show_locked(self, headline: str, text: str, until) -> None:
        self.pages.setCurrentWidget(self.locked_page)
        self.locked_text.setText(f"{headline}。{text}" if headline != tr("查询已暂停") else text)
        if until is not None:
            seconds = (until - china_now()).total_seconds()
            self._unlock_timer.start(int(max(1.0, seconds + 1) * 1000))

    def query_another(self) -> None:
        if self.card_views and self.pages.currentWidget() is self.result_page:
            self.view = None
            self.pages.setCurrentWidget(self.list_page)  # back to the card holder's list
            return
        self.reset()
        self.show_form()

    # --- by ID card, by scanned code -------------------------------------------------------------------

    def show_card(self) -> None:
        self.message.setText("")
        self.advice.setText("")
        self.card_panel.start()
        self.pages.setCurrentWidget(self.card_page)

    def _card_read(self, identity) -> None:
        masked = identity.masked_name
        operations.run(
            self.shell.pools.db,
            self.services.progress_by_card,
            identity,
            on_success=lambda outcome: self.show_card_outcome(outcome, masked),
            on_failure=lambda exc: self._card_failed(),
            owner=self,
        )
        # the identity goes no further than that call: the screen keeps only the masked name

    def _card_failed(self) -> None:
        self.card_panel.text.setText(tr("暂时无法查询，请稍后再试，或到受理窗口、综合咨询台查询。"))

    def show_card_outcome(self, outcome, masked_name: str) -> None:
        if not outcome.found:
            self.card_panel.text.setText(outcome.message)
            self.card_panel.say_detail(outcome.advice)
            return
        self.card_views = outcome.views
        clear_layout(self.list_rows)
        self.list_title.setText(tr("{name} 的办件（共 {n} 件），点一件看进度").format(name=masked_name, n=len(outcome.views)))
        for index, view in enumerate(outcome.views):
            row = button(f"{view.item_name}\n{tr('办件编号：')}{view.number}　{tr('当前状态：')}{view.status_label}", name=f"cardApplication_{index}")
            # two lines, left-aligned, a finger's height each
            row.setStyleSheet(f"text-align: left; min-height: {int(self.shell.theme.target_px * 1.9)}px; padding: 8px 24px;")
            row.clicked.connect(partial(self.show_result, view))
            self.list_rows.addWidget(row)
        self.list_rows.addStretch(1)
        self.pages.setCurrentWidget(self.list_page)

    def handle_scan(self, text: str) -> bool:
        """A code scanned while this screen shows a result, a list or the card panel: an
        application number starts a new query with it. On the form the fields' own Enter
        handling reads scans (it sees the whole field, whatever the timing)."""
        from kiosk.scans import resolve_scan

        if self.pages.currentWidget() is self.form_page:
            return False
        code = resolve_scan(text)
        if code.kind != "application":
            return False
        self.reset()
        self._scanned_number(code.value)
        return True

    def _scanned_number(self, number: str) -> None:
        self.number_field.setText(number)
        self.verify_field.setText("")
        self.pages.setCurrentWidget(self.form_page)
        self.message.setText("")
        self.advice.setText(tr("已读取办件编号，请输入申请人手机号或身份证号的后4位。"))
        self._set_target(self.verify_field)

    # --- the result -----------------------------------------------------------------------------------

    def show_result(self, view) -> None:
        self.view = view
        clear_layout(self.cards)
        self.scroll.scroll_to_top()
        self.cards.addWidget(self._summary_card(view))
        self.cards.addWidget(self._steps_card(view))
        if view.result is not None:
            self.cards.addWidget(self._result_card(view))
        self.cards.addWidget(self._acceptance_card(view))
        self.cards.addWidget(self._phones_card(view))
        self.cards.addStretch(1)
        self.pages.setCurrentWidget(self.result_page)
        self.shell.speech.screen_ready(self)

    def speech_text(self) -> str:
        """朗读: the answer (item, state, time left) when one is shown (ui/speech.py)."""
        if self.pages.currentWidget() is not self.result_page or self.view is None:
            return ""
        from kiosk.speech.texts import progress_answer

        return progress_answer(self.view, time_left_text(self.view))

    def _summary_card(self, view) -> Card:
        open_overdue = view.overdue and not view.closed
        accent = "warning" if open_overdue or view.status == "rejected" else ("ok" if view.closed else "where")
        card = Card("", accent)
        card.setObjectName("summaryCard")
        name = label(view.item_name, "heading")
        name.setObjectName("progressItem")
        card.body.addWidget(name)
        card.body.addWidget(label(tr("办件编号：{number}").format(number=view.number), "muted"))
        if self.copy_note:
            note = label(self.copy_note, "warning")
            note.setObjectName("progressCopyNote")
            card.body.addWidget(note)
        status = label(tr("当前状态：{status}").format(status=view.status_label), "big")
        status.setObjectName("progressStatus")
        card.body.addWidget(status)
        left = time_left_text(view)
        if left:
            line = label(("⚠ " if open_overdue else "") + left, "warning" if open_overdue else "big")
            line.setObjectName("progressTimeLeft")
            card.body.addWidget(line)
        if open_overdue:
            contact = label(overdue_contact_text(view), "warning")
            contact.setObjectName("progressContact")
            card.body.addWidget(contact)
        deadline = label(tr("承诺办结日期：{date}").format(date=deadline_text(view)), "body")
        deadline.setObjectName("progressDeadline")
        card.body.addWidget(deadline)
        card.body.addWidget(label(tr("承诺时限：{limit}（自受理次日起计算）").format(limit=view.limit_text), "muted"))
        if view.estimated:
            note = label(tr("“预计”：所涉年份的节假日安排尚未公布，日期按法定节假日推算，以受理部门通知为准。"), "muted")
            note.setObjectName("progressEstimated")
            card.body.addWidget(note)
        if view.status == "correction":
            note = label(tr("需要您补正材料：请看下方办理进度中的意见，补齐后交到{window}。").format(window=view.window_text or tr("受理窗口")), "warning")
            note.setObjectName("progressCorrection")
            card.body.addWidget(note)
        return card

    def _steps_card(self, view) -> Card:
        card = Card(tr("办理进度"))
        card.setObjectName("stepsCard")
        if not view.steps:
            card.body.addWidget(label(tr("暂无环节信息"), "muted"))
        for index, step in enumerate(view.steps):
            mark = step_mark(view, index)
            role = "ok" if mark == "✔" else ("big" if mark == "▶" else "muted")
            head = label(f"{mark}  {step.name}（{step_state_text(view, index)}）", role)
            head.setObjectName(f"step_{index}")
            card.body.addWidget(head)
            details = [step_span_text(step)] if step.started_at is not None else []
            if step.staff:
                details.append(tr("经办人 {name}").format(name=step.staff))
            if details:
                card.body.addWidget(label("      " + "  ".join(details), "muted"))
            if step.opinion:
                card.body.addWidget(label("      " + tr("意见：") + step.opinion, "body"))
        return card

    def _result_card(self, view) -> Card:
        result = view.result
        card = Card(tr("办理结果"), "warning" if view.status == "rejected" else "ok")
        card.setObjectName("resultCard")
        rows = [(tr("办结时间"), format_datetime(result.finished_at)), (tr("结果"), result.outcome)]
        if result.certificate_name:
            rows.append((tr("证照名称"), result.certificate_name))
        if result.certificate_number:
            rows.append((tr("证照编号"), result.certificate_number))
        if result.collect:
            rows.append((tr("领取方式"), result.collect))
        card.body.addLayout(_grid(rows))
        return card

    def _acceptance_card(self, view) -> Card:
        card = Card(tr("受理信息"))
        card.setObjectName("acceptanceCard")
        rows = [(tr("申请人"), view.applicant_name), (tr("证件号码"), view.applicant_id_masked)]
        if view.applicant_phone_masked:
            rows.append((tr("联系电话"), view.applicant_phone_masked))
        rows += [
            (tr("申请时间"), format_datetime(view.applied_at)),
            (tr("受理时间"), format_datetime(view.accepted_at)),
            (tr("受理部门"), view.department),
        ]
        if view.window_text:
            rows.append((tr("受理窗口"), view.window_text))
        rows.append((tr("受理人"), view.accepted_by))
        card.body.addLayout(_grid(rows))
        return card

    def _phones_card(self, view) -> Card:
        card = Card(tr("咨询与投诉"))
        card.setObjectName("progressPhones")
        if view.consult_phone:
            card.body.addWidget(label(tr("咨询电话：{phone}").format(phone=view.consult_phone), "body"))
        if view.complaint_phone:
            card.body.addWidget(label(tr("监督投诉电话：{phone}").format(phone=view.complaint_phone), "body"))
        return card

    # --- printing ---------------------------------------------------------------------------------------

    def print_slip(self) -> None:
        view = self.view
        if view is None:
            return
        where = view.window_text or tr("受理窗口")
        self.printing.run(
            PrintJob(
                title=tr("办件进度查询单"),
                document=partial(self.services.progress_document, view),
                alternatives=(
                    tr("· 到{where}查询办理进度").format(where=where),
                    tr("· 到综合咨询台请工作人员帮您查询"),
                ),
            )
        )


def _grid(rows) -> QGridLayout:
    grid = QGridLayout()
    grid.setHorizontalSpacing(24)
    grid.setVerticalSpacing(8)
    for row, (name, value) in enumerate(rows):
        grid.addWidget(label(name, "muted"), row, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(label(value, "body"), row, 1)
    grid.setColumnStretch(1, 1)
    return grid

