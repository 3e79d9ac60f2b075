"""`kiosk report …` on a known data set: what the center gets in CSV and xlsx."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from openpyxl import load_workbook

from reports.report_data import COMPANY, HALL, ZONE, fill

MARCH = ("--from", "2026-03-01", "--to", "2026-03-31")


@pytest.fixture
def data(database):
    return fill(database)


def read_csv(path):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read Chinese"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_ratings_csv_has_the_haochaping_columns(cli, data, tmp_path):
    out = tmp_path / "ratings.csv"
    result = cli("report", "ratings", *MARCH, "--out", out, "--area-code", "411481")
    assert result.exit_code == 0, result.err
    assert "6 条" in result.out
    rows = read_csv(out)
    assert list(rows[0]) == [
        "评价编号", "评价渠道", "评价渠道代码", "终端编号", "评价时间", "评价等级", "满意度", "满意度代码", "评价次数",
        "事项编码", "事项名称", "差评原因", "差评原因代码", "测评指标", "整改回访电话", "行政区划代码", "评价时机",
    ]
    assert [(r["评价等级"], r["满意度"], r["满意度代码"]) for r in rows] == [
        ("5", "非常满意", "1"), ("4", "满意", "2"), ("3", "基本满意", "3"), ("2", "不满意", "4"),
        ("1", "非常不满意", "5"), ("4", "满意", "2"),
    ]
    first, poor = rows[0], rows[3]
    assert (first["评价渠道"], first["评价渠道代码"], first["评价次数"]) == ("政务大厅其他终端", "5", "1")
    assert first["评价时间"] == "2026-03-02 09:00:00"
    assert (first["事项编码"], first["事项名称"]) == COMPANY
    assert first["评价时机"] == "打印凭条后" and first["行政区划代码"] == "411481"
    assert poor["差评原因"] == "办理慢、等候时间长；指引、告知不清楚"
    assert poor["差评原因代码"] == "slow,unclear"
    assert poor["测评指标"] == "服务效率；服务水平"
    assert poor["整改回访电话"] == "13812345678"  # the center calls back from this file
    assert rows[4]["整改回访电话"] == "" and rows[4]["差评原因"] == "服务态度不好"
    assert rows[5]["终端编号"] == ZONE


def test_masked_and_one_terminal(cli, data, tmp_path):
    out = tmp_path / "r.csv"
    assert cli("report", "ratings", *MARCH, "--out", out, "--masked", "--terminal", HALL).exit_code == 0
    rows = read_csv(out)
    assert len(rows) == 5 and {r["终端编号"] for r in rows} == {HALL}
    assert rows[3]["整改回访电话"] == "138****5678"
    assert "13812345678" not in out.read_text(encoding="utf-8-sig")


def test_ratings_xlsx_has_typed_cells_and_a_notes_sheet(cli, data, tmp_path):
    out = tmp_path / "好差评.xlsx"
    assert cli("report", "ratings", *MARCH, "--out", out).exit_code == 0
    book = load_workbook(out)
    sheet = book.worksheets[0]
    assert sheet.title == "好差评评价数据"
    assert sheet["A1"].value == "评价编号" and sheet["E1"].value == "评价时间"
    assert sheet["E2"].value == datetime(2026, 3, 2, 9, 0)
    assert sheet["F2"].value == 5 and sheet["G2"].value == "非常满意"
    assert sheet.max_row == 7
    notes = {row[0]: row[1] for row in book["说明"].iter_rows(values_only=True) if row[0] != "说明"}
    assert notes["时间段"] == "2026-03-01 至 2026-03-31" and notes["记录数"] == 6


def test_complaints_report_follows_each_case(cli, data, tmp_path):
    out = tmp_path / "c.csv"
    assert cli("report", "complaints", *MARCH, "--out", out).exit_code == 0
    rows = read_csv(out)
    assert [r["编号"] for r in rows] == [data["complaint"], data["suggestion"]]
    done, open_ = rows
    assert (done["类型"], done["投诉建议方面"], done["处理状态"]) == ("投诉", "服务态度", "已答复")
    assert (done["承办单位"], done["转办人"], done["转办时间"]) == ("县市场监管局窗口", "1001", "2026-03-02 11:00:00")
    assert done["答复内容"] == "已电话回复，窗口人员已批评教育" and done["用时（天）"] == "1"
    assert done["回访电话"] == "13812345678"
    assert (open_["处理状态"], open_["答复时间"], open_["用时（天）"]) == ("已受理", "", "")
    assert open_["内容"] == "'=建议增加座位"  # never a spreadsheet formula


def test_faults_report_has_the_faults_of_the_period(cli, data, tmp_path):
    out = tmp_path / "f.xlsx"
    assert cli("report", "faults", *MARCH, "--format", "xlsx", "--out", out).exit_code == 0
    rows = list(load_workbook(out).worksheets[0].iter_rows(values_only=True))
    header, *body = rows
    assert header[:7] == ("故障编号", "终端编号", "设备", "故障类型", "故障", "严重程度", "状态")
    assert [(r[2], r[3], r[6]) for r in body] == [("打印机", "paper_out", "已解决"), ("打印机", "print_failed", "待处理")]
    paper = dict(zip(header, body[0]))
    assert paper["持续（分钟）"] == 30 and paper["处理情况"] == "已更换纸卷" and paper["负责人"] == "1001（A岗）"


def test_ledger_report_is_the_helpers_ledger(cli, data, tmp_path):
    out = tmp_path / "l.csv"
    assert cli("report", "ledger", *MARCH, "--out", out).exit_code == 0
    rows = read_csv(out)
    assert list(rows[0])[:4] == ["序号", "时间", "帮办人员工号", "帮办人员"]
    assert [(r["时间"], r["帮办人员"], r["帮办类型"], r["办理结果"]) for r in rows] == [
        ("2026-03-03 10:00:00", "刘红梅", "帮网办、材料填写", "已办结"),
        ("2026-03-04 15:00:00", "赵建国", "办理进度查询", "已引导至窗口"),
        ("2026-03-05 16:00:00", "", "", "群众取消呼叫"),
    ]
    assert rows[0]["事项名称"] == COMPANY[1] and rows[2]["呼叫编号"] == "001"
    only_zone = tmp_path / "z.csv"
    assert cli("report", "ledger", *MARCH, "--terminal", ZONE, "--out", only_zone).exit_code == 0
    assert [r["帮办人员"] for r in read_csv(only_zone)] == ["赵建国"]


def test_csv_to_standard_output(cli, data):
    result = cli("report", "complaints", *MARCH, "--out", "-")
    assert result.exit_code == 0
    assert result.out.splitlines()[0].startswith("编号,类型,投诉建议方面")


def test_default_file_name_and_the_audit_log(cli, data, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli("report", "ratings", *MARCH).exit_code == 0
    assert (tmp_path / "ratings-20260301-20260331.csv").exists()
    audit = cli("staff", "audit", "--json").json()
    assert audit[0]["action"] == "report.export" and "2026-03-01 至 2026-03-31" in audit[0]["detail"]


def test_summary(cli, data):
    summary = cli("report", "summary", *MARCH, "--json").json()
    assert summary["ratings"] == {"5": 1, "4": 2, "3": 1, "2": 1, "1": 1}
    assert summary["satisfaction"] == round(4 / 6, 4)
    assert (summary["poor"], summary["callbacks"]) == (2, 1)
    assert (summary["complaints"], summary["suggestions"]) == (1, 1)
    assert summary["open_cases"] == [data["suggestion"]]
    assert summary["faults"] == {"printer": {"count": 2, "active": 1}}
    assert summary["helper_total"] == 3
    assert summary["helper_cases"] == {"帮网办": 1, "材料填写": 1, "办理进度查询": 1, "未帮办（群众取消呼叫）": 1}
    text = cli("report", "summary", *MARCH).out
    assert "满意率 66.7%" in text and "★★☆☆☆ 不满意" in text


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("--from", "明天", "--to", "2026-03-31"), 2, "日期“明天”无法识别"),
        (("--from", "2026-03-31", "--to", "2026-03-01"), 2, "早于开始日期"),
        (("--from", "2026-02-30", "--to", "2026-03-01"), 2, "无法识别"),
        ((*MARCH, "--format", "xlsx", "--out", "-"), 2, "xlsx 不能写到标准输出"),
        ((*MARCH, "--area-code", "永城"), 2, "行政区划代码应为数字"),
        ((*MARCH, "--out", "/nonexistent-folder/r.csv"), 1, "无法写入"),
    ],
)
def test_bad_input_is_explained(cli, data, args, code, message):
    result = cli("report", "ratings", *args)
    assert result.exit_code == code
    assert message in result.err
    assert "Traceback" not in result.err


def test_an_empty_period_is_a_file_with_headings_only(cli, database, tmp_path):
    out = tmp_path / "e.csv"
    result = cli("report", "ratings", "--from", "2025-01-01", "--to", "2025-01-31", "--out", out)
    assert result.exit_code == 0 and "0 条" in result.out
    assert read_csv(out) == []
