"""Catalog search: Chinese substrings, full pinyin, pinyin initials and item codes.

The index lives in memory, built from the database (so it works on any SQLAlchemy backend) from
readings computed at import time. Lookups use dictionaries, sorted arrays (prefixes) and one long
string per field (substrings, searched by the C string search), so a query costs well under a
millisecond on 20,000 items whatever its length.

Ranking, best first:
  0  the exact name or the exact code
  1  a name, full-pinyin, initials or code prefix
  2  a substring of the name, of its pinyin (from a syllable start), of its initials, or of the code
  3  a keyword (Chinese substring, pinyin or initials prefix); synonyms are keywords too
     (kiosk/catalog/synonyms.py: 户籍 finds 户口迁移)
  4  fuzzy pinyin (z/zh, c/ch, s/sh, n/l, f/h, in/ing, en/eng, an/ang) from a name's start
  5  fuzzy pinyin from a later syllable of a name, or of a keyword
  6  one letter off (left out, added, changed, two swapped) from a name's or a keyword's start,
     for pinyin of 5 letters or more, tried only when the tiers above found nothing
Tiers 4–6 are looked up only while tiers 0–3 have found fewer than ``limit`` items.
Within a tier: an earlier match, then a shorter name, then catalog order.
"""

from __future__ import annotations

import heapq
import re
from sys import intern
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from kiosk.catalog import search_text
from kiosk.catalog.models import CatalogState, ItemWindow, ServiceItem

MAX_QUERY_LENGTH = 50
#: how many candidates one matcher contributes before ranking; bounds the work of short queries
CANDIDATE_CAP = 400
_SEP = "\x00"  # joins entries in the long strings; never in normalised text
_PINYIN_QUERY = re.compile(r"[a-z' ]+")
_CODE_QUERY = re.compile(r"[0-9a-z-]+")
#: a typo is forgiven in pinyin of this many letters or more (fewer: too many words are one off)
TYPO_MIN_LETTERS = 5
#: the letters of folded pinyin (fuzzy() has turned n into l and f into h)
_FUZZY_ALPHABET = "abcdeghijklmopqrstuwxyz"


@dataclass(frozen=True)
class SearchHit:
    """What a result row shows: enough to display without another database query."""

    item_id: int
    code: str
    name: str
    department: str
    in_center: bool
    self_service: bool
    #: where it is handled: "A03 企业开办综合窗口（一楼A区）" or the department's address
    where: str
    audience: tuple[str, ...]
    tier: int

    def as_json(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "department": self.department,
            "in_center": self.in_center,
            "self_service": self.self_service,
            "where": self.where,
            "rank_tier": self.tier,
        }


@dataclass(frozen=True)
class _Entry:
    item_id: int
    code: str
    name: str
    department: str
    in_center: bool
    self_service: bool
    where: str
    audience: tuple[str, ...]
    position: int


class _Field:
    """One searchable string per item: sorted for prefixes, joined into one long string for
    substrings anywhere (str.find runs in C)."""

    def __init__(self, values: list[str]):
        self.starts: list[int] = []
        offset = 0
        for value in values:
            self.starts.append(offset)
            offset += len(value) + 1
        self.joined = _SEP.join(values)
        self.sorted = sorted((value, index) for index, value in enumerate(values) if value)

    def prefix(self, query: str) -> Iterator[int]:
        position = bisect_left(self.sorted, (query,))
        end = min(len(self.sorted), position + CANDIDATE_CAP)
        while position < end and self.sorted[position][0].startswith(query):
            yield self.sorted[position][1]
            position += 1

    def substring(self, query: str) -> Iterator[tuple[int, int]]:
        """(item index, offset in its value) of each match, at most CANDIDATE_CAP."""
        found = 0
        start = self.joined.find(query)
        while start != -1 and found < CANDIDATE_CAP:
            index = bisect_right(self.starts, start) - 1
            yield index, start - self.starts[index]
            found += 1
            start = self.joined.find(query, start + 1)


