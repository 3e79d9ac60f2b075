"""The maintainer reads the configuration in Chinese."""

from __future__ import annotations

import re

from kiosk.config import load_config
from kiosk.config_labels import SECTION_LABELS, described, label, value_text, weekdays_text


def test_every_key_and_section_has_a_chinese_name():
    config = load_config(env={})
    for key in config.redacted():
        assert re.search(r"[\u4e00-\u9fff]", label(key)), f"{key} has no Chinese name in kiosk/config_labels.py"
        assert key.split(".")[0] in SECTION_LABELS


def test_values_read_as_words(tmp_path):
    path = tmp_path / "k.toml"
    path.write_text('[terminal]\nzone = "24h"\n[notify]\nwebhook_url = "https://oapi.dingtalk.com/robot/send?access_token=SECRET"\n', encoding="utf-8")
    sections = dict(described(load_config(path, env={})))
    terminal = {key: text for _, text, key in sections["终端"]}
    assert terminal["terminal.zone"] == "24小时自助区"
    hours = {key: text for _, text, key in sections["工作人员在岗时间"]}
    assert hours["service_hours.weekdays"] == "周一至周五"
    assert hours["service_hours.periods"] == "08:30-12:00、14:30-17:30"
    assert value_text("ui.idle_timeout_seconds", 90) == "90 秒"
    assert value_text("notify.webhook_secret", "") == "（未设置）"
    assert "SECRET" not in str(sections)
    assert weekdays_text([1, 3]) == "周一、周三" and weekdays_text([1, 2, 3, 4, 5, 6]) == "周一至周六"
