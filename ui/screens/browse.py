"""办事指南: browse items by 个人办事 / 法人办事, by department, by topic."""

from __future__ import annotations

from kiosk.catalog.search import where_handled
from ui import operations
from ui.i18n import tr
from ui.qt import QGridLayout, QVBoxLayout, QWidget
from ui.screen import Screen
from ui.widgets.basic import TouchScrollArea, clear_layout, label
from ui.widgets.item_row import ItemRow, TextRow
from ui.widgets.tabs import TabBar

TABS = (
    ("natural_person", "个人办事"),
    ("legal_person", "法人办事"),
    ("department", "按部门"),
    ("topic", "按主题"),
)


class BrowseScreen(Screen):
    name = "browse"

    def __init__(self, shell):
        super().__init__(shell)
        self.params: dict = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 16)
        layout.setSpacing(18)
        self.title = label(tr("办事指南"), "title")
        self.title.setObjectName("browseTitle")
        layout.addWidget(self.title)
        self.hint = label("", "muted")
        self.hint.setObjectName("browseHint")
        layout.addWidget(self.hint)
        self.search_button = TextRow(tr("点这里搜索事项"), tr("输入事项名称、拼音或首字母"), name="browseSearch")
        self.search_button.clicked.connect(lambda: self.shell.go("search", purpose=self.params.get("purpose", "")))
        layout.addWidget(self.search_button)
        self.tab_bar = TabBar(((key, tr(text)) for key, text in TABS), name_prefix="tab_")
        self.tab_bar.chosen.connect(lambda k: self.shell.go("browse", remember=False, **{**self._base(), "tab": k}))
        self.tabs = self.tab_bar.buttons
        layout.addWidget(self.tab_bar)
        self.section = label("", "heading")
        self.section.setObjectName("browseSection")
        layout.addWidget(self.section)
        self.list_widget = QWidget()
        # One column in portrait, two in landscape (a 1920 px row of one item is hard to read).
        self.list_layout = QGridLayout(self.list_widget)
        self._count = 0
        self.list_layout.setContentsMargins(0, 0, 12, 0)
        self.list_layout.setSpacing(14)
        self.scroll = TouchScrollArea(self.list_widget)
        layout.addWidget(self.scroll, 1)

    def _columns(self) -> int:
        return 1 if self.shell.theme.portrait else 2

    def _clear(self) -> None:
        clear_layout(self.list_layout)
        for row in range(self.list_layout.rowCount()):
            self.list_layout.setRowStretch(row, 0)
        self._count = 0

    def _add(self, widget, *, whole_row: bool = False) -> None:
        columns = self._columns()
        if whole_row and self._count % columns:
            self._count += columns - self._count % columns
        row, column = divmod(self._count, columns)
        self.list_layout.addWidget(widget, row, column, 1, columns if whole_row else 1)
        self._count += columns if whole_row else 1

    def _end(self) -> None:
        self.list_layout.setRowStretch((self._count + self._columns() - 1) // self._columns(), 1)

    def _base(self) -> dict:
        return {"purpose": self.params.get("purpose", "")}

    def enter(self, **params) -> None:
        self.params = {"tab": "natural_person", **params}
        precheck = self.params.get("purpose") == "precheck"
        self.title.setText(tr("材料预审") if precheck else tr("办事指南"))
        self.hint.setText(
            tr("请先找到您要办的事项，然后逐项核对材料。") if precheck else tr("按个人、企业、部门或主题找到您要办的事项，点开查看要带的材料和去哪里办。")
        )
        tab = self.params["tab"]
        self.tab_bar.select(tab)
        self._clear()
        self.scroll.scroll_to_top()
        catalog = self.app.catalog
        if tab in ("natural_person", "legal_person"):
            self.section.setText(tr("个人办事：全部事项") if tab == "natural_person" else tr("法人办事：全部事项"))
            self._load(catalog.items_for_audience, tab, self._show_items)
        elif tab == "department":
            code = self.params.get("department")
            if code:
                self._load(catalog.items_of_department, code, self._show_items)
            else:
                self.section.setText(tr("请选择部门"))
                self._load(catalog.departments, None, self._show_departments)
        elif tab == "topic":
            code = self.params.get("topic")
            if code:
                self._load(catalog.items_of_topic, code, self._show_items)
            else:
                self.section.setText(tr("请选择您要办的事（主题）"))
                self._load(catalog.topics, None, self._show_topics)

    def _load(self, fn, argument, show) -> None:
        args = () if argument is None else (argument,)
        operations.run(self.shell.pools.db, fn, *args, on_success=show, on_failure=self._failed, owner=self)

    def _failed(self, exc) -> None:
        self._clear()
        self._add(label(tr("暂时无法读取事项目录，请稍后再试或呼叫帮办。"), "warning"), whole_row=True)

    def _show_departments(self, departments) -> None:
        self._clear()
        for department in departments:
            where = tr("在本中心") if department.in_center else tr("不在本中心：{address}").format(address=department.address)
            row = TextRow(department.name, where, name=f"department_{department.code}")
            row.clicked.connect(
                lambda _=False, c=department.code: self.shell.go("browse", **{**self._base(), "tab": "department", "department": c})
            )
            self._add(row)
        self._end()

    def _show_topics(self, topics) -> None:
        self._clear()
        for topic in topics:
            audience = tr("个人") if topic.audience == "natural_person" else tr("企业")
            row = TextRow(f"{topic.name}（{audience}）", name=f"topic_{topic.code}")
            row.clicked.connect(
                lambda _=False, c=topic.code, n=topic.name: self.shell.go(
                    "browse", **{**self._base(), "tab": "topic", "topic": c, "topic_name": n}
                )
            )
            self._add(row)
        self._end()

    def _show_items(self, items) -> None:
        self._clear()
        tab = self.params["tab"]
        if tab == "department" and items:
            self.section.setText(items[0].department.name)
        elif tab == "topic":
            self.section.setText(self.params.get("topic_name") or tr("主题事项"))
        if not items:
            self._add(label(tr("这里暂时没有事项。"), "body"), whole_row=True)
        for item in items:
            row = ItemRow(
                item.code,
                item.name,
                item.department.name,
                where_handled(item),
                in_center=item.in_center,
                self_service=item.self_service,
                online=item.online_supported,
                elder=self.shell.elder,
            )
            row.clicked.connect(lambda _=False, c=item.code: self.open_item(c))
            self._add(row)
        self._end()

    def open_item(self, code: str) -> None:
        if self.params.get("purpose") == "precheck":
            self.shell.go("checklist", code=code)
        else:
            self.shell.go("item", code=code)

    def reset(self) -> None:
        self.params = {}
        self._clear()
