"""The attract screen: after a while untouched on home it shows what the terminal can do, large
and moving slowly; a touch leaves it for home and does nothing else."""

from __future__ import annotations

from datetime import datetime

from kiosk.clock import ManualClock
from ui.qt import QPoint, Qt


def test_it_comes_on_home_moves_and_a_touch_leaves_it(qtbot, shell, settle):
    attract = shell.attract
    attract.seconds = 1
    attract.restart()
    qtbot.waitUntil(attract.overlay.is_showing, timeout=5000)
    overlay = attract.overlay
    assert overlay.title.text() == "查办事指南" and overlay.center.text() == "永城市政务服务中心"
    first_y = overlay.card.y()
    qtbot.waitUntil(lambda: overlay.card.y() != first_y, timeout=3000)  # it drifts
    tile = shell.screens["home"].tiles["tile_progress"]
    qtbot.mouseClick(overlay, Qt.MouseButton.LeftButton, pos=tile.mapTo(shell, QPoint(20, 20)))
    assert not overlay.is_showing()
    assert shell.current_name() == "home", "the touch that leaves it opens nothing underneath"


def test_not_over_a_citizen_at_work(qtbot, shell, settle):
    attract = shell.attract
    shell.go("search")
    attract.seconds = 1
    attract.restart()
    qtbot.wait(1600)
    assert not attract.overlay.is_showing()


def test_at_night_the_helper_card_is_honest(shell, services):
    services.hours_clock = ManualClock(datetime(2026, 12, 2, 22, 0))
    cards = shell._attract_cards()
    assert [c.title for c in cards].count("呼叫帮办") == 0
    night = next(c for c in cards if c.title == "现在无人值守")
    assert "12345" in night.text and "明天 8:30" in night.text
