"""Choosing the font that draws Chinese. Qt ships no fonts: without a CJK font the kiosk would
show boxes, so it refuses to start instead, saying what to install."""

from __future__ import annotations

import logging

from kiosk.paths import assets_dir
from ui.qt import QFont, QFontDatabase, QFontMetrics

log = logging.getLogger(__name__)

PREFERRED_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "PingFang SC",
)
#: characters every screen uses; a font must draw all of them
PROBE_TEXT = "政务服务中心办事指南材料预审，。：（）"


class NoChineseFontError(RuntimeError):
    pass


def load_bundled_fonts() -> list[str]:
    """Fonts shipped in assets/fonts (the deployment bundle carries one)."""
    families: list[str] = []
    folder = assets_dir() / "fonts"
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() in (".ttf", ".otf", ".ttc", ".otc"):
                font_id = QFontDatabase.addApplicationFont(str(path))
                if font_id >= 0:
                    families += QFontDatabase.applicationFontFamilies(font_id)
    return families


def draws_chinese(family: str) -> bool:
    metrics = QFontMetrics(QFont(family))
    return all(metrics.inFontUcs4(ord(ch)) for ch in PROBE_TEXT)


def choose_chinese_font() -> QFont:
    """The font for the whole UI; NoChineseFontError when nothing here can draw Chinese."""
    bundled = load_bundled_fonts()
    chinese = set(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))
    candidates = [f for f in bundled if f in chinese] + [f for f in PREFERRED_FAMILIES if f in chinese] + sorted(chinese)
    for family in candidates:
        if draws_chinese(family):
            log.info("UI font: %s", family)
            font = QFont(family)
            font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
            return font
    raise NoChineseFontError(
        "未找到可显示中文的字体，终端拒绝启动以免显示方框。请安装中文字体：sudo apt-get install fonts-noto-cjk\n"
        "No font that can draw Chinese was found; refusing to start rather than show boxes. "
        "Install one, e.g. `sudo apt-get install fonts-noto-cjk`, or put a CJK font in assets/fonts/."
    )
