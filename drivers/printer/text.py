"""Text on a receipt: display width, line wrapping and encoding for the printer.

Width: a printer in Chinese mode prints an ASCII character in a 12-dot cell and every other
character it knows (a GB18030/GBK double-byte or four-byte code) in a 24-dot cell. The image
renderer uses the same grid, so one function, ``char_columns``, decides widths everywhere:
ASCII 1 column, combining marks and zero-width characters 0, everything else 2.

Wrapping (``wrap``): by display width, never inside a character, nothing dropped (only the
spaces where a line breaks), English words and numbers broken at spaces when they fit on a
line, and simple 禁则 (line-breaking rules): a line does not start with closing punctuation
（，。、）》」 … nor end with opening punctuation （《「 … where that can be avoided.

Encoding (``encode_for``): what the profile's printer font can hold is sent as bytes in its
encoding; ``printable_in_font`` says whether a character can be; a line with a character
that can't is printed as an image by the ESC/POS renderer (never "?", never dropped).
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterator

from drivers.printer.profiles import PrinterProfile

#: Punctuation that must not begin a line (closing marks, pauses, stops), full- and half-width.
CLOSING_PUNCTUATION = frozenset(
    "，。、；：？！）》」』】〕〉〗〙〛”’…‥·%％‰°℃"
    ",.;:?!)]}>"
    "～—–ー々〻ゝゞヽヾ・"
    "\uff09\uff3d\uff5d\uff1e\uff0e\uff61\uff64"
)
#: Punctuation that must not end a line (opening brackets and quotes).
OPENING_PUNCTUATION = frozenset("（《「『【〔〈〖〘〚“‘([{<￥¥$＄#＃")

#: Characters replaced before encoding when the profile's encoding lacks them (GBK has no ¥
#: U+00A5 — GB18030 gives it a four-byte code that GBK-only firmware prints as junk — but it
#: has the full-width ￥ U+FFE5).
SUBSTITUTES = {
    "\u00a5": "\uffe5",  # ¥ → ￥
    "\u2013": "\uff0d",  # – en dash → － (GBK has no en dash)
    "\u00a0": " ",  # no-break space → space
}


def char_columns(ch: str) -> int:
    """Columns a character takes on the printer's text grid (12 dots each)."""
    code = ord(ch)
    if 0x20 <= code < 0x7F:
        return 1
    return _wide_columns(ch)


@functools.lru_cache(maxsize=16384)
def _wide_columns(ch: str) -> int:
    code = ord(ch)
    if code < 0x20 or code == 0x7F:
        return 0
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2


def text_columns(text: str) -> int:
    return sum(char_columns(ch) for ch in text)


