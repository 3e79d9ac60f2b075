"""The console's read model when terminals sync with the center (issue 14, docs/fleet.md).

The center keeps what terminals push as records: one row per record, its columns as sent
(``center_record``: kind, terminal, local id, JSON data). The console shows those records
through the domain's own code (kiosk.devices.faults, kiosk.feedback, kiosk.assistance,
kiosk.reports) by projecting them into a kiosk-schema SQLite file — the *mirror* — refreshed
incrementally before a page is drawn. Local ids of different terminals clash, so every
mirrored row gets an id of its own; references between records (a complaint's events, a
ledger entry's call) are rewritten the same way.

What the console changes on a terminal's record (a complaint forwarded or answered, a fault
acknowledged or resolved) is a **transition owned by the center**: the domain service makes
it on the mirror (so its rules apply), the console stores the resulting change in
``console_transition`` on the center, and every later refresh applies it again over what
the terminal sends (docs/console.md says which transitions the center owns).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Date, DateTime, MetaData, Table, inspect, select
from sqlalchemy.orm import Session

from kiosk.db import Database
from kiosk.devices.models import DeviceFault, DeviceStateRecord, FaultEvent
from kiosk.feedback.models import Complaint, ComplaintEvent, Rating
from kiosk.assistance.models import HelpCall, LedgerEntry, ProxyRequest

log = logging.getLogger(__name__)

#: record kind → (model, {column: referenced kind}); parents before children
KINDS: dict[str, tuple[type, dict[str, str]]] = {
    "help_call": (HelpCall, {}),
    "proxy_request": (ProxyRequest, {"call_id": "help_call"}),
    "complaint": (Complaint, {}),
    "fault": (DeviceFault, {}),
    "rating": (Rating, {}),
    "ledger": (LedgerEntry, {"call_id": "help_call", "proxy_id": "proxy_request"}),
    "complaint_event": (ComplaintEvent, {"complaint_id": "complaint"}),
    "fault_event": (FaultEvent, {"fault_id": "fault"}),
    "device_state": (DeviceStateRecord, {}),
}
#: how far back each refresh looks again (records committed late by a slow transaction)
OVERLAP = timedelta(seconds=10)
#: pages drawn within this many seconds of a refresh use it as it is
FRESH_FOR = 2.0
CENTER_TABLE = "center_record"


#: numbers that are unique on one terminal but not across terminals (each numbers its calls,
#: proxy requests and cases per day from 001): not unique in the mirror
PER_TERMINAL_UNIQUES = {
    "help_call": ("uq_help_call_day",),
    "proxy_request": ("uq_proxy_request_day", "uq_proxy_request_number"),
    "feedback_complaint": ("uq_feedback_complaint_number",),
}


def _relax_per_terminal_uniques(database: Database) -> None:
    """Drop the mirror's unique constraints on per-terminal numbers (call 001 of T-01 and call
    001 of T-02 are both real); SQLite needs the table rebuilt (Alembic's batch mode)."""
    from alembic.operations import Operations
    from alembic.runtime.migration import MigrationContext

    with database.engine.begin() as connection:
        found = inspect(connection)
        for table, names in PER_TERMINAL_UNIQUES.items():
            present = {u["name"] for u in found.get_unique_constraints(table)} & set(names)
            if not present:
                continue
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            operations = Operations(MigrationContext.configure(connection))
            with operations.batch_alter_table(table, recreate="always") as batch:
                for name in sorted(present):
                    batch.drop_constraint(name, type_="unique")
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")


def center_synced(database: Database) -> bool:
    """True when the center's own tables (issue 14) are in this database."""
    return CENTER_TABLE in inspect(database.engine).get_table_names()


def _convert(model: type, data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for column in model.__table__.columns:
        if column.name not in data:
            continue
        value = data[column.name]
        if value is not None and isinstance(column.type, DateTime) and isinstance(value, str):
            value = datetime.fromisoformat(value).replace(tzinfo=None)
        elif value is not None and isinstance(column.type, Date) and isinstance(value, str):
            value = date.fromisoformat(value[:10])
        out[column.name] = value
    return out


class Mirror:
    """A kiosk-schema SQLite file holding every terminal's records, for reading."""

    def __init__(self, center: Database, path: Path):
        self.center = center
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.database = Database("sqlite:///" + str(self.path))
        self.database.upgrade()
        _relax_per_terminal_uniques(self.database)
        with self.database.engine.begin() as connection:
            connection.exec_driver_sql(
                "CREATE TABLE IF NOT EXISTS mirror_key (record TEXT PRIMARY KEY, kind TEXT NOT NULL, terminal TEXT NOT NULL,"
                " local_id TEXT NOT NULL, mirror_id INTEGER NOT NULL)"
            )
            connection.exec_driver_sql("CREATE UNIQUE INDEX IF NOT EXISTS ix_mirror_local ON mirror_key (kind, terminal, local_id)")
            connection.exec_driver_sql("CREATE TABLE IF NOT EXISTS mirror_state (key TEXT PRIMARY KEY, value TEXT)")
        self._lock = threading.Lock()
        self._records = Table(CENTER_TABLE, MetaData(), autoload_with=center.engine)
        self._refreshed_at = 0.0
        # "what changed since my last look" without reading every record each time
        with center.engine.begin() as connection:
            connection.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS ix_console_center_record_updated_at ON {CENTER_TABLE} (updated_at)")

    # --- refreshing ----------------------------------------------------------------------------

    def _since(self, session: Session) -> datetime | None:
        row = session.connection().exec_driver_sql("SELECT value FROM mirror_state WHERE key = 'since'").first()
        return datetime.fromisoformat(row[0]) if row else None

    def refresh(self, *, force: bool = False) -> int:
        """Bring the mirror up to date (unless it was, less than FRESH_FOR seconds ago); returns
        the number of records (re)applied."""
        from center.console.models import ConsoleTransition

        with self._lock:
            if not force and time.monotonic() - self._refreshed_at < FRESH_FOR:
                return 0
            self._refreshed_at = time.monotonic()
            with self.database.session() as mirror:
                since = self._since(mirror)
                records = self._records
                query = select(records).order_by(records.c.updated_at)
                if since is not None:
                    query = query.where(records.c.updated_at > since - OVERLAP)
                with self.center.engine.connect() as connection:
                    rows = [dict(r) for r in connection.execute(query).mappings()]
                rows = [r for r in rows if r["kind"] in KINDS]
                if not rows:
                    return 0
                with self.center.session() as center:
                    uids = [str(r["uid"]) for r in rows]
                    overlays: dict[str, list] = {}
                    for t in center.scalars(select(ConsoleTransition).where(ConsoleTransition.record.in_(uids)).order_by(ConsoleTransition.id)):
                        overlays.setdefault(t.record, []).append(json.loads(t.patch))
                order = list(KINDS)
                rows.sort(key=lambda r: (order.index(r["kind"]), r["updated_at"]))
                applied = 0
                for r in rows:
                    applied += self._apply(mirror, r, overlays.get(str(r["uid"]), []))
                newest = max(r["updated_at"] for r in rows)
                mirror.connection().exec_driver_sql(
                    "INSERT INTO mirror_state (key, value) VALUES ('since', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (newest.isoformat(),),
                )
            return applied

    def _key(self, mirror: Session, kind: str, terminal: str, local_id: str) -> int | None:
        row = mirror.connection().exec_driver_sql(
            "SELECT mirror_id FROM mirror_key WHERE kind = ? AND terminal = ? AND local_id = ?", (kind, terminal, str(local_id))
        ).first()
        return row[0] if row else None

    def _apply(self, mirror: Session, r: dict, patches: list[dict]) -> int:
        kind, terminal = r["kind"], r["terminal_id"]
        model, refs = KINDS[kind]
        data = dict(r["data"] or {})
        data["terminal"] = terminal
        for patch in patches:
            data.update(patch)
        values = _convert(model, data)
        for column, target in refs.items():
            if values.get(column) is None:
                continue
            mapped = self._key(mirror, target, terminal, str(values[column]))
            if mapped is None:
                if not model.__table__.c[column].nullable:
                    log.warning("mirror: %s %s of %s refers to a %s not received yet", kind, r["local_id"], terminal, target)
                    return 0
                values[column] = None
            else:
                values[column] = mapped
        primary = [c.name for c in model.__table__.primary_key.columns]
        if primary == ["id"]:
            mirror_id = self._key(mirror, kind, terminal, r["local_id"])
            existing = mirror.get(model, mirror_id) if mirror_id is not None else None
            if r.get("deleted"):
                if existing is not None:
                    mirror.delete(existing)
                return 1
            values.pop("id", None)
            if existing is None:
                existing = model(**values)
                mirror.add(existing)
                mirror.flush()
                mirror.connection().exec_driver_sql(
                    "INSERT OR REPLACE INTO mirror_key (record, kind, terminal, local_id, mirror_id) VALUES (?, ?, ?, ?, ?)",
                    (str(r["uid"]), kind, terminal, str(r["local_id"]), existing.id),
                )
            else:
                for name, value in values.items():
                    setattr(existing, name, value)
        else:  # device_state: its own key (terminal, device)
            key = tuple(values.get(c) for c in primary)
            existing = mirror.get(model, key)
            if r.get("deleted"):
                if existing is not None:
                    mirror.delete(existing)
                return 1
            if existing is None:
                mirror.add(model(**values))
            else:
                for name, value in values.items():
                    setattr(existing, name, value)
        mirror.flush()
        return 1

    # --- transitions the center owns -----------------------------------------------------------

    def record_of(self, kind: str, mirror_id: int) -> tuple[str, str] | None:
        """(center record uid, terminal) of a mirrored row; None for a row the console made."""
        with self.database.engine.connect() as connection:
            row = connection.exec_driver_sql(
                "SELECT record, terminal FROM mirror_key WHERE kind = ? AND mirror_id = ?", (kind, mirror_id)
            ).first()
        return (row[0], row[1]) if row else None

    @contextmanager
    def transition(self, kind: str, mirror_id: int, actor: str, action: str) -> Iterator[None]:
        """Run a domain service's change of a mirrored row; keep what it changed on the center."""
        from center.console.models import ConsoleTransition

        model, _refs = KINDS[kind]
        self.refresh(force=True)
        key = self.record_of(kind, mirror_id)
        with self._lock:
            before = self._row(model, mirror_id)
            yield
            after = self._row(model, mirror_id)
            if key is None or after is None:
                return
            patch = {k: v for k, v in after.items() if before is None or before.get(k) != v}
            patch.pop("id", None)
            with self.center.session() as center:
                center.add(ConsoleTransition(record=key[0], kind=kind, terminal=key[1], action=action, actor=actor[:60],
                                             at=datetime.now().replace(microsecond=0), patch=json.dumps(patch, default=_json_default,
                                                                                                          ensure_ascii=False)))

    def _row(self, model: type, mirror_id: int) -> dict | None:
        with self.database.session() as session:
            row = session.get(model, mirror_id)
            if row is None:
                return None
            return {c.name: getattr(row, c.name) for c in model.__table__.columns}

    def dispose(self) -> None:
        self.database.dispose()


def _json_default(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"not JSON: {value!r}")
