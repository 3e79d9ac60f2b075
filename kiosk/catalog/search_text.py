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


# --- forgiving search ----------------------------------------------------------------------------
# Fuzzy pinyin (模糊音): the pairs people from many dialect areas do not tell apart. Both the
# index and the query go through ``fuzzy``, which folds each pair into one spelling; it works on
# letters without syllable boundaries (the citizen types "yinyezhizhao", not "yin ye zhi zhao"),
# so the folding is done on the string: zh/ch/sh → z/c/s, ng → n (ang/eng/ing → an/en/in; ong
# folds with it), then n → l and f → h.
_FUZZY_DIGRAPHS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("ng", "n"))
_FUZZY_LETTERS = str.maketrans({"n": "l", "f": "h"})


def fuzzy(letters: str) -> str:
    """``shenfenzheng`` and ``senfenzen`` (and ``selhelzel``) give the same key."""
    for pair, single in _FUZZY_DIGRAPHS:
        letters = letters.replace(pair, single)
    return letters.translate(_FUZZY_LETTERS)


def one_letter_off(key: str, alphabet: str) -> set[str]:
    """Every string one edit from ``key``: a letter left out, added, changed, or two neighbours
    swapped (a typo). ``key`` itself is not included."""
    out = set()
    for i in range(len(key) + 1):
        head, tail = key[:i], key[i:]
        if tail:
            out.add(head + tail[1:])
            if len(tail) > 1:
                out.add(head + tail[1] + tail[0] + tail[2:])
            for letter in alphabet:
                out.add(head + letter + tail[1:])
        for letter in alphabet:
            out.add(head + letter + tail)
    out.discard(key)
    return out
