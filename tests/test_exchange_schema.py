"""The one field schema both import formats are checked with (kiosk/exchange_schema.py): every
problem located and reported in one walk, defaults filled in, a format's own wording and kinds
plugged in — and the catalog and progress files still worded as their users know them."""

from __future__ import annotations

import json
import re

import pytest

from kiosk.catalog.exchange import CatalogError
from kiosk.catalog.exchange import read_file as read_catalog
from kiosk.exchange_schema import Checker, Field, Kind, Wording, describe_value
from kiosk.paths import assets_dir
from kiosk.progress.exchange import ProgressFileError
from kiosk.progress.exchange import read_file as read_progress
from support import SMALL_CATALOG, write_json

WINDOW = {
    "number": Field("str", required=True, non_empty=True, max_length=8),
    "zone": Field("str", default="hall", choices=("hall", "24h")),
    "seats": Field("int", default=1, minimum=1),
    "open": Field("bool", required=True),
    "services": Field("list[str]", default=[], choices=("社保", "医保")),
}
DESK = {
    "name": Field("str", required=True, non_empty=True),
    "windows": Field("list[obj]", required=True, schema=WINDOW),
    "helper": Field("obj", default={"on_duty": False}, schema={"on_duty": Field("bool", required=True)}),
}


def check(document, checker=Checker(), schema=DESK):
    problems: list[str] = []
    return checker.check_object(document, schema, "", problems), problems


def test_a_valid_document_comes_back_with_its_defaults():
    data, problems = check({"name": "一楼大厅", "windows": [{"number": "A01", "open": True}]})
    assert problems == []
    assert data == {
        "name": "一楼大厅",
        "windows": [{"number": "A01", "zone": "hall", "seats": 1, "open": True, "services": []}],
        "helper": {"on_duty": False},
    }


def test_every_problem_is_reported_at_its_place_in_one_walk():
    document = {
        "name": "   ",
        "floor": 2,
        "windows": [
            {"number": "A01-LONG-NAME", "zone": "lobby", "seats": 0, "open": "yes", "services": ["社保", 7, "公积金", "医\x00保"]},
            "A02",
            {"zone": "24h"},
        ],
    }
    _, problems = check(document)
    assert problems == [
        "floor: unknown field",
        "name: must not be empty",
        "windows[0].number: is 13 characters long, more than 8",
        'windows[0].zone: "lobby" is not one of hall, 24h',
        "windows[0].seats: 0 is less than 1",
        'windows[0].open: "yes" is not true or false',
        "windows[0].services[1]: 7 is not text",
        'windows[0].services[2]: "公积金" is not one of 社保, 医保',
        "windows[0].services[3]: contains a NUL character",
        'windows[1]: "A02" is not an object',
        "windows[2].number: required field is missing",
        "windows[2].open: required field is missing",
    ]


def test_null_is_a_wrong_value_unless_the_format_takes_it_as_absent():
    document = {"name": "大厅", "windows": [], "helper": None}
    assert check(document)[1] == ["helper: null is not an object"]

    lenient = Checker(null_is_absent=True)
    data, problems = check(document, lenient)
    assert problems == []
    assert data["helper"] == {"on_duty": False}
    assert check({"name": None, "windows": []}, lenient)[1] == ["name: required field is missing"]


def test_defaults_are_fresh_copies():
    first, _ = check({"name": "大厅", "windows": []})
    first["helper"]["on_duty"] = True
    second, _ = check({"name": "大厅", "windows": []})
    assert second["helper"] == {"on_duty": False}
    assert DESK["helper"].default == {"on_duty": False}


def test_a_format_words_problems_its_own_way_and_strips_texts():
    chinese = Checker(
        Wording(
            unknown="{where}: unknown field (未知字段)",
            empty="{where}: must not be empty (不能为空)",
            too_long="{where}: longer than {limit} characters (过长)",
        ),
        strip_text=True,
    )
    data, problems = check({"name": "  大厅  ", "windows": [{"number": " 123456789 ", "open": False, "x": 1}]}, chinese)
    assert data["name"] == "大厅"
    assert problems == [
        "windows[0].x: unknown field (未知字段)",
        "windows[0].number: longer than 8 characters (过长)",
    ]
    assert check({"name": " \t ", "windows": []}, chinese)[1] == ["name: must not be empty (不能为空)"]


def _hhmm(value: str, where: str, problems: list[str]):
    match = re.fullmatch(r"(\d\d):(\d\d)", value)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        problems.append(f"{where}: {value!r} is not a time like 08:30 (时间格式应为 08:30)")
        return None
    return int(match[1]) * 60 + int(match[2])