class _Starts:
    """Text that may only match from certain offsets (pinyin: where a syllable starts). Every
    suffix from such an offset goes into one sorted array, so a match is a prefix search:
    O(log n) whatever the query, instead of scanning every occurrence."""

    def __init__(self, suffixes: list[tuple[str, int, int]]):
        self.sorted = sorted(suffixes)  # (suffix, item index, offset)

    def first(self, query: str, cap: int = 20) -> Iterator[tuple[int, int]]:
        """Like ``matches``, at most ``cap`` (a typo variant should not flood the results)."""
        position = bisect_left(self.sorted, (query,))
        end = min(len(self.sorted), position + cap)
        while position < end and self.sorted[position][0].startswith(query):
            _, index, offset = self.sorted[position]
            yield index, offset
            position += 1

    def matches(self, query: str) -> Iterator[tuple[int, int]]:
        position = bisect_left(self.sorted, (query,))
        end = min(len(self.sorted), position + CANDIDATE_CAP)
        while position < end and self.sorted[position][0].startswith(query):
            _, index, offset = self.sorted[position]
            yield index, offset
            position += 1


def _syllable_suffixes(spaced: str) -> list[tuple[str, int]]:
    """'ying ye zhi' → [('yingyezhi', 0), ('yezhi', 4), ('zhi', 6)]. The suffixes are interned:
    a county catalog repeats the same endings (…dengji) thousands of times, so the index keeps
    one copy of each."""
    plain = spaced.replace(" ", "")
    out, offset = [], 0
    for syllable in spaced.split():
        out.append((intern(plain[offset:]), offset))
        offset += len(syllable)
    return out


