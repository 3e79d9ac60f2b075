"""`kiosk complaints …` as the center's staff type it."""

from __future__ import annotations

import pytest

from reports.report_data import fill


@pytest.fixture
def cases(database):
    return fill(database)


def test_list_show_forward_answer(cli, cases):
    listed = cli("complaints", "list")
    assert listed.exit_code == 0
    assert cases["suggestion"] in listed.out and cases["complaint"] not in listed.out  # open only by default
    every = cli("complaints", "list", "--status", "all", "--json").json()
    assert [c["number"] for c in every] == [cases["suggestion"], cases["complaint"]]
    assert every[1]["phone"] == "138****5678"

    number = cases["suggestion"]
    forwarded = cli("complaints", "forward", number.lower(), "--to", "中心办公室", "--note", "请安排增加座位")
    assert forwarded.exit_code == 0 and f"已转办 / forwarded: {number} → 中心办公室" in forwarded.out
    answered = cli("complaints", "answer", number, "--text", "已在二楼增加 20 个座位")
    assert answered.exit_code == 0
    shown = cli("complaints", "show", number)
    assert "已答复" in shown.out and "中心办公室" in shown.out and "已在二楼增加 20 个座位" in shown.out
    assert [e["status"] for e in cli("complaints", "show", number, "--json").json()["events"]] == [
        "received", "forwarded", "answered",
    ]
    audit = [e["action"] for e in cli("staff", "audit", "--json").json()]
    assert audit[:2] == ["complaint.answer", "complaint.forward"]


def test_the_full_phone_only_on_request_and_audited(cli, cases):
    number = cases["complaint"]
    assert "138****5678" in cli("complaints", "show", number).out
    shown = cli("complaints", "show", number, "--phone")
    assert "13812345678" in shown.out
    assert cli("staff", "audit", "--json").json()[0]["action"] == "complaint.phone"


def test_mistakes_are_explained(cli, cases):
    again = cli("complaints", "answer", cases["complaint"], "--text", "再答复一次")
    assert again.exit_code == 1 and "已于 2026-03-04 09:00 答复" in again.err
    unknown = cli("complaints", "show", "TS-20260101-009")
    assert unknown.exit_code == 1 and "没有编号为 TS-20260101-009" in unknown.err
    malformed = cli("complaints", "forward", "12345", "--to", "某部门")
    assert malformed.exit_code == 1 and "应为 TS-20260302-001" in malformed.err
    nobody = cli("complaints", "forward", cases["suggestion"], "--to", "某部门", "--by", "4040")
    assert nobody.exit_code == 1 and "没有工号为 4040 的工作人员" in nobody.err
    empty = cli("complaints", "answer", cases["suggestion"], "--text", "  ")
    assert empty.exit_code == 1 and "请填写答复内容" in empty.err
    assert "Traceback" not in again.err + unknown.err + malformed.err + empty.err
