"""The ID card reader and the serial scanner in the device monitor and `kiosk devices check`:
their faults in the fault log (with the A/B routing of every fault), their counters."""

from __future__ import annotations

import os
import tty

import pytest

from emulators.idcard import EmulatedReader, TcpReaderServer, load_cards
from emulators.idcard.cards import default_cards_path
from maintenance_support import A, B, PINS


@pytest.fixture
def emulated():
    return EmulatedReader(load_cards(default_cards_path()), card_index=0)


@pytest.fixture
def reader_server(emulated):
    server = TcpReaderServer(emulated).start()
    yield server
    server.stop()


def setup_people(cli):
    for staff_id, name in ((A, "张三"), (B, "李四")):
        assert cli("staff", "add", staff_id, "--name", name, "--role", "maintainer", "--pin", PINS[staff_id]).exit_code == 0
    assert cli("terminal", "assign", "--a", A, "--b", B).exit_code == 0


def test_check_finds_a_sam_fault_routes_it_to_a_and_clears_it(cli, monkeypatch, reader_server, emulated):
    setup_people(cli)
    monkeypatch.setenv("KIOSK_IDCARD", reader_server.uri)
    healthy = cli("devices", "check", "--json")
    assert healthy.exit_code == 0, healthy.err
    readings = {r["device"]: r for r in healthy.json()["devices"]}
    assert readings["card_reader"]["severity"] == "ok"
    assert readings["card_reader"]["raw"]["sam_id"] == "05.01-20101224-0012345678-1234567890"

    emulated.set_fault("sam_fault")
    down = cli("devices", "check")
    assert down.exit_code == 1
    assert "读卡器安全模块故障" in down.out and "张三（A岗）" in down.out
    fault = cli("faults", "list", "--status", "open", "--json").json()[0]
    assert (fault["device"], fault["kind"], fault["assigned_to"]) == ("card_reader", "reader_sam_error", A)

    emulated.set_fault("none")
    assert cli("devices", "check").exit_code == 0
    assert cli("faults", "list", "--status", "open", "--json").json() == []


@pytest.mark.parametrize(
    "fault, kind", [("silent", "reader_no_response"), ("garbage", "reader_invalid_response"), ("checksum", "reader_invalid_response")]
)
def test_each_line_fault_has_its_kind(cli, monkeypatch, reader_server, emulated, fault, kind):
    monkeypatch.setenv("KIOSK_IDCARD", reader_server.uri)
    emulated.set_fault(fault)
    assert cli("devices", "check").exit_code == 1
    assert [f["kind"] for f in cli("faults", "list", "--status", "open", "--json").json()] == [kind]


def test_an_unplugged_reader_and_a_bad_uri(cli, monkeypatch):
    monkeypatch.setenv("KIOSK_IDCARD", "serial:///dev/ttyUSB-gone?baud=115200")
    assert cli("devices", "check").exit_code == 1
    assert [f["kind"] for f in cli("faults", "list", "--status", "open", "--json").json()] == ["reader_disconnected"]
    monkeypatch.setenv("KIOSK_IDCARD", "sim:?cards=/nonexistent.json")
    out = cli("devices", "check")
    assert out.exit_code == 1 and "读卡器配置错误" in out.out


def test_a_serial_scanner_on_a_pty_and_unplugged(cli, tmp_path, monkeypatch):
    master, slave = os.openpty()
    tty.setraw(slave)
    try:
        config = tmp_path / "kiosk.toml"
        config.write_text(f'[scanner]\nuri = "serial://{os.ttyname(slave)}"\n', encoding="utf-8")
        ok = cli("--config", config, "devices", "check", "--json")
        assert ok.exit_code == 0, ok.out
        assert {r["device"]: r["severity"] for r in ok.json()["devices"]}["scanner"] == "ok"
        config.write_text('[scanner]\nuri = "serial:///dev/ttyACM-gone"\n', encoding="utf-8")
        down = cli("--config", config, "devices", "check")
        assert down.exit_code == 1 and "扫描器未连接" in down.out
    finally:
        os.close(master)
        os.close(slave)


def test_reads_are_counted_and_a_read_fault_opens_a_fault(config, database, notifier, clock, reader_server, emulated):
    from dataclasses import replace

    from kiosk.devices import DeviceService
    from kiosk.idcard import IdCardService

    config = replace(config, idcard=replace(config.idcard, uri=reader_server.uri, timeout_ms=300, wait_seconds=5))
    idcard = IdCardService(config.idcard)
    devices = DeviceService(config, database, notifier=notifier, clock=clock, idcard=lambda: idcard)
    try:
        devices.poll()
        assert idcard.wait_for_card().ok
        emulated.set_fault("silent")
        assert idcard.wait_for_card().kind == "fault"
        assert devices.monitor.counters("card_reader") == {"reads_ok": 1, "reads_failed": 1}
        assert devices.faults.active_kinds("card_reader") == {"reader_no_response"}
        emulated.set_fault("none")
        assert idcard.wait_for_card().ok
        assert devices.faults.active_kinds("card_reader") == set()
        assert devices.monitor.counters("card_reader") == {"reads_ok": 2, "reads_failed": 1}
    finally:
        devices.close()
        idcard.close()
