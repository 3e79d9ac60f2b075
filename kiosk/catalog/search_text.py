"""Readings used by catalog search: pinyin syllables and initials of Chinese text.

Polyphonic characters are read in context by pypinyin's phrase dictionary
(行驶证 → xing shi zheng, 重新 → chong xin). Non-Chinese runs (ETC, 12345) are kept as they are.
"""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
#: separates keywords inside ServiceItem.search_keywords; never occurs in normalised text
KEYWORD_SEPARATOR = "\n"
_FIELD_SEPARATOR = "\t"


def normalise(text: str) -> str:
    """Full-width to half-width, lower case: what both the index and the query go through."""
    return unicodedata.normalize("NFKC", text).lower()


def syllables(text: str) -> list[str]:
    """The pinyin of ``text`` as a list of tokens: one per Chinese character, one per other run."""
    # Imported here: pypinyin's phrase dictionary costs ~60 MiB and 0.2 s, and only an import
    # needs readings; the running kiosk searches readings stored in the database.
    from pypinyin import Style, lazy_pinyin

    tokens = lazy_pinyin(normalise(text), style=Style.NORMAL, errors=lambda run: [run])
    out = []
    for token in tokens:
        cleaned = _NON_ALNUM.sub("", token.lower())
        if cleaned:
            out.append(cleaned)
    return out


def name_readings(name: str) -> tuple[str, str]:
    """(space-separated pinyin syllables, initials) of an item name."""
    tokens = syllables(name)
    return " ".join(tokens), "".join(_initial(token) for token in tokens)


def _initial(token: str) -> str:
    # A syllable (or a Latin run such as ETC) contributes its first letter; a number stays whole.
    return token if token.isdigit() else token[0]


def keyword_text(keywords: list[str]) -> str:
    """Keywords with their readings, stored so that the index needs no pinyin work at start-up:
    one line per keyword, ``keyword<TAB>pin yin<TAB>initials``."""
    lines = []
    for keyword in keywords:
        if not keyword.strip():
            continue
        pinyin, initials = name_readings(keyword)
        lines.append(_FIELD_SEPARATOR.join((normalise(keyword).replace(_FIELD_SEPARATOR, " "), pinyin, initials)))
    return KEYWORD_SEPARATOR.join(lines)


def parse_keyword_text(text: str) -> list[tuple[str, str, str]]:
    out = []
    for line in text.split(KEYWORD_SEPARATOR) if text else []:
        parts = line.split(_FIELD_SEPARATOR)
        if len(parts) == 3:
            out.append((parts[0], parts[1], parts[2]))
    return out
