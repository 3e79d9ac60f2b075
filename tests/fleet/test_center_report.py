"""Item 6: `kiosk center report` covers every terminal, with a terminal column and filter."""

from __future__ import annotations

import csv
from datetime import date

import pytest

from kiosk.config import load_config
from kiosk.db import Database
from kiosk.feedback.service import FeedbackService
from kiosk.fleet.sync import connect
from kiosk.assistance import HelperService

pytestmark = pytest.mark.postgres


def make_records(folder, config_path, ratings: int):
    config = load_config(config_path, env={"KIOSK_DATA_DIR": str(folder / "data")})
    database = Database(config.effective_database_url)
    database.upgrade()
    sync = connect(config, database)
    feedback = FeedbackService(database, terminal=config.terminal.id)
    for i in range(ratings):
        feedback.rate(5 - i % 2, source="tile")
    helpers = HelperService(database, terminal=config.terminal.id)
    call = helpers.raise_call(screen="home").call
    helpers.close_call(call.id, ("H01", "李帮办"), help_types=["online"], outcome="resolved")
    sync.push()
    database.dispose()


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_reports_cover_every_terminal_with_a_terminal_column_and_filter(center, enrolled_terminals, cli, tmp_path):
    terminals = enrolled_terminals(2)
    make_records(*terminals[0], ratings=3)
    make_records(*terminals[1], ratings=2)
    today = date.today().isoformat()

    out = tmp_path / "ratings.csv"
    done = cli("center", "report", "ratings", "--from", today, "--to", today, "--out", out, "--db", center.db_url)
    assert done.exit_code == 0, done.err
    rows = read_csv(out)
    assert sorted(r["终端编号"] for r in rows) == ["T-01"] * 3 + ["T-02"] * 2
    assert len({r["评价编号"] for r in rows}) == 5  # numbered on the center, no clash of local ids

    only = tmp_path / "t2.csv"
    done = cli("center", "report", "ratings", "--from", today, "--to", today, "--terminal", "T-02", "--out", only,
               "--db", center.db_url)
    assert done.exit_code == 0, done.err
    assert [r["终端编号"] for r in read_csv(only)] == ["T-02", "T-02"]

    ledger = tmp_path / "ledger.csv"
    assert cli("center", "report", "ledger", "--from", today, "--to", today, "--out", ledger, "--db", center.db_url).exit_code == 0
    assert len(read_csv(ledger)) == 2

    summary = cli("center", "report", "summary", "--from", today, "--to", today, "--json", "--db", center.db_url)
    assert summary.exit_code == 0, summary.err
    assert summary.json()["rated"] == 5
