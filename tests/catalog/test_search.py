import pytest

from kiosk.catalog import exchange
from kiosk.catalog.search import CatalogIndex
from support import SMALL_CATALOG


@pytest.fixture
def index(database):
    with database.session() as session:
        exchange.apply(session, exchange.read_file(SMALL_CATALOG))
    with database.session() as session:
        return CatalogIndex.load(session)


def names(hits):
    return [hit.name for hit in hits]


def test_exact_name_comes_before_longer_names(index):
    assert names(index.search("营业执照"))[:2] == ["营业执照", "营业执照遗失补领"]


@pytest.mark.parametrize("query", ["yyzz", "YYZZ", "yingyezhizhao", "ying ye", "yingye", "ying'ye", "ｙｙｚｚ"])
def test_pinyin_and_initials_find_the_business_licence(index, query):
    assert names(index.search(query))[0] == "营业执照"


def test_initials_prefix_ranks_above_initials_substring(index):
    # gtgsh: 个体工商户… starts with it; nothing else contains it
    assert names(index.search("gtgsh")) == ["个体工商户设立登记"]
    # "zz" is inside yyzz (营业执照…), and it is the initials of the keyword 执照 of a third item
    hits = index.search("zz")
    assert names(hits) == ["营业执照", "营业执照遗失补领", "个体工商户设立登记"]
    assert [hit.tier for hit in hits] == [2, 2, 3]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("xingshizheng", "机动车行驶证补领"),  # 行 read xíng here, not háng
        ("jdcxsz", "机动车行驶证补领"),
        ("chongxin", "居民身份证重新申领"),  # 重 read chóng, not zhòng
        ("cxsl", "居民身份证重新申领"),
    ],
)
def test_polyphonic_characters_are_read_in_context(index, query, expected):
    assert names(index.search(query))[0] == expected


def test_syllables_must_start_where_a_syllable_starts(index):
    # "ngye" is inside "yingye" but starts mid-syllable: no pinyin match
    assert index.search("ngye") == []


def test_codes_match_exactly_and_by_prefix(index):
    assert names(index.search("411481-GAJ-010")) == ["机动车行驶证补领"]
    assert names(index.search("411481-gaj-010")) == ["机动车行驶证补领"]
    assert set(names(index.search("411481-SCJG"))) == {"个体工商户设立登记", "营业执照", "营业执照遗失补领"}


def test_keywords_rank_after_names(index):
    hits = index.search("执照")
    assert names(hits)[:2] == ["营业执照", "营业执照遗失补领"]
    assert names(hits)[2] == "个体工商户设立登记"  # only its keyword says 执照
    assert hits[2].tier == 3
    assert names(index.search("jiehun")) == ["内地居民婚姻登记"]  # keyword 结婚 by pinyin
    assert names(index.search("行车证")) == ["机动车行驶证补领"]


def test_results_show_department_and_where_it_is_handled(index):
    hit = index.search("婚姻登记")[0]
    assert hit.department == "永城市民政局"
    assert hit.in_center is False
    assert hit.where.startswith("不在本中心办理")
    assert "沱滨路88号" in hit.where
    licence = index.search("yyzz")[0]
    assert licence.where == "A01 企业开办综合窗口（一楼A区）"


@pytest.mark.parametrize(
    "query",
    ['"', "'", "*", "营业 OR 1=1", "'; DROP TABLE service_item; --", "NEAR(a b)", "\x00", "😀😀", "营" * 5000,
     "a" * 5000, "%", "_", "\\", "   ", "", "(((", "^$.*+?"],
)
def test_hostile_input_is_only_ever_text(index, query):
    hits = index.search(query)
    assert isinstance(hits, list)
    assert len(index.search("营业执照")) >= 2  # the index is intact afterwards


def test_no_match_is_an_empty_list(index):
    assert index.search("qqqqq") == []
    assert index.search("火星移民") == []


def test_limit(index):
    assert len(index.search("4114", limit=2)) == 2


def test_cli_search_json(cli):
    cli("catalog", "import", SMALL_CATALOG)
    result = cli("catalog", "search", "yyzz", "--json")
    assert result.exit_code == 0
    rows = result.json()
    assert rows[0] == {
        "code": "411481-SCJG-002",
        "name": "营业执照",
        "department": "永城市市场监督管理局",
        "in_center": True,
        "self_service": False,
        "where": "A01 企业开办综合窗口（一楼A区）",
        "rank_tier": 1,
    }
    none = cli("catalog", "search", "'; DROP TABLE x; --")
    assert none.exit_code == 0 and "没有找到" in none.out


# --- forgiving search (issue 18): fuzzy pinyin, one letter off, synonyms, on the sample center ---


