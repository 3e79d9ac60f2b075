"""kiosk-progress/1: validation that locates every problem, changes nothing on error, and
keeps of the applicant only what verification and display need."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime

import pytest
from progress.progress_support import (
    FOOD,
    ZHANG_ID,
    ZHANG_PHONE,
    application,
    document,
    make_service,
    result,
)

from kiosk.catalog import exchange as catalog_exchange
from kiosk.paths import assets_dir, sample_catalog
from kiosk.progress import STATUSES, ProgressFileError
from kiosk.progress.exchange import normalize_number, parse_datetime

SAMPLE = assets_dir() / "sample_center" / "progress.json"


@pytest.fixture
def service(catalog_db, data_dir):
    return make_service(catalog_db, data_dir)


def problems_of(service, doc, **kwargs) -> list[str]:
    with pytest.raises(ProgressFileError) as caught:
        service.import_document(doc, **kwargs)
    return caught.value.problems


def test_the_sample_file_imports_with_every_status(service):
    summary = service.import_file(SAMPLE, shift_to=date(2026, 3, 5))
    assert (summary.added, summary.updated, summary.shifted_days) == (9, 0, 105)
    statuses = {json_app["status"] for json_app in json.loads(SAMPLE.read_text("utf-8"))["applications"]}
    assert statuses == set(STATUSES)
    assert service.count() == 9


def test_every_problem_is_located_and_nothing_is_changed(service):
    service.import_document(document(application()))
    bad = document(
        application(number="YC-1"),
        application(number="YC2509260009", item_code="NO-SUCH-ITEM", status="办理中"),
        application(number="yc2509260009", accepted_at="2025-09-26T08:00:00+08:00"),
        application(number="YC2509260010", applicant={"name": "", "id_number": "110105194912310021", "phone": "12"}),
        application(number="YC2509260011", status="finished", promised_deadline="2025-09-01"),
        application(number="YC2509260012", result=result(), accepted_at="2025-09-26"),
        application(number="YC2509260013", steps=[{"name": "审查", "finished_at": "2025-09-27T10:00:00"}], colour="red"),
        application(number="YC2509260014", steps=[
            {"name": "受理", "started_at": "2025-09-27T10:00:00", "finished_at": "2025-09-27T09:00:00"},
            {"name": "审查", "started_at": "2025-09-26T10:00:00"},
        ]),
    )
    problems = problems_of(service, bad)
    expected = [
        "applications[0].number: \"YC-1\" must be 4 to 40 letters and digits",
        "applications[1].item_code: \"NO-SUCH-ITEM\" is not an item of the catalog",
        "applications[1].status: \"办理中\" is not one of",
        "applications[2].number: duplicate \"yc2509260009\" (first at applications[1])",
        "applications[2].accepted_at: 2025-09-26 08:00 is before applied_at 2025-09-26 09:12",
        "applications[3].applicant.name: must not be empty",
        "applications[3].applicant.id_number: has a wrong check digit",
        "applications[3].applicant.phone: is not a phone number",
        "applications[4].promised_deadline: 2025-09-01 is before the acceptance day 2025-09-26",
        "applications[4].result: required when the status is finished",
        "applications[5].accepted_at: \"2025-09-26\" has no time of day",
        "applications[5].result: given, but the status reviewing (审查中) is not finished",
        "applications[6].colour: unknown field",
        "applications[6].steps[0].finished_at: given, but started_at is missing",
        "applications[7].steps[0].finished_at: 2025-09-27 09:00 is before started_at 2025-09-27 10:00",
        "applications[7].steps[1].started_at: 2025-09-26 10:00 is before the previous step's start",
    ]
    for text in expected:
        assert any(p.startswith(text) for p in problems), (text, problems)
    assert len(problems) == len(expected), problems
    assert all("110105194912310021" not in p for p in problems), "an ID number is not repeated in messages"
    assert service.count() == 1


def test_the_root_is_checked(service):
    assert problems_of(service, []) == ["(root): the file must hold a JSON object (文件内容应为JSON对象)"]
    problems = problems_of(service, {"format": "kiosk-catalog/1", "applications": {}})
    assert problems == [
        "applications: {} is not a list of objects (类型错误)",
        "format: \"kiosk-catalog/1\" is not 'kiosk-progress/1' (格式标识错误)",
    ]


def test_dates_and_times_that_are_not_are_named(service):
    doc = document(application(promised_deadline="tomorrow", applied_at="2025-13-01T09:00", accepted_at=5), reference_date="2025-02-30")
    assert problems_of(service, doc) == [
        'reference_date: "2025-02-30" is not an ISO 8601 date, e.g. 2025-11-25 (日期格式错误)',
        'applications[0].applied_at: "2025-13-01T09:00" is not an ISO 8601 date and time, e.g. 2025-11-18T09:30:00+08:00 (日期格式错误)',
        "applications[0].accepted_at: 5 is not a date and time (应为日期时间文本)",
        'applications[0].promised_deadline: "tomorrow" is not an ISO 8601 date, e.g. 2025-11-25 (日期格式错误)',
    ]


def test_shifting_needs_a_reference_date(service):
    problems = problems_of(service, document(application()), shift_to=date(2026, 1, 5))
    assert problems == ["reference_date: required to shift the dates (--shift-to-today) (平移日期需要 reference_date)"]


def test_shifting_moves_every_date_by_the_same_days(service, catalog_db):
    doc = document(
        application(status="finished", promised_deadline="2025-10-10", result=result()),
        reference_date="2025-09-30",
    )
    service.import_document(doc, shift_to=date(2025, 10, 30))
    view = service.query("YC2509260001", ZHANG_PHONE[-4:], as_of=date(2025, 10, 30)).view
    assert view.accepted_at == datetime(2025, 10, 26, 9, 30)
    assert view.deadline == date(2025, 11, 9)
    assert view.result.finished_at == datetime(2025, 11, 8, 15, 0)
    assert view.steps[1].started_at == datetime(2025, 10, 29, 9, 0)


def test_times_with_an_offset_become_china_time():
    assert parse_datetime("2025-09-26T01:30:00Z") == datetime(2025, 9, 26, 9, 30)
    assert parse_datetime("2025-09-26T09:30:00+08:00") == datetime(2025, 9, 26, 9, 30)
    assert parse_datetime("2025-09-26 09:30") == datetime(2025, 9, 26, 9, 30)


def test_chinese_status_names_are_accepted(service):
    service.import_document(document(application(status="补正中")))
    view = service.query("YC2509260001", "5678").view
    assert (view.status, view.status_label) == ("correction", "补正中")


def test_nothing_but_masks_last_digits_and_hashes_is_stored(service, data_dir):
    service.import_document(document(application()))
    rows = sqlite3.connect(data_dir / "kiosk.sqlite3").execute("select * from progress_application").fetchall()
    stored = json.dumps(rows, ensure_ascii=False, default=str)
    assert ZHANG_ID not in stored and ZHANG_ID[:17] not in stored
    assert ZHANG_PHONE not in stored and "1234" not in stored  # the phone's middle digits
    assert "张小三" not in stored and "张*三" in stored
    assert "王丽" not in stored and "王*" in stored
    assert "138****5678" in stored and "4****************" + ZHANG_ID[-1] in stored


def test_reimport_updates_by_number_and_replace_removes(service):
    service.import_document(document(application(), application(number="YC2509260002")))
    summary = service.import_document(document(application(status="accepted")))
    assert (summary.added, summary.updated, summary.removed) == (0, 1, 0)
    assert service.query("YC2509260001", "5678").view.status == "accepted"
    summary = service.import_document(document(application()), replace=True)
    assert (summary.removed, summary.removed_numbers) == (1, ["YC2509260002"])
    assert service.count() == 1


def test_a_catalog_reimport_that_drops_the_item_keeps_the_application(service, catalog_db):
    service.import_document(document(application()))
    catalog = catalog_exchange.read_file(sample_catalog())
    catalog["items"] = [item for item in catalog["items"] if item["code"] != FOOD]
    with catalog_db.session() as session:
        catalog_exchange.apply(session, catalog, replace=True)
    view = service.query("YC2509260001", "5678", as_of=date(2025, 9, 30)).view
    assert view.item_name == "食品经营许可（新办）"
    assert view.deadline == date(2025, 10, 10)  # the limit was kept with the application
    assert view.complaint_phone == "0370-5138111"  # the item is gone: the center's phone


def test_a_deadline_outside_the_calendar_is_a_problem(service):
    problems = problems_of(service, document(application(applied_at="2099-12-28T09:00:00", accepted_at="2099-12-28T09:30:00", steps=[])))
    assert problems[0].startswith("applications[0].accepted_at: the deadline cannot be computed")


def test_file_problems_are_named(service, tmp_path):
    with pytest.raises(ProgressFileError, match="not found"):
        service.import_file(tmp_path / "none.json")
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": ', encoding="utf-8")
    with pytest.raises(ProgressFileError, match="not valid JSON at line 1"):
        service.import_file(broken)
    latin = tmp_path / "latin.json"
    latin.write_bytes("{\"x\": \"\xe9\"}".encode("latin-1"))
    with pytest.raises(ProgressFileError, match="not UTF-8"):
        service.import_file(latin)


def test_a_file_with_a_bom_imports_like_a_catalog_file(service, tmp_path):
    path = tmp_path / "from-excel.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(document(application()), ensure_ascii=False).encode("utf-8"))
    assert service.import_file(path).added == 1
    assert service.validate_file(path)


@pytest.mark.parametrize("field, value", [("phone", 13812345678), ("id_number", 411481199003150017), ("name", ["张小三"])])
def test_personal_data_of_the_wrong_type_is_not_echoed(service, tmp_path, cli, field, value):
    app = application()
    app["applicant"][field] = value
    problems = problems_of(service, document(app))
    assert any(f"applicant.{field}" in p and "not shown" in p for p in problems), problems
    assert str(value) not in " ".join(problems) and "张小三" not in " ".join(problems)
    path = tmp_path / "typed.json"
    path.write_text(json.dumps(document(app), ensure_ascii=False), encoding="utf-8")
    result = cli("progress", "validate", path)
    assert result.exit_code == 1 and str(value) not in result.err + result.out and "张小三" not in result.err


@pytest.mark.parametrize(
    "typed, number",
    [
        ("yc2509260001", "YC2509260001"),
        (" YC-2509-260001 ", "YC2509260001"),
        ("https://zwfw.yongcheng.gov.cn/progress?number=YC2509260001&from=notice", "YC2509260001"),
        ("http://x/q?bjbh=yc2509260001", "YC2509260001"),
        ("HTTPS://X/PROGRESS?NUMBER=YC2509260001", "YC2509260001"),
    ],
)
def test_typed_and_scanned_numbers_are_normalised(typed, number):
    assert normalize_number(typed) == number
