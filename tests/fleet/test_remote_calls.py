"""A helper signed in on one terminal sees and takes another terminal's call (through the center);
the call is closed where the citizen is."""

from __future__ import annotations

import time

import pytest

from kiosk.assistance import HelperError
from kiosk.config import load_config
from kiosk.services import KioskServices

pytestmark = pytest.mark.postgres


def services_of(folder, config_path) -> KioskServices:
    services = KioskServices(load_config(config_path, env={"KIOSK_DATA_DIR": str(folder / "data")}))
    services.start()
    services.start_fleet()
    return services


def helper_session(services, staff_id: str, name: str, pin: str):
    services.app.staff.add(staff_id, name, ["helper"], pin=pin)
    result = services.app.staff.sign_in(staff_id, pin)
    assert result.ok
    return result.session


def wait_for(condition, seconds: float = 5.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    return condition()


def test_a_helper_on_another_terminal_sees_and_takes_the_call(enrolled_terminals):
    (f1, c1), (f2, c2), (f3, c3) = enrolled_terminals(3)
    t1, t2, t3 = services_of(f1, c1), services_of(f2, c2), services_of(f3, c3)
    try:
        li = helper_session(t2, "2001", "李帮办", "135790")
        wang = helper_session(t3, "3001", "王帮办", "246801")
        raised = t1.raise_help_call(screen="search", screen_label="搜索事项").call

        remote = wait_for(lambda: [c for c in t2.help_calls(li) if c.terminal == "T-01"], 3.0)
        assert len(remote) == 1 and remote[0].id < 0 and remote[0].number == raised.number and remote[0].status == "open"
        other = wait_for(lambda: [c for c in t3.help_calls(wang) if c.terminal == "T-01"], 3.0)

        taken = t2.take_help_call(remote[0].id, li)
        assert (taken.status, taken.taken_by_name) == ("taken", "李帮办")
        with pytest.raises(HelperError) as late:
            t3.take_help_call(other[0].id, wang)
        assert "已由 李帮办 接单" in late.value.zh

        # the citizen's terminal learns it; the call is closed there (its ledger), not elsewhere
        assert wait_for(lambda: t1.help_call(raised.id).status == "taken", 5.0)
        assert t1.help_call(raised.id).taken_by_name == "李帮办"
        with pytest.raises(HelperError) as elsewhere:
            t2.close_help_call(remote[0].id, li, help_types=["online"], outcome="resolved")
        assert "结束这个呼叫" in elsewhere.value.zh
    finally:
        for services in (t1, t2, t3):
            services.close()
