"""A database that can no longer be written is a clear state on the citizen's screen: a banner
naming it and saying where to go instead (issue 16 item 4); it goes when the disk is back."""

from __future__ import annotations

from datetime import datetime

from kiosk.devices.monitor import DeviceReading, condition


def test_a_read_only_database_shows_a_banner_until_it_can_be_written_again(qtbot, shell, services):
    monitor = services.devices.monitor
    assert not shell.storage_banner.isVisible()
    monitor.update(DeviceReading("database", (condition("database_read_only"),), datetime.now()))
    qtbot.waitUntil(shell.storage_banner.isVisible, timeout=5000)
    text = shell.storage_banner_text.text()
    assert "无法保存" in text and "数据库只读" in text and "咨询台" in text
    monitor.update(DeviceReading("disk", (condition("disk_full"),), datetime.now()))
    qtbot.waitUntil(lambda: "磁盘已满" in shell.storage_banner_text.text(), timeout=5000)
    monitor.update(DeviceReading("database", (), datetime.now()))
    monitor.update(DeviceReading("disk", (), datetime.now()))
    qtbot.waitUntil(lambda: not shell.storage_banner.isVisible(), timeout=5000)
