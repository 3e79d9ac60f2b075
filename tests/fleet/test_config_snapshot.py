"""The center owns the terminals' settings: a kiosk-terminal-config/1 snapshot, published on the
center, becomes each terminal's <data_dir>/center-config.toml, which load_config reads over the
installation's file (real center, real PostgreSQL)."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from center.app import CenterSettings, build_service
from center.models import Snapshot
from center.service import CenterRefusal
from kiosk.config import CENTER_LAYER_NAME, load_config
from kiosk.db import Database
from kiosk.fleet.sync import connect

pytestmark = pytest.mark.postgres

FORMAT = "kiosk-terminal-config/1"


def terminal(folder, config_path):
    config = load_config(config_path, env={"KIOSK_DATA_DIR": str(folder / "data")})
    database = Database(config.effective_database_url)
    database.upgrade()
    return database, connect(config, database)


def pull(folder, config_path):
    database, sync = terminal(folder, config_path)
    try:
        return sync.pull(), sync
    finally:
        database.dispose()


def settings(folder, config_path, **env):
    return load_config(config_path, env={"KIOSK_DATA_DIR": str(folder / "data"), **env})


def write_document(tmp_path, document, name="config.json"):
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    return path


@pytest.fixture
def service(center):
    service = build_service(CenterSettings(database_url=center.db_url, upgrade=False))
    yield service
    service.database.dispose()


def publish_unchecked(service, document) -> int:
    """A config version stored without the center's checks, as an older or tampered center
    would send it: the terminal must check it itself."""
    text = json.dumps(document)
    with service.database.session() as session:
        version = (session.scalar(select(func.max(Snapshot.version)).where(Snapshot.kind == "config")) or 0) + 1
        session.add(Snapshot(kind="config", version=version, published_at=datetime.now(UTC), published_by="test",
                             sha256=hashlib.sha256(text.encode()).hexdigest(), document=text, note=""))
    return version


def test_a_published_configuration_reaches_each_terminal_its_own_part_over_all(center, enrolled_terminals, cli, tmp_path,
                                                                                 monkeypatch):
    (f1, c1), (f2, c2) = enrolled_terminals(2)
    assert settings(f1, c1).ui.idle_timeout_seconds == 90
    document = {"format": FORMAT,
                "all": {"ui": {"idle_timeout_seconds": 120}, "speech": {"volume": 60},
                        "service_hours": {"periods": ["08:00-12:00", "14:00-18:00"], "hotline": "0797-12345"}},
                "terminals": {"T-01": {"ui": {"idle_timeout_seconds": 300}, "terminal": {"zone": "24h"}}}}
    done = cli("center", "publish", "config", write_document(tmp_path, document), "--db", center.db_url)
    assert done.exit_code == 0, done.err
    assert "version 1" in done.out

    for folder, config in ((f1, c1), (f2, c2)):
        applied, sync = pull(folder, config)
        assert applied == [("config", 1)] and not sync.refused
        assert (folder / "data" / CENTER_LAYER_NAME).exists()

    one, two = settings(f1, c1), settings(f2, c2)
    assert (one.ui.idle_timeout_seconds, one.terminal.zone) == (300, "24h")  # its own part beats "all"
    assert (two.ui.idle_timeout_seconds, two.terminal.zone) == (120, "hall")
    for config in (one, two):
        assert config.speech.volume == 60 and config.service_hours.hotline == "0797-12345"
        assert [str(p) for p in config.service_hours.periods] == ["08:00-12:00", "14:00-18:00"]
        assert config.ui.idle_warning_seconds == 30  # not set by the center: the default stays
    assert one.terminal.name == "测试终端 T-01"  # the installation's

    # the environment overrides still win over file and center
    overridden = settings(f1, c1, KIOSK_PRINTER="tcp://127.0.0.1:9100", KIOSK_DB_URL="sqlite:////tmp/other.sqlite3")
    assert overridden.printer.uri == "tcp://127.0.0.1:9100" and overridden.database_url == "sqlite:////tmp/other.sqlite3"
    assert overridden.ui.idle_timeout_seconds == 300

    # `kiosk config show` says which values came from the center
    monkeypatch.setenv("KIOSK_DATA_DIR", str(f1 / "data"))
    shown = cli("--config", c1, "config", "show")
    assert shown.exit_code == 0, shown.err
    lines = shown.out.splitlines()
    assert "ui.idle_timeout_seconds = 300  ◆ 中心 / center" in lines
    assert "terminal.zone = \"24h\"  ◆ 中心 / center" in lines
    assert "ui.idle_warning_seconds = 30" in lines and "terminal.id = \"T-01\"" in lines
    as_json = cli("--config", c1, "config", "show", "--json").json()
    assert as_json["from"]["service_hours.hotline"] == "center" and "printer.uri" not in as_json["from"]


@pytest.mark.parametrize("document, key, words", [
    ({"all": {"database": {"url": "sqlite:////tmp/elsewhere.sqlite3"}}}, "database.url", "中心不得下发"),
    ({"terminals": {"T-01": {"center": {"url": "https://elsewhere.example"}}}}, "center.url", "中心不得下发"),
    ({"all": {"printer": {"uri": "tcp://10.9.9.9:9100"}}}, "printer.uri", "中心不得下发"),
    ({"all": {"ui": {"idle_timeout": 120}}}, "ui.idle_timeout", "未知配置项"),
    ({"all": {"ui": {"idle_timeout_seconds": -5}}}, "ui.idle_timeout_seconds", "30..3600"),
])
def test_the_center_refuses_at_publication_what_it_may_not_set(center, service, cli, tmp_path, document, key, words):
    path = write_document(tmp_path, {"format": FORMAT, **document})
    refused = cli("center", "publish", "config", path, "--db", center.db_url)
    assert refused.exit_code == 1
    assert "未发布" in refused.err and key in refused.err and words in refused.err
    with pytest.raises(CenterRefusal) as direct:  # the console and any other caller of the service
        service.publish("config", path.read_text("utf-8"), by="test")
    assert direct.value.status == 422 and key in direct.value.zh and words in direct.value.zh
    assert "config" not in service.snapshot_versions()


def test_a_configuration_that_does_not_validate_on_the_terminal_is_not_applied(center, service, enrolled_terminals, cli,
                                                                               tmp_path, monkeypatch, caplog):
    ((folder, config_path),) = enrolled_terminals(1)
    with open(config_path, "a", encoding="utf-8") as fh:  # this installation warns 40 s before the time-out
        fh.write("\n[ui]\nidle_warning_seconds = 40\n")
    layer = folder / "data" / CENTER_LAYER_NAME
    service.publish("config", json.dumps({"format": FORMAT, "all": {"ui": {"idle_timeout_seconds": 120}}}), by="test")
    assert pull(folder, config_path)[0] == [("config", 1)]
    applied_layer = layer.read_text("utf-8")

    # a value the center did not check (an older or tampered center): -5 seconds
    publish_unchecked(service, {"format": FORMAT, "all": {"ui": {"idle_timeout_seconds": -5}}})
    service.publish("workdays", json.dumps({"format": "kiosk-workdays/1", "days": {"2027-02-06": "workday"}}), by="test")
    database, sync = terminal(folder, config_path)
    assert sync.pull() == [("workdays", 1)]  # the other snapshots go on
    assert [(k, v) for k, v, _ in sync.refused] == [("config", 2)] and "30..3600" in sync.refused[0][2]
    assert sync.applied_versions()["config"] == 1 and sync.refusals()["config"]["version"] == 2
    assert "config snapshot version 2 not applied" in caplog.text
    assert sync.pull() == [] and not sync.refused  # not fetched again by this process
    database.dispose()
    assert layer.read_text("utf-8") == applied_layer
    assert settings(folder, config_path).ui.idle_timeout_seconds == 120  # as it was

    # a string where a number belongs
    publish_unchecked(service, {"format": FORMAT, "terminals": {"T-01": {"ui": {"idle_timeout_seconds": "long"}}}})
    applied, sync = pull(folder, config_path)
    assert applied == [] and "whole number" in sync.refused[0][2]

    # valid on the center (over the defaults' 30 s warning), not over this terminal's 40 s warning
    service.publish("config", json.dumps({"format": FORMAT, "all": {"ui": {"idle_timeout_seconds": 35}}}), by="test")
    monkeypatch.setenv("KIOSK_DATA_DIR", str(folder / "data"))
    done = cli("--config", config_path, "center", "pull")
    assert done.exit_code == 1
    assert "未采用" in done.err and "config version 4" in done.err and "idle_warning_seconds" in done.err
    status = cli("--config", config_path, "center", "status", "--json").json()
    assert status["snapshots"]["config"]["version"] == 1 and status["refused"]["config"]["version"] == 4
    assert settings(folder, config_path).ui.idle_timeout_seconds == 120

    # the next good version is applied and the refusal forgotten
    service.publish("config", json.dumps({"format": FORMAT, "all": {"ui": {"idle_timeout_seconds": 180}}}), by="test")
    applied, sync = pull(folder, config_path)
    assert applied == [("config", 5)] and sync.refusals() == {}
    assert settings(folder, config_path).ui.idle_timeout_seconds == 180
