"""A slip, described once: the document model and its layout on a given paper width.

A ``Document`` is a list of blocks -- text (emphasis, size, alignment, hanging indent),
two-column rows, rules, QR codes, blank lines and the cut. ``layout(document, profile)``
turns it into printed lines on the profile's text grid (12-dot columns, 48 on 80 mm paper,
32 on 58 mm). Both renderers -- ESC/POS bytes (``escpos.py``) and the image (``raster.py``)
-- draw those same lines, so the preview on the screen is what the paper shows.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Literal, Union

from drivers.printer.profiles import PrinterProfile
from drivers.printer.text import clean_text, text_columns, wrap

Align = Literal["left", "center", "right"]

#: dots of a text cell: ASCII 12×24, a Chinese character 24×24 (ESC/POS font A)
CELL_WIDTH = 12
CELL_HEIGHT = 24
#: dots between two lines of text (ESC 3 n sets the line pitch to height + gap)
LINE_GAP = 8


# --- blocks ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    text: str
    bold: bool = False
    #: character magnification: 1 (normal) or 2, horizontally and vertically
    width: int = 1
    height: int = 1
    align: Align = "left"
    #: columns of hanging indent for the lines after the first (numbered items)
    indent: int = 0
    underline: bool = False
    #: when the text at double width needs more than one line, print it at normal width
    #: (keeping the height): a long center name stays on one line on 58 mm paper
    fit: bool = False


@dataclass(frozen=True)
class Columns:
    """A row of two columns: the left flush left, the right flush right (label : value)."""

    left: str
    right: str
    bold: bool = False


@dataclass(frozen=True)
class Rule:
    char: str = "-"


@dataclass(frozen=True)
class QrCode:
    data: str
    #: printed centred under the code
    caption: str = ""


@dataclass(frozen=True)
class Feed:
    lines: int = 1


@dataclass(frozen=True)
class Cut:
    pass


Block = Union[Text, Columns, Rule, QrCode, Feed, Cut]


@dataclass
class Document:
    """A slip. Build it with the chaining helpers::

    Document("一次性告知单").text("永城市政务服务中心", bold=True, size=2, align="center").rule()
    """

    title: str = ""
    blocks: list[Block] = field(default_factory=list)

    def add(self, block: Block) -> Document:
        self.blocks.append(block)
        return self

    def text(
        self,
        text: str,
        *,
        bold: bool = False,
        size: int = 1,
        width: int | None = None,
        height: int | None = None,
        align: Align = "left",
        indent: int = 0,
        underline: bool = False,
        fit: bool = False,
    ) -> Document:
        w = size if width is None else width
        h = size if height is None else height
        if w not in (1, 2) or h not in (1, 2):
            raise ValueError("text size must be 1 or 2")
        return self.add(Text(text, bold, w, h, align, indent, underline, fit))

    def columns(self, left: str, right: str, *, bold: bool = False) -> Document:
        return self.add(Columns(left, right, bold))

    def rule(self, char: str = "-") -> Document:
        return self.add(Rule(char))

    def qr(self, data: str, caption: str = "") -> Document:
        if not data:
            raise ValueError("a QR code needs data")
        return self.add(QrCode(data, caption))

    def feed(self, lines: int = 1) -> Document:
        return self.add(Feed(lines))

    def cut(self) -> Document:
        return self.add(Cut())

    def plain_text(self) -> str:
        """The words of the document (for logs, tests and speech output)."""
        parts = []
        for block in self.blocks:
            if isinstance(block, Text):
                parts.append(block.text)
            elif isinstance(block, Columns):
                parts.append(f"{block.left} {block.right}")
            elif isinstance(block, QrCode) and block.caption:
                parts.append(block.caption)
        return "\n".join(parts)


# --- layout ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TextLine:
    """One printed line of text: at most ``columns // width`` columns."""

    text: str
    bold: bool = False
    width: int = 1
    height: int = 1
    align: Align = "left"
    underline: bool = False

    @property
    def pitch(self) -> int:
        """Dots from the top of this line to the top of the next."""
        return CELL_HEIGHT * self.height + LINE_GAP

    @property
    def dots(self) -> int:
        """Dots the text covers horizontally."""
        return text_columns(self.text) * CELL_WIDTH * self.width