class CatalogIndex:
    def __init__(self, entries: list[_Entry], pinyin: list[str], initials: list[str], keywords: list[str]):
        self.entries = entries
        self.generation = 0
        names = [search_text.normalise(e.name) for e in entries]
        codes = [e.code.lower() for e in entries]
        self._names = _Field(names)
        self._codes = _Field(codes)
        self._initials = _Field(initials)
        self._exact_name: dict[str, list[int]] = {}
        for index, name in enumerate(names):
            self._exact_name.setdefault(name, []).append(index)
        self._exact_code = {code: index for index, code in enumerate(codes)}
        self._pinyin = _Starts(
            [(suffix, index, offset) for index, spaced in enumerate(pinyin) for suffix, offset in _syllable_suffixes(spaced)]
        )
        fuzzy = search_text.fuzzy
        # the same suffixes folded by fuzzy pinyin; offset 0 or 1 only says "from the name's start"
        self._fuzzy = _Starts(
            [
                (intern(fuzzy(suffix)), index, 1 if offset else 0)
                for index, spaced in enumerate(pinyin)
                for suffix, offset in _syllable_suffixes(spaced)
            ]
        )

        # Keywords: the Chinese text anywhere; their pinyin from any syllable start and their
        # initials from a keyword's start, never running on into the next keyword.
        kw_text, kw_pinyin, kw_initials, kw_fuzzy = [], [], [], []
        for index, text in enumerate(keywords):
            parsed = search_text.parse_keyword_text(text)
            kw_text.append("|".join(k for k, _, _ in parsed))
            for _, spaced, initials_of_kw in parsed:
                suffixes = _syllable_suffixes(spaced)
                kw_pinyin += [(suffix, index, 0) for suffix, _ in suffixes]
                kw_fuzzy += [(intern(fuzzy(suffix)), index, 1) for suffix, _ in suffixes]
                if initials_of_kw:
                    kw_initials.append((initials_of_kw, index, 0))
        self._kw_text = _Field(kw_text)
        self._kw_pinyin = _Starts(kw_pinyin)
        self._kw_initials = _Starts(kw_initials)
        self._fuzzy_kw = _Starts(kw_fuzzy)

    def __len__(self) -> int:
        return len(self.entries)

    # --- building ------------------------------------------------------------------------------

    @classmethod
    def load(cls, session: Session) -> CatalogIndex:
        items = session.scalars(
            select(ServiceItem)
            .options(selectinload(ServiceItem.window_links).joinedload(ItemWindow.window))
            .order_by(ServiceItem.position, ServiceItem.code)
        ).unique()
        entries, pinyin, initials, keywords = [], [], [], []
        for item in items:
            entries.append(
                _Entry(
                    item_id=item.id,
                    code=item.code,
                    name=item.name,
                    department=item.department.name,
                    in_center=item.in_center,
                    self_service=item.self_service,
                    where=where_handled(item),
                    audience=tuple(item.audience),
                    position=item.position,
                )
            )
            pinyin.append(item.search_pinyin)
            initials.append(item.search_initials)
            keywords.append(item.search_keywords)
        index = cls(entries, pinyin, initials, keywords)
        index.generation = catalog_generation(session)
        return index

    # --- querying ------------------------------------------------------------------------------

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Best matches first. Any input is safe: it is only ever searched for as plain text."""
        if not isinstance(query, str) or limit <= 0:
            return []
        text = search_text.normalise(query)[: MAX_QUERY_LENGTH * 2].strip()
        compact = "".join(text.split())[:MAX_QUERY_LENGTH].replace(_SEP, "")
        if not compact:
            return []
        best: dict[int, tuple[int, int]] = {}  # item index → (tier, offset)

        def offer(indices: Iterable[int] | Iterable[tuple[int, int]], tier: int) -> None:
            for found in indices:
                index, offset = found if isinstance(found, tuple) else (found, 0)
                current = best.get(index)
                if current is None or (tier, offset) < current:
                    best[index] = (tier, offset)

        offer(self._exact_name.get(compact, ()), 0)
        if compact in self._exact_code:
            offer((self._exact_code[compact],), 0)
        offer(self._names.prefix(compact), 1)
        offer(self._names.substring(compact), 2)

        letters = None
        if _PINYIN_QUERY.fullmatch(text):
            letters = compact.replace("'", "")
        if letters:
            offer(self._initials.prefix(letters), 1)
            for index, offset in self._pinyin.matches(letters):
                offer(((index, offset),), 1 if offset == 0 else 2)
            offer(self._initials.substring(letters), 2)
            offer(self._kw_pinyin.matches(letters), 3)
            offer(self._kw_initials.matches(letters), 3)
            # Fuzzy and typo tiers rank below everything above: only worth it while rows are free.
            if len(best) < limit:
                key = search_text.fuzzy(letters)
                offer(((index, 0) for index, start in self._fuzzy.matches(key) if start == 0), 4)
                offer(((index, 0) for index, start in self._fuzzy.matches(key) if start), 5)
                offer(((index, 0) for index, _ in self._fuzzy_kw.matches(key)), 5)
                if not best and len(key) >= TYPO_MIN_LETTERS:
                    self._typos(key, offer)
        if _CODE_QUERY.fullmatch(compact) and any(c.isdigit() for c in compact):
            offer(self._codes.prefix(compact), 1)
            if len(compact) >= 4:
                offer(self._codes.substring(compact), 2)
        offer(self._kw_text.substring(compact), 3)

        entries = self.entries
        ranked = heapq.nsmallest(  # only the shown rows need ordering
            limit,
            best.items(),
            key=lambda pair: (pair[1][0], pair[1][1], len(entries[pair[0]].name), entries[pair[0]].position),
        )
        hits = []
        for index, (tier, _offset) in ranked:
            e = self.entries[index]
            hits.append(
                SearchHit(e.item_id, e.code, e.name, e.department, e.in_center, e.self_service, e.where, e.audience, tier)
            )
        return hits


    def _typos(self, key: str, offer) -> None:
        """Tier 6: names and keywords that start with a string one letter off the fuzzy key."""
        for variant in search_text.one_letter_off(key, _FUZZY_ALPHABET):
            offer(((index, 0) for index, offset in self._fuzzy.first(variant) if offset == 0), 6)
            offer(((index, 0) for index, _ in self._fuzzy_kw.first(variant)), 6)


def where_handled(item: ServiceItem) -> str:
    """One line saying where the citizen goes for an item."""
    if item.in_center and item.windows:
        first = item.windows[0]
        zone = f"（{first.zone}）" if first.zone else ""
        more = f" 等{len(item.windows)}个窗口" if len(item.windows) > 1 else ""
        return f"{first.number} {first.name}{zone}{more}"
    if item.in_center:
        return "本中心办理，请到综合咨询台咨询窗口"
    department = item.department
    address = item.location or department.address
    return f"不在本中心办理：{department.name} {address}".strip()


def catalog_generation(session: Session) -> int:
    state = session.get(CatalogState, 1)
    return state.generation if state else 0
