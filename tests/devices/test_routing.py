"""AB-post routing, escalation with a controllable clock, and the handover to A on return."""

from __future__ import annotations

from datetime import timedelta

from kiosk.devices.faults import FaultLog
from maintenance_support import A, ADMIN, B, sent


def open_fault(devices, emulator, **state):
    emulator.state.update(**state)
    devices.poll(["printer"])
    [fault] = devices.faults.list("active")
    return fault


def test_a_new_fault_goes_to_a(devices, people, emulator, notifier):
    fault = open_fault(devices, emulator, paper="out")
    assert (fault.assigned_to, fault.assigned_role) == (A, "A")
    [message] = sent(notifier, "fault_opened")
    assert message.recipients == ("张三",)
    assert "处理人：张三（A岗）" in message.text and "打印机" in message.text and "缺纸" in message.text


def test_while_a_is_absent_it_goes_to_b(devices, people, emulator, clock, notifier):
    people.add_absence(A, clock() - timedelta(hours=1), clock() + timedelta(days=2), "出差")
    fault = open_fault(devices, emulator, cover_open=True)
    assert (fault.assigned_to, fault.assigned_role) == (B, "B")
    assert "处理人：李四（B岗）" in sent(notifier, "fault_opened")[0].text


def test_an_absence_that_has_not_begun_does_not_count(devices, people, emulator, clock):
    people.add_absence(A, clock() + timedelta(hours=1), clock() + timedelta(days=1), "培训")
    assert open_fault(devices, emulator, paper="out").assigned_to == A


def test_with_a_and_b_away_an_admin_gets_it_and_without_anyone_nobody(devices, people, emulator, clock, make_devices):
    for person in (A, B):
        people.add_absence(person, clock() - timedelta(hours=1), clock() + timedelta(hours=8), "会议")
    fault = open_fault(devices, emulator, paper="out")
    assert (fault.assigned_to, fault.assigned_role) == (ADMIN, "admin")


def test_without_maintainers_the_fault_is_unassigned_and_says_so(devices, emulator, notifier):
    fault = open_fault(devices, emulator, paper="out")
    assert fault.assigned_to is None and fault.assignee_zh == "未指定"
    assert "未指定（请设置A/B岗）" in sent(notifier, "fault_opened")[0].text


def test_unacknowledged_faults_escalate_to_b_then_to_an_admin(devices, people, emulator, clock, notifier, config):
    limit = config.faults.escalate_after_minutes
    fault = open_fault(devices, emulator, paper="out")
    clock.advance(minutes=limit - 1)
    assert devices.faults.escalate_due() == []
    clock.advance(minutes=1)
    [step] = devices.faults.escalate_due()
    assert (step.id, step.assigned_to, step.assigned_role, step.escalation_level) == (fault.id, B, "B", 1)
    [message] = sent(notifier, "fault_escalated")
    assert message.title.startswith("【故障升级】") and f"已 {limit} 分钟无人确认" in message.text
    assert message.recipients == ("李四",)
    clock.advance(minutes=limit)
    [step] = devices.faults.escalate_due()
    assert (step.assigned_to, step.assigned_role, step.escalation_level) == (ADMIN, "admin", 2)
    clock.advance(minutes=limit)
    [step] = devices.faults.escalate_due()
    assert step.assigned_to == ADMIN and "仍未处理" in sent(notifier, "fault_escalated")[-1].title
    assert [e.action for e in devices.faults.events(fault.id)] == ["opened", "escalated", "escalated", "reminded"]


def test_acknowledging_stops_escalation(devices, people, emulator, clock, config):
    fault = open_fault(devices, emulator, paper="out")
    devices.acknowledge_fault(fault.id, A)
    clock.advance(minutes=config.faults.escalate_after_minutes * 5)
    assert devices.faults.escalate_due() == []
    assert devices.faults.get(fault.id).assigned_to == A


def test_warnings_are_routed_but_not_escalated(devices, people, emulator, clock, config):
    fault = open_fault(devices, emulator, paper="near")
    assert fault.severity == "warning" and fault.assigned_to == A
    clock.advance(minutes=config.faults.escalate_after_minutes * 3)
    assert devices.faults.escalate_due() == []


def test_escalation_from_a_absent_a_goes_to_the_admin_not_back_to_a(devices, people, emulator, clock, config):
    people.add_absence(A, clock() - timedelta(hours=1), clock() + timedelta(days=1), "请假")
    open_fault(devices, emulator, paper="out")
    clock.advance(minutes=config.faults.escalate_after_minutes)
    [step] = devices.faults.escalate_due()
    assert (step.assigned_to, step.assigned_role) == (ADMIN, "admin")


def test_two_processes_escalate_a_fault_once(devices, people, emulator, clock, config, database, notifier):
    other = FaultLog(database, people, terminal=config.terminal.id, config=config.faults, notifier=notifier, clock=clock)
    open_fault(devices, emulator, paper="out")
    clock.advance(minutes=config.faults.escalate_after_minutes)
    first, second = devices.faults.escalate_due(), other.escalate_due()
    assert len(first) + len(second) == 1
    assert len(sent(notifier, "fault_escalated")) == 1


def test_a_returning_sees_what_b_handled_and_is_told_once(devices, people, emulator, clock, notifier):
    start = clock()
    people.add_absence(A, start, start + timedelta(days=1), "省里培训")
    clock.advance(hours=2)
    fault = open_fault(devices, emulator, paper="out")
    clock.advance(minutes=10)
    devices.acknowledge_fault(fault.id, B)
    devices.resolve_fault(fault.id, B, "已更换纸卷")
    emulator.state.update(paper="ok")

    assert devices.faults.handovers(A) == [], "nothing to hand over while A is still away"
    assert devices.faults.handovers(B) == [], "handovers are for A"
    clock.set(start + timedelta(days=1, minutes=5))
    [handover] = devices.faults.handovers(A)
    assert handover.absence.reason == "省里培训"
    assert [f.id for f in handover.faults] == [fault.id]
    assert handover.handled_by == [B]
    [line] = handover.summary_lines({B: "李四"})
    assert "缺纸" in line and "李四处理" in line and "已更换纸卷" in line

    assert devices.faults.notify_handovers() == 1
    assert devices.faults.notify_handovers() == 0, "told once"
    [message] = sent(notifier, "handover")
    assert message.recipients == ("张三",) and "已更换纸卷" in message.text

    devices.faults.acknowledge_handover(handover.absence.id, A)
    assert devices.faults.handovers(A) == []
    assert [e.action for e in people.audit_entries(5, actor=A)] == ["handover.read"]
