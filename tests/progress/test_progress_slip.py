"""The 办件进度查询单 printed over TCP to the ESC/POS emulator; the decoded text is checked."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from emulators.escpos import EmulatedPrinter
from drivers.printer.profiles import get_profile
from drivers.printer.raster import render_image
from kiosk.config import Config, PrinterConfig, TerminalConfig
from kiosk.paths import assets_dir
from kiosk.services import KioskServices
from kiosk.slips.progress import build_progress_slip

SAMPLE = assets_dir() / "sample_center" / "progress.json"
AS_OF = date(2026, 3, 5)


def squeeze(text: str) -> str:
    return "".join(text.split())


@pytest.fixture
def emulator():
    with EmulatedPrinter("generic-80") as printer:
        yield printer


@pytest.fixture
def services(catalog_db, data_dir, emulator):
    config = Config(terminal=TerminalConfig(id="YC-HALL-01"), data_dir=data_dir, printer=PrinterConfig(uri=emulator.uri))
    services = KioskServices(config, catalog_db)
    services.progress.import_file(SAMPLE, shift_to=AS_OF)
    yield services
    services.close()


def view(services, number, verification):
    outcome = services.progress.query(number, verification, as_of=AS_OF)
    assert outcome.found, outcome
    return outcome.view


def test_the_overdue_slip_over_tcp(services, emulator):
    outcome = services.print_progress(view(services, "YC2511060002", "2468"))
    assert outcome.ok, outcome
    job = emulator.wait_for_jobs(1, timeout=5)[0]
    assert job.cut and not job.undecodable and not job.unknown_commands and not job.wrapped
    assert job.lines[:2] == ["永城市政务服务中心", "办件进度查询单"]
    text = squeeze(job.text)
    for expected in (
        "办件编号：YC2511060002",
        "事项名称：存量房买卖转移登记",
        "申请人：张*国",
        "当前状态：审查中",
        "受理窗口：C01号窗口（二楼C区）",
        "受理人：李*",
        "承诺办结：2026年2月24日（星期二）",
        "！已超过承诺办结日期8个工作日",
        "拨打监督投诉电话0370-5138123",
        "2.审核（办理中）",
        "4.缮证发证（未开始）",
        "终端编号YC-HALL-01",
    ):
        assert expected in text, expected
    assert "13703702468" not in text and "411481197208054016" not in text and "张建国" not in text


def test_the_finished_slip_names_the_result_and_how_to_collect(services, emulator):
    assert services.print_progress(view(services, "YC2511100003", "5566")).ok
    text = squeeze(emulator.wait_for_jobs(1, timeout=5)[0].text)
    assert "当前状态：已办结" in text
    assert "办理结果：准予设立登记" in text and "证照名称：营业执照" in text
    assert "证照编号：91411481MAEP3K7Q2D" in text
    assert "领取方式：到A01窗口领取纸质营业执照" in text
    assert "已于2026-02-2314:50办结，在承诺时限内" in text
    assert "！" not in text


def test_the_preview_is_the_slip_on_paper(services):
    image = services.preview_progress(view(services, "YC2511170011", "1234"))
    assert image.width == get_profile("generic-80").width_dots
    assert image.height > 800


def test_an_estimated_deadline_is_explained_on_paper(services):
    estimated = replace(view(services, "YC2511180026", "6677"), estimated=True)
    document = build_progress_slip(estimated, "永城市政务服务中心", terminal_id="T1", printed_at=datetime(2026, 3, 5, 10, 0))
    text = squeeze(document.plain_text())
    assert "（预计）" in text and "日期按法定节假日推算" in text
    render_image(document, get_profile("basic-58"))  # lays out on 58 mm paper too