@dataclass(frozen=True)
class QrLine:
    data: str
    module: int
    #: modules per side (computed the way a printer picks it: the smallest version for EC M)
    modules: int

    @property
    def size(self) -> int:
        return self.modules * self.module

    @property
    def pitch(self) -> int:
        return self.size + 2 * LINE_GAP


@dataclass(frozen=True)
class FeedLine:
    lines: int = 1

    @property
    def pitch(self) -> int:
        return self.lines * (CELL_HEIGHT + LINE_GAP)


@dataclass(frozen=True)
class CutLine:
    #: lines fed before the cut (the cutter sits above the print head)
    feed: int = 4
    cutter: bool = True

    @property
    def pitch(self) -> int:
        return self.feed * (CELL_HEIGHT + LINE_GAP)


Line = Union[TextLine, QrLine, FeedLine, CutLine]


@functools.lru_cache(maxsize=64)
def qr_matrix(data: str) -> tuple[tuple[bool, ...], ...]:
    """The QR code's modules (no quiet zone), error correction M, smallest version."""
    import qrcode
    import qrcode.constants

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(data.encode("utf-8"))
    code.make(fit=True)
    return tuple(tuple(row) for row in code.get_matrix())


def layout(document: Document, profile: PrinterProfile) -> list[Line]:
    """The document as printed lines on the profile's paper."""
    cols = profile.columns
    lines: list[Line] = []
    for block in document.blocks:
        if isinstance(block, Text):
            width = block.width
            # A hanging indent takes at most a third of the line (58 mm paper is narrow).
            indent = min(block.indent, cols // width // 3)
            if block.fit and width > 1 and len(wrap(block.text, cols // width, indent=indent)) > 1:
                width = 1
                indent = min(block.indent, cols // 3)
            for text in wrap(block.text, cols // width, indent=indent):
                lines.append(TextLine(text, block.bold, width, block.height, block.align, block.underline))
        elif isinstance(block, Columns):
            lines.extend(_columns(block, cols))
        elif isinstance(block, Rule):
            char = clean_text(block.char)[:1] or "-"
            lines.append(TextLine(char * (cols // max(1, text_columns(char)))))
        elif isinstance(block, QrCode):
            matrix = qr_matrix(block.data)
            module = profile.qr_module_dots
            # Never wider than the paper.
            while module > 1 and len(matrix) * module > profile.width_dots:
                module -= 1
            lines.append(QrLine(block.data, module, len(matrix)))
            if block.caption:
                for text in wrap(block.caption, cols):
                    lines.append(TextLine(text, align="center"))
        elif isinstance(block, Feed):
            if block.lines > 0:
                lines.append(FeedLine(block.lines))
        elif isinstance(block, Cut):
            lines.append(CutLine(profile.feed_lines, profile.cutter))
        else:  # pragma: no cover - a programming error
            raise TypeError(f"not a document block: {block!r}")
    return lines


def _columns(block: Columns, cols: int) -> list[TextLine]:
    left = clean_text(block.left).replace("\n", " ")
    right = clean_text(block.right).replace("\n", " ")
    lw, rw = text_columns(left), text_columns(right)
    if lw + rw + 1 <= cols:
        return [TextLine(left + " " * (cols - lw - rw) + right, block.bold)]
    # Too long for one row: the left part, then the right part flush right below it.
    out = [TextLine(text, block.bold) for text in wrap(left, cols)]
    for text in wrap(right, cols):
        out.append(TextLine(" " * (cols - text_columns(text)) + text, block.bold))
    return out
