"""呼叫帮办 on a terminal of a fleet whose center cannot be reached (a port nobody listens on,
the kiosk's real sync worker failing against it): the call is recorded here and shown to the
helpers of this terminal, and the citizen is told the truth — the network is down, go to the
咨询台 if nobody comes — not 工作人员马上到 (docs/fleet.md)."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import datetime

import pytest

from assistance_support import HELPER, PINS, add_helpers
from fleet_support import free_port
from kiosk.clock import ManualClock
from kiosk.fleet.credential import Credential, save_credential
from kiosk.services import KioskServices
from support import dialog_is, make_shell
from ui.qt import QLabel, Qt


@pytest.fixture
def fleet_services(kiosk_config):
    """An enrolled terminal of a center that is not listening, its sync worker running."""
    url = f"http://127.0.0.1:{free_port()}"
    config = replace(kiosk_config, center=replace(kiosk_config.center, url=url))
    save_credential(config.data_dir, Credential(url, config.terminal.id, "t" * 43, datetime.now().isoformat()))
    services = KioskServices(config)
    services.hours_clock = ManualClock(datetime(2026, 12, 2, 10, 0))  # a Wednesday morning: helpers on duty
    services.start()
    assert services.fleet is not None
    services.start_fleet()
    yield services
    services.close()


@pytest.fixture
def fleet_shell(qtbot, fleet_services):
    yield from make_shell(qtbot, fleet_services, (1080, 1920))


def test_with_the_center_unreachable_the_call_is_honest_and_stays_for_this_terminals_helpers(
        qtbot, fleet_shell, fleet_services, settle, tmp_path):
    services, shell = fleet_services, fleet_shell
    qtbot.waitUntil(lambda: services.fleet.status.last_error != "", timeout=15000)  # the worker found nobody
    assert services.center_unreachable()
    add_helpers(services.app.staff)
    qtbot.mouseClick(shell.help_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog_is(shell, "helperCalled"), timeout=5000)
    settle(shell)
    dialog = shell.overlays.dialog
    assert dialog.title.text() == "网络暂时中断"
    assert dialog.text.text() == "呼叫已在本机登记，但暂时通知不到大厅的帮办人员。"
    assert dialog.advice.text() == "如果没有人来，请到一楼综合咨询台找穿红马甲的帮办人员。"
    assert dialog.findChild(QLabel, "callNumber").text() == "呼叫号 001"
    assert "工作人员马上到" not in [w.text() for w in dialog.findChildren(QLabel)]
    # recorded here, open, and on the desk of a helper signed in on this terminal
    session = services.app.staff.sign_in(HELPER, PINS[HELPER]).session
    [call] = services.help_calls(session)
    assert (call.number, call.status) == ("001", "open")
    folder = os.environ.get("KIOSK_SHOTS")
    if folder:  # to look at (not committed): normal and elder mode
        shell.grab().save(os.path.join(folder, "offline-call.png"))
        shell.set_elder(True)
        settle(shell)
        shell.grab().save(os.path.join(folder, "offline-call-elder.png"))
