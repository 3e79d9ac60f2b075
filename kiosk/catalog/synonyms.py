"""Synonyms: the words people say for what item names call otherwise (户籍 for 户口, 社保 for
社会保险). A synonym becomes a search keyword of every item whose name or keywords contain one
of the words it stands for, at import time, so search costs nothing more at query time and the
synonym's pinyin, initials and fuzzy pinyin are searchable like any keyword.

The built-in list below applies to every catalog; a catalog file extends it with its own
``"synonyms"`` (docs/catalog-format.md). Changing the list takes effect at the next import.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

#: what people say → words used in item names
BUILTIN: dict[str, tuple[str, ...]] = {
    "户籍": ("户口",),
    "户口本": ("户口",),
    "社保": ("社会保险", "社会保障"),
    "医保": ("医疗保险", "医疗保障"),
    "养老金": ("养老保险",),
    "执照": ("营业执照",),
    "营业执照": ("个体工商户设立", "公司设立", "企业设立"),
    "身份证": ("居民身份证",),
    "驾照": ("驾驶证",),
    "行车证": ("行驶证",),
    "公积金": ("住房公积金",),
    "房产证": ("不动产权证", "不动产登记"),
    "结婚证": ("结婚登记", "婚姻登记"),
    "低保": ("最低生活保障",),
    "准生证": ("生育登记", "生育服务证"),
    "残疾证": ("残疾人证",),
    "退休": ("退休", "养老保险待遇"),
}


def merged(catalog_synonyms: Iterable[Mapping]) -> dict[str, tuple[str, ...]]:
    """The built-in list extended by a catalog's ``[{"term": …, "means": […]}, …]``."""
    out = dict(BUILTIN)
    for entry in catalog_synonyms or ():
        term = entry["term"].strip()
        means = tuple(m.strip() for m in entry["means"] if m.strip())
        if term and means:
            out[term] = tuple(dict.fromkeys(out.get(term, ()) + means))
    return out


def extra_keywords(name: str, keywords: Iterable[str], table: Mapping[str, tuple[str, ...]]) -> list[str]:
    """The synonyms that apply to an item: each term one of whose words is in the item's name or
    keywords, and that the item does not already contain."""
    texts = [name, *keywords]
    out = []
    for term, means in table.items():
        if any(term in text for text in texts):
            continue
        if any(word in text for word in means for text in texts):
            out.append(term)
    return out
