"""评价建议: rate this visit (好差评), or make a complaint or a suggestion.

Pages (``shell.go("feedback", page=…)``):

- choose: the two ways, and where else to go (the information desk, 12345);
- rate: the national five levels, one large button each;
- reasons: for 不满意 / 非常不满意 (from here or from the rating bar, ui/rating.py): reasons to
  tap and an optional callback phone on a number pad; 不填了 records the rating without them;
- thanks: after a rating;
- complaint: 投诉 or 建议, the subject, prepared phrases to tap (usable by touch alone), a short
  text written by touch (pinyin with candidates, handwriting: ui/widgets/chinese_input.py) or on
  a physical keyboard a helper plugs in, an optional phone;
- done: the case's number, and its receipt printed at once (打印回执 prints it again).

The screen is given the window's RatingOffer (ui/rating.py: the bar after a print or a progress
query), to know whether this visit was rated and to note a rating made here.
Nothing of the citizen's stays after home or the inactivity reset; a poor rating left without
reasons is completed as it is, so the center still hears of it.
"""

from __future__ import annotations

from functools import partial

from kiosk.feedback.choices import KINDS, LEVELS, MAX_TEXT, POOR_LEVELS, REASONS, SUBJECTS, phrases, stars
from kiosk.slips.feedback import receipt_title
from ui import operations
from ui.i18n import refusal_text, tr
from ui.printing import PrintFlow, PrintJob
from ui.qt import (
    QBoxLayout,
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QScrollArea,
    QStackedWidget,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
)
from ui.rating import RatingOffer
from ui.screen import Screen
from ui.widgets.basic import Card, button, clear_layout, hbox, label
from ui.widgets.item_row import TextRow, ToggleRow
from ui.widgets.chinese_input import ChineseInput
from ui.widgets.keypad import PhonePad

PAGES = ("choose", "rate", "reasons", "thanks", "complaint", "done")
#: the done page's heading per kind (a whole sentence each, for the translation)
RECEIVED = {"complaint": "已收到您的投诉，已报送中心。", "suggestion": "已收到您的建议，已报送中心。"}
MAX_PHONE_INPUT = 20


