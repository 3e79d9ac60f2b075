"""The catalog on PostgreSQL: the same code, the same results as on SQLite.

Needs a server: set KIOSK_TEST_POSTGRES_URL to a database the role owns, e.g.
postgresql+psycopg://kiosk@127.0.0.1:55432/kiosk_test (.ci/run starts a throwaway cluster with
.ci/postgres.sh and sets it). Each test works in a fresh schema of its own, dropped afterwards.
"""

from __future__ import annotations

import copy
import os
import uuid

import pytest
from sqlalchemy import create_engine, inspect, make_url, text

from support import SMALL_CATALOG, write_json

ENV_URL = "KIOSK_TEST_POSTGRES_URL"

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not os.environ.get(ENV_URL),
        reason=f"{ENV_URL} is not set, so there is no PostgreSQL server to test against "
        "(.ci/run starts one with .ci/postgres.sh; locally: .ci/postgres.sh start DIR)",
    ),
]


@pytest.fixture
def pg_url(monkeypatch):
    """A fresh, empty schema; the CLI is pointed at it through KIOSK_DB_URL."""
    base = make_url(os.environ[ENV_URL])
    assert base.get_backend_name() == "postgresql", f"{ENV_URL} must be a postgresql URL, not {base!r}"
    schema = "kiosk_test_" + uuid.uuid4().hex[:12]
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = base.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    monkeypatch.setenv("KIOSK_DB_URL", url)
    try:
        yield url, schema, admin
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _sqlite_run(cli, monkeypatch, *args):
    """The same command on the default SQLite database (in the test's data folder)."""
    with monkeypatch.context() as m:
        m.delenv("KIOSK_DB_URL")
        return cli(*args)


def test_migrations_run_on_a_fresh_schema(cli, pg_url):
    _url, schema, admin = pg_url
    from alembic.script import ScriptDirectory

    from kiosk.db import alembic_config

    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    result = cli("db", "upgrade")
    assert result.exit_code == 0, result.err
    assert cli("db", "current").out.strip() == head
    tables = set(inspect(admin).get_table_names(schema=schema))
    assert {"alembic_version", "service_item", "item_material", "department", "service_window", "topic"} <= tables


def test_export_import_export_is_identical_and_matches_sqlite(cli, pg_url, monkeypatch, tmp_path):
    result = cli("catalog", "import", SMALL_CATALOG)
    assert result.exit_code == 0, result.err
    assert "新增 6" in result.out
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    assert cli("catalog", "export", first).exit_code == 0
    assert cli("catalog", "import", first).exit_code == 0
    assert cli("catalog", "export", second).exit_code == 0
    assert first.read_bytes() == second.read_bytes()

    # Rare characters outside the BMP (𠮷) are stored exactly, and the export is the one SQLite gives.
    assert "𠮷" in first.read_text(encoding="utf-8")
    assert _sqlite_run(cli, monkeypatch, "catalog", "import", SMALL_CATALOG).exit_code == 0
    assert _sqlite_run(cli, monkeypatch, "catalog", "export", "-").out == first.read_text(encoding="utf-8")


@pytest.mark.parametrize("query", ["营业执照", "yyzz", "yingye", "ying ye zhi zhao", "411481-gaj", "xingshizheng", "结婚"])
def test_search_gives_the_same_hits_as_on_sqlite(cli, pg_url, monkeypatch, query):
    assert cli("catalog", "import", SMALL_CATALOG).exit_code == 0
    assert _sqlite_run(cli, monkeypatch, "catalog", "import", SMALL_CATALOG).exit_code == 0
    on_postgres = cli("catalog", "search", query, "--json").json()
    assert on_postgres, f"no hit for {query!r}"
    assert on_postgres == _sqlite_run(cli, monkeypatch, "catalog", "search", query, "--json").json()


def test_search_finds_the_business_licence(cli, pg_url):
    assert cli("catalog", "import", SMALL_CATALOG).exit_code == 0
    hits = cli("catalog", "search", "yyzz", "--json").json()
    assert [h["name"] for h in hits[:2]] == ["营业执照", "营业执照遗失补领"]
    assert hits[0]["where"] == "A01 企业开办综合窗口（一楼A区）"


def test_update_replace_and_a_rejected_file(cli, pg_url, tmp_path, small_catalog):
    assert cli("catalog", "import", SMALL_CATALOG).exit_code == 0
    changed = copy.deepcopy(small_catalog)
    changed["items"] = changed["items"][:2]
    changed["items"][0]["materials"] = changed["items"][0]["materials"][:1]
    path = write_json(tmp_path / "two.json", changed)

    result = cli("catalog", "import", "--replace", path)
    assert result.exit_code == 0, result.err
    assert "更新 2" in result.out and "删除 4" in result.out
    exported = cli("catalog", "export", "-").json()
    assert [i["code"] for i in exported["items"]] == ["411481-SCJG-001", "411481-SCJG-002"]
    assert len(exported["items"][0]["materials"]) == 1

    before = cli("catalog", "export", "-").out
    changed["items"][1]["windows"] = ["Z99"]
    result = cli("catalog", "import", write_json(tmp_path / "bad.json", changed))
    assert result.exit_code == 1
    assert 'items[1].windows[0]: "Z99" is not a window number' in result.err
    assert cli("catalog", "export", "-").out == before

    shown = cli("catalog", "show", "411481-scjg-001", "--json")  # case-insensitive code (ILIKE)
    assert shown.exit_code == 0 and shown.json()["code"] == "411481-SCJG-001"
