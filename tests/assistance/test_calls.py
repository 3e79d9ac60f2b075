"""The help call's lifecycle: raised (stored, helpers told), shown again rather than doubled,
taken, closed into the ledger, cancelled by the citizen, raised again when nobody takes it,
ended when nobody comes; and the notification through the group robot, never blocking."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import pytest
from assistance_support import HELPER, HELPER2, ITEM, ITEM_NAME, Robot, sent

from kiosk.assistance import HelperError, HelperService
from kiosk.assistance.models import HelpCall
from kiosk.notify import WebhookNotifier

ON_ITEM = dict(screen="item", screen_label="事项一次性告知", item_code=ITEM, item_name=ITEM_NAME)


def test_a_call_is_stored_and_the_helpers_on_duty_are_told(helpers, notifier, clock):
    raised = helpers.raise_call(**ON_ITEM)
    call = raised.call
    assert not raised.reused
    assert call.number == "001" and call.status == "open" and call.status_zh == "等待接单"
    assert call.raised_at == clock.now and call.terminal == "YC-HALL-01"
    assert call.where_zh == f"事项一次性告知 · {ITEM_NAME}"
    with helpers.database.session() as session:
        stored = session.get(HelpCall, call.id)
        assert (stored.status, stored.item_code, stored.screen) == ("open", ITEM, "item")
    [note] = sent(notifier)
    assert note.event == "help_call"
    assert note.title == "【呼叫帮办】大厅自助终端 1 号 呼叫号 001"
    assert f"群众所在页面：事项一次性告知 · {ITEM_NAME}" in note.text
    assert "呼叫时间：09:00" in note.text
    # helpers are named; the maintainer is not a helper
    assert note.recipients == ("刘红梅", "赵建国")


def test_an_absent_helper_is_not_named(helpers, staff, notifier, clock):
    staff.add_absence(HELPER2, clock.now - timedelta(hours=1), clock.now + timedelta(hours=3), "培训")
    helpers.raise_call()
    assert sent(notifier)[0].recipients == ("刘红梅",)


def test_pressing_again_shows_the_same_call_and_retells_only_after_a_minute(helpers, notifier, clock):
    first = helpers.raise_call(screen="home", screen_label="首页").call
    clock.advance(seconds=20)
    again = helpers.raise_call(**ON_ITEM)
    assert again.reused and again.call.id == first.id and again.call.number == "001"
    assert again.call.item_name == ITEM_NAME  # where the citizen is now
    assert len(sent(notifier)) == 1
    clock.advance(minutes=1)
    third = helpers.raise_call(**ON_ITEM)
    assert third.reused and third.call.raise_count == 2
    assert [n.event for n in sent(notifier)] == ["help_call", "help_call_reraised"]
    assert sent(notifier)[1].title == "【群众再次呼叫】大厅自助终端 1 号 呼叫号 001"


def test_numbers_count_per_day_across_terminals(make_helpers, clock):
    hall, zone = make_helpers(), make_helpers("YC-24H-01", "24小时自助终端")
    assert hall.raise_call().call.number == "001"
    assert zone.raise_call().call.number == "002"
    clock.advance(days=1)
    hall.cancel_call(hall.active_call().id)
    assert hall.raise_call().call.number == "001"


def test_take_then_close_into_the_ledger(helpers, notifier, clock):
    call = helpers.raise_call(**ON_ITEM).call
    clock.advance(minutes=2)
    taken = helpers.take_call(call.id, (HELPER, "刘红梅"))
    assert taken.status == "taken" and taken.taken_by == HELPER and taken.waited(clock.now) == timedelta(minutes=2)
    assert sent(notifier)[-1].title == "【已接单】大厅自助终端 1 号 呼叫号 001"
    assert "刘红梅 已接单，正在前往。" in sent(notifier)[-1].text
    with pytest.raises(HelperError) as refused:
        helpers.take_call(call.id, (HELPER2, "赵建国"))
    assert refused.value.zh == "呼叫 001 已由 刘红梅 接单"

    clock.advance(minutes=10)
    closed, entry = helpers.close_call(call.id, (HELPER, "刘红梅"), help_types=["online", "材料填写"], outcome="guided",
                                       notes="已带到3号窗口")
    assert closed.status == "closed" and closed.ended_by == HELPER
    assert entry.help_types == ("online", "forms") and entry.help_types_zh == "帮网办、材料填写"
    assert entry.outcome_zh == "已引导至窗口" and entry.call_number == "001"
    assert entry.at == call.raised_at and entry.finished_at == clock.now
    with pytest.raises(HelperError) as again:
        helpers.close_call(call.id, (HELPER, "刘红梅"), help_types=["online"])
    assert again.value.zh == "呼叫 001 已结束"
    assert helpers.active_call() is None
    audit = helpers.staff.audit_entries(actor=HELPER)
    assert [a.action for a in audit] == ["help.close", "help.take"]


def test_closing_asks_for_what_was_done(helpers):
    call = helpers.raise_call().call
    with pytest.raises(HelperError) as nothing:
        helpers.close_call(call.id, (HELPER, "刘红梅"), help_types=[], outcome="resolved")
    assert nothing.value.zh == "请至少选择一种帮办类型（如帮网办、材料填写）"
    with pytest.raises(HelperError) as bad_type:
        helpers.close_call(call.id, (HELPER, "刘红梅"), help_types=["帮做饭"])
    assert bad_type.value.zh.startswith("帮办类型“帮做饭”无效，可选：帮注册、帮网办")
    with pytest.raises(HelperError) as bad_outcome:
        helpers.close_call(call.id, (HELPER, "刘红梅"), help_types=["online"], outcome="done")
    assert "办理结果“done”无效" in bad_outcome.value.zh
    with pytest.raises(HelperError):
        helpers.close_call(call.id, (HELPER, "刘红梅"), help_types=["online"], notes="x" * 301)
    with pytest.raises(HelperError) as bad_id:
        helpers.take_call("abc", (HELPER, "刘红梅"))
    assert bad_id.value.zh == "呼叫编号“abc”无效"
    # the citizen left: no help type needed; closing an open call takes it
    closed, entry = helpers.close_call(call.id, (HELPER2, "赵建国"), outcome="left")
    assert closed.taken_by == HELPER2 and entry.outcome_zh == "群众已离开" and entry.help_types == ()


def test_the_citizen_cancels(helpers, notifier, clock):
    call = helpers.raise_call(**ON_ITEM).call
    helpers.take_call(call.id, (HELPER, "刘红梅"))
    clock.advance(minutes=1)
    cancelled = helpers.cancel_call(call.id)
    assert cancelled.status == "cancelled" and cancelled.ended_by == "citizen"
    assert sent(notifier)[-1].title == "【呼叫已取消】大厅自助终端 1 号 呼叫号 001"
    assert "群众已取消呼叫，无需前往。" in sent(notifier)[-1].text
    assert helpers.cancel_call(call.id).status == "cancelled"  # a second tap changes nothing
    assert len(sent(notifier, "help_call_cancelled")) == 1
    [entry] = helpers.ledger(clock.now - timedelta(hours=1), clock.now + timedelta(hours=1))
    assert (entry.outcome_zh, entry.helper_name, entry.item_name) == ("群众取消呼叫", "刘红梅", ITEM_NAME)


def test_a_call_nobody_takes_is_raised_again_then_ends(helpers, notifier, clock):
    call = helpers.raise_call(**ON_ITEM).call
    clock.advance(minutes=2, seconds=59)
    assert helpers.tick().reraised == ()
    clock.advance(seconds=1)
    report = helpers.tick()
    assert [c.raise_count for c in report.reraised] == [2]
    assert helpers.tick().reraised == ()  # once per interval
    note = sent(notifier)[-1]
    assert note.event == "help_call_reraised"
    assert note.title == "【呼叫无人接单·第2次提醒】大厅自助终端 1 号 呼叫号 001"
    assert "已等待 3 分钟" in note.text
    clock.advance(minutes=3)
    assert [c.raise_count for c in helpers.tick().reraised] == [3]
    clock.advance(minutes=24)  # 30 minutes since the call
    report = helpers.tick()
    assert report.reraised == () and [c.id for c in report.expired] == [call.id]
    assert helpers.call(call.id).status == "expired"
    assert sent(notifier)[-1].title == "【呼叫无人响应，已结束】大厅自助终端 1 号 呼叫号 001"
    [entry] = helpers.ledger(clock.now - timedelta(hours=1), clock.now)
    assert entry.outcome_zh == "无人响应" and entry.helper_id == "" and entry.notes == "3 次通知无人接单"
    assert [n.event for n in sent(notifier)].count("help_call_reraised") == 2


def test_a_taken_call_is_not_raised_again(helpers, notifier, clock):
    call = helpers.raise_call().call
    helpers.take_call(call.id, (HELPER, "刘红梅"))
    clock.advance(minutes=40)
    assert helpers.tick() == type(helpers.tick())()
    assert helpers.call(call.id).status == "taken"


def test_two_processes_raise_again_only_once(make_helpers, notifier, clock):
    kiosk, other = make_helpers(), make_helpers()
    kiosk.raise_call()
    clock.advance(minutes=3)
    assert len(kiosk.tick().reraised) + len(other.tick().reraised) == 1
    assert len(sent(notifier, "help_call_reraised")) == 1


def test_the_interval_comes_from_the_configuration(make_helpers, clock):
    helpers = make_helpers(reraise_after_minutes=1, expire_after_minutes=5)
    helpers.raise_call()
    clock.advance(minutes=1)
    assert len(helpers.tick().reraised) == 1
    clock.advance(minutes=4)
    assert len(helpers.tick().expired) == 1


def test_a_broken_notifier_never_loses_the_call(catalog_db, staff, clock):
    class Broken:
        def send(self, notification):
            raise RuntimeError("robot unreachable")

        def close(self, timeout=2.0):
            pass

    helpers = HelperService(catalog_db, terminal="YC-HALL-01", notifier=Broken(), staff=staff, clock=clock)
    call = helpers.raise_call().call
    assert helpers.call(call.id).status == "open"


def test_the_group_robot_gets_the_call_and_a_slow_robot_never_blocks(catalog_db, staff, clock):
    with Robot(delay=1.5) as robot:
        notifier = WebhookNotifier(robot.url, timeout=5, max_attempts=1)
        helpers = HelperService(catalog_db, terminal="YC-HALL-01", terminal_name="大厅自助终端 1 号",
                                notifier=notifier, staff=staff, clock=clock)
        started = time.monotonic()
        call = helpers.raise_call(**ON_ITEM).call
        assert time.monotonic() - started < 1.0, "raising a call must not wait for the robot"
        assert call.status == "open"
        assert notifier.flush(10)
        notifier.close()
    [text] = robot.texts()
    assert text.startswith("【呼叫帮办】大厅自助终端 1 号 呼叫号 001\n终端：大厅自助终端 1 号（YC-HALL-01）")
    assert f"群众所在页面：事项一次性告知 · {ITEM_NAME}" in text


def test_with_the_network_down_the_call_is_stored_and_the_citizen_not_kept_waiting(catalog_db, staff, clock):
    with Robot() as robot:
        url = robot.url
    # nothing listens there any more: every delivery fails
    notifier = WebhookNotifier(url, timeout=1, max_attempts=2, backoff=0.05)
    helpers = HelperService(catalog_db, terminal="YC-HALL-01", notifier=notifier, staff=staff, clock=clock)
    started = time.monotonic()
    call = helpers.raise_call().call
    assert time.monotonic() - started < 1.0
    assert helpers.call(call.id).status == "open"
    assert notifier.flush(10)
    assert notifier.failed == 1 and notifier.delivered == 0
    notifier.close()
    # the helpers still see it on the terminal and a re-raise tries again
    assert [c.number for c in helpers.calls("active")] == ["001"]


def test_active_calls_list_this_terminal_first(make_helpers, clock):
    zone, hall = make_helpers("YC-24H-01", "24小时自助终端"), make_helpers()
    zone.raise_call()
    clock.advance(minutes=1)
    hall.raise_call()
    assert [(c.terminal, c.number) for c in hall.calls("active")] == [("YC-HALL-01", "002"), ("YC-24H-01", "001")]
    assert [c.number for c in hall.calls("active", all_terminals=False)] == ["002"]
    with pytest.raises(HelperError):
        hall.calls("nonsense")
    assert datetime(2026, 3, 2, 9, 1) == hall.active_call().raised_at


def test_every_event_the_helpers_send_is_a_known_notification_event(helpers, notifier, clock):
    from kiosk.notify import EVENTS

    call = helpers.raise_call().call
    clock.advance(minutes=1)
    helpers.raise_call()  # pressed again
    clock.advance(minutes=3)
    helpers.tick()
    helpers.take_call(call.id, (HELPER, "刘红梅"))
    helpers.cancel_call(call.id)
    helpers.raise_call()
    clock.advance(minutes=31)
    helpers.tick()
    events = {n.event for n in sent(notifier)}
    assert events == {"help_call", "help_call_reraised", "help_call_taken", "help_call_cancelled", "help_call_expired"}
    assert events <= set(EVENTS) and "proxy_request" in EVENTS


def test_a_call_left_for_the_morning_holds_nothing_and_is_closed_like_any(database):
    from kiosk.assistance import HelperService
    from kiosk.assistance.common import HELP_TYPES

    service = HelperService(database, terminal="YC-24H-01")
    left = service.defer_call(screen="home", screen_label="首页")
    assert left.status == "deferred" and left.status_zh == "非工作时间登记，待上班处理"
    assert service.active_call() is None, "the terminal's call button is free"
    assert [c.number for c in service.calls("deferred")] == [left.number]
    assert service.tick().expired == ()
    closed, ledger = service.close_call(left.id, ("9001", "王红"), help_types=[next(iter(HELP_TYPES))])
    assert closed.status == "closed" and ledger.call_number == left.number
