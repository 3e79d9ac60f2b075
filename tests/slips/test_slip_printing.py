"""The notice printed for real: PrintService and the CLI over TCP to the ESC/POS emulator, and
to the sim:// printer; what the emulator decoded is read back and checked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image
from slips.slip_samples import MOBILE_URL, TERMINAL, center, company_item

from emulators.escpos import EmulatedPrinter
from drivers.printer.transports import SimState, SimTransport
from drivers.printer.status import StatusKind
from kiosk.config import Config, PrinterConfig, TerminalConfig
from kiosk.printing import HealthLevel, PrintService

SAMPLE_CATALOG = Path(__file__).resolve().parents[2] / "assets" / "sample_center" / "catalog.json"
COMPANY = "1141148100492981054010001"


def config_for(tmp_path, uri="sim://", profile="generic-80") -> Config:
    return Config(
        terminal=TerminalConfig(id=TERMINAL),
        data_dir=tmp_path,
        printer=PrinterConfig(uri=uri, profile=profile),
    )


def squeeze(text: str) -> str:
    return "".join(text.split())


@pytest.fixture
def emulator():
    with EmulatedPrinter("generic-80") as printer:
        yield printer


def test_the_correction_list_printed_over_tcp(tmp_path, emulator):
    service = PrintService.from_config(config_for(tmp_path, emulator.uri), timeout=1.0)
    try:
        outcome = service.print_notice(company_item(), center(), missing=["住所使用相关文件", "公司章程"])
    finally:
        service.close()
    assert outcome.ok and outcome.printer_ready and outcome.warning is None
    assert outcome.result.confirmed
    job = emulator.wait_for_jobs(1)[0]
    assert not job.undecodable and not job.unknown_commands and not job.warnings and not job.wrapped
    assert job.cut
    text = squeeze(job.text)
    assert job.lines[:2] == ["永城市政务服务中心", "补正材料清单"]
    assert text.index("1.【缺】公司章程【必要】") < text.index("2.【缺】住所使用相关文件【容缺后补】")
    assert text.index("2.【缺】住所使用相关文件") < text.index("3.公司登记（备案）申请书【必要】")
    assert "容缺受理" in text
    assert "法定办结时限：20个工作日" in text
    assert f"终端编号{TERMINAL}" in text
    assert job.qr_payloads == [MOBILE_URL]


def test_a_fault_is_an_outcome_in_chinese(tmp_path, emulator):
    emulator.state.update(cover_open=True)
    service = PrintService.from_config(config_for(tmp_path, emulator.uri), timeout=1.0)
    events = []
    service.add_listener(events.append)
    try:
        outcome = service.print_notice(company_item(), center())
    finally:
        service.close()
    assert not outcome.ok and not outcome.printer_ready
    assert outcome.kind is StatusKind.COVER_OPEN
    assert outcome.printer_message == "上盖打开"
    assert outcome.message == "打印机上盖打开，暂时无法打印，请联系工作人员"
    assert str(outcome).startswith("上盖打开：")
    assert [e.kind for e in events] == [StatusKind.COVER_OPEN]


def test_paper_near_end_prints_and_warns(tmp_path, emulator):
    emulator.state.update(paper="near")
    service = PrintService.from_config(config_for(tmp_path, emulator.uri), timeout=1.0)
    try:
        outcome = service.print_test_page()
    finally:
        service.close()
    assert outcome.ok and outcome.warning == "打印纸即将用完，请工作人员及时更换纸卷。"
    assert outcome.printer_message == "纸将尽"
    assert emulator.wait_for_jobs(1)[0].lines[0] == "打印机测试页"


def test_sim_printer_by_default_in_the_data_folder(tmp_path):
    service = PrintService.from_config(config_for(tmp_path))  # printer.uri = "sim://"
    try:
        assert service.check_health(HealthLevel.INTERNAL).ok
        outcome = service.print_notice(company_item(), center(), missing=["公司章程"])
        assert outcome.ok
        preview = service.preview_notice(company_item(), center(), missing=["公司章程"])
    finally:
        service.close()
    slips = SimTransport(tmp_path / "sim-printer").slips()
    assert len(slips) == 1
    with Image.open(slips[0]) as printed:
        # The sim printed exactly what the preview shows.
        assert printed.size == preview.size
        assert printed.convert("1").tobytes() == preview.point(lambda v: 0 if v < 128 else 255).convert("1").tobytes()


# --- the CLI ------------------------------------------------------------------------------------


@pytest.fixture
def catalog(cli):
    result = cli("catalog", "import", SAMPLE_CATALOG)
    assert result.exit_code == 0, result.err


def test_cli_print_notice_to_the_emulator(cli, catalog, emulator):
    result = cli("print", "notice", COMPANY, "--missing", "公司章程", "--printer", emulator.uri, "--profile", "generic-80")
    assert result.exit_code == 0, result.err
    assert "已打印 / printed" in result.out
    job = emulator.wait_for_jobs(1)[0]
    assert job.lines[1] == "补正材料清单" and "【缺】公司章程" in job.text
    assert job.qr_payloads == ["https://m.hnzwfw.gov.cn/ysb/guide/1141148100492981054010001"]


def test_cli_print_fault_exits_non_zero_naming_it(cli, catalog, emulator):
    emulator.state.update(paper="out")
    result = cli("print", "notice", COMPANY, "--printer", emulator.uri)
    assert result.exit_code == 1
    assert "缺纸" in result.err and "paper out" in result.err
    assert result.err.index("缺纸") < result.err.index("paper out")  # Chinese first


def test_cli_unknown_item_and_unknown_material(cli, catalog, emulator):
    result = cli("print", "notice", "NO-SUCH-CODE", "--printer", emulator.uri)
    assert result.exit_code == 1 and "未找到事项编码" in result.err
    result = cli("print", "notice", COMPANY, "--missing", "户口本", "--printer", emulator.uri)
    assert result.exit_code == 1 and "户口本" in result.err
    assert emulator.jobs == []


def test_cli_preview_without_printing(cli, catalog, tmp_path):
    out = tmp_path / "notice.png"
    result = cli("print", "notice", COMPANY, "--preview", out, "--no-print")
    assert result.exit_code == 0, result.err
    with Image.open(out) as image:
        assert image.width == 576 and image.height > 1000


def test_cli_print_test_and_status(cli, emulator):
    result = cli("print", "test", "--printer", emulator.uri)
    assert result.exit_code == 0, result.err
    assert emulator.wait_for_jobs(1)[0].lines[0] == "打印机测试页"
    result = cli("printer", "status", "--printer", emulator.uri, "--json")
    assert result.exit_code == 0
    data = result.json()
    assert data["status"] == "ok" and data["raw"] == {"1": "12", "2": "12", "3": "12", "4": "12"}
    emulator.state.update(silent=True)
    result = cli("printer", "status", "--printer", emulator.uri, "--timeout", "0.5")
    assert result.exit_code == 1
    assert "打印机无响应" in result.out


def test_cli_bad_printer_uri_or_profile_is_a_usage_error(cli):
    assert cli("printer", "status", "--printer", "lpt1").exit_code == 2
    assert cli("printer", "status", "--profile", "epson-9000").exit_code == 2


def test_cli_profiles(cli):
    result = cli("printer", "profiles")
    assert result.exit_code == 0
    for name in ("generic-80", "generic-58", "gbk-80", "raster-80", "tm-t20ii"):
        assert name in result.out
    rows = cli("printer", "profiles", "--json").json()
    assert {r["name"]: r["width_dots"] for r in rows}["generic-58"] == 384


def test_cli_sim_state_changes_a_running_printer(cli, data_dir, catalog):
    result = cli("printer", "sim", "--paper", "out")
    assert result.exit_code == 0 and "paper=out" in result.out
    assert SimState.load(data_dir / "sim-printer").paper == "out"
    result = cli("print", "notice", COMPANY)
    assert result.exit_code == 1 and "缺纸" in result.err
    result = cli("printer", "sim", "--reset", "--json")
    assert json.loads(result.out)["state"]["paper"] == "ok"
    result = cli("print", "notice", COMPANY)
    assert result.exit_code == 0, result.err
    assert len(SimTransport(data_dir / "sim-printer").slips()) == 1
    result = cli("printer", "sim", "--cover", "open", "--unplugged", "on")
    assert "cover_open" in result.out and "disconnected" in result.out
    status = cli("printer", "status", "--json")
    assert status.exit_code == 1 and status.json()["status"] == "disconnected"


def test_cli_emulate_is_wired(cli):
    from cli.main import build_parser

    args = build_parser().parse_args(["printer", "emulate", "--port", "0", "--profile", "gbk-80"])
    assert args.port == 0 and args.profile == "gbk-80"
    assert args.handler.__name__ == "emulate_command"
