"""Queries as a citizen makes them: deadlines from the working-day calendar (two years of
official arrangements, natural days, a year no source knows), every status, verification and
the per-terminal failure limit."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from progress.progress_support import (
    COMPANY,
    HOUSE,
    ID_CARD,
    TERMINAL,
    ZHANG_ID,
    ZHANG_PHONE,
    Clock,
    application,
    document,
    make_service,
    result,
)

from kiosk.progress import STATUS_LABELS, STATUSES, BackendUnavailable, LocalTableBackend, ProgressService
from kiosk.db import Database
from kiosk.progress.models import QueryFailure
from kiosk.progress.view import time_left_text
from kiosk.workdays import WorkCalendar

PENSION = "11411481000107836E4200004"  # 企业职工基本养老保险待遇申领: 10 working days
NOW = datetime(2025, 9, 30, 10, 0)


@pytest.fixture
def clock():
    return Clock(NOW)


@pytest.fixture
def service(catalog_db, data_dir, clock):
    return make_service(catalog_db, data_dir, clock=clock)


def accepted(day: str, **overrides) -> dict:
    """An application accepted on ``day`` at 09:30, without steps."""
    return application(applied_at=f"{day}T09:00:00", accepted_at=f"{day}T09:30:00", steps=[], **overrides)


def view_of(service, app: dict, as_of: date):
    service.import_document(document(app))
    outcome = service.query(app["number"], ZHANG_PHONE[-4:], as_of=as_of)
    assert outcome.found, outcome
    return outcome.view


# --- deadlines ---------------------------------------------------------------------------------------


def test_2025_national_day_working_days(service):
    # Fri 2025-09-26 + 5 working days: Sun 09-28 is a 调休 working day, 10-01…10-08 are off.
    view = view_of(service, application(), date(2025, 9, 30))
    assert (view.deadline, view.estimated, view.deadline_given) == (date(2025, 10, 10), False, False)
    assert (view.remaining_working_days, view.remaining_days, view.overdue) == (2, 10, False)
    assert time_left_text(view) == "距承诺办结日期还有 2 个工作日"


def test_2024_spring_festival(service):
    # 2024: 02-10…02-17 off, Sun 02-18 a working day (国办发明电〔2023〕7号).
    view = view_of(service, accepted("2024-02-08", item_code=HOUSE), date(2024, 2, 9))
    assert view.deadline == date(2024, 2, 19)
    assert view.remaining_working_days == 2


def test_2026_spring_festival_saturday_counts(service):
    # 2026: Sat 02-14 a working day, 02-15…02-23 off.
    view = view_of(service, accepted("2026-02-13", item_code=HOUSE), date(2026, 2, 13))
    assert view.deadline == date(2026, 2, 25)
    assert view.remaining_working_days == 3


def test_overdue_counts_the_2026_national_day_saturday(service):
    view = view_of(service, accepted("2026-09-30", item_code=HOUSE, promised_deadline="2026-10-09"), date(2026, 10, 12))
    assert (view.overdue, view.overdue_working_days, view.overdue_days) == (True, 2, 3)  # Sat 10-10 and Mon 10-12
    assert view.remaining_working_days == 0 and view.deadline_given
    assert time_left_text(view) == "已超过承诺办结日期 2 个工作日"


def test_natural_days_are_calendar_days(service):
    view = view_of(service, accepted("2025-09-30", item_code=ID_CARD), date(2025, 10, 8))
    assert (view.deadline, view.estimated) == (date(2025, 10, 20), False)  # the holiday does not stop the clock
    assert view.remaining_days == 12
    assert time_left_text(view) == "距承诺办结日期还有 12 天"


def test_a_year_no_source_knows_is_estimated(service):
    view = view_of(service, accepted("2026-12-24", item_code=PENSION), date(2026, 12, 28))
    assert (view.deadline, view.estimated) == (date(2027, 1, 8), True)  # 01-01 is off by the statutory rule
    assert view.counts_estimated
    assert time_left_text(view) == "距承诺办结日期还有 约8 个工作日"


def test_the_published_arrangement_ends_the_estimate(catalog_db, data_dir, tmp_path, clock):
    overrides = tmp_path / "overrides.toml"
    overrides.write_text('[years.2027]\ncomplete = true\nholidays = ["2027-01-01", "2027-01-04"]\n', encoding="utf-8")
    service = make_service(catalog_db, data_dir, clock=clock, calendar=WorkCalendar([overrides]))
    view = view_of(service, accepted("2026-12-24", item_code=PENSION), date(2026, 12, 28))
    assert (view.deadline, view.estimated, view.counts_estimated) == (date(2027, 1, 11), False, False)


def test_due_today_and_overdue_on_a_weekend(service):
    service.import_document(document(accepted("2025-11-13", item_code=HOUSE, promised_deadline="2025-11-14")))
    today = service.query("YC2509260001", "5678", as_of=date(2025, 11, 14)).view
    assert today.due_today and not today.overdue and time_left_text(today) == "今天是承诺办结日期"
    sunday = service.query("YC2509260001", "5678", as_of=date(2025, 11, 16)).view
    assert sunday.overdue and sunday.overdue_working_days == 0
    assert time_left_text(sunday) == "已超过承诺办结日期"


def test_as_of_defaults_to_today_in_china(service, clock):
    service.import_document(document(application()))
    clock.now = datetime(2025, 10, 13, 8, 0)
    view = service.query("YC2509260001", "5678").view
    # Sat 10-11 was a 调休 working day in 2025, so Monday is the second working day late
    assert view.as_of == date(2025, 10, 13) and view.overdue and view.overdue_working_days == 2


# --- statuses --------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", STATUSES)
def test_every_status(service, status):
    closed = status in ("finished", "rejected", "delivered")
    app = application(status=status, result=result(outcome="不予受理：不符合条件") if status == "rejected" else result()) if closed else application(status=status)
    view = view_of(service, app, date(2025, 10, 20))
    assert view.status_label == STATUS_LABELS[status]
    assert view.closed == closed
    if closed:
        # the clock stopped on 10-09, before the deadline 10-10: not overdue, nothing remains
        assert not view.overdue and view.remaining_working_days == 0 and view.current_step is None
        assert view.result.finished_at == datetime(2025, 10, 9, 15, 0)
        expected = "已于 2025-10-09 15:00 作出不予受理决定" if status == "rejected" else "已于 2025-10-09 15:00 办结，在承诺时限内"
        assert time_left_text(view) == expected
    else:
        assert view.overdue and view.overdue_working_days == 7  # Sat 10-11 (调休), 10-13 … 10-17, 10-20
        assert view.current_step == 1 and view.result is None


def test_finished_late_stays_late(service):
    app = application(item_code=COMPANY, status="finished", result=result(finished_at="2025-10-10T16:00:00"))
    view = view_of(service, app, date(2026, 1, 5))
    assert view.deadline == date(2025, 9, 28)  # 1 working day: the 调休 Sunday
    assert view.overdue and view.overdue_working_days == 4  # 09-29, 09-30, 10-09, 10-10: as of the finish
    assert time_left_text(view) == "已于 2025-10-10 16:00 办结，超过承诺办结日期 4 个工作日"


def test_the_view_shows_masks_and_whom_to_contact(service):
    view = view_of(service, application(), date(2025, 9, 30))
    assert (view.applicant_name, view.applicant_phone_masked) == ("张*三", "138****5678")
    assert view.applicant_id_masked == "4" + "*" * 16 + ZHANG_ID[-1]
    assert view.accepted_by == "王*" and view.steps[1].staff == "陈*东"
    assert view.window_text == "A05 号窗口（一楼A区）"
    assert view.complaint_phone == "0370-5138123"  # the item's 监督投诉电话
    data = view.to_json()
    for key in ("number", "item_code", "item_name", "status", "accepted_at", "promised_deadline", "estimated",
                "remaining_working_days", "overdue", "overdue_working_days", "steps"):
        assert key in data
    assert ZHANG_PHONE not in str(data) and ZHANG_ID not in str(data)


# --- verification ------------------------------------------------------------------------------------


@pytest.fixture
def imported(service):
    service.import_document(document(application(applicant={"name": "张小三", "id_number": "11010519491231002X", "phone": ZHANG_PHONE})))
    return service


@pytest.mark.parametrize("verification", ["5678", "002X", "002x", " 5678 ", "11010519491231002x", "138-1234-5678"])
def test_verification_by_phone_or_id_number(imported, verification):
    assert imported.query("yc2509260001", verification).found


def test_a_wrong_pair_does_not_say_which_part_was_wrong(imported):
    wrong_verification = imported.query("YC2509260001", "1111")
    wrong_number = imported.query("YC2509260002", "5678")
    assert wrong_verification.kind == wrong_number.kind == "not_found"
    assert wrong_verification.message == wrong_number.message == "未查到该办件"
    assert "办件编号" in wrong_number.advice and "后4位" in wrong_number.advice
    assert wrong_verification.view is None and wrong_number.view is None


@pytest.mark.parametrize(
    "number, verification, message",
    [("", "5678", "请输入办件编号"), ("YC#1", "5678", "办件编号不正确"), ("YC2509260001", "", "请输入申请人手机号或身份证号的后4位"),
     ("YC2509260001", "56", "请输入申请人手机号或身份证号的后4位"), ("YC2509260001", "abcd", "请输入申请人手机号或身份证号的后4位")],
)
def test_input_that_cannot_be_right_is_explained_and_not_counted(imported, number, verification, message):
    for _ in range(6):
        outcome = imported.query(number, verification)
        assert (outcome.kind, outcome.message) == ("invalid", message)
    assert imported.query("YC2509260001", "5678").found


# --- the failure limit -----------------------------------------------------------------------------


def test_five_failures_in_ten_minutes_pause_queries_for_ten_minutes(imported, clock):
    lefts = []
    for _ in range(4):
        outcome = imported.query("YC2509260001", "0000")
        lefts.append(outcome.attempts_left)
        clock.advance(minutes=2)
    assert lefts == [4, 3, 2, 1]
    assert "再输错 1 次，本机将暂停查询 10 分钟" in outcome.advice
    fifth = imported.query("YC2509260001", "0000")
    assert fifth.kind == "locked" and fifth.message == "未查到该办件"
    assert fifth.locked_until == clock.now + timedelta(minutes=10)
    assert "本机暂停进度查询 10 分钟，请在 10:18 以后再试" in fifth.advice
    clock.advance(minutes=9, seconds=59)
    paused = imported.query("YC2509260001", "5678")  # even the right pair
    assert paused.kind == "locked" and paused.message == "查询已暂停" and paused.view is None
    clock.advance(seconds=1)
    assert imported.query("YC2509260001", "5678").found
    assert imported.query("YC2509260001", "0000").attempts_left == 4, "the pause started a new count"


def test_failures_older_than_ten_minutes_do_not_count(imported, clock):
    for _ in range(4):
        imported.query("YC2509260001", "0000")
    clock.advance(minutes=10, seconds=1)
    assert imported.query("YC2509260001", "0000").attempts_left == 4


def test_a_success_does_not_clear_the_count(imported):
    for _ in range(4):
        imported.query("YC2509260001", "0000")
    assert imported.query("YC2509260001", "5678").found
    assert imported.query("YC2509260002", "5678").kind == "locked"


def test_the_limit_is_per_terminal_and_survives_a_restart(imported, catalog_db, data_dir, clock):
    for _ in range(5):
        imported.query("YC2509260001", "0000")
    restarted = make_service(catalog_db, data_dir, clock=clock)
    assert restarted.query("YC2509260001", "5678").kind == "locked"
    assert restarted.locked_until() == NOW + timedelta(minutes=10)
    other = make_service(catalog_db, data_dir, clock=clock, terminal_id="YC-24H-01")
    assert other.query("YC2509260001", "5678").found
    assert restarted.unlock() and restarted.query("YC2509260001", "5678").found


def read_only(data_dir):
    """The same database file opened read-only, as after the disk was remounted read-only:
    SQLite refuses every write with "attempt to write a readonly database"."""
    return Database(f"sqlite:///file:{data_dir / 'kiosk.sqlite3'}?mode=ro&uri=true")


def test_a_read_only_database_answers_nothing_rather_than_allow_unlimited_guesses(imported, data_dir, clock):
    database = read_only(data_dir)
    try:
        service = make_service(database, data_dir, clock=clock)
        for _ in range(8):
            wrong = service.query("YC2509260001", "0000")
            assert (wrong.kind, wrong.message, wrong.view) == ("unavailable", "暂时无法查询", None)
        right = service.query("YC2509260001", "5678")
        assert (right.kind, right.view) == ("unavailable", None), "no answer that the limit could not count"
    finally:
        database.dispose()
    assert imported.query("YC2509260001", "5678").found, "writable again: queries work"


def test_every_answered_attempt_was_counted_first(imported, catalog_db, monkeypatch):
    """The count is committed before the answer: a failure that cannot be written stops the
    query instead of being lost."""
    counted = []
    begin = imported.limiter.begin
    monkeypatch.setattr(imported.limiter, "begin", lambda now: counted.append(begin(now)) or counted[-1])
    imported.query("YC2509260001", "0000")
    imported.query("YC2509260001", "5678")
    assert len(counted) == 2
    with catalog_db.session() as session:
        assert session.scalar(select(func.count()).select_from(QueryFailure)) == 1  # the right one forgiven


# --- backends -------------------------------------------------------------------------------------


class MemoryBackend:
    def __init__(self, records):
        self.records = {r.number: r for r in records}

    def fetch(self, number):
        return self.records.get(number)


class DownBackend:
    def fetch(self, number):
        raise BackendUnavailable("connection refused")


def test_a_backend_can_replace_the_local_table(imported, catalog_db, data_dir, clock):
    record = LocalTableBackend(catalog_db).fetch("YC2509260001")
    live = replace(record, number="HTTP0001", status="finished", result=None)
    service = ProgressService(catalog_db, calendar=WorkCalendar(), key=imported.key, terminal_id=TERMINAL,
                              backend=MemoryBackend([live]), clock=clock)
    outcome = service.query("http0001", "5678")
    assert outcome.found and outcome.view.number == "HTTP0001" and outcome.view.closed
    assert "5678" not in repr(record) and record.phone_hash not in repr(record)


def test_an_unreachable_backend_says_so_and_counts_nothing(catalog_db, data_dir, clock):
    from kiosk.privacy import PrivacyKey

    service = ProgressService(catalog_db, calendar=WorkCalendar(), key=PrivacyKey.load_or_create(data_dir),
                              terminal_id=TERMINAL, backend=DownBackend(), clock=clock)
    for _ in range(6):
        outcome = service.query("YC2509260001", "5678")
        assert (outcome.kind, outcome.message) == ("unavailable", "暂时无法查询")


@pytest.mark.parametrize("window, text", [("A05", "A05 号窗口（一楼A区）"), ("X9", "X9 窗口"), ("综合受理窗口3", "综合受理窗口3"), ("", "")])
def test_the_window_reads_as_a_window(service, window, text):
    assert view_of(service, application(window=window), date(2025, 9, 30)).window_text == text