def clean_text(text: str) -> str:
    """Normalise text for printing: tabs become spaces, other control characters and
    zero-width formatting go (they print nothing), line breaks are kept."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ").replace("\u00a0", " ")
    return "".join(ch for ch in text if ch == "\n" or char_columns(ch) > 0 or unicodedata.combining(ch))


# --- wrapping --------------------------------------------------------------------------------


def _tokens(text: str) -> Iterator[str]:
    """Units that are not split unless they can't fit a line: runs of ASCII letters, digits and
    attached punctuation (a word, a number, a URL), single spaces, single wide characters
    (with the combining marks that follow them)."""
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == " ":
            yield ch
            i += 1
        elif char_columns(ch) == 1:
            j = i + 1
            while j < n and char_columns(text[j]) == 1 and text[j] != " ":
                j += 1
            yield text[i:j]
            i = j
        else:
            j = i + 1
            while j < n and char_columns(text[j]) == 0:
                j += 1
            yield text[i:j]
            i = j


def _split_long(token: str, width: int) -> list[str]:
    """A token wider than a line, cut at character boundaries into pieces that fit."""
    pieces, current, cols = [], "", 0
    for ch in token:
        w = char_columns(ch)
        if cols + w > width and current:
            pieces.append(current)
            current, cols = "", 0
        current += ch
        cols += w
    if current:
        pieces.append(current)
    return pieces


def _starts_closed(token: str) -> bool:
    return bool(token) and token[0] in CLOSING_PUNCTUATION


def _ends_open(token: str) -> bool:
    return bool(token) and token[-1] in OPENING_PUNCTUATION


def wrap(text: str, width: int, *, indent: int = 0) -> list[str]:
    """Break ``text`` into lines of at most ``width`` columns.

    ``indent`` columns of spaces start every line after the first (a hanging indent for
    numbered items). Explicit line breaks in the text are kept; an empty text gives [""].
    """
    if width < 2:
        raise ValueError("width must be at least 2 columns")
    indent = max(0, min(indent, width - 2))
    lines: list[str] = []
    for paragraph in clean_text(text).split("\n"):
        lines.extend(_wrap_tokens(list(_tokens(paragraph)), width, indent, continuation=bool(lines)))
    return lines or [""]


def _break_is_bad(tokens: list[str], k: int, start: int) -> bool:
    """Whether starting the next line at tokens[k] breaks a 禁则 rule."""
    nxt = next((t for t in tokens[k:] if t != " "), "")
    prev = next((t for t in reversed(tokens[start:k]) if t != " "), "")
    if _starts_closed(nxt) or _ends_open(prev):
        return True
    # Keep a number with the unit that follows it (1份, 20个工作日).
    return bool(prev) and prev[-1].isdigit() and prev[-1].isascii() and char_columns(nxt[:1] or " ") == 2


def _wrap_tokens(tokens: list[str], width: int, indent: int, continuation: bool) -> list[str]:
    if not tokens:
        return [""]  # an empty paragraph: a blank line
    lines: list[str] = []
    i, n = 0, len(tokens)
    while i < n:
        prefix = " " * indent if (lines or continuation) else ""
        available = width - len(prefix)
        if lines:
            while i < n and tokens[i] == " ":  # the spaces at which the previous line broke
                i += 1
            if i >= n:
                break
        j, cols = i, 0
        while j < n and cols + text_columns(tokens[j]) <= available:
            cols += text_columns(tokens[j])
            j += 1
        if j == n:
            lines.append((prefix + "".join(tokens[i:j])).rstrip(" ") or prefix)
            break
        if j == i:
            if prefix and text_columns(tokens[i]) <= width:
                # Fits the paper but not the indented line (a long code): drop the indent
                # for this line rather than cut the code.
                lines.append(tokens[i])
                i += 1
                continue
            # Wider than the paper (a long URL or number): cut between characters.
            tokens[i : i + 1] = _split_long(tokens[i], available)
            n = len(tokens)
            continue
        # 禁则: pull units down to the next line rather than start it with closing punctuation
        # or end this one with opening punctuation -- while something stays on this line.
        k = j
        while k > i + 1 and _break_is_bad(tokens, k, i):
            k -= 1
        if _break_is_bad(tokens, k, i):
            k = j  # unavoidable: keep the greedy break
        lines.append((prefix + "".join(tokens[i:k])).rstrip(" "))
        i = k
    return lines


# --- encoding --------------------------------------------------------------------------------


def substitute(text: str, profile: PrinterProfile) -> str:
    """Replace characters the profile's encoding lacks by equivalents it has (¥ → ￥ for GBK).
    The substitute has the same display width (both are double-width on the printer)."""
    encoding = profile.text_encoding
    if encoding is None:
        return text
    out = []
    for ch in text:
        sub = SUBSTITUTES.get(ch)
        if sub is not None and sub != ch and not printable_in_font(ch, profile):
            out.append(sub)
        else:
            out.append(ch)
    return "".join(out)


@functools.lru_cache(maxsize=65536)
def printable_in_font(ch: str, profile: PrinterProfile) -> bool:
    """Whether the printer's own font prints ``ch`` (sent as text bytes)."""
    code = ord(ch)
    if 0x20 <= code < 0x7F:
        return profile.text_encoding is not None
    encoding = profile.text_encoding
    if encoding is None:
        return False
    if code > 0xFFFF and not profile.font_supplementary:
        return False  # printer fonts hold the Basic Multilingual Plane only (𠮷 U+20BB7 is not)
    if 0xE000 <= code <= 0xF8FF or code < 0x20 or 0x7F <= code < 0xA0 or char_columns(ch) == 0:
        return False  # private use (user-defined areas), control characters, combining marks
    try:
        encoded = ch.encode(encoding)
    except UnicodeEncodeError:
        return False
    return len(encoded) <= profile.max_bytes_per_char


def unprintable_chars(text: str, profile: PrinterProfile) -> list[str]:
    """The characters of ``text`` (after substitution) that the printer's font can't print."""
    return [ch for ch in substitute(clean_text(text), profile) if ch != "\n" and not printable_in_font(ch, profile)]


def encode_for(text: str, profile: PrinterProfile) -> bytes:
    """``text`` as bytes for the printer. Raises UnicodeEncodeError naming the character when
    one can't be printed as text (the renderer prints such a line as an image instead)."""
    if profile.text_encoding is None:
        raise UnicodeEncodeError("raster", text, 0, len(text), "this profile prints all text as images")
    text = substitute(text, profile)
    out = bytearray()
    for index, ch in enumerate(text):
        if not printable_in_font(ch, profile):
            raise UnicodeEncodeError(profile.text_encoding, text, index, index + 1, "not in the printer's font")
        out += ch.encode(profile.text_encoding)
    return bytes(out)