OPENS = {"opens": Field("time", required=True), "closes": Field("time")}
TIMES = Checker(kinds={"time": Kind("a time like 08:30", lambda v: isinstance(v, str), _hhmm)})


def test_a_kind_of_its_own_is_parsed_by_the_format():
    assert check({"opens": "08:30", "closes": "17:45"}, TIMES, OPENS) == ({"opens": 510, "closes": 1065}, [])
    data, problems = check({"opens": "8点半", "closes": 1730}, TIMES, OPENS)
    assert data == {"opens": None, "closes": None}
    assert problems == [
        "opens: '8点半' is not a time like 08:30 (时间格式应为 08:30)",
        "closes: 1730 is not a time like 08:30",
    ]


def test_a_kind_may_word_its_wrong_type_itself():
    wording = "{where}: {value} 不是时间 / is not {kind}"
    own = Checker(kinds={"time": Kind("a time", lambda v: isinstance(v, str), _hhmm, not_kind=wording)})
    assert check({"opens": ["08:30"]}, own, OPENS)[1] == ['opens: ["08:30"] 不是时间 / is not a time']


def test_a_kind_the_checker_does_not_know_is_a_mistake_in_the_schema():
    with pytest.raises(LookupError, match="closes: the schema names the kind 'time'"):
        check({"opens": "x", "closes": "y"}, Checker(), {"opens": Field("str"), "closes": Field("time")})


def test_values_are_shown_short_and_a_format_may_hide_them():
    assert describe_value("材料" * 40) == json.dumps("材料" * 40, ensure_ascii=False)[:57] + "..."
    assert describe_value({"a": [1, True, None]}) == '{"a": [1, true, null]}'
    hidden = Checker(describe=lambda value, where: "(not shown)" if where.startswith("id") else describe_value(value))
    problems = check({"id": 110101199003077777, "name": 5}, hidden, {"id": Field("str"), "name": Field("str")})[1]
    assert problems == ["id: (not shown) is not text", "name: 5 is not text"]


# --- the two formats that use it: their users' messages, word for word --------------------------


def test_a_catalog_file_is_reported_in_the_catalog_wording(tmp_path):
    document = json.loads(SMALL_CATALOG.read_text(encoding="utf-8"))
    item = document["items"][0]
    item["name"] = " "
    item["visits"] = -1
    item["materials"][0]["necessity"] = "maybe"
    item["colour"] = "red"
    document["center"]["schedule"] = {"periods": ["8:30-12"]}
    with pytest.raises(CatalogError) as caught:
        read_catalog(write_json(tmp_path / "catalog.json", document))
    assert caught.value.zh == "目录文件有误（5 处）"
    assert caught.value.problems == [
        'center.schedule.periods[0]: \'8:30-12\' is not a period like "08:30-12:00" (时段格式应为 08:30-12:00)',
        "items[0].colour: unknown field",
        "items[0].name: must not be empty",
        "items[0].visits: -1 is less than 0",
        'items[0].materials[0].necessity: "maybe" is not one of required, optional, deferrable',
    ]


def test_a_progress_file_is_reported_in_the_progress_wording(tmp_path):
    document = json.loads((assets_dir() / "sample_center" / "progress.json").read_text(encoding="utf-8"))
    application = document["applications"][0]
    application["window"] = None  # null: absent, so the default
    application["department"] = "  "
    application["applicant"]["phone"] = 13800138000  # a number: its digits are not echoed
    application["accepted_at"] = "2025-11-18"
    application["steps"][0]["started_at"] = 20251118
    application["colour"] = "red"
    with pytest.raises(ProgressFileError) as caught:
        read_progress(write_json(tmp_path / "progress.json", document))
    assert caught.value.zh == "办件数据文件有误（6 处）"
    assert caught.value.problems == [
        "applications[0].colour: unknown field (未知字段)",
        "applications[0].applicant.phone: the value (personal data, not shown: a number) is not text (类型错误)",
        'applications[0].accepted_at: "2025-11-18" has no time of day; write it like 2025-11-18T09:30:00+08:00 (缺少时间)',
        "applications[0].department: must not be empty (不能为空)",
        "applications[0].steps[0].started_at: 20251118 is not a date and time (应为日期时间文本)",
        # the format's own checks follow, on what the schema let through
        "applications[0].steps[0].finished_at: given, but started_at is missing (环节有结束时间但没有开始时间)",
    ]
