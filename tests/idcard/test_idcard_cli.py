"""kiosk idcard status | read | emulate, as a maintainer runs them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from drivers.idcard import IdCardReader, ReadKind

ROOT = Path(__file__).resolve().parents[2]


def test_status_and_a_masked_read(cli, tcp_server, emulated):
    status = cli("idcard", "status", "--uri", tcp_server.uri)
    assert status.exit_code == 0 and "正常" in status.out and "SAM: 05.01-20101224" in status.out
    read = cli("idcard", "read", "--uri", tcp_server.uri, "--json")
    assert read.exit_code == 0, read.err
    data = read.json()
    assert data["name"] == "样*甲" and data["id_number"] == "4****************6" and data["problems"] == "none"
    assert "样卡甲" not in read.out and "411481198503122426" not in read.out
    emulated.place_card(1)
    assert "expired" in cli("idcard", "read", "--uri", tcp_server.uri).out
    emulated.remove_card()
    empty = cli("idcard", "read", "--uri", tcp_server.uri)
    assert empty.exit_code == 1 and "请将身份证平放在读卡区" in empty.err
    emulated.set_fault("sam_fault")
    assert cli("idcard", "status", "--uri", tcp_server.uri).exit_code == 1


def test_no_reader_configured_and_a_bad_uri(cli):
    assert cli("idcard", "status").exit_code == 2
    bad = cli("idcard", "read", "--uri", "usb://1234")
    assert bad.exit_code == 2 and "读卡器地址无效" in bad.err


@pytest.mark.parametrize("mode", ["--tcp", "--pty"])
def test_the_emulate_command_serves_a_reader_and_takes_console_commands(mode):
    args = [sys.executable, "-m", "cli", "idcard", "emulate"]
    args += ["--tcp", "127.0.0.1:0"] if mode == "--tcp" else ["--pty"]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    process = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    try:
        uri = process.stdout.readline().strip()
        assert uri.startswith("tcp://127.0.0.1:" if mode == "--tcp" else "serial:///dev/")
        reader = IdCardReader(uri, timeout=1)
        assert reader.read_card().record.name == "样卡甲"
        process.stdin.write("card 2\n")
        process.stdin.flush()
        assert process.stdout.readline().strip() == "card=2 fault=none"
        assert reader.read_card().record.name == "样卡丙长期"
        process.stdin.write("fault no_card\n")
        process.stdin.flush()
        assert process.stdout.readline().strip() == "card=2 fault=no_card"
        assert reader.read_card().kind is ReadKind.NO_CARD
        reader.close()
        process.stdin.write("quit\n")
        process.stdin.flush()
        assert process.wait(10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()
        process.stdin.close()


def test_emulate_refuses_a_bad_cards_file(cli, tmp_path):
    bad = tmp_path / "cards.json"
    bad.write_text('{"format": "kiosk-idcards/1", "cards": [{"name": "x"}]}', encoding="utf-8")
    out = cli("idcard", "emulate", "--tcp", "127.0.0.1:0", "--cards", bad)
    assert out.exit_code == 2 and "missing" in out.err
