"""Home: big tiles, one per thing a citizen comes for; the way to a human (呼叫帮办) and elder
mode are the footer's, as on every screen."""

from __future__ import annotations

from ui.i18n import LANGUAGES, tr
from ui.qt import QGridLayout, QHBoxLayout, QLabel, QPushButton, QSizePolicy, Qt, QVBoxLayout
from ui.screen import Screen
from ui.theme import TILE_COLOURS
from ui.widgets.basic import button, label
from ui.widgets.item_row import TextRow

# (object name, title, subtitle, colour index, action)
TILES = (
    ("tile_guide", "办事指南", "查事项、看要带的材料", 0, ("browse", {})),
    ("tile_progress", "进度查询", "查办件办到哪一步了", 1, ("progress", {})),
    ("tile_precheck", "材料预审", "看看材料带齐了没有", 2, ("browse", {"purpose": "precheck"})),
    ("tile_selfservice", "自助办理", "哪台机器能办、要带什么", 3, ("selfservice", {})),
    ("tile_feedback", "评价建议", "好差评、投诉和建议", 5, ("feedback", {})),
)
# 呼叫帮办 and 长辈模式 are the footer's, in the same place on every screen (not tiles here too).


class HomeScreen(Screen):
    name = "home"
    keep_in_history = True

    def __init__(self, shell):
        super().__init__(shell)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 28, 32, 28)
        layout.setSpacing(24)
        self.greeting = label(tr("您好，请问您要办什么事？"), "title")
        self.greeting.setObjectName("greeting")
        self.greeting.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # 中文/EN: the session's language (ui/i18n.py); it returns to ui.language when the session ends
        other = "en" if shell.language == "zh_CN" else "zh_CN"
        self.language_button = button(LANGUAGES[other], name="languageButton")
        self.language_button.setAccessibleName("English" if other == "en" else "中文")
        self.language_button.clicked.connect(lambda: self.shell.set_language(other))
        top = QHBoxLayout()
        top.addWidget(self.greeting, 1)
        top.addWidget(self.language_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        self.search_button = TextRow(tr("点这里搜索事项"), tr("输入事项名称或拼音首字母，如 yyzz（营业执照）"), name="homeSearch")
        self.search_button.clicked.connect(lambda: self.shell.go("search"))
        layout.addWidget(self.search_button)
        self.grid = QGridLayout()
        self.grid.setSpacing(22)
        layout.addLayout(self.grid, 1)
        self.tiles: dict[str, QPushButton] = {}
        for name, title, subtitle, colour, action in TILES:
            tile = button("", name=name)
            tile.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            inner = QVBoxLayout(tile)
            inner.setContentsMargins(24, 24, 24, 24)
            heading = QLabel(tr(title))
            heading.setObjectName("tileTitle")
            heading.setWordWrap(True)  # a longer language takes two lines in elder mode
            heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
            heading.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            sub = QLabel(tr(subtitle))
            sub.setObjectName("tileSubtitle")
            sub.setWordWrap(True)
            sub.setAlignment(Qt.AlignmentFlag.AlignCenter)
            sub.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            inner.addStretch(1)
            inner.addWidget(heading)
            inner.addWidget(sub)
            inner.addStretch(1)
            tile.setProperty("colour", TILE_COLOURS[colour])
            tile.clicked.connect(lambda _=False, a=action: self._open(a))
            self.tiles[name] = tile

    def _open(self, action) -> None:
        target, params = action
        self.shell.go(target, **params)

    def apply_theme(self, theme) -> None:
        for tile in self.tiles.values():
            self.grid.removeWidget(tile)
        columns = theme.tile_columns
        for index, tile in enumerate(self.tiles.values()):
            colour = tile.property("colour")
            tile.setStyleSheet(
                f"QPushButton {{ background: {colour}; border: none; border-radius: {theme.radius}px;"
                f" min-height: {round(theme.target_px * (2 if theme.portrait else 1.5))}px; }}"
                f"QPushButton:pressed {{ background: #1d1d1f; }}"
                f"QLabel#tileTitle {{ color: white; font-size: {round(theme.title_px * 1.05)}px; font-weight: bold; }}"
                f"QLabel#tileSubtitle {{ color: white; font-size: {theme.small_px if not theme.elder else theme.body_px}px; }}"
            )
            tile.findChild(QLabel, "tileSubtitle").setVisible(True)
            last_alone = index == len(self.tiles) - 1 and index % columns == 0
            self.grid.addWidget(tile, index // columns, 0 if last_alone else index % columns, 1, columns if last_alone else 1)

    def enter(self, **params) -> None:
        self.apply_theme(self.shell.theme)

