"""Center-owned data reaches the terminals as numbered snapshots (real center, real PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kiosk.catalog.models import ServiceItem
from kiosk.config import load_config
from kiosk.db import Database
from kiosk.fleet.sync import connect
from kiosk.staff import StaffService
from kiosk.staff.models import Staff, TerminalAssignment
from support import SMALL_CATALOG

pytestmark = pytest.mark.postgres


def terminal(folder, config_path):
    config = load_config(config_path, env={"KIOSK_DATA_DIR": str(folder / "data")})
    database = Database(config.effective_database_url)
    database.upgrade()
    return database, connect(config, database)


def test_a_published_catalog_and_staff_directory_reach_the_terminals(center, center_schema, enrolled_terminals, cli, tmp_path):
    (f1, c1), (f2, c2) = enrolled_terminals(2)
    done = cli("center", "publish", "catalog", SMALL_CATALOG, "--db", center.db_url)
    assert done.exit_code == 0, done.err
    assert "version 1" in done.out

    # the center's staff directory (kept in the center database's kiosk tables by the console)
    center_db = Database(center.db_url)
    center_db.upgrade()
    staff = StaffService(center_db, terminal="console")
    staff.add("1001", "王维护", ["maintainer"], pin="135790")
    staff.add("1002", "李维护", ["maintainer"], pin="246801")
    staff.assign_terminal("1001", "1002", terminal="T-01")
    center_db.dispose()
    done = cli("center", "publish", "staff", "--db", center.db_url)
    assert done.exit_code == 0, done.err

    for folder, config in ((f1, c1), (f2, c2)):
        database, sync = terminal(folder, config)
        assert sorted(sync.pull()) == [("catalog", 1), ("staff", 1)]
        assert sync.pull() == []  # nothing newer
        with database.session() as session:
            assert session.scalar(select(ServiceItem.code).limit(1))
            assert {s.id for s in session.scalars(select(Staff))} == {"1001", "1002"}
            post = session.get(TerminalAssignment, "T-01")
            assert (post.a_staff_id, post.b_staff_id) == ("1001", "1002")
        # the PIN hash came along: the maintainer signs in on the terminal with the PIN set at the center
        assert StaffService(database, terminal="T-01").sign_in("1001", "135790").ok
        assert sync.snapshot_info("catalog")["version"] == 1
        database.dispose()

    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "kiosk-catalog/1", "items": "no"}', "utf-8")
    refused = cli("center", "publish", "catalog", bad, "--db", center.db_url)
    assert refused.exit_code == 1 and "未发布" in refused.err


@pytest.mark.parametrize("bad", [{"absences": ["1001"]}, {"assignments": [["T-01", "1001"]]}, {"absences": "none"}])
def test_a_refused_snapshot_does_not_stop_the_others_of_the_same_pull(center, center_schema, enrolled_terminals, caplog, bad):
    import json

    from center.app import CenterSettings, build_service
    from kiosk.staff.models import StaffAbsence

    ((folder, config_path),) = enrolled_terminals(1)
    service = build_service(CenterSettings(database_url=center.db_url, upgrade=False))
    try:
        good_staff = {"format": "kiosk-staff/1", "staff": [{"id": "1001", "name": "王维护", "roles": ["maintainer"],
                                                               "pin_hash": "scrypt$x"}], "absences": [], "assignments": []}
        service.publish("staff", json.dumps(good_staff), by="test")
        database, sync = terminal(folder, config_path)
        assert sync.pull() == [("staff", 1)]
        database.dispose()
        # a staff file with a bad entry (the center only checks its format), then a catalog and a workday table
        service.publish("staff", json.dumps({**good_staff, **bad}), by="test")
        service.publish("catalog", SMALL_CATALOG.read_text("utf-8"), by="test")
        service.publish("workdays", json.dumps({"format": "kiosk-workdays/1", "days": {"2027-02-06": "workday"}}), by="test")
    finally:
        service.database.dispose()

    database, sync = terminal(folder, config_path)
    try:
        assert sorted(sync.pull()) == [("catalog", 1), ("workdays", 1)]  # applied although staff came before them
        [(kind, version, reason)] = sync.refused
        assert (kind, version) == ("staff", 2) and ("must be an object" in reason or "must be a list" in reason)
        assert sync.refusals()["staff"]["version"] == 2 and sync.applied_versions()["staff"] == 1
        assert "staff 数据第 2 版未采用" in caplog.text and "staff snapshot version 2 not applied" in caplog.text
        with database.session() as session:
            assert session.scalar(select(ServiceItem.code).limit(1))
            assert session.get(Staff, "1001").active  # the terminal keeps the staff it had
            assert session.scalar(select(StaffAbsence).limit(1)) is None
    finally:
        database.dispose()
