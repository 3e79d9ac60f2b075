"""PINs, sign-in with lockout (kept across restarts), the audit log, staff records, absences and
the terminal's A and B post."""

from __future__ import annotations

from datetime import timedelta

import threading

import pytest

from kiosk.clock import ManualClock
from kiosk.config import StaffConfig
from kiosk.db import Database
from kiosk.staff import StaffError, StaffService, check_pin_strength, hash_pin, verify_pin
from kiosk.staff.pins import PinError
from maintenance_support import A, ADMIN, B, PINS, add_people


@pytest.fixture
def clock():
    return ManualClock()


@pytest.fixture
def staff(database, clock):
    service = StaffService(database, terminal="YC-HALL-01", config=StaffConfig(), clock=clock)
    add_people(service)
    return service


def test_pins_are_stored_as_slow_salted_hashes():
    first, second = hash_pin("246810"), hash_pin("246810")
    assert first != second, "a fresh salt each time"
    assert first.startswith("scrypt$16384$8$1$") and "246810" not in first
    assert verify_pin("246810", first) and verify_pin("246810", second)
    assert not verify_pin("246811", first)
    assert not verify_pin("246810", "scrypt$garbage") and not verify_pin("246810", "")


@pytest.mark.parametrize(
    ("pin", "words"),
    [("12345", "6到12位"), ("1234567890123", "6到12位"), ("12a456", "数字"), ("888888", "同一个数字"),
     ("123456", "连续数字"), ("987654", "连续数字"), ("", "数字")],
)
def test_weak_pins_are_refused_with_a_reason(pin, words):
    with pytest.raises(PinError) as refused:
        check_pin_strength(pin)
    assert words in refused.value.zh


def test_sign_in_says_hello_and_is_audited(staff):
    result = staff.sign_in(A, PINS[A])
    assert result.ok and result.session.name == "张三" and result.session.can_maintain
    assert not result.session.is_admin
    staff.sign_out(result.session, "idle")
    assert [(e.actor, e.action, e.detail) for e in staff.audit_entries(2)] == [(A, "signout", "idle"), (A, "signin.ok", "张三")]


def test_a_wrong_pin_and_an_unknown_id_get_the_same_answer(staff):
    wrong_pin = staff.sign_in(A, "999999")
    unknown = staff.sign_in("7777", "999999")
    assert not wrong_pin.ok and not unknown.ok
    assert wrong_pin.message_zh.split("，")[0] == unknown.message_zh.split("，")[0] == "工号或密码不正确"
    assert (wrong_pin.attempts_left, unknown.attempts_left) == (4, 3)


def test_five_wrong_pins_lock_sign_in_for_five_minutes_even_for_the_right_pin(staff, clock, database):
    for attempt in range(4):
        assert staff.sign_in(A, "000001").attempts_left == 4 - attempt
    locked = staff.sign_in(B, "000001")
    assert locked.locked and "登录已锁定" in locked.message_zh and "5 分钟" in locked.message_zh
    assert locked.locked_until == clock() + timedelta(minutes=5)
    assert not staff.sign_in(A, PINS[A]).ok, "locked: the right PIN is refused too"

    restarted = StaffService(database, terminal="YC-HALL-01", clock=clock)
    clock.advance(minutes=4, seconds=59)
    assert restarted.sign_in(A, PINS[A]).locked, "the lockout survives a restart of the kiosk"
    clock.advance(seconds=1)
    assert restarted.lock_state() is None
    assert restarted.sign_in(A, PINS[A]).ok
    actions = [e.action for e in staff.audit_entries(20)]
    assert actions.count("signin.failed") == 4 and actions.count("signin.lockout") == 1
    assert actions.count("signin.locked") == 2 and actions[0] == "signin.ok"