@pytest.fixture(scope="module")
def sample_index(tmp_path_factory):
    from kiosk.db import Database
    from kiosk.paths import sample_catalog

    db = Database("sqlite:///" + str(tmp_path_factory.mktemp("sample") / "kiosk.sqlite3"))
    db.upgrade()
    with db.session() as session:
        exchange.apply(session, exchange.read_file(sample_catalog()))
    with db.session() as session:
        index = CatalogIndex.load(session)
    db.dispose()
    return index


@pytest.mark.parametrize(
    ("query", "expected", "tier"),
    [
        ("sebao", "社会保险参保缴费证明打印", 5),  # s/sh, and 社保 is a synonym of 社会保险
        ("yinyezhizhao", "营业执照自助打印", 4),  # in/ing
        ("yingyezizhao", "营业执照自助打印", 4),  # z/zh
        ("senfenzen", "居民身份证补领", 5),  # s/sh, en/eng, z/zh
        ("huji", "户口迁移（市外迁入）", 3),  # synonym 户籍 → 户口
        ("户籍", "户口迁移（市外迁入）", 3),
        ("lingshi", "临时居民身份证申领", 4),  # in/ing the other way
        ("liulan", "内地居民结婚登记", None),  # not a match: n/l folds only the pair, nothing else
        ("yingyezhizhoa", "营业执照自助打印", 6),  # two letters swapped
        ("yingyezhizao", "营业执照自助打印", 4),  # zh → z
        ("yingyzhizhao", "营业执照自助打印", 6),  # a letter left out
        ("guohu", "存量房买卖转移登记", 3),  # the sample catalog's own synonym
    ],
)
def test_forgiving_queries_find_the_item(sample_index, query, expected, tier):
    hits = {hit.name: hit.tier for hit in sample_index.search(query)}
    if tier is None:
        assert expected not in hits
    else:
        assert hits.get(expected) == tier


def test_exact_matches_still_come_first(sample_index):
    # shebao: 社保 exactly (a synonym keyword, tier 3) before anything fuzzy
    tiers = [hit.tier for hit in sample_index.search("shebao")]
    assert tiers and tiers == sorted(tiers) and tiers[0] == 3
    # sebao is "shebao" misheard: the same items, all ranked as fuzzy
    assert {h.name for h in sample_index.search("sebao")} >= {h.name for h in sample_index.search("shebao") if h.tier == 3}
    hits = sample_index.search("yingyezhizhao")
    assert hits[0].name == "营业执照自助打印" and hits[0].tier == 1


def test_typos_are_forgiven_only_when_nothing_else_matches(sample_index):
    assert [h.tier for h in sample_index.search("lingshi")] == [4]  # no tier-6 noise after a real match
    assert sample_index.search("qqxxzz") == []  # no invention either
    assert sample_index.search("yingy") and all(h.tier < 6 for h in sample_index.search("yingy"))


def test_short_pinyin_is_not_forgiven_a_typo(sample_index):
    assert all(hit.tier < 6 for hit in sample_index.search("huki"))


def test_fuzzy_folding():
    from kiosk.catalog.search_text import fuzzy

    assert fuzzy("shenfenzheng") == fuzzy("senfenzen") == fuzzy("shenhengzhen")
    assert fuzzy("nan") == fuzzy("lang")
    assert fuzzy("chuang") == fuzzy("cuan")
    assert fuzzy("hu") == fuzzy("fu")
    assert fuzzy("ba") != fuzzy("pa")


def test_catalog_synonyms_are_imported_exported_and_searchable(database):
    document = exchange.read_file(SMALL_CATALOG)
    document["synonyms"] = [{"term": "开铺子", "means": ["个体工商户"]}]
    with database.session() as session:
        exchange.apply(session, document)
    with database.session() as session:
        index = CatalogIndex.load(session)
        exported = exchange.export(session)
    assert exported["synonyms"] == [{"term": "开铺子", "means": ["个体工商户"]}]
    assert [h.name for h in index.search("开铺子")] == ["个体工商户设立登记"]
    assert [h.name for h in index.search("kaipuzi")] == ["个体工商户设立登记"]
    # a synonym is searched like a keyword but is not one of the item's keywords
    item = next(i for i in exported["items"] if i["name"] == "个体工商户设立登记")
    assert "开铺子" not in item["keywords"]


def test_a_synonym_entry_is_checked(database):
    document = exchange.read_file(SMALL_CATALOG)
    document["synonyms"] = [{"term": "", "means": "户口"}]
    with pytest.raises(exchange.CatalogError) as caught:
        exchange.validate(document)
    assert "synonyms[0].term" in str(caught.value)
    assert "synonyms[0].means" in str(caught.value)
