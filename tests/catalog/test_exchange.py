import copy
import json

import pytest

from support import SMALL_CATALOG, write_json
from kiosk.catalog import exchange


def test_export_import_export_is_identical(cli, tmp_path):
    assert cli("catalog", "import", SMALL_CATALOG).exit_code == 0
    first = tmp_path / "first.json"
    second = tmp_path / "second.json"
    assert cli("catalog", "export", first).exit_code == 0
    assert cli("catalog", "import", first).exit_code == 0
    assert cli("catalog", "export", second).exit_code == 0
    assert first.read_bytes() == second.read_bytes()


def test_rare_characters_survive_exactly(cli, tmp_path, small_catalog):
    small_catalog["items"][0]["name"] = "𠮷䶮户籍信息核对"
    small_catalog["items"][0]["materials"][0]["notes"] = "姓名含𠮷、䶮、龘等字，请核对"
    source = write_json(tmp_path / "rare.json", small_catalog)
    assert cli("catalog", "import", source).exit_code == 0
    exported = cli("catalog", "export", "-").json()
    assert exported["items"][0]["name"] == "𠮷䶮户籍信息核对"
    assert exported["items"][0]["materials"][0]["notes"] == "姓名含𠮷、䶮、龘等字，请核对"


def test_every_problem_is_listed_with_its_location(small_catalog):
    bad = copy.deepcopy(small_catalog)
    bad["items"][0]["materials"][2]["necessity"] = "must"
    bad["items"][1]["department"] = "XXJ"
    bad["items"][1]["windows"] = ["Z99"]
    bad["items"][2]["topics"] = ["retire"]
    bad["items"][3]["code"] = bad["items"][0]["code"]
    del bad["items"][4]["name"]
    bad["items"][4]["visits"] = "two"
    bad["items"][5]["materials"][0]["colour"] = "red"
    bad["windows"][2]["department"] = "NOPE"
    bad["items"][5]["promised_limit"] = {"value": 9, "unit": "working_day"}
    bad["items"][5]["legal_limit"] = {"value": 5, "unit": "working_day"}
    bad["items"][0]["online"] = {"supported": True}
    bad["items"][0]["audience"] = ["citizen"]
    with pytest.raises(exchange.CatalogError) as caught:
        exchange.validate(bad)
    problems = caught.value.problems
    assert 'items[0].materials[2].necessity: "must" is not one of required, optional, deferrable' in problems
    assert 'items[1].department: "XXJ" is not a department code' in problems
    assert 'items[1].windows[0]: "Z99" is not a window number' in problems
    assert 'items[2].topics[0]: "retire" is not a topic code' in problems
    assert 'items[3].code: duplicate "411481-SCJG-001" (first at items[0])' in problems
    assert "items[4].name: required field is missing" in problems
    assert 'items[4].visits: "two" is not a whole number' in problems
    assert "items[5].materials[0].colour: unknown field" in problems
    assert 'windows[2].department: "NOPE" is not a department code' in problems
    assert "items[5].promised_limit.value: 9 is longer than legal_limit.value 5" in problems
    assert "items[0].online: supported is true but neither pc_url nor mobile_url is given" in problems
    assert 'items[0].audience[0]: "citizen" is not one of natural_person, legal_person' in problems
    assert len(problems) == 12


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"{not json", "not valid JSON at line 1"),
        ("\ufeff{}".encode("gbk", errors="ignore") + b"\xff\xfe", "not UTF-8"),
        (b"[]", "must hold a JSON object"),
        (json.dumps({"format": "kiosk-catalog/9", "center": {"name": "x"}, "departments": [], "items": []}).encode(), "format:"),
    ],
)
def test_unreadable_files_are_rejected_with_a_reason(cli, tmp_path, content, words):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    result = cli("catalog", "import", path)
    assert result.exit_code == 1
    assert words in result.err
    assert "nothing changed" in result.err


def test_a_bad_file_changes_nothing(cli, tmp_path, small_catalog):
    assert cli("catalog", "import", SMALL_CATALOG).exit_code == 0
    before = cli("catalog", "export", "-").out
    small_catalog["items"][0]["name"] = "改过的名字"
    small_catalog["items"][5]["materials"][0]["type"] = "passport"
    result = cli("catalog", "import", write_json(tmp_path / "bad.json", small_catalog))
    assert result.exit_code == 1
    assert 'items[5].materials[0].type: "passport" is not one of certificate, form, other' in result.err
    assert cli("catalog", "export", "-").out == before


