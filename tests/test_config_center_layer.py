"""The center's layer of a terminal's configuration (<data_dir>/center-config.toml, written when a
kiosk-terminal-config/1 snapshot is applied) read by load_config over the installation's file,
without a center: the loader, the document's checks and the writer."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.config import (
    CENTER_LAYER_NAME,
    ConfigError,
    check_center_layer,
    check_terminal_config,
    load_config,
    terminal_layer,
    write_center_layer,
)

INSTALLATION = """
[terminal]
id = "YC-HALL-01"
name = "大厅自助终端 1 号"
[ui]
idle_warning_seconds = 40
[printer]
uri = "tcp://10.0.0.9:9100"
[center]
url = "https://center.example:8443"
"""


def document(everyone=None, **terminals) -> dict:
    return {"format": "kiosk-terminal-config/1", "all": everyone or {}, "terminals": terminals}


@pytest.fixture
def installation(tmp_path, data_dir) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(INSTALLATION, encoding="utf-8")
    return path


def env(data_dir, **more) -> dict[str, str]:
    return {"KIOSK_DATA_DIR": str(data_dir), **more}


def test_the_centers_values_are_read_over_the_installations_file(installation, data_dir):
    write_center_layer(data_dir, {"ui": {"idle_timeout_seconds": 120}, "terminal": {"zone": "24h"},
                                  "service_hours": {"periods": ["08:00-12:00"], "hotline": "0797-12345"}})
    config = load_config(installation, env=env(data_dir))
    assert config.ui.idle_timeout_seconds == 120 and config.terminal.zone == "24h"
    assert config.service_hours.hotline == "0797-12345" and [str(p) for p in config.service_hours.periods] == ["08:00-12:00"]
    # what the center did not set stays the installation's
    assert config.ui.idle_warning_seconds == 40 and config.terminal.name == "大厅自助终端 1 号"
    assert config.printer.uri == "tcp://10.0.0.9:9100"
    assert config.center_keys == {"ui.idle_timeout_seconds", "terminal.zone", "service_hours.periods", "service_hours.hotline"}
    assert config.center_layer == str(data_dir / CENTER_LAYER_NAME) and config.center_problem == ""


def test_the_environment_overrides_still_win(installation, data_dir):
    write_center_layer(data_dir, {"ui": {"idle_timeout_seconds": 120}})
    config = load_config(installation, env=env(data_dir, KIOSK_PRINTER="tcp://10.0.0.10:9100",
                                                KIOSK_DB_URL="sqlite:////tmp/elsewhere.sqlite3"))
    assert config.printer.uri == "tcp://10.0.0.10:9100"
    assert config.database_url == "sqlite:////tmp/elsewhere.sqlite3"
    assert config.ui.idle_timeout_seconds == 120


def test_a_single_terminal_reads_no_center_layer(tmp_path, data_dir):
    path = tmp_path / "single.toml"
    path.write_text(INSTALLATION.replace('url = "https://center.example:8443"', ""), encoding="utf-8")
    write_center_layer(data_dir, {"ui": {"idle_timeout_seconds": 120}})
    config = load_config(path, env=env(data_dir))
    assert config.ui.idle_timeout_seconds == 90 and not config.center_keys and config.center_layer is None


@pytest.mark.parametrize("text, reason", [
    ('[printer]\nuri = "tcp://10.9.9.9:9100"\n', "中心不得下发"),  # edited by hand: never trusted
    ('[center]\nurl = "https://elsewhere.example"\n', "中心不得下发"),
    ('[ui]\nidle_timeout_seconds = -5\n', "30..3600"),
    ('[ui]\nidle_timeout_seconds = "long"\n', "whole number"),
    ('[ui]\nidle_timeout_seconds = 35\n', "与中心下发的配置合并后"),  # valid alone, not with this file's 40 s warning
    ('[ui]\nmood = "happy"\n', "未知配置项"),
    ("[ui\n", "TOML"),
])
def test_a_layer_that_does_not_validate_is_left_out_and_the_terminal_starts(installation, data_dir, text, reason, caplog):
    (data_dir / CENTER_LAYER_NAME).parent.mkdir(parents=True, exist_ok=True)
    (data_dir / CENTER_LAYER_NAME).write_text(text, encoding="utf-8")
    config = load_config(installation, env=env(data_dir))
    assert config.ui.idle_timeout_seconds == 90 and config.printer.uri == "tcp://10.0.0.9:9100"
    assert config.center.url == "https://center.example:8443"
    assert not config.center_keys and config.center_layer is None
    assert reason in config.center_problem
    assert "not used" in caplog.text


def test_the_installations_own_fault_is_still_an_error(tmp_path, data_dir):
    path = tmp_path / "bad.toml"
    path.write_text(INSTALLATION + "[speech]\nvolume = 500\n", encoding="utf-8")
    write_center_layer(data_dir, {"speech": {"volume": 50}})  # the center cannot mend the file either
    with pytest.raises(ConfigError, match="speech.volume"):
        load_config(path, env=env(data_dir))


def test_a_terminals_own_part_beats_all():
    doc = document({"ui": {"idle_timeout_seconds": 120, "language": "zh_CN"}, "speech": {"volume": 60}},
                   **{"YC-HALL-01": {"ui": {"idle_timeout_seconds": 300}, "terminal": {"zone": "24h"}}})
    assert terminal_layer(doc, "YC-HALL-01") == {"ui": {"idle_timeout_seconds": 300, "language": "zh_CN"},
                                                 "speech": {"volume": 60}, "terminal": {"zone": "24h"}}
    assert terminal_layer(doc, "YC-HALL-02") == {"ui": {"idle_timeout_seconds": 120, "language": "zh_CN"},
                                                 "speech": {"volume": 60}}


@pytest.mark.parametrize("doc, key, words", [
    (document({"database": {"url": "sqlite:////tmp/x.sqlite3"}}), "database.url", "中心不得下发"),
    (document({"paths": {"data_dir": "/tmp"}}), "paths.data_dir", "中心不得下发"),
    (document({"center": {"url": "https://elsewhere.example"}}), "center.url", "中心不得下发"),
    (document({"notify": {"webhook_secret": "SECxyz"}}), "notify.webhook_secret", "中心不得下发"),
    (document(**{"YC-HALL-01": {"terminal": {"id": "YC-HALL-09"}}}), "terminal.id", "中心不得下发"),
    (document(**{"YC-HALL-01": {"idcard": {"uri": "tcp://10.0.0.8:4001"}}}), "idcard.uri", "中心不得下发"),
    (document({"ui": {"mood": "happy"}}), "ui.mood", "未知配置项"),
    (document({"weather": {}}), "weather", "未知配置节"),
    (document({"ui": {"idle_timeout_seconds": -5}}), "ui.idle_timeout_seconds", "30..3600"),
    (document(**{"YC-HALL-01": {"ui": {"idle_timeout_seconds": "long"}}}), "ui.idle_timeout_seconds", "whole number"),
    (document(**{"../etc": {}}), "terminals.../etc", "终端编号无效"),
    ({"format": "kiosk-catalog/1"}, "format", "kiosk-terminal-config/1"),
    ({**document(), "printer": {}}, "printer", "未知字段"),
])
def test_the_center_refuses_what_it_may_not_set_or_what_does_not_validate(doc, key, words):
    with pytest.raises(ConfigError) as refused:
        check_terminal_config(doc)
    assert refused.value.key == key and words in str(refused.value)


def test_a_layer_is_checked_against_the_installations_own_file(installation, data_dir):
    config = load_config(installation, env=env(data_dir))
    assert check_center_layer(config, {"ui": {"idle_timeout_seconds": 60}}).ui.idle_timeout_seconds == 60
    # 35 s is fine over the defaults (30 s warning), not over this terminal's 40 s warning
    check_terminal_config(document({"ui": {"idle_timeout_seconds": 35}}))
    with pytest.raises(ConfigError, match="idle_warning_seconds"):
        check_center_layer(config, {"ui": {"idle_timeout_seconds": 35}})


def test_the_layer_is_written_whole_and_reads_back_as_sent(data_dir, installation):
    awkward = '大厅 "1" 号 \\ 终端\t\x7f 😀'
    layer = {"terminal": {"name": awkward}, "speech": {"enabled": False, "volume": 55},
             "service_hours": {"weekdays": [1, 2, 3, 4, 5, 6], "closed": ["2026-10-09"],
                               "seasons": [{"from": "06-01", "to": "09-30", "periods": ["08:00-12:00", "15:00-18:00"]}]}}
    path = write_center_layer(data_dir, layer, note="config version 7")
    assert [p.name for p in data_dir.iterdir() if "center-config" in p.name] == [CENTER_LAYER_NAME]  # no partial file left
    config = load_config(installation, env=env(data_dir))
    assert config.terminal.name == awkward.strip() and config.speech.enabled is False and config.speech.volume == 55
    assert config.service_hours.seasons[0].to_dict()["periods"] == ["08:00-12:00", "15:00-18:00"]
    assert "config version 7" in path.read_text("utf-8")
