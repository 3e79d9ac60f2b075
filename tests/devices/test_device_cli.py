"""`kiosk devices check` and `kiosk faults …` as a maintainer or a systemd timer runs them."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from maintenance_support import A, B, PINS


def setup_people(cli):
    for staff_id, name in ((A, "张三"), (B, "李四")):
        assert cli("staff", "add", staff_id, "--name", name, "--role", "maintainer", "--pin", PINS[staff_id]).exit_code == 0
    assert cli("terminal", "assign", "--a", A, "--b", B).exit_code == 0


def test_check_records_a_fault_once_and_exits_1_while_a_device_is_down(cli):
    setup_people(cli)
    healthy = cli("devices", "check")
    assert healthy.exit_code == 0, healthy.err
    assert "打印机" in healthy.out and "正常" in healthy.out and "未处理故障 / open faults: 无" in healthy.out

    cli("printer", "sim", "--paper", "out")
    for _ in range(3):
        down = cli("devices", "check")
        assert down.exit_code == 1
    assert "缺纸" in down.out and "#1 打印机缺纸 待处理 张三（A岗）" in down.out
    listed = cli("faults", "list", "--status", "open", "--json").json()
    assert len(listed) == 1
    fault = listed[0]
    assert {k: fault[k] for k in ("id", "terminal", "device", "kind", "severity", "status", "assigned_to", "count")} == {
        "id": 1, "terminal": "YC-HALL-01", "device": "printer", "kind": "paper_out", "severity": "error",
        "status": "open", "assigned_to": A, "count": 1,
    }
    assert fault["first_seen"] <= fault["last_seen"]

    cli("printer", "sim", "--paper", "ok")
    assert cli("devices", "check").exit_code == 0
    assert cli("faults", "list", "--status", "open", "--json").json() == []
    assert cli("faults", "list", "--json").json()[0]["status"] == "auto_resolved"


def test_check_json_names_each_device(cli):
    result = cli("devices", "check", "--json")
    assert result.exit_code == 0
    data = result.json()
    assert data["ok"] is True
    assert [d["device"] for d in data["devices"]] == ["printer", "disk", "database"]
    assert data["devices"][0]["raw"]["DLE EOT 1"] == "12"


def test_ack_resolve_show_and_export(cli, tmp_path):
    setup_people(cli)
    cli("printer", "sim", "--cover", "open")
    cli("devices", "check")
    acked = cli("faults", "ack", "1", "--by", B)
    assert acked.exit_code == 0 and "已确认" in acked.out
    again = cli("faults", "ack", "1")
    assert again.exit_code == 1 and "已由 1002 确认" in again.err
    no_note = cli("faults", "resolve", "1", "--note", " ")
    assert no_note.exit_code == 1 and "请写明处理情况" in no_note.err
    stranger = cli("faults", "ack", "1", "--by", "5555")
    assert stranger.exit_code == 1 and "没有工号为 5555 的工作人员" in stranger.err
    done = cli("faults", "resolve", "1", "--note", "已合上盖板", "--by", B)
    assert done.exit_code == 0 and "已合上盖板" in done.out
    shown = cli("faults", "show", "1")
    assert "处理情况：已合上盖板" in shown.out and "acknowledged" in shown.out and "resolved" in shown.out

    out = tmp_path / "faults.csv"
    exported = cli("faults", "export", out)
    assert exported.exit_code == 0 and "1 条" in exported.out
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows[0]["kind"] == "cover_open" and rows[0]["status"] == "resolved" and rows[0]["note"] == "已合上盖板"
    audit = cli("staff", "audit", "--staff", B, "--json").json()
    assert [(e["action"], e["target"], e["ok"]) for e in audit] == [("fault.resolve", "1", True), ("fault.ack", "1", True)]
    refused = cli("staff", "audit", "--json").json()
    assert ("cli:" in refused[1]["actor"] or refused[1]["actor"] == "cli") and refused[1]["ok"] is False


def test_bad_input_gets_a_clear_message(cli):
    missing = cli("faults", "ack", "42")
    assert missing.exit_code == 1 and "没有编号为 42 的故障记录" in missing.err
    bad = cli("faults", "resolve", "x", "--note", "ok")
    assert bad.exit_code == 1 and "故障编号“x”无效" in bad.err
    since = cli("faults", "export", "-", "--since", "yesterday")
    assert since.exit_code == 2 and "无法识别" in since.err
    assert cli("faults", "list").out.strip() == "没有故障记录 / no faults"


def test_check_leaves_a_printer_the_running_kiosk_holds_to_it(cli, monkeypatch, make_devices, emulator, clock):
    monkeypatch.setenv("KIOSK_PRINTER", emulator.uri)
    clock.set(datetime.now())  # the command line uses the real clock to judge the kiosk's reading fresh
    kiosk = make_devices(emulator.uri)  # the kiosk's monitor, holding the port-9100 connection
    emulator.state.update(paper="near")
    kiosk.poll()
    connections = emulator.connections_accepted
    result = cli("devices", "check", "--json")
    data = result.json()
    assert data["delegated_to_kiosk"] == ["printer"]
    assert data["devices"][0]["conditions"] == ["paper_near_end"]
    assert emulator.connections_accepted == connections, "the command did not connect to the printer"
    direct = cli("devices", "check", "--direct", "--json").json()
    assert direct["delegated_to_kiosk"] == []