def test_missing_file(cli, tmp_path):
    result = cli("catalog", "import", tmp_path / "absent.json")
    assert result.exit_code == 1
    assert "not found" in result.err


def test_reimport_updates_by_code_and_replace_removes_the_rest(cli, tmp_path, small_catalog):
    assert cli("catalog", "import", SMALL_CATALOG).exit_code == 0
    changed = copy.deepcopy(small_catalog)
    changed["items"] = changed["items"][:2]
    changed["items"][0]["name"] = "个体工商户设立登记（新版）"
    changed["items"][0]["materials"] = changed["items"][0]["materials"][:1]
    path = write_json(tmp_path / "two.json", changed)

    result = cli("catalog", "import", path)
    assert result.exit_code == 0
    assert "更新 2" in result.out and "删除 0" in result.out
    exported = cli("catalog", "export", "-").json()
    assert len(exported["items"]) == 6
    first = next(i for i in exported["items"] if i["code"] == "411481-SCJG-001")
    assert first["name"] == "个体工商户设立登记（新版）"
    assert len(first["materials"]) == 1

    result = cli("catalog", "import", "--replace", path)
    assert result.exit_code == 0
    assert "删除 4" in result.out
    assert [i["code"] for i in cli("catalog", "export", "-").json()["items"]] == ["411481-SCJG-001", "411481-SCJG-002"]


def test_validate_writes_nothing(cli, data_dir):
    result = cli("catalog", "validate", SMALL_CATALOG)
    assert result.exit_code == 0
    assert "valid: 6 items" in result.out
    assert not (data_dir / "kiosk.sqlite3").exists()


def test_show_prints_every_field(cli):
    cli("catalog", "import", SMALL_CATALOG)
    result = cli("catalog", "show", "411481-SCJG-001")
    assert result.exit_code == 0
    for text in ("个体工商户设立登记", "法定办结时限: 15个工作日", "承诺办结时限: 1个工作日", "经营场所使用证明（容缺后补",
                 "《促进个体工商户发展条例》第八条", "https://m.hnzwfw.gov.cn/item/001", "需要本人到场吗？"):
        assert text in result.out
    elsewhere = cli("catalog", "show", "411481-MZJ-020")
    assert "不在本中心办理" in elsewhere.out and "0370-5112003" in elsewhere.out
    as_json = cli("catalog", "show", "411481-scjg-001", "--json").json()
    assert as_json["code"] == "411481-SCJG-001"
    missing = cli("catalog", "show", "NOPE")
    assert missing.exit_code == 1 and "未找到" in missing.err


@pytest.mark.parametrize("pattern", ["%", "_", "411481-SCJG-00_", "%SCJG%", "411481-scjg-00%"])
def test_show_takes_percent_and_underscore_as_characters_not_wildcards(cli, pattern):
    cli("catalog", "import", SMALL_CATALOG)
    result = cli("catalog", "show", pattern)
    assert result.exit_code == 1 and "未找到" in result.err and result.out == ""


def test_text_longer_than_its_column_or_with_nul_is_located(small_catalog):
    bad = copy.deepcopy(small_catalog)
    bad["items"][0]["code"] = "4" * 77
    bad["items"][1]["name"] = "营业\x00执照"
    bad["items"][2]["keywords"] = ["执\x00照"]
    with pytest.raises(exchange.CatalogError) as caught:
        exchange.validate(bad)
    assert caught.value.problems == [
        "items[0].code: is 77 characters long, more than 64",
        "items[1].name: contains a NUL character",
        "items[2].keywords[0]: contains a NUL character",
    ]


def test_a_byte_order_mark_is_accepted(cli, tmp_path):
    path = tmp_path / "notepad.json"
    path.write_bytes(b"\xef\xbb\xbf" + SMALL_CATALOG.read_bytes())
    assert cli("catalog", "validate", path).exit_code == 0


def test_exporting_an_empty_catalog_says_so(cli, tmp_path):
    result = cli("catalog", "export", tmp_path / "out.json")
    assert result.exit_code == 1
    assert "目录为空" in result.err
    assert not (tmp_path / "out.json").exists()


def test_an_unreachable_database_is_a_message_not_a_traceback(cli, monkeypatch):
    monkeypatch.setenv("KIOSK_DB_URL", "postgresql+psycopg://kiosk@127.0.0.1:1/none?connect_timeout=2")
    result = cli("catalog", "search", "yyzz")
    assert result.exit_code == 1
    assert "数据库升级失败" in result.err and "Traceback" not in result.err
