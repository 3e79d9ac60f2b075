"""Offline (issue 14 item 5): with the center stopped, a terminal answers progress queries from its
last copy and says how old it is; with the center reachable it says nothing of the kind. The
terminal knows whether the center can hear it (help calls are worded by it)."""

from __future__ import annotations

import pytest

from kiosk.config import load_config
from kiosk.fleet.client import CenterUnreachable
from kiosk.paths import sample_catalog
from kiosk.progress.exchange import sample_file
from kiosk.services import KioskServices

pytestmark = pytest.mark.postgres

NUMBER, LAST4 = "YC2511170007", "5678"  # in the sample applications (ui/screenshots.py)


def test_progress_from_the_last_copy_says_how_old_it_is(center, enrolled_terminals, cli):
    assert cli("center", "publish", "catalog", sample_catalog(), "--db", center.db_url).exit_code == 0
    done = cli("center", "publish", "applications", sample_file(), "--db", center.db_url)
    assert done.exit_code == 0, done.err
    (folder, config_path), = enrolled_terminals(1)
    services = KioskServices(load_config(config_path, env={"KIOSK_DATA_DIR": str(folder / "data")}))
    services.start()
    try:
        assert sorted(services.fleet.pull()) == [("applications", 1), ("catalog", 1)]
        services.fleet.heartbeat()
        online = services.query_progress(NUMBER, LAST4)
        assert online.found and online.copy_note == ""
        assert not services.center_unreachable()  # a help call may promise 工作人员马上到

        center.stop()
        with pytest.raises(CenterUnreachable):
            services.fleet.heartbeat()
        assert services.center_unreachable()  # a help call says 网络暂时中断 (tests/ui/test_offline_call.py)
        offline = services.query_progress(NUMBER, LAST4)
        assert offline.found and offline.view.number == NUMBER
        applied = services.fleet.snapshot_info("applications")["applied_at"]
        assert "暂时连接不上中心" in offline.copy_note
        assert f"{applied[5:7]}-{applied[8:10]} {applied[11:16]}" in offline.copy_note

        # searching and rating go on without the center, their records wait in the outbox
        assert services.search("营业执照") is not None
        services.feedback.rate(4, source="progress")
        from kiosk.fleet.outbox import pending_count

        with services.database.session() as session:
            assert pending_count(session) >= 1

        center.start()  # back: the next contact ends the offline wording
        services.fleet.heartbeat()
        assert not services.center_unreachable()
    finally:
        services.close()


def test_silence_beyond_the_heartbeat_window_counts_as_unreachable():
    """No failure seen but no contact either (a request hanging, the worker stuck): after
    2 × heartbeat_seconds + timeout_seconds the terminal no longer promises a helper."""
    from datetime import datetime, timedelta

    from kiosk.fleet.sync import FleetStatus

    start = datetime(2026, 12, 2, 10, 0)
    window = timedelta(seconds=70)
    status = FleetStatus(enabled=True, started_at=start)
    assert status.reachable(start + timedelta(seconds=69), window)  # just started, no answer yet
    assert not status.reachable(start + timedelta(seconds=71), window)  # never an answer
    status.online, status.last_contact = True, start + timedelta(seconds=60)
    assert status.reachable(start + timedelta(seconds=120), window)
    assert not status.reachable(start + timedelta(seconds=131), window)  # silent too long
    status.online, status.last_error = False, "connection refused"
    assert not status.reachable(start + timedelta(seconds=61), window)  # the last attempt failed
