"""Search: our touch keyboard (letters for pinyin and initials; or pinyin with candidates, or
handwriting — ui/widgets/chinese_input.py), a physical keyboard or a barcode scanner; results
with every key."""

from __future__ import annotations

from ui import operations
from ui.i18n import tr
from ui.qt import QBoxLayout, QLineEdit, Qt, QVBoxLayout, QWidget
from ui.screen import Screen
from ui.widgets.basic import TouchScrollArea, button, clear_layout, hbox, label
from ui.widgets.item_row import ItemRow
from ui.widgets.chinese_input import ChineseInput

RESULT_LIMIT = 30
#: elder mode shows fewer, larger rows: the best ten (issue 18 item 5)
ELDER_RESULT_LIMIT = 10


class SearchScreen(Screen):
    name = "search"

    def __init__(self, shell):
        super().__init__(shell)
        self.index = None
        self.purpose = ""
        self.hits = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 16)
        layout.setSpacing(16)
        self.title = label(tr("搜索事项"), "title")
        layout.addWidget(self.title)
        # The field and results form one column; the keyboard goes below it (portrait) or
        # beside it (landscape), so both keep a usable size on either screen.
        column = QVBoxLayout()
        column.setSpacing(16)
        self.hint = label(
            tr("可输入拼音首字母（如 yyzz 找“营业执照”）、全拼、事项编码，可手写汉字，或用扫码枪扫描。"), "muted"
        )
        column.addWidget(self.hint)
        self.field = QLineEdit()
        self.field.setObjectName("searchField")
        self.field.setPlaceholderText(tr("请输入…"))
        self.field.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.field.setMaxLength(60)
        self.field.textChanged.connect(self.update_results)
        self.field.returnPressed.connect(self.open_exact)
        column.addWidget(self.field)
        self.status = label("", "muted")
        self.status.setObjectName("searchStatus")
        column.addWidget(self.status)
        self.results = QWidget()
        self.results_layout = QVBoxLayout(self.results)
        self.results_layout.setContentsMargins(0, 0, 12, 0)
        self.results_layout.setSpacing(12)
        self.scroll = TouchScrollArea(self.results)
        column.addWidget(self.scroll, 1)
        # letters first: search takes pinyin and initials as they are; 手写 for those who write
        self.keyboard = ChineseInput(self.field, self.services.config.data_dir, modes=("letters", "handwriting", "pinyin"))
        self.body = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.body.setSpacing(16)
        self.body.addLayout(column, 1)
        self.body.addWidget(self.keyboard)
        layout.addLayout(self.body, 1)

    def enter(self, **params) -> None:
        self.purpose = params.get("purpose", "")
        self.title.setText(tr("材料预审：搜索事项") if self.purpose == "precheck" else tr("搜索事项"))
        self.field.setFocus()
        operations.run(
            self.shell.pools.db, self.app.catalog.index, on_success=self._index_ready, on_failure=self._failed, owner=self
        )
        self.update_results(self.field.text())

    def _index_ready(self, index) -> None:
        self.index = index
        self.update_results(self.field.text())

    def _failed(self, exc) -> None:
        self.status.setText(tr("暂时无法搜索，请按分类查找或呼叫帮办。"))

    def apply_theme(self, theme) -> None:
        self.keyboard.apply_theme(theme)
        portrait = theme.portrait
        self.body.setDirection(QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight)
        self.body.setStretch(1, 0 if portrait else 1)
        self.body.setAlignment(self.keyboard, Qt.AlignmentFlag(0) if portrait else Qt.AlignmentFlag.AlignBottom)

    def update_results(self, text: str) -> None:
        clear_layout(self.results_layout)
        query = text.strip()
        if not query:
            self.hits = []
            self.status.setText(tr("请在下方键盘输入。"))
            return
        if self.index is None:
            self.status.setText(tr("正在准备…"))
            return
        self.hits = self.index.search(query, limit=ELDER_RESULT_LIMIT if self.shell.elder else RESULT_LIMIT)
        if not self.hits:
            self._show_no_result(query)
            return
        self.status.setText(tr("找到 {n} 个事项，最相关的在前面：").format(n=len(self.hits)))
        for hit in self.hits:
            row = ItemRow(
                hit.code,
                hit.name,
                hit.department,
                hit.where,
                in_center=hit.in_center,
                self_service=hit.self_service,
                elder=self.shell.elder,
            )
            row.clicked.connect(lambda _=False, c=hit.code: self.open(c))
            self.results_layout.addWidget(row)
        self.results_layout.addStretch(1)

    def _show_no_result(self, query: str) -> None:
        self.status.setText("")
        box = QWidget()
        box.setObjectName("noResult")
        inner = QVBoxLayout(box)
        inner.setSpacing(16)
        message = label(tr("没有找到与“{q}”相关的事项。").format(q=query), "big")
        message.setObjectName("noResultText")
        inner.addWidget(message)
        inner.addWidget(label(tr("您可以换个说法，或按部门、主题查找；也可以点右下角的“呼叫帮办”，请工作人员帮您找。"), "body"))
        browse = button(tr("按分类查找"), "primary", name="noResultBrowse")
        browse.clicked.connect(lambda: self.shell.go("browse", purpose=self.purpose))
        inner.addLayout(hbox(browse, None, spacing=16))
        self.results_layout.addWidget(box)
        self.results_layout.addStretch(1)

    def open_exact(self) -> None:
        """Enter (a scanner ends its code with it): open the best hit when it is certain."""
        if self.hits and (len(self.hits) == 1 or self.hits[0].tier == 0):
            self.open(self.hits[0].code)

    def open(self, code: str) -> None:
        self.shell.go("checklist" if self.purpose == "precheck" else "item", code=code)

    def reset(self) -> None:
        self.keyboard.reset()
        self.field.blockSignals(True)
        # unlike clear(), setText also drops the undo history: the last query would otherwise
        # stay in it, and the history grew by every citizen's typing for good (issue 20)
        self.field.setText("")
        self.field.blockSignals(False)
        self.hits = []
        clear_layout(self.results_layout)
