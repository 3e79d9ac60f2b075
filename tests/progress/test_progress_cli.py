"""`kiosk progress …` as a maintainer types it."""

from __future__ import annotations


import pytest
from progress.progress_support import application, document

from kiosk.paths import assets_dir, sample_catalog
from kiosk.progress.timeutil import china_today
from support import write_json

SAMPLE = assets_dir() / "sample_center" / "progress.json"
OVERDUE = "YC2511060002"  # 存量房买卖转移登记, deadline nine days before the reference date


@pytest.fixture
def loaded(cli):
    assert cli("catalog", "import", sample_catalog()).exit_code == 0
    result = cli("progress", "import", SAMPLE, "--shift-to", "2026-03-05")
    assert result.exit_code == 0, result.err
    assert "办件 新增 9，更新 0，删除 0；日期平移 +105 天" in result.out
    return cli


def test_show_json_has_the_fields_and_only_masked_data(loaded):
    result = loaded("progress", "show", OVERDUE.lower(), "--verify", "2468", "--as-of", "2026-03-05", "--json")
    assert result.exit_code == 0, result.err
    data = result.json()
    assert data["number"] == OVERDUE and data["item_code"] == "1241148100447473XX4070002"
    assert (data["item_name"], data["status"]) == ("存量房买卖转移登记", "reviewing")
    assert data["accepted_at"] == "2026-02-19T09:40+08:00"
    assert (data["promised_deadline"], data["estimated"]) == ("2026-02-24", False)
    # 02-25 … 02-27, Sat 02-28 (a 2026 调休 working day), 03-02 … 03-05
    assert (data["overdue"], data["overdue_working_days"], data["remaining_working_days"]) == (True, 8, 0)
    assert [s["name"] for s in data["steps"]] == ["受理", "审核", "登簿", "缮证发证"]
    assert data["applicant"] == {"name": "张*国", "id_number": "4****************6", "phone": "137****2468"}
    assert data["accepted_by"] == "李*" and data["complaint_phone"] == "0370-5138123"
    assert "13703702468" not in result.out and "411481197208054016" not in result.out


def test_show_text_marks_overdue_and_names_whom_to_contact(loaded):
    result = loaded("progress", "show", OVERDUE, "--verify", "4016", "--as-of", "2026-03-05")
    assert result.exit_code == 0, result.err
    assert "状态 status: 审查中" in result.out
    assert "已超过承诺办结日期 8 个工作日 [逾期 OVERDUE]" in result.out
    assert "请到C01 号窗口（二楼C区）询问，或拨打监督投诉电话 0370-5138123。" in result.out
    assert "▶ 审核" in result.out and "○ 登簿" in result.out


def test_failures_count_in_the_cli_too(loaded):
    for attempt in range(4):
        wrong = loaded("progress", "show", OVERDUE, "--verify", "0000")
        assert wrong.exit_code == 1 and wrong.err.startswith("未查到该办件。")
    fifth = loaded("progress", "show", "YC00000000", "--verify", "2468")
    assert fifth.exit_code == 1 and "本机暂停进度查询 10 分钟" in fifth.err
    paused = loaded("progress", "show", OVERDUE, "--verify", "2468", "--json")
    assert paused.exit_code == 1 and paused.json()["reason"] == "locked"
    assert loaded("progress", "unlock").out.startswith("已解除暂停")
    assert loaded("progress", "show", OVERDUE, "--verify", "2468").exit_code == 0


def test_bad_input_is_a_usage_error(loaded, capsys):
    result = loaded("progress", "show", OVERDUE, "--verify", "24")
    assert result.exit_code == 2 and "请输入申请人手机号或身份证号的后4位" in result.err
    with pytest.raises(SystemExit) as exited:  # argparse rejects it before the command runs
        loaded("progress", "show", OVERDUE, "--verify", "2468", "--as-of", "2026-13-01")
    assert exited.value.code == 2 and "日期格式应为 YYYY-MM-DD" in capsys.readouterr().err


def test_a_bad_file_changes_nothing(loaded, tmp_path):
    bad = write_json(tmp_path / "bad.json", document(application(number="YC2511060002", status="done"), application(item_code="X")))
    result = loaded("progress", "import", bad)
    assert result.exit_code == 1
    assert "办件数据文件有误，未做任何修改" in result.err
    assert "applications[0].status: \"done\" is not one of" in result.err
    assert "applications[1].item_code: \"X\" is not an item of the catalog" in result.err
    assert loaded("progress", "show", OVERDUE, "--verify", "2468", "--json").json()["status"] == "reviewing"
    assert loaded("progress", "validate", bad).exit_code == 1
    assert loaded("progress", "validate", SAMPLE).out.startswith("办件数据文件有效 / valid: 9 applications")


def test_shift_to_today(loaded):
    result = loaded("progress", "import", SAMPLE, "--shift-to-today")
    assert result.exit_code == 0
    data = loaded("progress", "show", "YC2511200015", "--verify", "1357", "--json").json()
    assert data["accepted_at"].startswith(china_today().isoformat())  # accepted on the reference date
    assert data["remaining_days"] == 20 and data["promised_limit"] == {"value": 20, "unit": "natural_day"}
    overdue = loaded("progress", "show", OVERDUE, "--verify", "2468", "--json").json()
    assert overdue["overdue"] and overdue["as_of"] == china_today().isoformat()


def test_purge_deletes_only_long_closed_applications(loaded):
    result = loaded("progress", "purge", "--closed-days", "0")
    assert result.exit_code == 0 and "已删除 3 件" in result.out  # finished, rejected, delivered
    assert loaded("progress", "show", "YC2511100003", "--verify", "5566").exit_code == 1
    assert loaded("progress", "unlock").exit_code == 0
    assert loaded("progress", "show", OVERDUE, "--verify", "2468").exit_code == 0
