"""The ledger (台账): every call and proxy request ends in an entry; the CSV export and the day
summary per helper, through the service and the `kiosk ledger` / `kiosk helpers` commands."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta

import pytest
from assistance_support import FORM, HELPER, HELPER2, ID_PROOF, ITEM, ITEM_NAME, add_helpers

from kiosk.catalog import exchange
from kiosk.clock import ManualClock
from kiosk.config import load_config
from kiosk.assistance import CSV_FIELDS, HelperError, HelperService
from kiosk.privacy import PrivacyKey
from kiosk.staff import StaffService
from support import SMALL_CATALOG

LIU, ZHAO = (HELPER, "刘红梅"), (HELPER2, "赵建国")


def a_day(helpers, clock):
    """Monday 2 March 2026: two calls for 刘红梅, one for 赵建国, one cancelled, one expired,
    a walk-in and a proxy request."""
    one = helpers.raise_call(screen="item", screen_label="事项一次性告知", item_code=ITEM, item_name=ITEM_NAME).call
    clock.advance(minutes=2)
    helpers.take_call(one.id, LIU)
    clock.advance(minutes=5)
    helpers.close_call(one.id, LIU, help_types=["online", "upload"], outcome="resolved", notes="网上申报已提交")
    two = helpers.raise_call(screen="progress", screen_label="进度查询").call
    clock.advance(minutes=4)
    helpers.close_call(two.id, LIU, help_types=["progress"], outcome="guided")
    three = helpers.raise_call().call
    clock.advance(minutes=1)
    helpers.take_call(three.id, ZHAO)
    helpers.close_call(three.id, ZHAO, help_types=["selfservice"], outcome="resolved")
    four = helpers.raise_call().call
    helpers.cancel_call(four.id)
    helpers.raise_call()
    clock.advance(minutes=31)
    helpers.tick()  # the fifth expires
    helpers.record_help(ZHAO, help_types=["register", "mobile"], outcome="resolved", notes="帮注册豫事办")
    helpers.create_proxy(LIU, citizen_name="王小明", phone="13812345678", item_code=ITEM, handed_over=[FORM, ID_PROOF])


def test_every_case_ends_in_one_entry(helpers, clock):
    a_day(helpers, clock)
    entries = helpers.ledger(datetime(2026, 3, 2), datetime(2026, 3, 3))
    assert [(e.helper_name, e.outcome_zh, e.help_types_zh, e.call_number, e.proxy_number) for e in entries] == [
        ("刘红梅", "已办结", "帮网办、电子文件上传", "001", ""),
        ("刘红梅", "已引导至窗口", "办理进度查询", "002", ""),
        ("赵建国", "已办结", "帮自助办", "003", ""),
        ("", "群众取消呼叫", "", "004", ""),
        ("", "无人响应", "", "005", ""),
        ("赵建国", "已办结", "帮注册、帮手机办", "", ""),
        ("刘红梅", "代办中", "代办", "", "DB-20260302-001"),
    ]
    assert {e.terminal for e in entries} == {"YC-HALL-01"}
    assert entries[0].item_name == ITEM_NAME and entries[0].notes == "网上申报已提交"
    assert helpers.ledger(datetime(2026, 3, 3), datetime(2026, 3, 4)) == []
    assert [e.call_number for e in helpers.ledger(datetime(2026, 3, 2), datetime(2026, 3, 3), helper_id=HELPER2)] == ["003", ""]
    with pytest.raises(HelperError) as backwards:
        helpers.ledger(datetime(2026, 3, 3), datetime(2026, 3, 2))
    assert backwards.value.zh == "结束日期应晚于开始日期"


def test_the_csv_has_the_documented_columns_in_chinese(helpers, clock):
    a_day(helpers, clock)
    out = io.StringIO()
    count = helpers.write_csv(helpers.ledger(datetime(2026, 3, 2), datetime(2026, 3, 3)), out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert count == len(rows) == 7
    assert tuple(rows[0]) == CSV_FIELDS == (
        "id", "time", "helper_id", "helper_name", "terminal", "item_code", "item_name", "help_types", "outcome",
        "notes", "call_number", "proxy_number", "finished_at",
    )
    assert rows[0]["time"] == "2026-03-02T09:00:00" and rows[0]["finished_at"] == "2026-03-02T09:07:00"
    assert rows[0]["help_types"] == "帮网办、电子文件上传" and rows[0]["outcome"] == "已办结"
    assert rows[-1]["proxy_number"] == "DB-20260302-001" and rows[-1]["finished_at"] == ""
    assert "王" not in out.getvalue() and "5678" not in out.getvalue()  # no personal data in the ledger


def test_the_day_summary_per_helper(helpers, clock):
    a_day(helpers, clock)
    liu, zhao, nobody = helpers.summary(datetime(2026, 3, 2).date())
    assert (liu.helper_name, liu.cases, liu.calls, liu.proxies) == ("刘红梅", 3, 2, 1)
    assert liu.by_type == {"online": 1, "upload": 1, "progress": 1, "proxy": 1}
    assert liu.by_outcome == {"resolved": 1, "guided": 1, "proxy_open": 1}
    assert liu.mean_response == timedelta(minutes=3)  # 2 and 4 minutes
    assert (zhao.helper_name, zhao.cases, zhao.calls, zhao.mean_response) == ("赵建国", 2, 1, timedelta(minutes=1))
    assert (nobody.helper_id, nobody.cases, nobody.by_outcome) == ("", 2, {"cancelled": 1, "expired": 1})
    assert helpers.summary(datetime(2026, 3, 3).date()) == []


# --- the commands ------------------------------------------------------------------------------------


@pytest.fixture
def filled(data_dir):
    """The CLI's own database (the configuration's) with a day in the ledger."""
    config = load_config(env={"KIOSK_DATA_DIR": str(data_dir)})
    from kiosk.db import Database

    database = Database(config.effective_database_url)
    database.upgrade()
    with database.session() as session:
        exchange.apply(session, exchange.read_file(SMALL_CATALOG))
    clock = ManualClock()
    staff = StaffService(database, terminal=config.terminal.id, clock=clock)
    add_helpers(staff)
    helpers = HelperService(database, terminal=config.terminal.id, terminal_name=config.terminal.name, staff=staff,
                            key=lambda: PrivacyKey.load_or_create(data_dir), clock=clock)
    a_day(helpers, clock)
    helpers.raise_call(screen="search", screen_label="搜索")  # still open
    yield helpers
    database.dispose()


def test_cli_ledger_export_csv_and_json(cli, filled, tmp_path):
    out = tmp_path / "台账.csv"
    result = cli("ledger", "export", "--from", "2026-03-02", "--to", "2026-03-02", "--out", out)
    assert result.exit_code == 0, result.err
    assert "已导出 / exported 7 条" in result.err
    data = out.read_bytes()
    assert data.startswith("\ufeff".encode())  # a BOM, so Excel and WPS read Chinese
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [r["outcome"] for r in rows].count("已办结") == 3
    stdout = cli("ledger", "export", "--from", "2026-03-02", "--to", "2026-03-02 09:05")
    assert stdout.exit_code == 0 and len(list(csv.DictReader(io.StringIO(stdout.out)))) == 1
    as_json = cli("ledger", "export", "--from", "2026-03-01", "--to", "2026-03-02", "--format", "json", "--helper", HELPER2)
    assert [e["help_types"] for e in json.loads(as_json.out)] == ["帮自助办", "帮注册、帮手机办"]
    assert cli("ledger", "export", "--from", "2026-03-03", "--to", "2026-03-03").out.splitlines() == [",".join(CSV_FIELDS)]


def test_cli_ledger_bad_input_is_a_message(cli, filled, tmp_path):
    bad_date = cli("ledger", "export", "--from", "2026-13-01", "--to", "2026-03-02")
    assert bad_date.exit_code == 2 and "时间“2026-13-01”无法识别" in bad_date.err
    backwards = cli("ledger", "export", "--from", "2026-03-05", "--to", "2026-03-02")
    assert backwards.exit_code == 2 and "结束日期应晚于开始日期" in backwards.err
    with pytest.raises(SystemExit) as missing:
        cli("ledger", "export", "--from", "2026-03-02")
    assert missing.value.code == 2
    unwritable = cli("ledger", "export", "--from", "2026-03-02", "--to", "2026-03-02", "--out", tmp_path / "no" / "x.csv")
    assert unwritable.exit_code == 1 and "无法写入" in unwritable.err


def test_cli_ledger_summary(cli, filled):
    result = cli("ledger", "summary", "--date", "2026-03-02")
    assert result.exit_code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "2026-03-02 帮办代办日汇总 / helpers' day summary"
    assert "  刘红梅（2001）：共 3 件，呼叫 2，代办 1  平均响应 3分钟" in lines
    assert "    帮网办 1，电子文件上传 1，办理进度查询 1，代办 1" in lines
    assert "  无人接单的呼叫：共 2 件，呼叫 2，代办 0" in lines
    as_json = cli("ledger", "summary", "--date", "2026-03-02", "--json").json()
    assert as_json["helpers"][1]["by_type"] == {"帮注册": 1, "帮手机办": 1, "帮自助办": 1}
    assert "当天没有台账记录" in cli("ledger", "summary", "--date", "2026-03-09").out


def test_cli_helpers_calls_proxies_and_purge(cli, filled):
    calls = cli("helpers", "calls")
    assert calls.exit_code == 0, calls.err
    [line] = calls.out.splitlines()
    assert "006 等待接单 大厅自助终端 1 号（YC-HALL-01） 搜索" in line
    everything = cli("helpers", "calls", "--status", "all", "--json").json()
    assert sorted(c["status"] for c in everything) == ["cancelled", "closed", "closed", "closed", "expired", "open"]
    proxies = cli("helpers", "proxies")
    assert "DB-20260302-001 代办中 个体工商户设立登记 申请人 王*明 138****5678 代办员 刘红梅 材料 2/3" in proxies.out
    shown = cli("helpers", "proxy", "DB-20260302-001", "--verify", "5678")
    assert shown.exit_code == 0 and "√ 经营者身份证明（required）" in shown.out and "× 经营场所使用证明（deferrable）" in shown.out
    wrong = cli("helpers", "proxy", "DB-20260302-001", "--verify", "0000")
    assert wrong.exit_code == 1 and "未查到该代办申请" in wrong.err
    assert cli("helpers", "proxy", "nonsense").exit_code == 1
    nobody = cli("helpers", "close-proxy", "DB-20260302-001", "--by", "7777")
    assert nobody.exit_code == 1 and "没有工号为 7777 的工作人员" in nobody.err
    closed = cli("helpers", "close-proxy", "DB-20260302-001", "--by", HELPER2, "--note", "已办结")
    assert closed.exit_code == 0 and "已办结 / closed: DB-20260302-001 代办完成（赵建国）" in closed.out
    assert cli("helpers", "purge", "--days", "-1").exit_code == 2
    kept = cli("helpers", "purge")
    assert kept.exit_code == 0 and "已删除 0 件" in kept.out  # closed today: kept for purge_after_days
    purged = cli("helpers", "purge", "--days", "0")
    assert purged.exit_code == 0 and "已删除 1 件代办申请的个人信息（办结超过 0 天）" in purged.out
    assert "申请人 （已删除）" in cli("helpers", "proxies", "--status", "all").out
    assert cli("staff", "audit", "--json").json()[0]["action"] == "proxy.purge"
