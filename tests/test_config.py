from pathlib import Path

import pytest

from kiosk.config import ConfigError, load_config


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_put_the_database_in_the_data_folder(data_dir):
    config = load_config(env={"KIOSK_DATA_DIR": str(data_dir)})
    assert config.effective_database_url == "sqlite:///" + str(data_dir / "kiosk.sqlite3")
    assert config.printer.uri == "sim://"
    assert config.ui.idle_timeout_seconds == 90


def test_file_values_are_read(tmp_path):
    path = write(
        tmp_path,
        """
[terminal]
id = "YC-24H-02"
name = "24小时自助区 2 号"
zone = "24h"
[printer]
uri = "tcp://127.0.0.1:9100"
profile = "generic-58"
[ui]
idle_timeout_seconds = 120
[service_hours]
weekdays = [1, 2, 3, 4, 5, 6]
periods = ["09:00-12:00"]
""",
    )
    config = load_config(path, env={})
    assert config.terminal.zone == "24h"
    assert config.terminal.name == "24小时自助区 2 号"
    assert config.printer.profile == "generic-58"
    assert config.ui.idle_timeout_seconds == 120
    assert config.service_hours.weekdays == (1, 2, 3, 4, 5, 6)
    assert [str(p) for p in config.service_hours.periods] == ["09:00-12:00"]


def test_environment_overrides_the_file(tmp_path):
    path = write(tmp_path, '[printer]\nuri = "sim://"\n[database]\nurl = "sqlite:////tmp/a.db"\n')
    env = {"KIOSK_CONFIG": str(path), "KIOSK_DB_URL": "postgresql://kiosk:secret@db/kiosk", "KIOSK_PRINTER": "tcp://10.1.2.3"}
    config = load_config(env=env)
    assert config.effective_database_url == "postgresql://kiosk:secret@db/kiosk"
    assert config.printer.uri == "tcp://10.1.2.3"
    assert config.redacted()["database.url"] == "postgresql://kiosk:***@db/kiosk"


@pytest.mark.parametrize(
    ("text", "key", "words"),
    [
        ('[terminal]\nzone = "lobby"\n', "terminal.zone", "not one of hall, 24h"),
        ('[terminal]\nid = ""\n', "terminal.id", "must not be empty"),
        ('[terminal]\nid = "终端一"\n', "terminal.id", "may hold only"),
        ("[ui]\nidle_timeout_seconds = \"90\"\n", "ui.idle_timeout_seconds", "must be a whole number"),
        ("[ui]\nidle_timeout_seconds = 5\n", "ui.idle_timeout_seconds", "outside 30..3600"),
        ("[ui]\nidle_warning_seconds = 10\n", "ui.idle_warning_seconds", "outside 20..120"),
        ('[ui]\nlanguage = "fr"\n', "ui.language", "not one of"),
        ('[printer]\nuri = "COM3"\n', "printer.uri", "not a printer URI"),
        ('[database]\nurl = "kiosk.db"\n', "database.url", "not a database URL"),
        ('[service_hours]\nperiods = ["8:30 to 12"]\n', "service_hours.periods[0]", "not a period"),
        ('[service_hours]\nperiods = ["12:00-08:00"]\n', "service_hours.periods[0]", "ends before it starts"),
        ("[service_hours]\nweekdays = [0, 8]\n", "service_hours.weekdays", "weekday numbers"),
        ("[printer]\nspeed = 3\n", "printer.speed", "unknown key"),
        ("[speech]\nvolume = 150\n", "speech.volume", "outside 0..100"),
        ('[speech]\nenabled = "yes"\n', "speech.enabled", "must be true or false"),
        ('[speech]\nauto_read = "sometimes"\n', "speech.auto_read", "not one of never, elder, always"),
        ('[speech]\nvoice = "cmn; rm"\n', "speech.voice", "not an espeak-ng voice"),
        ("[screen]\nwidth = 3\n", "screen", "unknown section"),
        ("[terminal\nid = 1\n", "(file)", "not valid TOML"),
    ],
)
def test_invalid_configuration_names_the_key(tmp_path, text, key, words):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path, env={})
    assert caught.value.key == key
    assert words in str(caught.value)
    assert str(path) in str(caught.value)


def test_cli_exits_2_with_the_key_on_invalid_configuration(tmp_path, cli):
    path = write(tmp_path, '[terminal]\nzone = "lobby"\n')
    result = cli("--config", path, "catalog", "search", "yyzz")
    assert result.exit_code == 2
    assert "terminal.zone" in result.err
    assert "配置错误" in result.err


def test_cli_exits_2_when_the_file_is_missing(tmp_path, cli):
    result = cli("--config", tmp_path / "nope.toml", "db", "upgrade")
    assert result.exit_code == 2
    assert "not found" in result.err


@pytest.mark.parametrize(
    ("variable", "value", "key"),
    [("KIOSK_PRINTER", "COM3", "printer.uri"), ("KIOSK_DB_URL", "kiosk.db", "database.url")],
)
def test_environment_overrides_are_checked_too(variable, value, key):
    with pytest.raises(ConfigError) as caught:
        load_config(env={variable: value})
    assert caught.value.key == key
    assert f"${variable}" in str(caught.value)


def test_the_data_folder_comes_from_the_given_environment(tmp_path):
    config = load_config(env={"KIOSK_DATA_DIR": str(tmp_path / "elsewhere")})
    assert config.data_dir == tmp_path / "elsewhere"


def test_the_idle_warning_must_be_shorter_than_the_timeout(tmp_path):
    path = write(tmp_path, "[ui]\nidle_timeout_seconds = 30\nidle_warning_seconds = 60\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path, env={})
    assert caught.value.key == "ui.idle_warning_seconds"
    assert "shorter than ui.idle_timeout_seconds" in str(caught.value)
