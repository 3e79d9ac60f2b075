"""`kiosk run` for a newcomer: a clear message without a display, one line saying where things are."""

from __future__ import annotations

from cli.ui_commands import no_display_message


def test_no_display_says_what_to_do_instead(cli, monkeypatch):
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    result = cli("run", "--windowed")
    assert result.exit_code == 2
    assert "没有可用的显示器" in result.err
    assert "xvfb-run -a make run" in result.err and "QT_QPA_PLATFORM=offscreen" in result.err
    assert "Traceback" not in result.err and "qt.qpa" not in result.err


def test_a_display_or_a_headless_platform_is_enough():
    assert no_display_message({"DISPLAY": ":0"}, "linux") is None
    assert no_display_message({"WAYLAND_DISPLAY": "wayland-0"}, "linux") is None
    assert no_display_message({"QT_QPA_PLATFORM": "offscreen"}, "linux") is None
    assert no_display_message({}, "win32") is None
    assert no_display_message({}, "linux")


def test_running_line_names_data_slips_and_log(tmp_path):
    from dataclasses import replace

    from kiosk.config import load_config
    from ui.app import running_line

    config = load_config(env={"KIOSK_DATA_DIR": str(tmp_path)})
    line = running_line(config)
    assert "终端运行中" in line
    assert f"{tmp_path}/sim-printer/slips/" in line and f"{tmp_path}/logs/kiosk.log" in line
    usb = replace(config, printer=replace(config.printer, uri="usb://0416:5011"))
    assert "usb://0416:5011" in running_line(usb)
