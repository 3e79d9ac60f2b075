"""Ratings and cases in the domain: what is kept, numbering, status history, notifications,
phone retention, and the messages for bad input."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from kiosk.clock import ManualClock
from kiosk.feedback import FeedbackError, FeedbackService
from kiosk.feedback.models import Complaint, Rating
from kiosk.notify import LogNotifier


@pytest.fixture
def clock():
    return ManualClock(datetime(2026, 3, 2, 9, 30))


@pytest.fixture
def notifier():
    return LogNotifier()


@pytest.fixture
def feedback(database, clock, notifier):
    return FeedbackService(database, terminal="YC-HALL-01", terminal_name="大厅自助终端 1 号", notifier=notifier, clock=clock)


def stored(database, model, **where):
    with database.session() as session:
        query = select(model)
        for key, value in where.items():
            query = query.where(getattr(model, key) == value)
        return session.scalar(query)


# --- ratings ------------------------------------------------------------------------------------------


def test_a_good_rating_keeps_terminal_item_time_and_level_only(feedback, database, notifier):
    info = feedback.rate(4, source="print", item_code="1141148100492981054010001", item_name="有限责任公司设立登记")
    assert (info.level, info.level_zh, info.poor) == (4, "满意", False)
    row = stored(database, Rating, id=info.id)
    assert (row.terminal, row.source, row.item_code, row.level) == ("YC-HALL-01", "print", "1141148100492981054010001", 4)
    assert row.rated_at == datetime(2026, 3, 2, 9, 30)
    assert row.reasons == [] and row.phone == ""
    assert notifier.sent == []  # a good rating needs nobody's attention
    with pytest.raises(FeedbackError) as refused:
        feedback.add_details(info.id, ["slow"], "13812345678")
    assert "不满意" in refused.value.zh


def test_a_poor_rating_takes_reasons_and_a_phone_once_shown_masked_and_tells_the_center(feedback, database, notifier):
    info = feedback.rate(1, source="progress", item_name="不动产登记")
    detailed = feedback.add_details(info.id, ["slow", "attitude", "slow"], "138 1234 5678")
    assert detailed.reasons == ("slow", "attitude")
    assert detailed.reasons_zh == ["办理慢、等候时间长", "服务态度不好"]
    assert detailed.phone_masked == "138****5678"
    assert "13812345678" not in repr(detailed) and "13812345678" not in str(detailed.to_dict())
    assert stored(database, Rating, id=info.id).phone == "13812345678"  # the center must call back
    [note] = notifier.sent
    assert note.event == "poor_rating"
    assert "非常不满意" in note.title
    assert "138****5678" in note.text and "13812345678" not in note.text
    assert "办理慢、等候时间长" in note.text
    with pytest.raises(FeedbackError) as again:
        feedback.add_details(info.id, ["other"], "")
    assert "已经提交过" in again.value.zh


def test_reasons_come_soon_after_the_rating_or_not_at_all(feedback, clock):
    info = feedback.rate(2)
    clock.advance(minutes=31)
    with pytest.raises(FeedbackError) as late:
        feedback.add_details(info.id, ["slow"], "")
    assert "重新评价" in late.value.zh


@pytest.mark.parametrize(
    ("level", "message"), [(0, "1 到 5"), (6, "1 到 5"), ("很好", "1 到 5"), (None, "1 到 5"), (True, "1 到 5")]
)
def test_a_level_outside_the_five_is_refused(feedback, level, message):
    with pytest.raises(FeedbackError) as refused:
        feedback.rate(level)
    assert message in refused.value.zh


@pytest.mark.parametrize(
    ("phone", "message"),
    [
        ("1381234567", "11 位"),
        ("138123456789", "11 位"),
        ("abc", "只能包含数字"),
        ("12345", "11 位"),
        ("2345", "电话号码不正确"),
    ],
)
def test_a_wrong_phone_says_what_is_wrong(feedback, phone, message):
    info = feedback.rate(2)
    with pytest.raises(FeedbackError) as refused:
        feedback.add_details(info.id, [], phone)
    assert message in refused.value.zh


def test_landlines_and_a_country_prefix_are_accepted(feedback, database):
    a = feedback.add_details(feedback.rate(2).id, [], "0370-5123456")
    b = feedback.add_details(feedback.rate(1).id, [], "+86 13912345678")
    assert stored(database, Rating, id=a.id).phone == "03705123456"
    assert stored(database, Rating, id=b.id).phone == "13912345678"


def test_unknown_reasons_are_refused(feedback):
    with pytest.raises(FeedbackError) as refused:
        feedback.add_details(feedback.rate(1).id, ["bribes"], "")
    assert "原因选项无效" in refused.value.zh


# --- complaints and suggestions -----------------------------------------------------------------------


def test_cases_are_numbered_per_day_and_kind(feedback, clock):
    assert feedback.submit("complaint", "attitude", "工作人员态度生硬").number == "TS-20260302-001"
    assert feedback.submit("complaint", "efficiency", "排队等候时间太长").number == "TS-20260302-002"
    assert feedback.submit("suggestion", "hall", "建议增加座位").number == "JY-20260302-001"
    clock.advance(days=1)
    assert feedback.submit("complaint", "quality", "解释不清楚").number == "TS-20260303-001"


def test_numbers_continue_after_a_thousand(feedback, database, clock):
    with database.session() as session:
        session.add(Complaint(number="TS-20260302-999", kind="complaint", subject="hall", text="x", terminal="T2",
                              created_at=clock(), status="received"))
    assert feedback.submit("complaint", "hall", "座位太少").number == "TS-20260302-1000"


def test_a_case_is_sent_to_the_center_with_its_number_and_a_masked_phone(feedback, notifier):
    case = feedback.submit("complaint", "terminal", "打印不出凭条", phone="13812345678", item_name="户口迁移")
    assert case.status == "received" and case.status_zh == "已受理" and case.notified
    [note] = notifier.sent
    assert note.event == "complaint"
    assert case.number in note.title and "本台自助终端" in note.title
    assert "打印不出凭条" in note.text and "户口迁移" in note.text
    assert "138****5678" in note.text and "13812345678" not in note.text
    assert feedback.callback_phone(case.number) == "13812345678"


def test_personal_data_typed_into_the_text_reaches_the_center_and_the_log_only_masked(feedback, notifier, caplog):
    text = "我叫张小三，电话 138-1234-5678，身份证 411481 19900315 001x，老证 411481900315001"
    case = feedback.submit("complaint", "terminal", text, phone="+86 139 1234 5678")
    [note] = notifier.sent
    for leaked in ("张小三", "1234-5678", "19900315", "900315001", "139 1234", "13912345678"):
        assert leaked not in note.text and leaked not in caplog.text
    assert "我叫张*三" in note.text and "138****5678" in note.text and "4****************X" in note.text
    assert feedback.get(case.number).text == text  # the center's own record keeps every word


def test_status_goes_received_forwarded_answered_with_who_and_when(feedback, clock):
    case = feedback.submit("complaint", "attitude", "问问题没人理", phone="13812345678")
    clock.advance(hours=1)
    forwarded = feedback.forward(case.number, "1001", "县市场监管局窗口", "请核实")
    assert (forwarded.status, forwarded.forwarded_to, forwarded.forwarded_by) == ("forwarded", "县市场监管局窗口", "1001")
    assert forwarded.forwarded_at == datetime(2026, 3, 2, 10, 30)
    clock.advance(days=1)
    answered = feedback.answer(case.number.lower(), "cli:admin", "已电话回复，窗口人员已批评教育")
    assert answered.status_zh == "已答复" and not answered.open
    assert [(e.status, e.actor) for e in answered.events] == [
        ("received", "kiosk"), ("forwarded", "1001"), ("answered", "cli:admin"),
    ]
    assert answered.events[2].at == datetime(2026, 3, 3, 10, 30)
    with pytest.raises(FeedbackError) as closed:
        feedback.forward(case.number, "1001", "别处")
    assert "已于 2026-03-03 10:30 答复" in closed.value.zh


@pytest.mark.parametrize(
    ("kind", "subject", "text", "message"),
    [
        ("praise", "hall", "好", "投诉还是建议"),
        ("complaint", "parking", "好", "方面"),
        ("complaint", "hall", "   ", "请填写内容"),
        ("complaint", "hall", "字" * 201, "最多 200 个字"),
    ],
)
def test_incomplete_cases_are_refused_in_chinese(feedback, kind, subject, text, message):
    with pytest.raises(FeedbackError) as refused:
        feedback.submit(kind, subject, text)
    assert message in refused.value.zh
    assert refused.value.en


def test_text_is_one_tidy_line(feedback):
    case = feedback.submit("suggestion", "hall", "  建议增加座位\n\t和饮水机\x00 ")
    assert case.text == "建议增加座位 和饮水机"


@pytest.mark.parametrize("number", ["", "TS-2026-1", "XX-20260302-001", "TS20260302001"])
def test_a_malformed_number_says_how_it_looks(feedback, number):
    with pytest.raises(FeedbackError) as refused:
        feedback.get(number)
    assert "TS-20260302-001" in refused.value.zh


def test_an_unknown_number_is_named(feedback):
    with pytest.raises(FeedbackError) as refused:
        feedback.get("TS-20260302-007")
    assert "没有编号为 TS-20260302-007" in refused.value.zh


def test_listing_by_status_kind_and_time(feedback, clock):
    a = feedback.submit("complaint", "hall", "座位太少")
    clock.advance(hours=2)
    b = feedback.submit("suggestion", "hall", "建议增加座位")
    feedback.answer(a.number, "1001", "已增加座位")
    assert [c.number for c in feedback.list("open")] == [b.number]
    assert [c.number for c in feedback.list()] == [b.number, a.number]
    assert [c.number for c in feedback.list(kind="complaint")] == [a.number]
    assert [c.number for c in feedback.list(since=datetime(2026, 3, 2, 10))] == [b.number]
    with pytest.raises(FeedbackError):
        feedback.list("lost")


# --- retention ----------------------------------------------------------------------------------------


def test_callback_phones_are_erased_after_the_retention_period(feedback, database, clock):
    rating = feedback.add_details(feedback.rate(1).id, ["slow"], "13812345678")
    answered = feedback.submit("complaint", "hall", "座位太少", phone="13900001111")
    feedback.answer(answered.number, "1001", "已增加座位")
    still_open = feedback.submit("complaint", "attitude", "态度差", phone="13700002222")
    clock.advance(days=89)
    assert feedback.erase_expired_phones() == 0
    clock.advance(days=2)
    assert feedback.erase_expired_phones() == 2
    assert stored(database, Rating, id=rating.id).phone == ""
    assert stored(database, Rating, id=rating.id).phone_erased_at == clock()
    assert feedback.callback_phone(answered.number) == ""
    assert feedback.callback_phone(still_open.number) == "13700002222"  # the call is still owed
    assert feedback.get(still_open.number).phone_masked == "137****2222"
