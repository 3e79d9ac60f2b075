import sqlite3

from kiosk.db import Database


def test_upgrade_from_an_empty_database_creates_the_catalog(tmp_path):
    path = tmp_path / "fresh.sqlite3"
    database = Database("sqlite:///" + str(path))
    database.upgrade()
    assert {"service_item", "item_material", "department", "service_window", "topic", "center"} <= set(
        database.table_names()
    )
    assert database.current_revision() is not None
    database.upgrade()  # a second upgrade is a no-op, not an error
    database.dispose()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(database):
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_cli_db_upgrade_reports_the_revision(cli, data_dir):
    result = cli("db", "upgrade")
    assert result.exit_code == 0
    assert "database upgraded" in result.out
    tables = sqlite3.connect(data_dir / "kiosk.sqlite3").execute("select name from sqlite_master").fetchall()
    assert ("service_item",) in tables
