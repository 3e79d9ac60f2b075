"""Live across terminals (issue 14 item 3) against the real center under uvicorn: a call raised on
one terminal reaches another within 2 s, two helpers taking it at once get exactly one winner,
the raising terminal learns who took it; a silent terminal gets a fault and recovers."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import select

from fleet_support import CenterProcess
from kiosk.config import load_config
from kiosk.db import Database
from kiosk.fleet.client import CenterError
from kiosk.fleet.sync import FleetWorker, connect
from kiosk.assistance import HelperService
from kiosk.assistance.models import HelpCall
from kiosk.services import KioskServices

pytestmark = pytest.mark.postgres


class Terminal:
    """A terminal in this process: its own data folder, SQLite file and configuration."""

    def __init__(self, folder, config_path):
        self.config = load_config(config_path, env={"KIOSK_DATA_DIR": str(folder / "data")})
        self.database = Database(self.config.effective_database_url)
        self.database.upgrade()
        self.sync = connect(self.config, self.database)
        assert self.sync is not None
        self.helpers = HelperService(self.database, terminal=self.config.terminal.id, terminal_name=self.config.terminal.name)

    def close(self):
        self.database.dispose()


@pytest.fixture
def terminals(enrolled_terminals):
    made = [Terminal(folder, config) for folder, config in enrolled_terminals(3)]
    yield made
    for terminal in made:
        terminal.close()


def test_a_call_reaches_the_other_terminals_within_two_seconds_and_one_take_wins(terminals):
    t1, t2, t3 = terminals
    for t in (t2, t3):
        t.sync.follow_calls(wait=0)  # up to date: nothing yet
    worker = FleetWorker(t1.sync)  # the kiosk's background threads on terminal 1
    worker.start()
    try:
        seen: dict[str, float] = {}

        def watch(t, name):
            while name not in seen:
                for call in t.sync.follow_calls(wait=5):
                    if call["status"] == "open":
                        seen[name] = time.monotonic()

        watchers = [threading.Thread(target=watch, args=(t, t.config.terminal.id)) for t in (t2, t3)]
        for w in watchers:
            w.start()
        time.sleep(0.5)  # both are waiting in their long-poll
        raised_at = time.monotonic()
        raised = t1.helpers.raise_call(screen="search", screen_label="搜索事项").call
        for w in watchers:
            w.join(10)
        assert set(seen) == {"T-02", "T-03"}
        assert max(seen.values()) - raised_at < 2.0
        uid = next(u for u, c in t2.sync.calls.items() if c["terminal"] == "T-01" and c["local_id"] == str(raised.id))

        # two helpers on two terminals press 接单 at the same moment: exactly one wins
        results: list = []
        barrier = threading.Barrier(2)

        def take(t, helper):
            barrier.wait()
            try:
                results.append(("won", t.sync.take_call(uid, helper, f"帮办{helper}")))
            except CenterError as exc:
                results.append(("lost", exc))

        takers = [threading.Thread(target=take, args=(t2, "H02")), threading.Thread(target=take, args=(t3, "H03"))]
        for t in takers:
            t.start()
        for t in takers:
            t.join(10)
        assert sorted(r[0] for r in results) == ["lost", "won"]
        winner = next(r[1] for r in results if r[0] == "won")
        loser = next(r[1] for r in results if r[0] == "lost")
        assert loser.status == 409 and "已由" in loser.zh and winner["taken_by_name"] in loser.zh

        # the raising terminal learns it: its own call is taken by the winner
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            with t1.database.session() as session:
                call = session.get(HelpCall, raised.id)
                if call.status == "taken":
                    break
            time.sleep(0.1)
        assert (call.status, call.taken_by) == ("taken", winner["taken_by"])
    finally:
        worker.stop()


def test_a_take_made_offline_on_the_raising_terminal_counts_if_still_open(terminals):
    t1, t2, _ = terminals
    call = t1.helpers.raise_call(screen="home").call
    t1.helpers.take_call(call.id, ("H01", "本机帮办"))
    t1.sync.push()
    t2.sync.follow_calls(wait=0)
    remote = next(c for c in t2.sync.calls.values() if c["local_id"] == str(call.id))
    assert (remote["status"], remote["taken_by"]) == ("taken", "H01")
    with pytest.raises(CenterError) as refused:
        t2.sync.take_call(remote["uid"], "H02", "另一位")
    assert refused.value.status == 409


def test_the_kiosk_pushes_a_new_record_at_once(enrolled_terminals, center_schema):
    (folder, config_path), = enrolled_terminals(1)
    config = load_config(config_path, env={"KIOSK_DATA_DIR": str(folder / "data")})
    services = KioskServices(config)
    services.start()
    services.start_fleet()
    try:
        started = time.monotonic()
        services.feedback.rate(5, source="tile")
        while time.monotonic() - started < 5:
            if center_schema.scalar("SELECT count(*) FROM center_record WHERE kind = 'rating'"):
                break
            time.sleep(0.05)
        assert center_schema.scalar("SELECT count(*) FROM center_record WHERE kind = 'rating'") == 1
        assert time.monotonic() - started < 2.0
        assert services.fleet_status().online
    finally:
        services.close()


def test_single_terminal_mode_starts_nothing(data_dir):
    services = KioskServices(load_config(env={"KIOSK_DATA_DIR": str(data_dir)}))
    services.start()
    services.start_fleet()
    try:
        assert services.fleet is None and services.fleet_status() is None
        assert not [t for t in threading.enumerate() if t.name.startswith("fleet-")]
    finally:
        services.close()


def test_a_silent_terminal_gets_a_fault_and_recovers(center_schema, enrolled_terminals, tmp_path):
    fast = CenterProcess(center_schema.url, tmp_path / "fast-center", silent_after=2, check_every=1).start()
    try:
        (folder, config_path), = enrolled_terminals(1)
        # its A and B posts, in the staff directory the console keeps in the center's database
        from kiosk.staff import StaffService

        center_db = Database(center_schema.url)
        center_db.upgrade()
        staff = StaffService(center_db, terminal="console")
        staff.add("1001", "王维护", ["maintainer"], pin="135790")
        staff.add("1002", "李维护", ["maintainer"], pin="246801")
        staff.assign_terminal("1001", "1002", terminal="T-01")
        center_db.dispose()
        config = load_config(config_path, env={"KIOSK_DATA_DIR": str(folder / "data")})
        database = Database(config.effective_database_url)
        database.upgrade()
        sync = connect(config, database)
        sync.client.url = fast.url
        sync.heartbeat()
        query = "SELECT count(*) FROM center_fault WHERE terminal_id = 'T-01' AND kind = 'terminal_silent' AND status = :s"
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and not center_schema.scalar(query, s="open"):
            time.sleep(0.2)
        assert center_schema.scalar(query, s="open") == 1
        told = (tmp_path / "fast-center" / "center.log").read_text()  # the log notifier (no webhook configured)
        assert "失去联系" in told and "A岗 王维护" in told and "B岗 李维护" in told
        sync.heartbeat()
        assert center_schema.scalar(query, s="open") == 0
        assert center_schema.scalar(query, s="resolved") == 1
        database.dispose()
    finally:
        fast.stop()


def test_a_call_closed_in_the_console_is_closed_on_the_terminal_that_raised_it(terminals, center):
    from center.app import CenterSettings, build_service
    from center.console.livecalls import LiveCalls

    t1 = terminals[0]
    t1.sync.follow_calls(wait=0)
    raised = t1.helpers.raise_call(screen="search", screen_label="搜索事项").call
    t1.sync.push()
    t1.sync.follow_calls(wait=0)
    uid = next(u for u, c in t1.sync.calls.items() if c["local_id"] == str(raised.id))
    service = build_service(CenterSettings(database_url=center.db_url, upgrade=False))
    try:  # a helper at the center's console takes and closes it in one step, with the help given
        LiveCalls(service).close_call(uid, ("2001", "刘红梅"), help_types=["online"], outcome="resolved")
    finally:
        service.database.dispose()
    with t1.database.session() as session:
        assert session.get(HelpCall, raised.id).status == "open"  # not yet pulled
    t1.sync.follow_calls(wait=0)
    with t1.database.session() as session:
        call = session.get(HelpCall, raised.id)
        assert (call.status, call.taken_by, call.taken_by_name, call.ended_by) == ("closed", "2001", "刘红梅", "2001")
        assert call.ended_at is not None
    # closed is final: a later close elsewhere or a re-raise does not reopen it
    t1.sync.follow_calls(wait=0)
    with t1.database.session() as session:
        assert session.get(HelpCall, raised.id).status == "closed"
