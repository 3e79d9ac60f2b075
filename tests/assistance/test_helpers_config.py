"""The [helpers] section: defaults, limits, and errors naming the key in both languages."""

from __future__ import annotations

import pytest

from kiosk.config import ConfigError, HelpersConfig, load_config


def write(tmp_path, text: str):
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_and_a_full_section(tmp_path):
    assert load_config(env={}).helpers == HelpersConfig(3, 30, 30, 300)
    config = load_config(write(tmp_path, """
[helpers]
reraise_after_minutes = 2
expire_after_minutes = 20
purge_after_days = 7
waiting_idle_seconds = 600
"""), env={})
    assert config.helpers == HelpersConfig(2, 20, 7, 600)
    assert config.redacted()["helpers.reraise_after_minutes"] == 2


@pytest.mark.parametrize(
    ("text", "key", "words"),
    [
        ("reraise_after_minutes = 0", "helpers.reraise_after_minutes", "再次呼叫间隔（分钟）应在1到60之间"),
        ("purge_after_days = 0", "helpers.purge_after_days", "代办个人信息保留天数应在1到3650之间"),
        ("waiting_idle_seconds = 10", "helpers.waiting_idle_seconds", "等待帮办时屏幕保留时间（秒）应在60到1800之间"),
        ("reraise_after_minutes = \"3\"", "helpers.reraise_after_minutes", "类型错误"),
        ("reraise_after_minutes = 10\nexpire_after_minutes = 10", "helpers.expire_after_minutes", "无人响应结束时间应长于再次呼叫间隔"),
        ("ring_bell = true", "helpers.ring_bell", "未知配置项"),
    ],
)
def test_bad_values_name_the_key(tmp_path, text, key, words):
    with pytest.raises(ConfigError) as error:
        load_config(write(tmp_path, "[helpers]\n" + text + "\n"), env={})
    assert error.value.key == key and words in str(error.value)
