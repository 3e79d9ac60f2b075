"""Finding a font that can draw Chinese: one place for the whole program.

``find_cjk_font()`` answers the question "which font file draws Simplified Chinese here?"
(fontconfig first, then the known paths of the Debian/Ubuntu packages fonts-noto-cjk and
fonts-wqy-*). The Qt UI can load the same file with QFontDatabase.addApplicationFont.

For slips we want more than "a CJK font": the thermal printer's own font is a fixed grid
(12×24 dots for ASCII, 24×24 for a Chinese character), so the image renderer uses the
*monospaced* face of the same family when the file has one (Noto Sans Mono CJK SC,
WenQuanYi Zen Hei Mono): ASCII advances exactly half an em there. ``slip_font_face()`` finds it.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

#: Known locations, best first (Debian/Ubuntu package names in comments).
KNOWN_CJK_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",  # fonts-noto-cjk
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",  # Arch, Fedora
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",  # fonts-wqy-zenhei
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",  # fonts-wqy-microhei
    "/usr/share/fonts/wenquanyi/wqy-zenhei/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",  # fonts-arphic-uming
)
KNOWN_CJK_BOLD_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Bold.ttc",
)

_FONT_SUFFIXES = (".ttf", ".ttc", ".otf", ".otc")


class FontNotFoundError(RuntimeError):
    """No font that can draw Chinese is installed."""

    def __init__(self) -> None:
        super().__init__(
            "未找到中文字体 / no CJK font found: install one, e.g. `apt-get install fonts-noto-cjk` "
            "(or fonts-wqy-zenhei); checked fontconfig (fc-match 'sans-serif:lang=zh-cn') and "
            + ", ".join(KNOWN_CJK_FONTS)
        )


@dataclass(frozen=True)
class FontFace:
    """One face of a font file (a .ttc holds several; ``index`` selects one)."""

    path: Path
    index: int = 0
    family: str = ""


def _fc_match(pattern: str) -> FontFace | None:
    """What fontconfig picks for ``pattern``, if it picks a file that exists and supports zh-cn."""
    fc_match = shutil.which("fc-match")
    if not fc_match:
        return None
    try:
        out = subprocess.run(
            [fc_match, "-f", "%{file}\t%{index}\t%{family[0]}\t%{lang}", pattern],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    parts = out.split("\t")
    if len(parts) < 4 or not parts[0]:
        return None
    path = Path(parts[0])
    # fontconfig falls back to *some* font (DejaVu) when nothing matches: insist on Chinese.
    langs = parts[3].split("|")
    if not path.is_file() or path.suffix.lower() not in _FONT_SUFFIXES or not any(
        lang in ("zh-cn", "zh-sg") for lang in langs
    ):
        return None
    try:
        index = int(parts[1] or 0)
    except ValueError:
        index = 0
    return FontFace(path, index, parts[2])


@functools.lru_cache(maxsize=None)
def find_cjk_font_face(bold: bool = False) -> FontFace:
    """The face fontconfig picks for Simplified Chinese sans-serif, else a known file."""
    face = _fc_match("sans-serif:lang=zh-cn" + (":weight=bold" if bold else ""))
    if face is not None:
        return face
    for candidate in (KNOWN_CJK_BOLD_FONTS if bold else ()) + bundled_fonts() + KNOWN_CJK_FONTS:
        path = Path(candidate)
        if path.is_file():
            return FontFace(path, _sc_index(path) if path.suffix == ".ttc" else 0)
    raise FontNotFoundError()


def bundled_fonts() -> tuple[str, ...]:
    """The font files a PyInstaller bundle carries in assets/fonts (kiosk.spec), so that a
    terminal without a system CJK font still prints."""
    bundle = getattr(sys, "_MEIPASS", None)
    if not bundle:
        return ()
    folder = Path(bundle) / "assets" / "fonts"
    if not folder.is_dir():
        return ()
    return tuple(str(p) for p in sorted(folder.iterdir()) if p.suffix.lower() in _FONT_SUFFIXES)


def find_cjk_font() -> Path:
    """The file of a font that draws Simplified Chinese. Raises FontNotFoundError."""
    return find_cjk_font_face().path


def _faces(path: Path) -> list[tuple[int, str]]:
    """(index, family name) of every face in a font file."""
    from PIL import ImageFont

    faces = []
    for index in range(32):
        try:
            font = ImageFont.truetype(str(path), 24, index=index)
        except OSError:
            break
        faces.append((index, font.getname()[0] or ""))
        if path.suffix.lower() not in (".ttc", ".otc"):
            break
    return faces


def _sc_index(path: Path) -> int:
    faces = _faces(path)
    for index, family in faces:
        if family.endswith(" SC") and "Mono" not in family:
            return index
    return 0


@functools.lru_cache(maxsize=None)
def slip_font_face(bold: bool = False) -> FontFace:
    """The face used to draw slips: the monospaced Simplified Chinese face of the CJK font when
    the file has one (its ASCII is exactly half as wide as a Chinese character, like the
    printer's 12×24 / 24×24 fonts), else the CJK face itself."""
    base = find_cjk_font_face(bold)
    faces = _faces(base.path)
    mono = [(i, fam) for i, fam in faces if "Mono" in fam]
    for index, family in mono:
        if family.endswith(" SC"):
            return FontFace(base.path, index, family)
    if mono:
        return FontFace(base.path, mono[0][0], mono[0][1])
    mono_face = _fc_match("monospace:lang=zh-cn" + (":weight=bold" if bold else ""))
    if mono_face is not None and "Mono" in mono_face.family:
        return mono_face
    family = dict(faces).get(base.index, base.family)
    return FontFace(base.path, base.index, family)
