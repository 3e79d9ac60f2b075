from __future__ import annotations

import pytest

from kiosk.config import ConfigError, load_config


def test_defaults_have_no_reader_and_a_wedge_scanner():
    config = load_config(env={})
    assert config.idcard.uri == "" and config.idcard.wait_seconds == 30
    assert config.scanner.uri == "" and config.scanner.wedge and config.scanner.terminator == "enter"


def test_file_and_environment(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_text(
        '[idcard]\nuri = "serial:///dev/ttyUSB0?baud=115200"\ntimeout_ms = 800\nread_timeout_ms = 2500\nwait_seconds = 20\n'
        '[scanner]\nuri = "serial:///dev/ttyACM0"\nwedge = false\nmax_key_interval_ms = 30\nmin_length = 8\nterminator = "tab"\n',
        encoding="utf-8",
    )
    config = load_config(path, env={})
    assert config.idcard.uri == "serial:///dev/ttyUSB0?baud=115200"
    assert (config.idcard.timeout_ms, config.idcard.read_timeout_ms, config.idcard.wait_seconds) == (800, 2500, 20)
    assert config.scanner.uri == "serial:///dev/ttyACM0" and not config.scanner.wedge
    assert (config.scanner.max_key_interval_ms, config.scanner.min_length, config.scanner.terminator) == (30, 8, "tab")
    assert load_config(path, env={"KIOSK_IDCARD": "sim:"}).idcard.uri == "sim:"
    assert config.redacted()["idcard.uri"] == "serial:///dev/ttyUSB0?baud=115200"


@pytest.mark.parametrize(
    "text, key",
    [
        ('[idcard]\nuri = "/dev/ttyUSB0"\n', "idcard.uri"),
        ("[idcard]\ntimeout_ms = 5\n", "idcard.timeout_ms"),
        ("[idcard]\nwait_seconds = 1000\n", "idcard.wait_seconds"),
        ('[scanner]\nterminator = "space"\n', "scanner.terminator"),
        ("[scanner]\nmin_length = 0\n", "scanner.min_length"),
        ("[idcard]\nphoto = true\n", "idcard.photo"),
    ],
)
def test_bad_values_name_the_key(tmp_path, text, key):
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path, env={})
    assert caught.value.key == key
