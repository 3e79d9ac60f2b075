"""The ESC/POS renderer: a laid-out slip as the bytes a given printer profile understands.

We generate the bytes ourselves (python-escpos 3.1 sends CJK text as GB18030 without FS &,
turns punctuation-only strings into "?", and has no per-profile image fallback; see
docs/printers.md). Per line:

- text the printer's font holds: ESC 3 (line pitch), ESC a (alignment), GS ! / FS ! (size),
  ESC E (emphasis), the text in the profile's encoding in Chinese mode (FS & at job start), LF;
- a line with a character the font lacks, or every line on a profile without a Chinese font:
  the line drawn by the image renderer, sent as a raster image (GS v 0);
- QR: native GS ( k model 2, error correction M, or the image;
- feed: ESC J; cut: ESC J then GS V 0 (full cut) where the profile has a cutter.
"""

from __future__ import annotations

# The command vocabulary is python-escpos's; the Chinese text handling is ours (see above).
from escpos.constants import CTL_LF as LF
from escpos.constants import ESC, FS, GS, RT_STATUS, TXT_STYLE
from escpos.constants import HW_INIT as INIT
from escpos.constants import PAPER_FULL_CUT as FULL_CUT

from drivers.printer.document import CutLine, Document, FeedLine, Line, QrLine, TextLine, layout
from drivers.printer.profiles import PrinterProfile
from drivers.printer.raster import render_line, to_monochrome
from drivers.printer.text import encode_for, unprintable_chars

CHINESE_ON = FS + b"&"
CHINESE_OFF = FS + b"."
ALIGN = {name: TXT_STYLE["align"][name] for name in ("left", "center", "right")}


def dle_eot(n: int) -> bytes:
    """Real-time status request (answered at once, even while printing)."""
    return RT_STATUS + bytes([n])


#: GS r 1: paper sensor status, answered after the data before it has been processed.
PAPER_SENSOR_STATUS = GS + b"r\x01"


def feed_dots(dots: int) -> bytes:
    out = bytearray()
    while dots > 0:
        step = min(255, dots)
        out += ESC + b"J" + bytes([step])
        dots -= step
    return bytes(out)


def raster_image(image) -> bytes:
    """GS v 0: a monochrome image, one bit per dot (1 = black), rows padded to bytes."""
    mono = to_monochrome(image)
    width_bytes = (mono.width + 7) // 8
    # Mode "1" packs white as 1: invert so that a set bit burns a dot.
    data = bytes(b ^ 0xFF for b in mono.tobytes())
    header = GS + b"v0\x00" + bytes(
        [width_bytes & 0xFF, width_bytes >> 8, mono.height & 0xFF, mono.height >> 8]
    )
    # The padding bits of each row must stay white (0) after the inversion.
    pad = width_bytes * 8 - mono.width
    if pad:
        mask = (0xFF << pad) & 0xFF
        rows = bytearray(data)
        for r in range(mono.height):
            rows[r * width_bytes + width_bytes - 1] &= mask
        data = bytes(rows)
    return header + data


def native_qr(data: str, module: int) -> bytes:
    """GS ( k: model 2, module size, error correction M, store, print."""
    payload = data.encode("utf-8")
    store_len = len(payload) + 3
    return (
        GS + b"(k\x04\x001A2\x00"  # fn 65: model 2
        + GS + b"(k\x03\x001C" + bytes([max(1, min(16, module))])  # fn 67: module size
        + GS + b"(k\x03\x001E1"  # fn 69: error correction M
        + GS + b"(k" + bytes([store_len & 0xFF, store_len >> 8]) + b"1P0" + payload  # fn 80
        + GS + b"(k\x03\x001Q0"  # fn 81: print
    )


def _size_byte(line: TextLine) -> int:
    return ((line.width - 1) << 4) | (line.height - 1)


def text_line_bytes(line: TextLine, profile: PrinterProfile) -> bytes | None:
    """The line as text bytes, or None when the printer's font can't print all of it."""
    if profile.text_encoding is None or unprintable_chars(line.text, profile):
        return None
    out = bytearray()
    out += ESC + b"3" + bytes([min(255, line.pitch)])
    out += ALIGN[line.align]
    out += GS + b"!" + bytes([_size_byte(line)])
    if profile.chinese_mode_command:
        # FS ! : size and underline of the Chinese characters (GS ! covers ASCII only on some firmware)
        out += FS + b"!" + bytes([(0x04 if line.width == 2 else 0) | (0x08 if line.height == 2 else 0)])
    out += ESC + b"E" + (b"\x01" if line.bold else b"\x00")
    if line.underline:
        out += ESC + b"-\x01" + (FS + b"-\x01" if profile.chinese_mode_command else b"")
    out += encode_for(line.text.rstrip(" ") if line.align != "left" else line.text, profile)
    if line.underline:
        out += ESC + b"-\x00" + (FS + b"-\x00" if profile.chinese_mode_command else b"")
    out += LF
    return bytes(out)


def line_bytes(line: Line, profile: PrinterProfile) -> bytes:
    if isinstance(line, TextLine):
        text = text_line_bytes(line, profile)
        if text is not None:
            return text
        return ALIGN["left"] + raster_image(render_line(line, profile.width_dots))
    if isinstance(line, QrLine):
        if profile.qr == "native":
            return ALIGN["center"] + feed_dots(8) + native_qr(line.data, line.module) + feed_dots(8) + ALIGN["left"]
        return ALIGN["left"] + raster_image(render_line(line, profile.width_dots))
    if isinstance(line, FeedLine):
        return feed_dots(line.pitch)
    if isinstance(line, CutLine):
        return feed_dots(line.pitch) + (FULL_CUT if line.cutter else b"")
    raise TypeError(f"not a line: {line!r}")  # pragma: no cover


def job_header(profile: PrinterProfile) -> bytes:
    """Initialise, and Chinese mode on where the profile wants it."""
    return INIT + (CHINESE_ON if profile.chinese_mode_command and profile.text_encoding else b"")


def render_escpos(document: Document, profile: PrinterProfile) -> bytes:
    """The document as ESC/POS bytes for the profile (without status queries)."""
    out = bytearray(job_header(profile))
    for line in layout(document, profile):
        out += line_bytes(line, profile)
    return bytes(out)
