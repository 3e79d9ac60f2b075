"""The nightly restart (ui/nightly_restart.py): after ui.nightly_restart a kiosk that systemd
watches ends itself, but only when nobody is using it; a developer's window never does."""

from __future__ import annotations

import socket
from dataclasses import replace
from datetime import datetime, time

import pytest

from kiosk.clock import ManualClock
from kiosk.config import ConfigError, load_config
from ui import deployment
from ui.nightly_restart import NightlyRestart, due, kiosk_is_quiet
from ui.watchdog import SystemdNotifier

COMPANY = "1141148100492981054010001"
AT = time(3, 40)


def restart_for(shell, started: datetime):
    clock = ManualClock(started)
    codes: list[int] = []
    restart = NightlyRestart(shell, AT, lambda: kiosk_is_quiet(shell), quit=codes.append, clock=clock)
    return restart, clock, codes


def test_a_kiosk_in_use_at_night_restarts_only_once_the_citizen_has_gone(qtbot, shell, settle):
    restart, clock, codes = restart_for(shell, datetime(2026, 12, 1, 8, 0))
    settle(shell)

    clock.set(datetime(2026, 12, 2, 3, 39))
    assert not restart.check() and codes == []  # not yet

    shell.go("item", code=COMPANY)  # someone in the 24-hour zone reads a notice at 03:41
    settle(shell)
    clock.set(datetime(2026, 12, 2, 3, 41))
    assert not restart.check() and codes == []
    assert shell.current_name() == "item"  # their screen is left alone

    shell.reset_session()  # they leave; the inactivity reset brings home back
    settle(shell)
    clock.set(datetime(2026, 12, 2, 3, 55))
    assert restart.check() and codes == [0]
    assert not restart.check() and codes == [0]  # once


def test_a_waiting_help_call_or_an_open_dialog_keeps_the_kiosk_running(qtbot, shell, settle):
    restart, clock, codes = restart_for(shell, datetime(2026, 12, 1, 8, 0))
    clock.set(datetime(2026, 12, 2, 4, 0))
    shell.call_helper()
    qtbot.waitUntil(shell.overlays.has_open_dialog, timeout=3000)
    shell.overlays.close_all()
    settle(shell)
    assert shell.help_calls.waiting  # the call stands though its dialog was closed
    assert not restart.check() and codes == []


def test_no_restart_soon_after_a_start_or_long_after_the_time():
    started_at_3 = datetime(2026, 12, 2, 3, 0)
    assert not due(datetime(2026, 12, 2, 3, 45), started_at_3, AT)  # up 45 min: tomorrow
    assert due(datetime(2026, 12, 3, 3, 45), started_at_3, AT)
    started = datetime(2026, 12, 1, 8, 0)
    assert not due(datetime(2026, 12, 2, 6, 41), started, AT)  # busy until three hours after: tomorrow
    assert due(datetime(2026, 12, 2, 6, 39), started, AT)
    # a time near midnight: the window runs into the next day
    assert due(datetime(2026, 12, 2, 0, 30), started, time(23, 30))


def test_only_a_kiosk_that_systemd_restarts_ends_itself(qtbot, shell, tmp_path):
    config = shell.config
    assert deployment.start_nightly_restart(shell, config, SystemdNotifier(shell, env={})) is None

    path = tmp_path / "notify"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind(str(path))
        notifier = SystemdNotifier(shell, env={"NOTIFY_SOCKET": str(path)})
        restart = deployment.start_nightly_restart(shell, config, notifier)
        assert restart is not None and restart.at == AT and restart.timer.isActive()
        restart.timer.stop()
        off = replace(config, ui=replace(config.ui, nightly_restart=""))
        assert deployment.start_nightly_restart(shell, off, notifier) is None


@pytest.mark.parametrize("value", ["25:00", "3点40", "03:4"])
def test_a_wrong_time_is_refused_with_a_message(tmp_path, value):
    path = tmp_path / "kiosk.toml"
    path.write_text(f'[ui]\nnightly_restart = "{value}"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_config(path, env={"KIOSK_DATA_DIR": str(tmp_path)})
    assert "ui.nightly_restart" in str(refused.value) and "03:40" in str(refused.value)


def test_an_empty_time_means_never(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_text('[ui]\nnightly_restart = ""\n', encoding="utf-8")
    assert load_config(path, env={"KIOSK_DATA_DIR": str(tmp_path)}).ui.nightly_restart == ""
