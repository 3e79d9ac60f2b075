"""Sizes and colours of the kiosk, for normal and elder mode (长辈模式).

Numbers follow BRIEF §6 (适老化): elder mode has body text at least 1.5× larger, main actions
at 30 px or more, touch targets at least 90×90 px, higher contrast and fewer items per screen.
Everything scales with the screen's short side (1080 px is the reference).
"""

from __future__ import annotations

from dataclasses import dataclass

# Government blue on white: 7.5:1; the elder palette uses near-black text on white (19:1).
BLUE = "#0a4f9e"
BLUE_DARK = "#073a75"
BLUE_LIGHT = "#e7f0fb"
RED = "#b3261e"
GREEN = "#1b6e3a"
AMBER_BG = "#fff4d6"
AMBER_TEXT = "#6b4500"
PAGE_BG = "#f2f5f9"
TEXT = "#1d1d1f"
TEXT_MUTED = "#4a5260"  # 7.6:1 on white
STAFF_BAR_COLOUR = "#7a3100"  # staff modes' bars, dark orange: white text 8.9:1; never on a citizen screen

TILE_COLOURS = ("#0a4f9e", "#1b6e3a", "#8a4b00", "#5b3a9b", "#b3261e", "#0f6674", "#404a57")


@dataclass(frozen=True)
class Theme:
    elder: bool
    scale: float
    body_px: int
    small_px: int
    title_px: int
    heading_px: int
    action_px: int
    target_px: int  # minimum side of a touch target
    row_px: int  # a list row's minimum height
    spacing: int
    radius: int
    text: str
    muted: str
    tile_columns: int
    key_px: int  # on-screen keyboard key height
    key_min_px: int  # the narrowest a key may get (the keyboard shares the width)

    @property
    def key_floor_px(self) -> int:
        """The lowest a key may get where a screen is short of room: never below a 60 px touch
        target, nor below 80 px in elder mode (BRIEF §6 asks 60 for main targets)."""
        return min(self.key_px, max(80 if self.elder else 60, round(self.key_px * 0.7)))
    portrait: bool = True

    @classmethod
    def for_screen(cls, width: int, height: int, elder: bool = False) -> Theme:
        short = min(width, height)
        portrait = height >= width
        scale = max(0.6, short / 1080)

        def px(value: float) -> int:
            return round(value * scale)

        if elder:
            return cls(
                elder=True,
                scale=scale,
                body_px=max(px(40), 27),  # 1.5× normal
                small_px=max(px(32), 22),
                title_px=max(px(58), 36),
                heading_px=max(px(46), 30),
                action_px=max(px(42), 30),
                # a landscape screen is short: the minimum 90 px, so the essentials still fit
                target_px=max(px(110 if portrait else 90), 90),
                row_px=max(px(150 if portrait else 120), 100),
                spacing=px(26),
                radius=px(18),
                text="#000000",
                muted="#222222",
                tile_columns=2 if portrait else 3,
                key_px=max(px(110 if portrait else 90), 90),
                key_min_px=90,
                portrait=portrait,
            )
        return cls(
            elder=False,
            scale=scale,
            body_px=max(px(26), 18),
            small_px=max(px(22), 16),
            title_px=max(px(42), 28),
            heading_px=max(px(32), 22),
            action_px=max(px(30), 22),
            target_px=max(px(80), 60),
            row_px=max(px(110), 72),
            spacing=px(18),
            radius=px(14),
            text=TEXT,
            muted=TEXT_MUTED,
            tile_columns=2 if portrait else 4,
            key_px=max(px(82), 60),
            key_min_px=60,
            portrait=portrait,
        )

    def stylesheet(self) -> str:
        """The application style sheet. Widgets pick rules by objectName or a "role" property."""
        border = 3 if self.elder else 2
        return f"""
QWidget {{ font-size: {self.body_px}px; color: {self.text}; }}
QWidget#shell {{ background: {PAGE_BG}; }}
QFrame#header {{ background: {BLUE}; }}
QFrame#header QLabel {{ color: white; }}
QLabel#centerName {{ font-size: {self.heading_px}px; font-weight: bold; }}
QLabel#clock, QLabel#terminalName {{ font-size: {self.small_px}px; }}
QFrame#footer {{ background: white; border-top: {border}px solid #c9d2de; }}
QFrame#printerBanner, QFrame#storageBanner {{ background: {AMBER_BG}; border-bottom: {border}px solid #e0b64a; }}
QFrame#printerBanner QLabel, QFrame#storageBanner QLabel {{ color: {AMBER_TEXT}; font-size: {self.small_px}px; }}
QLabel[role="title"] {{ font-size: {self.title_px}px; font-weight: bold; color: {BLUE_DARK}; }}
QLabel[role="heading"] {{ font-size: {self.heading_px}px; font-weight: bold; color: {BLUE_DARK}; }}
QLabel[role="muted"] {{ color: {self.muted}; font-size: {self.small_px}px; }}
QLabel[role="body"] {{ font-size: {self.body_px}px; }}
QLabel[role="big"] {{ font-size: {self.action_px}px; font-weight: bold; }}
QLabel[role="warning"] {{ color: {RED}; font-weight: bold; }}
QLabel[role="ok"] {{ color: {GREEN}; font-weight: bold; }}
QLabel[role="chip"] {{ font-size: {self.small_px}px; border-radius: {self.radius // 2}px; padding: 2px 10px; }}
QLabel[chip="required"] {{ background: #fde7e5; color: {RED}; }}
QLabel[chip="deferrable"] {{ background: {AMBER_BG}; color: {AMBER_TEXT}; }}
QLabel[chip="optional"] {{ background: #e8ecf1; color: {TEXT_MUTED}; }}
QLabel[chip="selfservice"] {{ background: #e3f3e8; color: {GREEN}; }}
QLabel[chip="online"] {{ background: {BLUE_LIGHT}; color: {BLUE_DARK}; }}
QLabel[chip="elsewhere"] {{ background: {AMBER_BG}; color: {AMBER_TEXT}; }}
QFrame[role="card"] {{ background: white; border: {border}px solid #d5dde8; border-radius: {self.radius}px; }}
QFrame[role="card"][accent="where"] {{ border: {border + 1}px solid {BLUE}; background: {BLUE_LIGHT}; }}
QFrame[role="card"][accent="warning"] {{ border: {border + 1}px solid {RED}; background: #fff5f4; }}
QFrame[role="card"][accent="ok"] {{ border: {border + 1}px solid {GREEN}; background: #f1faf4; }}
QPushButton {{
    font-size: {self.action_px}px; min-height: {self.target_px}px; min-width: {self.target_px}px;
    padding: 0 {self.spacing}px; border-radius: {self.radius}px;
    background: white; color: {BLUE_DARK}; border: {border}px solid {BLUE};
}}
QPushButton:pressed {{ background: {BLUE_DARK}; color: white; }}
QPushButton:disabled {{ color: #8a919c; border-color: #b8c0cb; background: #eef1f5; }}
QPushButton[role="primary"] {{ background: {BLUE}; color: white; font-weight: bold; }}
QPushButton[role="primary"]:pressed {{ background: {BLUE_DARK}; }}
QPushButton[role="help"] {{ background: {RED}; color: white; border-color: {RED}; font-weight: bold; }}
QPushButton[role="help"]:pressed {{ background: #7f1a15; }}
QPushButton[role="primary"]:disabled, QPushButton[role="help"]:disabled {{
    color: #8a919c; border-color: #b8c0cb; background: #eef1f5; font-weight: normal;
}}
QPushButton[role="elder"][checked="true"] {{ background: {AMBER_BG}; color: {AMBER_TEXT}; border-color: #c98a00; }}
QFrame[role="touchrow"] {{
    background: white; border: {border}px solid #d5dde8; border-radius: {self.radius}px; min-height: {self.row_px}px;
}}
QFrame[role="touchrow"][pressed="true"] {{ background: {BLUE_LIGHT}; border-color: {BLUE}; }}
QFrame[role="touchrow"][checked="true"] {{ background: #e3f3e8; border: {border + 1}px solid {GREEN}; }}
QFrame[role="touchrow"][checked="true"] QLabel {{ color: #0d3d20; }}
QLabel[role="rowtitle"] {{ font-weight: bold; font-size: {self.body_px}px; }}
QPushButton[role="key"] {{
    min-width: {self.key_min_px}px; min-height: {self.key_floor_px}px; font-size: {self.action_px}px;
    padding: 0; background: white; color: {self.text}; border: {border}px solid #aab4c2;
}}
QPushButton[role="key"]:pressed {{ background: {BLUE}; color: white; }}
QPushButton[role="candidate"] {{
    min-height: 0; min-width: 0; font-size: {self.title_px}px; padding: 0; background: #fffdf5;
    color: {self.text}; border: {border}px solid #b5835a;
}}
QPushButton[role="candidate"]:pressed {{ background: {BLUE}; color: white; }}
QWidget#handwritingPad {{ border: none; }}
QPushButton[role="tab"] {{ background: white; color: {BLUE_DARK}; }}
QPushButton[role="tab"]:checked {{ background: {BLUE}; color: white; font-weight: bold; }}
QLineEdit {{
    font-size: {self.action_px}px; min-height: {self.target_px}px; padding: 0 {self.spacing}px;
    border: {border + 1}px solid {BLUE}; border-radius: {self.radius}px; background: white;
}}
QScrollArea, QScrollArea > QWidget > QWidget {{ background: transparent; border: none; }}
QScrollBar:vertical {{ width: {max(16, self.spacing)}px; background: #e3e8ee; }}
QScrollBar::handle:vertical {{ background: #8f9bab; min-height: 60px; border-radius: 6px; }}
QFrame#overlay {{ background: rgba(0, 0, 0, 150); }}
QFrame#dialog {{ background: white; border-radius: {self.radius}px; border: {border}px solid {BLUE}; }}
"""
