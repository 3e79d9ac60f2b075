"""The emulator drives each printer fault into the fault log: one record per episode, with
first/last seen and a count; recovery resolves it by itself."""

from __future__ import annotations

from datetime import timedelta

import pytest

from maintenance_support import A, sent


def printer_faults(devices, status="all"):
    return [f for f in devices.faults.list(status) if f.device == "printer"]


def test_a_printer_out_of_paper_for_an_hour_is_one_fault(devices, people, emulator, clock, notifier):
    devices.poll(["printer"])
    emulator.state.update(paper="out")
    start = clock()
    for _ in range(720):  # an hour of polls every 5 seconds
        clock.advance(seconds=5)
        devices.poll(["printer"])
    [fault] = printer_faults(devices)
    assert (fault.kind, fault.severity, fault.status, fault.count) == ("paper_out", "error", "open", 1)
    assert fault.first_seen == start + timedelta(seconds=5)
    assert fault.last_seen == start + timedelta(hours=1)
    assert fault.assigned_to == A
    assert len(sent(notifier, "fault_opened")) == 1, "one notification, not one per poll"

    emulator.state.update(paper="ok")
    clock.advance(seconds=5)
    devices.poll(["printer"])
    [fault] = printer_faults(devices)
    assert fault.status == "auto_resolved" and fault.resolved_by == "system"
    assert fault.resolved_at == start + timedelta(hours=1, seconds=5)
    assert "已自动恢复" in sent(notifier, "fault_recovered")[0].title


@pytest.mark.parametrize(
    ("change", "kind", "severity"),
    [
        ({"paper": "near"}, "paper_near_end", "warning"),
        ({"cover_open": True}, "cover_open", "error"),
        ({"offline": True}, "offline", "error"),
        ({"cutter_error": True}, "cutter_error", "error"),
        ({"silent": True}, "no_response", "error"),
    ],
)
def test_each_printer_condition_is_one_record_per_episode(devices, emulator, clock, change, kind, severity):
    for episode in range(2):
        emulator.state.update(**change)
        for _ in range(3):
            clock.advance(seconds=5)
            devices.poll(["printer"])
        emulator.state.update(**{k: ("ok" if k == "paper" else False) for k in change})
        clock.advance(seconds=5)
        devices.poll(["printer"])
        clock.advance(minutes=30)  # longer than faults.reopen_within_minutes: the next one is a new episode
    faults = printer_faults(devices)
    assert [(f.kind, f.severity, f.status, f.count) for f in faults] == [(kind, severity, "auto_resolved", 1)] * 2


def test_an_unplugged_printer_is_a_fault_and_does_not_clear_what_it_had(devices, emulator, clock):
    emulator.state.update(paper="out")
    devices.poll(["printer"])
    emulator.stop()
    clock.advance(seconds=5)
    devices.poll(["printer"])
    active = {f.kind: f for f in printer_faults(devices, "active")}
    assert set(active) == {"paper_out", "disconnected"}, "paper out is not known to be fixed while unplugged"
    emulator.start()
    emulator.state.update(paper="ok")
    clock.advance(seconds=5)
    devices.poll(["printer"])
    assert printer_faults(devices, "active") == []
    assert {f.kind: f.status for f in printer_faults(devices)} == {"paper_out": "auto_resolved", "disconnected": "auto_resolved"}


def test_a_condition_back_soon_after_clearing_continues_its_fault(devices, emulator, clock):
    for _ in range(3):  # a flapping near-end sensor
        emulator.state.update(paper="near")
        clock.advance(seconds=5)
        devices.poll(["printer"])
        emulator.state.update(paper="ok")
        clock.advance(minutes=2)
        devices.poll(["printer"])
    [fault] = printer_faults(devices)
    assert (fault.kind, fault.count, fault.status) == ("paper_near_end", 3, "auto_resolved")
    assert [e.action for e in devices.faults.events(fault.id)] == [
        "opened", "auto_resolved", "reopened", "auto_resolved", "reopened", "auto_resolved",
    ]


def test_a_fault_resolved_by_a_person_while_it_persists_opens_again(devices, people, emulator, clock):
    emulator.state.update(cover_open=True)
    devices.poll(["printer"])
    [fault] = printer_faults(devices)
    devices.resolve_fault(fault.id, A, "已合上盖板")
    clock.advance(seconds=5)
    devices.poll(["printer"])
    statuses = sorted((f.id, f.status) for f in printer_faults(devices))
    assert statuses == [(fault.id, "resolved"), (fault.id + 1, "open")], "the cover is still open: a new fault"


