"""The image renderer: a laid-out slip drawn with the CJK font, dot for dot as the printer
prints it (203 dpi, 12×24 / 24×24 cells). Used by the on-screen preview, the sim:// printer,
and by the ESC/POS renderer for the lines the printer's font can't print (raster-80: all).
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from PIL import Image, ImageDraw, ImageFont

from drivers.printer.document import (
    CELL_HEIGHT,
    CELL_WIDTH,
    LINE_GAP,
    CutLine,
    Document,
    FeedLine,
    Line,
    QrLine,
    TextLine,
    layout,
    qr_matrix,
)
from drivers.printer.fonts import slip_font_face
from drivers.printer.profiles import PrinterProfile
from drivers.printer.text import char_columns

WHITE = 255
BLACK = 0
#: where the baseline sits in a cell, as a fraction of the em (CJK fonts put the ideographic
#: em box from -0.12 to 0.88 em around the baseline)
BASELINE = 0.88

_lock = threading.Lock()
_render_lock = threading.Lock()
_fonts: dict[tuple[int, bool], tuple[ImageFont.FreeTypeFont, int]] = {}
_glyphs: OrderedDict[tuple[str, int, bool], Image.Image] = OrderedDict()
_GLYPH_CACHE_SIZE = 4096


def _font(height: int, bold: bool) -> tuple[ImageFont.FreeTypeFont, int]:
    """The slip font at ``height`` times the base size, and the stroke width that fakes bold
    when no bold face is installed."""
    key = (height, bold)
    cached = _fonts.get(key)
    if cached is None:
        size = CELL_HEIGHT * height
        stroke = 0
        face = slip_font_face(bold)
        if bold and face == slip_font_face(False):
            stroke = 1  # no separate bold file: thicken the strokes
        cached = (ImageFont.truetype(str(face.path), size, index=face.index), stroke)
        _fonts[key] = cached
    return cached


def _clusters(text: str) -> list[str]:
    """Characters with the combining marks that follow them."""
    out: list[str] = []
    for ch in text:
        if out and char_columns(ch) == 0:
            out[-1] += ch
        else:
            out.append(ch)
    return out


def _glyph(cluster: str, height: int, bold: bool) -> Image.Image:
    """A cell (``columns × 12h`` by ``24h`` dots, mode L, black on white) with the cluster."""
    key = (cluster, height, bold)
    with _lock:
        cell = _glyphs.get(key)
        if cell is not None:
            _glyphs.move_to_end(key)
            return cell
    with _render_lock:  # FreeType faces are shared: draw one glyph at a time
        cell = _draw_glyph(cluster, height, bold)
    with _lock:
        _glyphs[key] = cell
        if len(_glyphs) > _GLYPH_CACHE_SIZE:
            _glyphs.popitem(last=False)
    return cell


def _draw_glyph(cluster: str, height: int, bold: bool) -> Image.Image:
    font, stroke = _font(height, bold)
    columns = max(1, char_columns(cluster[0]))
    width = columns * CELL_WIDTH * height
    size = CELL_HEIGHT * height
    cell = Image.new("L", (width, size), WHITE)
    if cluster.strip():
        draw = ImageDraw.Draw(cell)
        advance = font.getlength(cluster)
        if advance > width:
            # Wider than its cell (rare symbols): draw it, then squeeze it into the cell.
            wide = Image.new("L", (int(advance) + 2, size), WHITE)
            ImageDraw.Draw(wide).text(
                (0, round(size * BASELINE)), cluster, font=font, fill=BLACK, anchor="ls",
                stroke_width=stroke, stroke_fill=BLACK,
            )
            cell = wide.resize((width, size), Image.LANCZOS)
        else:
            x = (width - advance) / 2
            draw.text(
                (x, round(size * BASELINE)), cluster, font=font, fill=BLACK, anchor="ls",
                stroke_width=stroke, stroke_fill=BLACK,
            )
    return cell


def render_text_line(line: TextLine, width_dots: int) -> Image.Image:
    """One text line as the printer prints it: full paper width, ``line.pitch`` high (mode L)."""
    h, w = line.height, line.width
    row = Image.new("L", (max(1, line.dots * h // w) if w != h else max(1, line.dots), CELL_HEIGHT * h), WHITE)
    x = 0
    for cluster in _clusters(line.text):
        cell = _glyph(cluster, h, line.bold)
        row.paste(cell, (x, 0))
        x += cell.width
    if w != h:
        # Double width only (or double height only): stretch the row the way the printer does.
        row = row.resize((line.dots, CELL_HEIGHT * h), Image.BILINEAR)
    image = Image.new("L", (width_dots, line.pitch), WHITE)
    left = {"left": 0, "center": (width_dots - line.dots) // 2, "right": width_dots - line.dots}[line.align]
    image.paste(row, (max(0, left), 0))
    if line.underline and line.text.strip():
        ImageDraw.Draw(image).rectangle(
            (max(0, left), CELL_HEIGHT * h, max(0, left) + line.dots - 1, CELL_HEIGHT * h + 1), fill=BLACK
        )
    return image


def render_qr_line(line: QrLine, width_dots: int, matrix=None) -> Image.Image:
    """The QR code centred, with ``LINE_GAP`` dots above and below."""
    matrix = matrix if matrix is not None else qr_matrix(line.data)
    n = len(matrix)
    code = Image.new("L", (n, n), WHITE)
    code.putdata([BLACK if cell else WHITE for row in matrix for cell in row])
    code = code.resize((n * line.module, n * line.module), Image.NEAREST)
    image = Image.new("L", (width_dots, line.pitch), WHITE)
    image.paste(code, ((width_dots - code.width) // 2, LINE_GAP))
    return image


def render_line(line: Line, width_dots: int) -> Image.Image:
    if isinstance(line, TextLine):
        return render_text_line(line, width_dots)
    if isinstance(line, QrLine):
        return render_qr_line(line, width_dots)
    if isinstance(line, (FeedLine, CutLine)):
        return Image.new("L", (width_dots, line.pitch), WHITE)
    raise TypeError(f"not a line: {line!r}")  # pragma: no cover


def to_monochrome(image: Image.Image, threshold: int = 128) -> Image.Image:
    """Mode 1 as the thermal head prints it: a dot is black or not."""
    return image.convert("L").point(lambda v: 0 if v < threshold else 255, mode="1")


def render_lines(lines: list[Line], width_dots: int, *, mode: str = "L", margin: int = 0) -> Image.Image:
    """Laid-out lines as one image of the paper (``margin`` dots of paper left and right, for
    a preview that shows the paper's edge)."""
    parts = [render_line(line, width_dots) for line in lines]
    height = sum(p.height for p in parts) or 1
    paper = Image.new("L", (width_dots + 2 * margin, height), WHITE)
    y = 0
    for part in parts:
        paper.paste(part, (margin, y))
        y += part.height
    if mode == "1":
        return to_monochrome(paper)
    return paper if mode == "L" else paper.convert(mode)


def render_image(document: Document, profile: PrinterProfile, *, mode: str = "L", margin: int = 0) -> Image.Image:
    """The document as the printer prints it on the profile's paper: ``width_dots`` wide,
    203 dots per inch. ``mode``: "L" (anti-aliased, for screens), "1" (as printed), "RGB"."""
    return render_lines(layout(document, profile), profile.width_dots, mode=mode, margin=margin)
