"""`kiosk staff …` and `kiosk terminal …` as an administrator types them."""

from __future__ import annotations

from maintenance_support import A, B


def test_add_list_disable_and_set_pin(cli):
    added = cli("staff", "add", A, "--name", "张三", "--role", "maintainer", "--pin", "246810")
    assert added.exit_code == 0 and "已添加" in added.out and "张三（维护人员）" in added.out
    cli("staff", "add", B, "--name", "李四", "--role", "maintainer", "--role", "admin", "--pin", "135792")
    listed = cli("staff", "list", "--json").json()
    assert [(p["id"], p["name"], p["roles"], p["active"]) for p in listed] == [
        (A, "张三", ["maintainer"], True), (B, "李四", ["maintainer", "admin"], True),
    ]
    assert "pin" not in str(listed).lower().replace("pin_", "")
    assert cli("staff", "disable", A).exit_code == 0
    assert "已停用" in cli("staff", "list").out
    pin = cli("staff", "set-pin", A, "--pin", "111111")
    assert pin.exit_code == 1 and "同一个数字" in pin.err
    assert cli("staff", "set-pin", A, "--pin", "864200").exit_code == 0
    audit = cli("staff", "audit", "--json").json()
    assert [e["action"] for e in audit[:4]] == ["staff.set_pin", "staff.disable", "staff.add", "staff.add"]


def test_bad_input_is_explained_in_chinese(cli):
    role = cli("staff", "add", "2001", "--name", "甲", "--role", "boss", "--pin", "246810")
    assert role.exit_code == 1 and "角色“boss”无效" in role.err
    weak = cli("staff", "add", "2001", "--name", "甲", "--role", "helper", "--pin", "123456")
    assert weak.exit_code == 1 and "连续数字" in weak.err
    no_pin = cli("staff", "add", "2001", "--name", "甲", "--role", "helper")
    assert no_pin.exit_code == 2 and "请用 --pin 给出密码" in no_pin.err
    unknown = cli("staff", "disable", "4040")
    assert unknown.exit_code == 1 and "没有工号为 4040 的工作人员" in unknown.err
    date = cli("staff", "absent", "4040", "--from", "明天", "--to", "2026-03-02", "--reason", "x")
    assert date.exit_code == 2 and "时间“明天”无法识别" in date.err


def test_assign_absence_and_handover(cli):
    for staff_id, name in ((A, "张三"), (B, "李四")):
        cli("staff", "add", staff_id, "--name", name, "--role", "maintainer", "--pin", "246810")
    assigned = cli("terminal", "assign", "--a", A, "--b", B)
    assert assigned.exit_code == 0 and "A岗 张三（1001）" in assigned.out and "B岗 李四（1002）" in assigned.out
    absent = cli("staff", "absent", A, "--from", "2020-01-06 08:30", "--to", "2020-01-08", "--reason", "出差")
    assert absent.exit_code == 0 and "2020-01-06 08:30 至 2020-01-09 00:00" in absent.out
    shown = cli("terminal", "show", "--json").json()
    assert (shown["a"]["id"], shown["b"]["id"]) == (A, B)
    absences = cli("staff", "absences", A, "--json").json()
    assert absences[0]["reason"] == "出差" and absences[0]["to"] == "2020-01-09T00:00:00"
    handover = cli("staff", "handover", A)
    assert handover.exit_code == 0 and "本终端无故障" in handover.out
    assert "已阅" in cli("staff", "handover", A, "--ack").out
    assert "没有待阅的交接" in cli("staff", "handover", A).out


def test_demo_staff_for_development_data_can_sign_in(cli, data_dir):
    from kiosk.config import load_config
    from kiosk.db import Database
    from kiosk.staff import StaffService

    first = cli("staff", "demo")
    assert first.exit_code == 0, first.err
    assert "工号 9001" in first.out and "密码 PIN 246813" in first.out and "帮办模式" in first.out
    assert "工号 9002" in first.out and "密码 PIN 135792" in first.out and "维护模式" in first.out
    cli("staff", "set-pin", "9001", "--pin", "864200")
    assert cli("staff", "demo").exit_code == 0, "a second run is fine and gives the demo PIN back"
    config = load_config(env={"KIOSK_DATA_DIR": str(data_dir)})
    database = Database(config.effective_database_url)
    service = StaffService(database, terminal=config.terminal.id, config=config.staff)
    helper = service.sign_in("9001", "246813")
    maintainer = service.sign_in("9002", "135792")
    assert helper.ok and not helper.session.can_maintain
    assert maintainer.ok and maintainer.session.can_maintain
    assert service.assignment().a.id == "9002", "faults of the development terminal reach the demo maintainer"
    database.dispose()
