"""The outbox: every change of a synced record is written to ``sync_outbox`` in the same
transaction as the change, so a record is never made without its event nor an event without
its record. A background worker (kiosk/fleet/worker.py) pushes the events in order.

Installed only on an enrolled terminal (``attach``): in single-terminal mode no listener runs
and the outbox stays empty. Two kinds of writes are caught:

- ORM flushes (``after_flush``): new, changed and deleted objects of a synced table;
- bulk ``update()``/``delete()`` statements run through a Session (``do_orm_execute``), as the
  helpers' and faults' conditional updates are: the keys matching the statement's WHERE are
  read first, and if the statement changed anything their new state is queued (a key that did
  not change gets one harmless extra event: the center stores states, not deltas).

An event holds the record's state after the change (columns as in kiosk/fleet/records.py), read
back from the database on the same connection, so defaults and server values are included.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Table, and_, insert, select, tuple_, update
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from kiosk.db.models import metadata
from kiosk.fleet.ids import new_id
from kiosk.fleet.models import OutboxEntry, RecordIdentity
from kiosk.fleet.records import BY_TABLE, RecordKind, payload

log = logging.getLogger("kiosk.fleet.outbox")

#: Session.info key: this transaction queued events (the worker is woken after the commit)
QUEUED = "fleet_queued"
_OUTBOX = OutboxEntry.__table__
_IDENTITY = RecordIdentity.__table__


def local_key(values: Iterable) -> str:
    return "|".join(str(v) for v in values)


def _pk_columns(table: Table):
    return list(table.primary_key.columns)


def enqueue(connection: Connection, table: Table, keys: list[tuple], op: str = "upsert",
            now: datetime | None = None) -> int:
    """Queue the current state of the rows of ``table`` with primary keys ``keys``."""
    kind = BY_TABLE.get(table.name)
    if kind is None or not keys:
        return 0
    now = now or datetime.now()
    pk = _pk_columns(table)
    keys = list(dict.fromkeys(tuple(k) for k in keys))
    rows: dict[str, dict] = {}
    if op == "upsert":
        for start in range(0, len(keys), 400):
            chunk = keys[start:start + 400]
            where = pk[0].in_([k[0] for k in chunk]) if len(pk) == 1 else tuple_(*pk).in_(chunk)
            for row in connection.execute(select(table).where(where)).mappings():
                rows[local_key(row[c.name] for c in pk)] = dict(row)
    local_ids = [local_key(k) for k in keys]
    uids = _identities(connection, table.name, local_ids)
    entries = []
    for local_id in local_ids:
        if op == "upsert" and local_id not in rows:
            continue  # gone meanwhile (deleted in this transaction)
        entries.append({
            "id": new_id(), "kind": kind.kind, "record_uid": uids[local_id], "local_id": local_id, "op": op,
            "payload": payload(kind, rows[local_id]) if op == "upsert" else {}, "created_at": now, "sent_at": None,
        })
    if entries:
        connection.execute(insert(_OUTBOX), entries)
    return len(entries)


def _identities(connection: Connection, table_name: str, local_ids: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for start in range(0, len(local_ids), 400):
        chunk = local_ids[start:start + 400]
        found.update(connection.execute(
            select(_IDENTITY.c.local_id, _IDENTITY.c.uid).where(
                and_(_IDENTITY.c.table_name == table_name, _IDENTITY.c.local_id.in_(chunk)))
        ).all())
    missing = [{"table_name": table_name, "local_id": i, "uid": new_id()} for i in local_ids if i not in found]
    if missing:
        connection.execute(insert(_IDENTITY), missing)
        found.update((m["local_id"], m["uid"]) for m in missing)
    return found


def _changed(obj, kind: RecordKind) -> bool:
    state = sa_inspect(obj)
    for attr in state.mapper.column_attrs:
        if attr.key in kind.quiet:
            continue
        if state.attrs[attr.key].history.has_changes():
            return True
    return False


def _after_flush(session: Session, _context) -> None:
    todo: dict[tuple[Table, str], list[tuple]] = {}
    for objects, op in ((session.new, "upsert"), (session.dirty, "upsert"), (session.deleted, "delete")):
        for obj in objects:
            mapper = sa_inspect(obj).mapper
            table = mapper.local_table
            kind = BY_TABLE.get(table.name)
            if kind is None:
                continue
            if objects is session.dirty and not _changed(obj, kind):
                continue
            key = mapper.primary_key_from_instance(obj)
            if any(v is None for v in key):
                continue
            todo.setdefault((table, op), []).append(tuple(key))
    if todo:
        connection = session.connection()
        for (table, op), keys in todo.items():
            if enqueue(connection, table, keys, op):
                session.info[QUEUED] = True


def _on_orm_execute(state) -> object | None:
    if not (state.is_update or state.is_delete):
        return None
    table = getattr(state.statement, "table", None)
    if not isinstance(table, Table) or table.name not in BY_TABLE:
        return None
    connection = state.session.connection()
    query = select(*_pk_columns(table))
    if state.statement.whereclause is not None:
        query = query.where(state.statement.whereclause)
    keys = [tuple(row) for row in connection.execute(query, state.parameters or {})]
    result = state.invoke_statement()
    if keys and (result.rowcount is None or result.rowcount):
        if enqueue(connection, table, keys, "delete" if state.is_delete else "upsert"):
            state.session.info[QUEUED] = True
    return result


def attach(database) -> None:
    """Queue every synced change made through this database's sessions (an enrolled terminal)."""
    if getattr(database, "_fleet_outbox", False):
        return
    database.listen_sessions("after_flush", _after_flush)
    database.listen_sessions("do_orm_execute", _on_orm_execute)
    database._fleet_outbox = True


def backfill(session: Session) -> int:
    """Queue the records made before the terminal was enrolled (those without a global id yet)."""
    connection = session.connection()
    count = 0
    for table_name in BY_TABLE:
        table = metadata.tables[table_name]
        pk = _pk_columns(table)
        known = set(connection.execute(select(_IDENTITY.c.local_id).where(_IDENTITY.c.table_name == table_name)).scalars())
        keys = [tuple(row) for row in connection.execute(select(*pk).order_by(*pk))]
        keys = [k for k in keys if local_key(k) not in known]
        count += enqueue(connection, table, keys)
    return count


def pending(session: Session, limit: int) -> list[OutboxEntry]:
    return list(session.scalars(select(OutboxEntry).where(OutboxEntry.sent_at.is_(None)).order_by(OutboxEntry.seq).limit(limit)))


def pending_count(session: Session) -> int:
    from sqlalchemy import func

    return session.scalar(select(func.count()).select_from(OutboxEntry).where(OutboxEntry.sent_at.is_(None))) or 0


def prune(session: Session, before: datetime) -> int:
    """Delete events the center confirmed before ``before`` (kept a while for a maintainer's
    questions; the seq of a deleted row is never reused: AUTOINCREMENT)."""
    from sqlalchemy import delete

    return session.execute(delete(OutboxEntry).where(OutboxEntry.sent_at.is_not(None), OutboxEntry.sent_at < before)).rowcount


def mark_sent(session: Session, seqs: list[int], now: datetime) -> None:
    for start in range(0, len(seqs), 400):
        session.execute(update(OutboxEntry).where(OutboxEntry.seq.in_(seqs[start:start + 400])).values(sent_at=now))


__all__ = ["attach", "backfill", "enqueue", "local_key", "mark_sent", "pending", "pending_count", "prune"]
