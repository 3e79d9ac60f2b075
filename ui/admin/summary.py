"""The admin summary (统计概览), a tab of maintainer mode shown to admins only: ratings per
level and the satisfaction rate, complaints and suggestions not answered yet, faults per
device and the helpers' cases per type, for this month, last month or this year.

Every figure comes from KioskServices.admin_summary (kiosk/reports/summary.py), which refuses
anyone but an admin and records the look in the audit log. Phones are shown masked. The
details are exported with `kiosk report …` (docs/reports.md).
"""

from __future__ import annotations

from datetime import date, timedelta

from kiosk.feedback.choices import LEVELS, POOR_LEVELS, stars
from ui import operations
from ui.i18n import refusal_text, tr
from ui.qt import QFrame, QGridLayout, QVBoxLayout, QWidget
from ui.widgets.basic import Card, TouchScrollArea, clear_layout, label
from ui.widgets.tabs import TabBar

#: period key → label
PERIODS = (("month", "本月"), ("last_month", "上月"), ("year", "今年"))
BAR_COLOURS = {5: "#1b6e3a", 4: "#2e8b57", 3: "#0a4f9e", 2: "#b36b00", 1: "#b3261e"}


def period_days(key: str, today: date) -> tuple[date, date]:
    """(first, last) day of a period key, ending today for the current ones."""
    if key == "last_month":
        last = today.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last
    if key == "year":
        return today.replace(month=1, day=1), today
    return today.replace(day=1), today


