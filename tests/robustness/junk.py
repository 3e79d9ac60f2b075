"""Hypothesis strategies for what a broken or hostile file or command line holds: huge and
odd numbers, lone surrogates, control characters, deep nesting, dates at the ends of time."""

from __future__ import annotations

import json
import re

from hypothesis import strategies as st

#: numbers too long for Python's int() of text (4300 digits): a marker that ``raw_json`` turns into
#: the digits in the file (a Python int that size cannot even be printed here)
HUGE = st.sampled_from(["\x00HUGE:5000", "\x00HUGE:-5000", "\x00HUGE:20", 2**63, -(2**63) - 1, 2**64])
ODD_FLOATS = st.sampled_from([float("inf"), float("-inf"), float("nan"), 1e308, -0.0, 5e-324])
#: every code point, lone surrogates (\ud800) included
ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=40)
ODD_TEXT = st.sampled_from(["\ud800", "a\udfffb", "\x00", "\u202e", "%", "_", "'; DROP TABLE x; --", " ",
                            "0001-01-01", "9999-12-31", "0000-00-00", "2026-02-30", "T", "𠀀" * 300, "x" * 100000])
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), HUGE, st.floats(), ODD_FLOATS, ANY_TEXT, ODD_TEXT)


def json_values(max_leaves: int = 12):
    return st.recursive(
        SCALARS,
        lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(ANY_TEXT, children, max_size=4)),
        max_leaves=max_leaves,
    )


def deep(depth: int, leaf="x"):
    """Nesting deeper than any parser's recursion limit."""
    value = leaf
    for _ in range(depth):
        value = [value]
    return value


def raw_json(document) -> bytes:
    """``document`` as JSON (ASCII, lone surrogates escaped), the HUGE markers as long numbers."""
    text = json.dumps(document, ensure_ascii=True)

    def digits(match: re.Match) -> str:
        count = int(match.group(1))
        return ("-" if count < 0 else "") + "9" * abs(count)

    return re.sub(r'"\\u0000HUGE:(-?\d+)"', digits, text).encode("ascii")
