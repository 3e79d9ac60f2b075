"""The [devices], [faults], [notify] and [staff] configuration sections."""

from __future__ import annotations

import pytest

from kiosk.config import ConfigError, load_config


def write(tmp_path, text):
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults(data_dir):
    config = load_config(env={"KIOSK_DATA_DIR": str(data_dir)})
    assert (config.devices.poll_seconds, config.devices.disk_min_free_mb) == (30, 500)
    assert (config.faults.escalate_after_minutes, config.faults.reopen_within_minutes) == (30, 10)
    assert (config.notify.webhook_url, config.notify.max_attempts) == ("", 5)
    assert (config.staff.session_idle_seconds, config.staff.max_pin_attempts, config.staff.lockout_minutes) == (180, 5, 5)


def test_values_are_read_and_secrets_hidden(tmp_path):
    path = write(tmp_path, """
[devices]
poll_seconds = 10
[faults]
escalate_after_minutes = 15
[notify]
webhook_url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-secret"
webhook_secret = "SECsecret"
[staff]
session_idle_seconds = 300
""")
    config = load_config(path, env={})
    assert config.devices.poll_seconds == 10 and config.faults.escalate_after_minutes == 15
    assert config.staff.session_idle_seconds == 300
    shown = config.redacted()
    assert shown["notify.webhook_url"] == "https://qyapi.weixin.qq.com/***"
    assert shown["notify.webhook_secret"] == "***"
    assert "secret" not in str(shown).replace("webhook_secret", "")


@pytest.mark.parametrize(
    ("text", "key", "words"),
    [
        ("[devices]\npoll_seconds = 1\n", "devices.poll_seconds", "应在5到3600之间"),
        ("[faults]\nescalate_after_minutes = 0\n", "faults.escalate_after_minutes", "故障升级时限"),
        ("[notify]\nwebhook_url = \"qyapi.weixin.qq.com\"\n", "notify.webhook_url", "http://"),
        ("[staff]\nmax_pin_attempts = \"5\"\n", "staff.max_pin_attempts", "not '5'"),
        ("[staff]\nlockout = 5\n", "staff.lockout", "未知配置项"),
    ],
)
def test_bad_values_name_the_key(tmp_path, text, key, words):
    with pytest.raises(ConfigError) as error:
        load_config(write(tmp_path, text), env={})
    assert error.value.key == key and words in str(error.value)