class AdminSummaryPanel(QWidget):
    """The 统计 tab's content; ``load(session)`` fills it off the UI thread."""

    def __init__(self, screen):
        super().__init__()
        self.setObjectName("adminSummary")
        self.screen = screen
        self.shell = screen.shell
        self.period = "month"
        self.summary = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(12)
        self.periods = TabBar(((key, tr(text)) for key, text in PERIODS), name_prefix="period_", stretch=True)
        self.periods.chosen.connect(self.choose_period)
        self.period_buttons = self.periods.buttons
        outer.addWidget(self.periods)
        self.period_label = label("", "muted")
        self.period_label.setObjectName("summaryPeriod")
        outer.addWidget(self.period_label)
        self.content = QWidget()
        self.cards = QVBoxLayout(self.content)
        self.cards.setContentsMargins(0, 0, 12, 0)
        self.cards.setSpacing(16)
        self.scroll = TouchScrollArea(self.content)
        outer.addWidget(self.scroll, 1)
        self.period_buttons[self.period].setChecked(True)
        self.shell.screen_changed.connect(self._screen_changed)

    def _screen_changed(self, name: str) -> None:
        if name != "maintainer":
            self.clear()  # nothing stays once the person leaves maintainer mode

    def clear(self) -> None:
        self.summary = None
        clear_layout(self.cards)
        self.period_label.setText("")

    def choose_period(self, key: str) -> None:
        self.period = key
        self.period_buttons[key].setChecked(True)
        self.load(self.screen.session)

    def load(self, session) -> None:
        first, last = period_days(self.period, date.today())
        self.period_label.setText(tr("正在统计…"))
        operations.run(
            self.shell.pools.db, self.shell.app.reports.summary, session, first, last,
            on_success=self.show_summary, on_failure=self._failed, owner=self,
        )

    def _failed(self, exc) -> None:
        self.clear()
        self.period_label.setText(refusal_text(exc, tr("统计暂时无法读取")))

    # --- showing --------------------------------------------------------------------------------------

    def show_summary(self, summary) -> None:
        self.summary = summary
        clear_layout(self.cards)
        self.period_label.setText(tr("统计时间：{period}").format(period=summary.period.text))
        self.cards.addWidget(self._ratings_card(summary))
        self.cards.addWidget(self._cases_card(summary))
        self.cards.addWidget(self._faults_card(summary))
        self.cards.addWidget(self._helpers_card(summary))
        note = label(tr("明细导出：kiosk report ratings|complaints|faults|ledger --from 日期 --to 日期 --format xlsx"), "muted")
        note.setObjectName("summaryExportNote")
        self.cards.addWidget(note)
        self.cards.addStretch(1)

    def _ratings_card(self, summary) -> Card:
        card = Card(tr("好差评"))
        card.setObjectName("summaryRatings")
        headline = label(
            tr("共 {n} 条，满意率 {rate}").format(n=summary.rated, rate=summary.satisfaction_text), "big"
        )
        headline.setObjectName("summarySatisfaction")
        card.body.addWidget(headline)
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(8)
        most = max(summary.ratings.values()) if summary.rated else 0
        for row, (level, name) in enumerate(LEVELS.items()):
            count = summary.ratings.get(level, 0)
            grid.addWidget(label(f"{stars(level)} {tr(name)}", "body"), row, 0)
            bar = QFrame()
            bar.setFixedHeight(22)
            bar.setFixedWidth(max(4, round(360 * count / most)) if most else 4)
            bar.setStyleSheet(f"background: {BAR_COLOURS[level]}; border-radius: 4px;")
            grid.addWidget(bar, row, 1)
            number = label(str(count), "warning" if level in POOR_LEVELS and count else "body")
            number.setObjectName(f"summaryLevel_{level}")
            grid.addWidget(number, row, 2)
        grid.setColumnStretch(3, 1)
        card.body.addLayout(grid)
        card.body.addWidget(label(
            tr("满意率 = 基本满意及以上 / 全部评价。差评 {poor} 条，其中留电话待回访 {calls} 条。").format(
                poor=summary.poor, calls=summary.callbacks), "muted"))
        return card

    def _cases_card(self, summary) -> Card:
        open_cases = summary.open_cases
        card = Card(tr("投诉建议"), "warning" if open_cases else "")
        card.setObjectName("summaryCases")
        card.body.addWidget(label(
            tr("本期投诉 {c} 条、建议 {s} 条；未办结 {n} 条（不限时间）").format(
                c=summary.complaints, s=summary.suggestions, n=len(open_cases)), "big"))
        for case in open_cases[:20]:
            line = f"{case.number}　{tr(case.status_zh)}　{tr(case.kind_zh)}·{tr(case.subject_zh)}　{case.created_at:%m-%d %H:%M}"
            if case.forwarded_to:
                line += tr("　承办：{to}").format(to=case.forwarded_to)
            row = label(line, "body")
            row.setObjectName(f"openCase_{case.number}")
            card.body.addWidget(row)
            detail = case.text[:60] + (tr("　回访电话 {phone}").format(phone=case.phone_masked) if case.phone_masked else "")
            card.body.addWidget(label("　" + detail, "muted"))
        if len(open_cases) > 20:
            card.body.addWidget(label(tr("……另有 {n} 条，请用 kiosk complaints list 查看").format(n=len(open_cases) - 20), "muted"))
        return card

    def _faults_card(self, summary) -> Card:
        card = Card(tr("设备故障"))
        card.setObjectName("summaryFaults")
        if not summary.faults:
            card.body.addWidget(label(tr("本期没有设备故障。"), "body"))
        for fault in summary.faults:
            text = tr("{device}：{n} 次").format(device=tr(fault.label_zh), n=fault.count)
            if fault.active:
                text += tr("（未恢复 {n}）").format(n=fault.active)
            row = label(text, "warning" if fault.active else "body")
            row.setObjectName(f"summaryFault_{fault.device}")
            card.body.addWidget(row)
        return card

    def _helpers_card(self, summary) -> Card:
        card = Card(tr("帮办代办"))
        card.setObjectName("summaryHelpers")
        cases = summary.helper_cases
        if not cases:
            card.body.addWidget(label(tr("本期没有帮办代办记录。"), "body"))
        else:
            card.body.addWidget(label(tr("共 {n} 件").format(n=summary.helper_total), "big"))
            for kind, n in cases.items():
                card.body.addWidget(label(f"{tr(kind)}：{n}", "body"))
        return card