def test_wrong_pins_typed_at_once_are_all_counted(database, data_dir, clock):
    """12 wrong PINs at the same moment, each through its own connection (as from several
    processes): none of them is lost, so the terminal locks."""
    first = StaffService(database, terminal="YC-HALL-01", clock=clock)
    add_people(first)
    assert first.sign_in(B, PINS[B]).ok  # the terminal's lockout row exists
    start = threading.Barrier(12)
    results, errors = [], []

    def attempt():
        own = Database("sqlite:///" + str(data_dir / "kiosk.sqlite3"))
        try:
            service = StaffService(own, terminal="YC-HALL-01", clock=clock)
            start.wait()
            results.append(service.sign_in(A, "000001"))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            own.dispose()

    threads = [threading.Thread(target=attempt) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    staff = StaffService(database, terminal="YC-HALL-01", clock=clock)
    assert staff.lock_state() is not None, "12 wrong PINs must lock sign-in"
    assert sum(r.locked for r in results) >= 12 - 4
    assert sorted(r.attempts_left for r in results if not r.locked) == [1, 2, 3, 4][: 12 - sum(r.locked for r in results)]
    assert staff.sign_in(A, PINS[A]).locked
    actions = [e.action for e in staff.audit_entries(30)]
    assert actions.count("signin.failed") == 4 and actions.count("signin.lockout") == 1


def test_the_first_attempts_of_a_new_terminal_at_once_all_count(database, data_dir, clock):
    add_people(StaffService(database, terminal="YC-HALL-01", clock=clock))
    errors = []

    def attempt():
        own = Database("sqlite:///" + str(data_dir / "kiosk.sqlite3"))
        try:
            StaffService(own, terminal="YC-NEW-09", clock=clock).sign_in(A, "000001")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            own.dispose()

    threads = [threading.Thread(target=attempt) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert StaffService(database, terminal="YC-NEW-09", clock=clock).sign_in(A, "000001").attempts_left == 1


def test_the_lockout_is_per_terminal(staff, clock, database):
    for _ in range(5):
        staff.sign_in(A, "000001")
    other = StaffService(database, terminal="YC-24H-02", clock=clock)
    assert other.sign_in(A, PINS[A]).ok


def test_a_success_resets_the_count(staff):
    for _ in range(4):
        staff.sign_in(A, "000001")
    assert staff.sign_in(A, PINS[A]).ok
    assert staff.sign_in(A, "000001").attempts_left == 4


def test_disabled_staff_cannot_sign_in_and_a_new_pin_works(staff):
    staff.set_active(B, False, actor=ADMIN)
    assert not staff.sign_in(B, PINS[B]).ok
    staff.set_active(B, True, actor=ADMIN)
    staff.set_pin(B, "864200", actor=ADMIN)
    assert not staff.sign_in(B, PINS[B]).ok
    assert staff.sign_in(B, "864200").ok
    assert [e.action for e in staff.audit_entries(20, actor=ADMIN)] == ["staff.set_pin", "staff.enable", "staff.disable"]


def test_staff_records_check_their_input(staff):
    with pytest.raises(StaffError, match="已存在"):
        staff.add(A, "重复", ["maintainer"], pin="246810")
    with pytest.raises(StaffError, match="2到16位数字"):
        staff.add("A-1", "甲", ["maintainer"], pin="246810")
    with pytest.raises(StaffError, match="姓名不能为空"):
        staff.add("2001", " ", ["maintainer"], pin="246810")
    with pytest.raises(StaffError, match="角色“boss”无效"):
        staff.add("2001", "甲", ["boss"], pin="246810")
    with pytest.raises(StaffError, match="部门编码“NOPE”不在事项目录中"):
        staff.add("2001", "甲", ["helper"], pin="246810", department="NOPE")
    helper = staff.add("2001", "甲", "helper,maintainer".split(","), pin="246810")
    assert helper.roles == ("helper", "maintainer") and helper.roles_zh == "帮办人员、维护人员"
    with pytest.raises(StaffError, match="没有工号为 3003 的工作人员"):
        staff.set_pin("3003", "246810")


def test_a_department_from_the_catalog_is_accepted(staff, database):
    from kiosk.catalog import exchange
    from support import SMALL_CATALOG

    with database.session() as session:
        exchange.apply(session, exchange.read_file(SMALL_CATALOG))
    assert staff.add("2002", "乙", ["maintainer"], pin="246810", department="SCJG").department == "SCJG"
    with pytest.raises(StaffError, match="已有部门编码：SCJG、GAJ"):
        staff.add("2003", "丙", ["maintainer"], pin="246810", department="scjg")


def test_absences_and_who_a_fault_goes_to(staff, clock):
    assert [(r.role, r.staff.id) for r in staff.responders()] == [("A", A), ("B", B), ("admin", ADMIN)]
    away = staff.add_absence(A, clock(), clock() + timedelta(hours=4), "会议")
    assert staff.absence_at(A).id == away.id
    assert [(r.role, r.staff.id) for r in staff.responders()] == [("B", B), ("admin", ADMIN)]
    assert staff.absence_at(A, clock() + timedelta(hours=4)) is None, "the end is exclusive"
    with pytest.raises(StaffError, match="结束时间应晚于开始时间"):
        staff.add_absence(B, clock(), clock(), "会议")
    with pytest.raises(StaffError, match="请写明不在岗原因"):
        staff.add_absence(B, clock(), clock() + timedelta(hours=1), "")


def test_the_a_and_b_post_must_be_two_maintainers(staff):
    staff.add("3001", "帮办员", ["helper"], pin="246810")
    with pytest.raises(StaffError, match="没有维护角色"):
        staff.assign_terminal("3001", None)
    with pytest.raises(StaffError, match="不能是同一人"):
        staff.assign_terminal(B, B)
    assignment = staff.assign_terminal(ADMIN, None)  # B stays as it was
    assert (assignment.a.id, assignment.b.id) == (ADMIN, B)
    staff.set_active(A, False)
    with pytest.raises(StaffError, match="已停用"):
        staff.assign_terminal(None, A)
    assert staff.terminals_of(ADMIN) == [("YC-HALL-01", "A")]