def _grid(widgets, columns: int) -> QGridLayout:
    grid = QGridLayout()
    grid.setContentsMargins(0, 0, 0, 0)
    grid.setSpacing(12)
    for index, widget in enumerate(widgets):
        grid.addWidget(widget, index // columns, index % columns)
    return grid


def _form_scroll(content: QWidget) -> QScrollArea:
    """A plain scroll area for pages of buttons and fields: no kinetic-scrolling gesture in
    front of them to hold back a tap (as on the progress form); its scroll bar is dragged."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setWidget(content)
    return scroll


def _error_text(exc) -> str:
    return refusal_text(exc, tr("暂时无法保存，请稍后再试，或到综合咨询台反映。"))


class FeedbackScreen(Screen):
    name = "feedback"

    def __init__(self, shell, offer: RatingOffer):
        super().__init__(shell)
        self.offer = offer
        self.rating = None  # a poor rating waiting for its reasons
        self.detailed: set[int] = set()
        self.thanks_text = ""
        self.case = None  # the case just submitted
        self.kind = "complaint"
        self.subject = ""
        self.page = "choose"
        self.busy = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 16)  # narrower sides: a keyboard in a scroll area in elder mode
        layout.setSpacing(14)
        self.title = label(tr("评价建议"), "title")
        self.title.setObjectName("feedbackTitle")
        layout.addWidget(self.title)
        self.pages = QStackedWidget()
        layout.addWidget(self.pages, 1)
        self.page_widgets = {
            "choose": self._build_choose(),
            "rate": self._build_rate(),
            "reasons": self._build_reasons(),
            "thanks": self._build_thanks(),
            "complaint": self._build_complaint(),
            "done": self._build_done(),
        }
        for page in self.page_widgets.values():
            self.pages.addWidget(page)
        self.printing = PrintFlow(shell)
        shell.screen_changed.connect(self._screen_changed)

    # --- building -------------------------------------------------------------------------------------

    def _build_choose(self) -> QWidget:
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 12, 0)
        column.setSpacing(20)
        column.addWidget(label(tr("您的评价和意见会报送政务服务中心，帮助我们改进工作。"), "body"))
        self.rate_entry = TextRow(
            tr("评价本次服务（好差评）"), tr("非常满意、满意、基本满意、不满意、非常不满意，点一下就好"), name="feedbackRate"
        )
        self.rate_entry.clicked.connect(lambda: self.shell.go("feedback", page="rate"))
        column.addWidget(self.rate_entry)
        self.rated_note = label(tr("本次服务您已评价，谢谢您！"), "ok")
        self.rated_note.setObjectName("feedbackRatedNote")
        column.addWidget(self.rated_note)
        self.complain_entry = TextRow(
            tr("投诉或建议"), tr("对工作效率、服务态度、服务质量、本台自助终端或大厅的意见；给您编号和回执"),
            name="feedbackComplain",
        )
        self.complain_entry.clicked.connect(lambda: self.shell.go("feedback", page="complaint"))
        column.addWidget(self.complain_entry)
        card = Card(tr("也可以找工作人员"), "where")
        self.other_ways = label("", "body")
        self.other_ways.setObjectName("feedbackOtherWays")
        card.body.addWidget(self.other_ways)
        column.addWidget(card)
        column.addStretch(1)
        return _form_scroll(content)  # scrolls only where a short screen in elder mode needs it

    def _build_rate(self) -> QWidget:
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 12, 0)
        column.setSpacing(16)
        column.addWidget(label(tr("请选择您对本次服务的评价："), "big"))
        self.level_buttons = {}
        for level in LEVELS:
            b = button("", "primary" if level >= 3 else "", name=f"level_{level}")
            b.clicked.connect(lambda _=False, lv=level: self.rate(lv))
            self.level_buttons[level] = b
        self.levels_grid = QGridLayout()
        self.levels_grid.setSpacing(16)
        column.addLayout(self.levels_grid)
        self.rate_message = label("", "warning")
        self.rate_message.setObjectName("rateMessage")
        column.addWidget(self.rate_message)
        column.addStretch(1)
        return _form_scroll(content)

    def _build_reasons(self) -> QWidget:
        page = QWidget()
        outer = QVBoxLayout(page)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(12)
        reasons = QWidget()
        column = QVBoxLayout(reasons)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(14)
        self.reasons_heading = label("", "big")
        self.reasons_heading.setObjectName("reasonsHeading")
        column.addWidget(self.reasons_heading)
        self.reason_rows = {}
        for reason in REASONS:
            row = ToggleRow(tr(reason.label), name=f"reason_{reason.code}")
            self.reason_rows[reason.code] = row
        column.addLayout(_grid(self.reason_rows.values(), 2))
        column.addStretch(1)
        phone = QWidget()
        column = QVBoxLayout(phone)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(14)
        column.addWidget(label(tr("回访电话（选填）"), "heading"))
        column.addWidget(label(
            tr("留下电话，中心工作人员会打电话了解情况。号码只用于回访，屏幕和凭条上不显示完整号码。"), "muted"
        ))
        self.reasons_phone = self._phone_field("reasonsPhone")
        column.addWidget(self.reasons_phone)
        self.reasons_keypad = PhonePad(self.reasons_phone)
        column.addWidget(self.reasons_keypad)
        column.addStretch(1)
        self.reasons_body, self.reasons_scroll = self._two_columns(reasons, phone)
        outer.addWidget(self.reasons_scroll, 1)
        self.reasons_message = label("", "warning")
        self.reasons_message.setObjectName("reasonsMessage")
        self.reasons_submit = button(tr("提交"), "primary", name="reasonsSubmit")
        self.reasons_submit.clicked.connect(self.submit_reasons)
        self.reasons_skip = button(tr("不填了"), name="reasonsSkip")
        self.reasons_skip.clicked.connect(self.skip_reasons)
        outer.addLayout(self._action_row(self.reasons_message, self.reasons_submit, self.reasons_skip))
        return page

    @staticmethod
    def _two_columns(first: QWidget, second: QWidget):
        """Two columns in one scroll area: one above the other on a portrait screen, side by
        side on a landscape one (apply_theme turns them)."""
        content = QWidget()
        body = QBoxLayout(QBoxLayout.Direction.TopToBottom, content)
        body.setContentsMargins(0, 0, 4, 0)
        body.setSpacing(24)
        body.addWidget(first)
        body.addWidget(second)
        return body, _form_scroll(content)

    @staticmethod
    def _action_row(message, *buttons) -> QHBoxLayout:
        """The page's message (for bad input) beside its buttons, so it takes no line of its own."""
        row = QHBoxLayout()
        row.setSpacing(16)
        row.addWidget(message, 2)
        for b in buttons:
            row.addWidget(b, 1)
        return row

    def _build_thanks(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 24, 0, 0)
        column.setSpacing(24)
        card = Card("", "ok")
        self.thanks_label = label("", "big")
        self.thanks_label.setObjectName("thanksText")
        self.thanks_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        card.body.addWidget(self.thanks_label)
        column.addWidget(card)
        column.addStretch(1)
        return page

    def _build_complaint(self) -> QWidget:
        page = QWidget()
        outer = QVBoxLayout(page)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(12)
        choices = QWidget()
        column = QVBoxLayout(choices)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(12)

        column.addWidget(label(tr("① 您要提："), "heading"))
        self.kind_group = QButtonGroup(self)
        self.kind_buttons = {}
        for kind, text in KINDS.items():
            b = button(tr(text), "tab", name=f"kind_{kind}")
            b.setCheckable(True)
            b.clicked.connect(lambda _=False, k=kind: self.choose_kind(k))
            self.kind_group.addButton(b)
            self.kind_buttons[kind] = b
        column.addLayout(hbox(*self.kind_buttons.values(), spacing=16))

        column.addWidget(label(tr("② 是关于哪方面的："), "heading"))
        self.subject_group = QButtonGroup(self)
        self.subject_buttons = {}
        for subject, text in SUBJECTS.items():
            b = button(tr(text), "tab", name=f"subject_{subject}")
            b.setCheckable(True)
            b.clicked.connect(lambda _=False, s=subject: self.choose_subject(s))
            self.subject_group.addButton(b)
            self.subject_buttons[subject] = b
        self.subjects_box = QWidget()
        self.subjects_grid = QGridLayout(self.subjects_box)
        self.subjects_grid.setContentsMargins(0, 0, 0, 0)
        self.subjects_grid.setSpacing(12)
        column.addWidget(self.subjects_box)

        self.phrases_caption = label(tr("③ 点选常用语（可多选）："), "heading")
        column.addWidget(self.phrases_caption)
        self.phrases_box = QWidget()
        self.phrases_layout = QVBoxLayout(self.phrases_box)
        self.phrases_layout.setContentsMargins(0, 0, 0, 0)
        self.phrase_rows: list[ToggleRow] = []
        self.phrase_texts: list[str] = []
        column.addWidget(self.phrases_box)
        column.addStretch(1)

        words = QWidget()
        column = QVBoxLayout(words)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(12)
        column.addWidget(label(tr("补充说明（选填）"), "heading"))
        column.addWidget(label(
            tr("可以点选上面的常用语，也可以用屏幕键盘打拼音或手写汉字。"), "muted"
        ))
        self.text_field = QLineEdit()
        self.text_field.setObjectName("complaintText")
        self.text_field.setMaxLength(MAX_TEXT)
        self.text_field.setPlaceholderText(tr("可用键盘输入，最多 {n} 个字").format(n=MAX_TEXT))
        self.text_field.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.text_keys_button = button(tr("拼音/手写"), name="textKeyboard")
        self.text_keys_button.clicked.connect(lambda: self.toggle_keyboard("text"))
        column.addLayout(hbox(self.text_field, self.text_keys_button, spacing=12))
        self.text_keyboard = ChineseInput(self.text_field, self.services.config.data_dir)
        self.text_keyboard.hide()
        column.addWidget(self.text_keyboard)

        column.addWidget(label(tr("回访电话（选填）"), "heading"))
        column.addWidget(label(tr("留下电话，工作人员会打电话答复您。号码不会完整显示在屏幕和回执上。"), "muted"))
        self.complaint_phone = self._phone_field("complaintPhone")
        self.phone_keys_button = button(tr("数字键盘"), name="phoneKeyboard")
        self.phone_keys_button.clicked.connect(lambda: self.toggle_keyboard("phone"))
        column.addLayout(hbox(self.complaint_phone, self.phone_keys_button, spacing=12))
        self.phone_keypad = PhonePad(self.complaint_phone)
        self.phone_keypad.hide()
        column.addWidget(self.phone_keypad)
        column.addStretch(1)

        self.complaint_body, self.complaint_scroll = self._two_columns(choices, words)
        outer.addWidget(self.complaint_scroll, 1)
        self.complaint_message = label("", "warning")
        self.complaint_message.setObjectName("complaintMessage")
        self.complaint_submit = button(tr("提交"), "primary", name="complaintSubmit")
        self.complaint_submit.clicked.connect(self.submit_complaint)
        outer.addLayout(self._action_row(self.complaint_message, self.complaint_submit))
        return page

    def _build_done(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 16, 0, 0)
        column.setSpacing(20)
        card = Card("", "ok")
        card.setObjectName("doneCard")
        self.done_heading = label("", "big")
        self.done_heading.setObjectName("doneHeading")
        card.body.addWidget(self.done_heading)
        self.done_number = label("", "title")
        self.done_number.setObjectName("doneNumber")
        card.body.addWidget(self.done_number)
        self.done_text = label("", "body")
        self.done_text.setObjectName("doneText")
        card.body.addWidget(self.done_text)
        column.addWidget(card)
        self.reprint_button = button(tr("再打印回执"), "primary", name="reprintReceipt")
        self.reprint_button.clicked.connect(lambda: self.print_receipt())
        column.addLayout(hbox(self.reprint_button, None, spacing=16))
        column.addStretch(1)
        return page

    def _phone_field(self, name: str) -> QLineEdit:
        field = QLineEdit()
        field.setObjectName(name)
        field.setMaxLength(MAX_PHONE_INPUT)
        field.setPlaceholderText(tr("手机号码，如 13812345678"))
        field.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        return field

    # --- navigation -------------------------------------------------------------------------------------

    def enter(self, **params) -> None:
        page = params.get("page", "choose")
        if page not in PAGES:
            page = "choose"
        if page == "reasons":
            rating = params.get("rating")
            if rating is None or rating.id in self.detailed:
                page = "thanks" if rating is not None else "choose"
            else:
                self._start_reasons(rating)
        if page == "rate" and self.offer.rated:
            page = "choose"
        if page == "done" and self.case is None:
            page = "choose"
        if page == "thanks" and not self.thanks_text:
            page = "choose"
        if page == "complaint" and not self.subject:
            self.choose_kind(self.kind)
        self.show_page(page)

    def show_page(self, page: str) -> None:
        self.page = page
        self.title.setText({
            "rate": tr("评价本次服务"),
            "reasons": tr("评价本次服务"),
            "thanks": tr("谢谢您的评价"),
            "complaint": tr("投诉或建议"),
            "done": tr("投诉或建议"),
        }.get(page, tr("评价建议")))
        if page == "choose":
            center = self.shell.center
            ways = tr("到一楼综合咨询台当面反映，或拨打 12345 政务服务便民热线。")
            if center.phone:
                ways += "\n" + tr("中心咨询电话：{phone}").format(phone=center.phone)
            self.other_ways.setText(ways)
            self.rate_entry.setVisible(not self.offer.rated)
            self.rated_note.setVisible(self.offer.rated)
        if page == "rate":
            self.rate_message.setText("")
            for b in self.level_buttons.values():
                b.setEnabled(True)
        if page == "thanks":
            self.thanks_label.setText(self.thanks_text)
        self.pages.setCurrentWidget(self.page_widgets[page])

    def _screen_changed(self, name: str) -> None:
        if name == self.name:
            return
        self._complete_pending_rating()
        if name == "home":
            self.reset()

    def apply_theme(self, theme) -> None:
        for keyboard in (self.reasons_keypad, self.text_keyboard, self.phone_keypad):
            keyboard.apply_theme(theme)
        for body in (self.reasons_body, self.complaint_body):
            body.setDirection(QBoxLayout.Direction.TopToBottom if theme.portrait else QBoxLayout.Direction.LeftToRight)
            body.setStretch(0, 2)
            body.setStretch(1, 3)
        # the subjects' longest name (大厅环境和设施) needs a third of a portrait screen
        columns = 3 if theme.portrait and not theme.elder else 2
        for b in self.subject_buttons.values():
            self.subjects_grid.removeWidget(b)
        for index, b in enumerate(self.subject_buttons.values()):
            self.subjects_grid.addWidget(b, index // columns, index % columns)
        # the five levels: one per line on a portrait screen, side by side on a landscape one
        for index, (level, b) in enumerate(self.level_buttons.items()):
            self.levels_grid.removeWidget(b)
            name = tr(LEVELS[level])
            b.setText(f"{stars(level)}   {name}" if theme.portrait else f"{stars(level)}\n{name}")
            self.levels_grid.addWidget(b, index if theme.portrait else 0, 0 if theme.portrait else index)

    def reset(self) -> None:
        """Nothing of the citizen's stays: choices, typed text and phones (with their undo
        history), the case and the slip waiting to print."""
        self._complete_pending_rating()
        self.rating = None
        self.thanks_text = ""
        self.case = None
        self.busy = False
        self.printing.forget()
        self._clear_form()
        for row in self.reason_rows.values():
            row.setChecked(False)
        self.reasons_phone.setText("")
        self.reasons_message.setText("")
        self.pages.setCurrentWidget(self.page_widgets["choose"])
        self.page = "choose"

    def _clear_form(self) -> None:
        self.kind, self.subject = "complaint", ""
        for group in (self.kind_group, self.subject_group):
            group.setExclusive(False)
            for b in group.buttons():
                b.setChecked(False)
            group.setExclusive(True)
        self._fill_phrases()
        for field in (self.text_field, self.complaint_phone):
            field.setText("")  # unlike clear(), setText also drops the undo history
        self.text_keyboard.reset()
        self.text_keyboard.hide()
        self.phone_keypad.hide()
        self.complaint_message.setText("")
        self.complaint_submit.setEnabled(True)
        self.complaint_scroll.verticalScrollBar().setValue(0)

    # --- rating ------------------------------------------------------------------------------------------

    def rate(self, level: int) -> None:
        if self.busy:
            return
        self.busy = True
        for b in self.level_buttons.values():
            b.setEnabled(False)
        operations.run(
            self.shell.pools.db, self.app.feedback.rate, level, source="tile",
            on_success=self._rated, on_failure=self._rate_failed, owner=self,
        )

    def _rated(self, rating) -> None:
        self.busy = False
        self.offer.note_rated()
        if rating.level in POOR_LEVELS:
            self.shell.go("feedback", remember=False, page="reasons", rating=rating)
        else:
            self._thank(tr("谢谢您的评价（{level}）！").format(level=tr(rating.level_zh)))

    def _rate_failed(self, exc) -> None:
        self.busy = False
        for b in self.level_buttons.values():
            b.setEnabled(True)
        self.rate_message.setText(_error_text(exc))

    def _thank(self, text: str) -> None:
        self.thanks_text = text
        self.shell.go("feedback", remember=False, page="thanks")

    def _start_reasons(self, rating) -> None:
        self.offer.note_rated()
        self.rating = rating
        self.reasons_heading.setText(
            tr("您的评价是“{level}”，很抱歉给您添了麻烦。请告诉我们原因（可多选）：").format(level=tr(rating.level_zh))
        )
        for row in self.reason_rows.values():
            row.setChecked(False)
        self.reasons_phone.setText("")
        self.reasons_message.setText("")
        self.reasons_submit.setEnabled(True)
        self.reasons_skip.setEnabled(True)
        self.reasons_scroll.verticalScrollBar().setValue(0)

    def chosen_reasons(self) -> list[str]:
        return [code for code, row in self.reason_rows.items() if row.isChecked()]

    def submit_reasons(self) -> None:
        self._send_reasons(self.chosen_reasons(), self.reasons_phone.text())

    def skip_reasons(self) -> None:
        self._send_reasons([], "")

    def _send_reasons(self, reasons: list[str], phone: str) -> None:
        rating = self.rating
        if rating is None or self.busy:
            return
        self.busy = True
        self.reasons_submit.setEnabled(False)
        self.reasons_skip.setEnabled(False)
        self.reasons_message.setText("")
        operations.run(
            self.shell.pools.db, self.app.feedback.add_details, rating.id, reasons, phone,
            on_success=self._reasons_saved, on_failure=self._reasons_failed, owner=self,
        )

    def _reasons_saved(self, rating) -> None:
        self.busy = False
        self.detailed.add(rating.id)
        self.rating = None
        self.reasons_phone.setText("")
        text = tr("谢谢您的评价！您的意见已报送中心。")
        if rating.phone_masked:
            text += "\n" + tr("工作人员会尽快按您留下的电话（{phone}）与您联系。").format(phone=rating.phone_masked)
        self._thank(text)

    def _reasons_failed(self, exc) -> None:
        self.busy = False
        self.reasons_submit.setEnabled(True)
        self.reasons_skip.setEnabled(True)
        self.reasons_message.setText(_error_text(exc))

    def _complete_pending_rating(self) -> None:
        """A poor rating left without reasons: complete it as it is, so the center hears of it."""
        rating, self.rating = self.rating, None
        if rating is None or rating.id in self.detailed:
            return
        self.detailed.add(rating.id)
        self.reasons_phone.setText("")
        operations.run(self.shell.pools.db, self.app.feedback.add_details, rating.id, [], "",
                       on_failure=lambda exc: None)

    # --- complaints and suggestions ---------------------------------------------------------------------

    def choose_kind(self, kind: str) -> None:
        self.kind = kind
        self.kind_buttons[kind].setChecked(True)
        self._fill_phrases()

    def choose_subject(self, subject: str) -> None:
        self.subject = subject
        self.subject_buttons[subject].setChecked(True)
        self.complaint_message.setText("")
        self._fill_phrases()

    def _fill_phrases(self) -> None:
        clear_layout(self.phrases_layout)
        self.phrase_rows = []
        texts = phrases(self.kind, self.subject) if self.subject else ()
        # the case keeps a phrase in Chinese, whatever the screen's language: the center reads it
        self.phrase_texts = list(texts)
        self.phrases_caption.setVisible(bool(texts))
        for index, text in enumerate(texts):
            row = ToggleRow(tr(text), name=f"phrase_{index}")
            self.phrase_rows.append(row)
            self.phrases_layout.addWidget(row)

    def toggle_keyboard(self, which: str) -> None:
        """One keyboard at a time: our letters for the text, the number pad for the phone."""
        show_text = which == "text" and not self.text_keyboard.isVisible()
        show_phone = which == "phone" and not self.phone_keypad.isVisible()
        self.text_keyboard.setVisible(show_text)
        self.phone_keypad.setVisible(show_phone)
        (self.text_field if which == "text" else self.complaint_phone).setFocus()
        shown = self.text_keyboard if show_text else (self.phone_keypad if show_phone else None)
        if shown is not None:  # once the layout has made room for it
            QTimer.singleShot(0, self, lambda: self.complaint_scroll.ensureWidgetVisible(shown, 0, 0))

    def composed_text(self) -> str:
        parts = [text for row, text in zip(self.phrase_rows, self.phrase_texts) if row.isChecked()]
        typed = self.text_field.text().strip()
        if typed:
            parts.append(typed)
        return "；".join(parts)

    def submit_complaint(self) -> None:
        if self.busy:
            return
        if not self.subject:
            self.complaint_message.setText(tr("请在②中选择是关于哪方面的。"))
            return
        text = self.composed_text()
        if not text:
            self.complaint_message.setText(tr("请点选一条常用语，或填写补充说明。"))
            return
        if len(text) > MAX_TEXT:
            self.complaint_message.setText(
                tr("内容最多 {n} 个字，现在有 {m} 个字，请少选几条或删短说明。").format(n=MAX_TEXT, m=len(text))
            )
            return
        self.busy = True
        self.complaint_submit.setEnabled(False)
        self.complaint_message.setText(tr("正在提交…"))
        operations.run(
            self.shell.pools.db, self.app.feedback.submit, self.kind, self.subject, text,
            phone=self.complaint_phone.text(),
            on_success=self._submitted, on_failure=self._submit_failed, owner=self,
        )

    def _submitted(self, case) -> None:
        self.busy = False
        self._clear_form()
        self.show_case(case)

    def show_case(self, case, *, print_now: bool = True) -> None:
        """The done page for ``case``: its number, and its receipt printed at once."""
        self.case = case
        self.done_heading.setText(tr(RECEIVED.get(case.kind, RECEIVED["complaint"])))
        self.done_number.setText(tr("编号：{number}").format(number=case.number))
        text = tr("回执正在打印，请取走并保存，凭编号可以查询处理情况。")
        if case.phone_masked:
            text += "\n" + tr("工作人员会按您留下的电话（{phone}）答复您。").format(phone=case.phone_masked)
        self.done_text.setText(text)
        self.shell.go("feedback", remember=False, page="done")
        if print_now:
            self.print_receipt()

    def _submit_failed(self, exc) -> None:
        self.busy = False
        self.complaint_submit.setEnabled(True)
        self.complaint_message.setText(_error_text(exc))

    def print_receipt(self) -> None:
        case = self.case
        if case is None:
            return
        self.printing.run(
            PrintJob(
                title=receipt_title(case.kind),
                document=partial(self.services.feedback_receipt_document, case.number),
                alternatives=(
                    tr("· 请记下编号 {number}，凭编号到综合咨询台查询处理情况").format(number=case.number),
                ),
            ),
            preview=False,
        )