def test_failed_prints_count_in_one_fault_and_a_good_print_clears_it(devices, emulator, clock):
    printing = devices.printer_probe.service()
    emulator.state.update(paper="out")
    for _ in range(3):
        clock.advance(seconds=10)
        outcome = printing.print_test_page()
        assert not outcome.ok
    faults = {f.kind: f for f in printer_faults(devices, "active")}
    assert faults["print_failed"].count == 3
    assert "缺纸" in faults["print_failed"].detail
    assert faults["paper_out"].count == 1, "the print job's status reached the monitor"
    emulator.state.update(paper="ok")
    assert printing.print_test_page().ok
    assert printer_faults(devices, "active") == []
    assert devices.monitor.counters("printer") == {"test_pages": 1}


def test_a_failed_print_is_over_when_the_next_check_finds_the_printer_fine(devices, emulator, clock):
    printing = devices.printer_probe.service()
    emulator.state.update(cover_open=True)
    assert not printing.print_test_page().ok
    assert {f.kind for f in printer_faults(devices, "active")} == {"print_failed", "cover_open"}
    emulator.state.update(cover_open=False)
    clock.advance(seconds=30)
    devices.check()
    assert printer_faults(devices, "active") == [], "the printer reads fine: nothing is left open"
    [failed] = [f for f in printer_faults(devices) if f.kind == "print_failed"]
    assert failed.status == "auto_resolved"


def test_a_printer_that_cannot_be_read_does_not_clear_a_failed_print(devices, emulator, clock):
    printing = devices.printer_probe.service()
    emulator.state.update(paper="out")
    assert not printing.print_test_page().ok
    emulator.state.update(paper="ok", silent=True)
    clock.advance(seconds=30)
    devices.poll(["printer"])
    assert "print_failed" in {f.kind for f in printer_faults(devices, "active")}


def test_acknowledge_and_resolve_check_their_input(devices, people, emulator):
    from kiosk.devices import FaultError

    emulator.state.update(cover_open=True)
    devices.poll(["printer"])
    [fault] = printer_faults(devices)
    acked = devices.acknowledge_fault(fault.id, A)
    assert (acked.status, acked.acknowledged_by) == ("acknowledged", A)
    with pytest.raises(FaultError) as again:
        devices.acknowledge_fault(fault.id, A)
    assert "已由 1001 确认" in again.value.zh
    with pytest.raises(FaultError) as no_note:
        devices.resolve_fault(fault.id, A, "  ")
    assert "请写明处理情况" in no_note.value.zh
    with pytest.raises(FaultError) as missing:
        devices.acknowledge_fault(999, A)
    assert "没有编号为 999 的故障记录" in missing.value.zh
    with pytest.raises(FaultError) as bad:
        devices.acknowledge_fault("abc", A)
    assert "故障编号“abc”无效" in bad.value.zh
    done = devices.resolve_fault(fault.id, A, "已合上盖板")
    assert (done.status, done.resolved_by, done.note) == ("resolved", A, "已合上盖板")
    actions = [(e.action, e.target, e.ok) for e in people.audit_entries(10, action="fault.")]
    assert (("fault.resolve", str(fault.id), True) in actions) and (("fault.ack", "999", False) in actions)


def test_the_json_of_a_fault_has_the_documented_fields(devices, people, emulator):
    emulator.state.update(paper="out")
    devices.poll(["printer"])
    data = devices.faults.list("open")[0].to_dict()
    for key in ("id", "terminal", "device", "kind", "severity", "status", "assigned_to", "first_seen", "last_seen", "count"):
        assert key in data
    assert data["terminal"] == "YC-HALL-01" and data["kind"] == "paper_out" and data["assigned_to"] == A


def test_csv_export_opens_in_excel(devices, emulator, tmp_path):
    emulator.state.update(paper="out")
    devices.poll(["printer"])
    path = tmp_path / "faults.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        assert devices.faults.write_csv(devices.faults.list(), fh) == 1
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("id,terminal,device,kind,kind_zh,severity,status,assigned_to")
    assert ",paper_out,缺纸,error,open," in lines[1]
