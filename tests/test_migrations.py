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


def test_script_heads_match_alembic(tmp_path):
    from alembic.script import ScriptDirectory

    from kiosk.db import alembic_config, script_heads

    scripts = ScriptDirectory.from_config(alembic_config("sqlite:///" + str(tmp_path / "x.sqlite3")))
    assert script_heads() == frozenset(scripts.get_heads())


def test_an_older_database_is_still_upgraded_when_the_start_skips_alembic(tmp_path):
    path = tmp_path / "old.sqlite3"
    database = Database("sqlite:///" + str(path))
    database.upgrade("0001_catalog")
    assert "staff" not in database.table_names()
    database.upgrade()  # the shortcut sees an older revision and runs the migrations
    assert {"staff", "device_fault", "help_call"} <= set(database.table_names())
    database.dispose()


def test_starting_on_an_up_to_date_database_does_not_load_alembic(tmp_path):
    import subprocess
    import sys

    url = "sqlite:///" + str(tmp_path / "kiosk.sqlite3")
    Database(url).upgrade()
    probe = "import sys; from kiosk.db import Database; Database(%r).upgrade(); print('alembic' in sys.modules)" % url
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
