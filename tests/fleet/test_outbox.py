"""The terminal's outbox on a real SQLite file: ids, same-transaction writes, single-terminal mode."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from kiosk.feedback.service import FeedbackService
from kiosk.fleet import outbox
from kiosk.fleet.ids import new_id, timestamp_ms, uuid7
from kiosk.fleet.models import OutboxEntry
from kiosk.assistance import HelperService


def test_uuid7_is_version_7_time_ordered_and_unique():
    ids = [uuid7() for _ in range(5000)]
    assert all(i.version == 7 and i.variant == uuid.RFC_4122 for i in ids)
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    # a clock that steps back does not break the order
    later = uuid7(now_ms=4_000_000_000_000)
    assert uuid7(now_ms=1_000_000_000_000) > later
    assert timestamp_ms(uuid7(now_ms=1_700_000_000_123)) >= 1_700_000_000_123
    assert len(new_id()) == 36


def outbox_rows(database):
    with database.session() as session:
        return list(session.scalars(select(OutboxEntry).order_by(OutboxEntry.seq)))


def test_single_terminal_mode_queues_nothing(database):
    FeedbackService(database, terminal="T1").rate(5, source="tile")
    assert outbox_rows(database) == []


def test_a_record_and_its_event_are_written_together(database):
    outbox.attach(database)
    feedback = FeedbackService(database, terminal="T1")
    rating = feedback.rate(2, source="tile")
    feedback.add_details(rating.id, ["attitude"], "13812345678")
    rows = outbox_rows(database)
    assert [(r.kind, r.local_id) for r in rows] == [("rating", str(rating.id))] * 2
    assert rows[0].record_uid == rows[1].record_uid and rows[0].id != rows[1].id
    assert rows[1].payload["level"] == 2 and rows[1].payload["phone"] == "13812345678"

    # a transaction that fails leaves neither the record nor an event
    with pytest.raises(RuntimeError), database.session() as session:
        from kiosk.feedback.models import Rating
        from datetime import datetime

        session.add(Rating(terminal="T1", rated_at=datetime.now(), level=3, reasons=[]))
        session.flush()
        raise RuntimeError("power cut")
    assert len(outbox_rows(database)) == 2


def test_a_conditional_update_is_queued_and_private_columns_stay(database):
    outbox.attach(database)
    helpers = HelperService(database, terminal="T1")
    call = helpers.raise_call(screen="home", screen_label="首页").call
    helpers.take_call(call.id, ("H01", "李帮办"))  # an UPDATE … WHERE status = 'open'
    states = [r.payload["status"] for r in outbox_rows(database) if r.kind == "help_call"]
    assert states == ["open", "taken"]


def test_backfill_queues_what_was_made_before_enrollment_once(database):
    feedback = FeedbackService(database, terminal="T1")
    for level in (1, 2, 3):
        feedback.rate(level, source="tile")
    with database.session() as session:
        assert outbox.backfill(session) == 3
    with database.session() as session:
        assert outbox.backfill(session) == 0
        assert session.scalar(select(func.count()).select_from(OutboxEntry)) == 3


def test_kiosk_never_imports_center():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "kiosk"
    offenders = [str(p) for p in root.rglob("*.py") if "cli" not in p.parts
                 and any(line.lstrip().startswith(("import center", "from center")) for line in p.read_text("utf-8").splitlines())]
    assert offenders == []


def test_a_proxy_requests_personal_details_stay_on_the_terminal(database):
    from datetime import date, datetime

    from kiosk.assistance.models import ProxyRequest

    outbox.attach(database)
    with database.session() as session:
        session.add(ProxyRequest(
            number="DB-20260302-001", day=date(2026, 3, 2), seq=1, created_at=datetime(2026, 3, 2, 9), terminal="T1",
            helper_id="H01", helper_name="李帮办", item_code="X1", item_name="事项", citizen_name="张*三",
            phone_masked="138****5678", phone_last4="5678", phone_hash="ab" * 32, home_visit=True,
            visit_reasons=["行动不便"], address="城关镇幸福路 8 号", notes="老人独居", status="open",
        ))
    sent = next(r.payload for r in outbox_rows(database) if r.kind == "proxy_request")
    assert sent["number"] == "DB-20260302-001" and sent["phone_masked"] == "138****5678" and sent["home_visit"] is True
    for private in ("citizen_name", "phone_last4", "phone_hash", "address", "visit_reasons", "notes"):
        assert private not in sent
    assert "幸福路" not in str(sent) and "5678" not in str({k: v for k, v in sent.items() if k != "phone_masked"})


def test_sent_events_are_pruned_after_a_week_and_seqs_are_never_reused(database):
    from datetime import datetime, timedelta

    outbox.attach(database)
    feedback = FeedbackService(database, terminal="T1")
    for level in (1, 2, 3):
        feedback.rate(level, source="tile")
    with database.session() as session:
        rows = outbox.pending(session, 10)
        outbox.mark_sent(session, [r.seq for r in rows], datetime.now() - timedelta(days=8))
        newest = max(r.seq for r in rows)
    with database.session() as session:
        assert outbox.prune(session, datetime.now() - timedelta(days=7)) == 3
    feedback.rate(4, source="tile")
    assert [r.seq for r in outbox_rows(database)] == [newest + 1]
