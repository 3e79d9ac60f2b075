"""What the center does, independent of HTTP: enrollment and credentials, storing what terminals
push (each event once), snapshots of center-owned data, live help calls (the center decides who
takes one) and heartbeats with silence detection. The API (center/api) and the `kiosk center`
commands both call this; every method opens its own transaction.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import String, cast, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from center.db import CenterDatabase
from center.models import CHANGE_SEQ, CenterFault, EnrollmentCode, Event, LiveCall, Record, Snapshot, Terminal
from kiosk.errors import KioskError
from kiosk.fleet.records import BY_KIND

log = logging.getLogger("center")

#: what may be published as a snapshot, and the exchange format each must declare
SNAPSHOT_KINDS = {
    "catalog": "kiosk-catalog/1",
    "applications": "kiosk-progress/1",
    "staff": "kiosk-staff/1",
    "workdays": "kiosk-workdays/1",
    "config": "kiosk-terminal-config/1",
}
MAX_BATCH = 1000
#: a code is typed on a terminal: no 0/O, 1/I/L
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


class CenterRefusal(KioskError):
    """A request the center refuses; ``status`` is the HTTP status the API answers with."""

    def __init__(self, zh: str, en: str, status: int = 400):
        super().__init__(zh, en)
        self.status = status


def check_config_document(document) -> None:
    """A kiosk-terminal-config/1 document the center may publish (docs/fleet.md); CenterRefusal
    names the part and the key that is not."""
    from kiosk.config import ConfigError, check_terminal_config

    try:
        check_terminal_config(document)
    except ConfigError as exc:
        where = f"{exc.source}: " if exc.source else ""
        raise CenterRefusal(f"终端配置有误，未发布：{where}{exc.key}: {exc.problem}",
                            f"terminal configuration refused, not published: {exc}", 422) from None


def utcnow() -> datetime:
    return datetime.now(UTC)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalize_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


@dataclass(frozen=True)
class TerminalInfo:
    id: str
    name: str
    enrolled_at: datetime | None
    revoked_at: datetime | None
    last_seen_at: datetime | None
    last_status: dict

    @property
    def state(self) -> str:
        if self.revoked_at:
            return "revoked"
        return "enrolled" if self.enrolled_at else "waiting"


@dataclass(frozen=True)
class PushResult:
    stored: int
    duplicates: int


def call_dict(call: LiveCall) -> dict:
    return {
        "uid": str(call.uid), "terminal": call.terminal_id, "terminal_name": call.terminal_name,
        "local_id": call.local_id, "day": call.day.isoformat(), "seq": call.seq, "number": f"{call.seq:03d}",
        "screen_label": call.screen_label, "item_code": call.item_code, "item_name": call.item_name,
        "status": call.status, "raised_at": call.raised_at.isoformat(),
        "taken_by": call.taken_by, "taken_by_name": call.taken_by_name, "taken_via": call.taken_via,
        "taken_at": call.taken_at.isoformat() if call.taken_at else None,
        "ended_at": call.ended_at.isoformat() if call.ended_at else None, "version": call.version,
    }


def _without(row: dict, key: str) -> dict:
    return {k: v for k, v in row.items() if k != key}


def _dt(text) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


class CenterService:
    def __init__(self, database: CenterDatabase, *, clock: Callable[[], datetime] = utcnow,
                 silent_after: timedelta = timedelta(seconds=90), notifier=None,
                 on_change: Callable[[], None] | None = None):
        self.database = database
        self.clock = clock
        self.silent_after = silent_after
        self.notifier = notifier
        #: called after a commit that changed live calls (the API wakes its long-polls)
        self.on_change = on_change or (lambda: None)

    # --- enrollment and credentials -------------------------------------------------------------

    def make_code(self, terminal_id: str, *, name: str = "", by: str = "",
                  valid_for: timedelta = timedelta(hours=24)) -> str:
        """A one-time enrollment code for ``terminal_id`` (an admin on the center makes it)."""
        terminal_id = (terminal_id or "").strip()
        if not terminal_id or len(terminal_id) > 40:
            raise CenterRefusal("终端编号不能为空且不超过 40 个字符", "terminal id must be 1-40 characters")
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
        now = self.clock()
        with self.database.session() as session:
            terminal = session.get(Terminal, terminal_id)
            if terminal is None:
                terminal = Terminal(id=terminal_id, name=name, created_at=now, last_status={})
                session.add(terminal)
            elif name:
                terminal.name = name
            session.flush()
            session.add(EnrollmentCode(code_hash=token_hash(code), terminal_id=terminal_id, created_at=now,
                                       created_by=by, expires_at=now + valid_for))
        log.info("enrollment code made for terminal %s by %s", terminal_id, by or "?")
        return f"{code[:4]}-{code[4:8]}-{code[8:]}"

    def enroll(self, terminal_id: str, code: str, *, name: str = "", address: str = "") -> str:
        """Exchange a one-time code for the terminal's own credential (a bearer token)."""
        now = self.clock()
        with self.database.session() as session:
            used = session.execute(
                update(EnrollmentCode)
                .where(EnrollmentCode.code_hash == token_hash(normalize_code(code)),
                       EnrollmentCode.terminal_id == terminal_id,
                       EnrollmentCode.used_at.is_(None), EnrollmentCode.expires_at > now)
                .values(used_at=now)
            ).rowcount
            if not used:
                log.warning("enrollment refused for terminal %s from %s", terminal_id, address)
                raise CenterRefusal("注册码无效、已用过或已过期，请向中心管理员重新申请",
                                    "enrollment code unknown, used, expired or for another terminal", 403)
            token = secrets.token_urlsafe(32)
            terminal = session.get(Terminal, terminal_id, with_for_update=True)
            terminal.token_hash = token_hash(token)
            terminal.enrolled_at, terminal.revoked_at, terminal.revoked_by = now, None, ""
            terminal.last_address = address[:64]
            if name and not terminal.name:
                terminal.name = name[:100]
        log.info("terminal %s enrolled from %s", terminal_id, address)
        return token

    def revoke(self, terminal_id: str, *, by: str = "") -> None:
        now = self.clock()
        with self.database.session() as session:
            terminal = session.get(Terminal, terminal_id)
            if terminal is None:
                raise CenterRefusal(f"没有终端 {terminal_id}", f"no terminal {terminal_id}", 404)
            terminal.revoked_at, terminal.revoked_by, terminal.token_hash = now, by[:60], None
            session.execute(update(EnrollmentCode).where(EnrollmentCode.terminal_id == terminal_id,
                                                         EnrollmentCode.used_at.is_(None)).values(used_at=now))
            self._resolve_fault(session, terminal_id, "terminal_silent", now)
        log.warning("terminal %s revoked by %s", terminal_id, by or "?")

    def authenticate(self, token: str) -> str:
        """The terminal id a bearer token belongs to; refused (401) for an unknown or revoked one."""
        if not token:
            raise CenterRefusal("未提供终端凭据", "no terminal credential", 401)
        with self.database.session() as session:
            terminal_id = session.scalar(select(Terminal.id).where(Terminal.token_hash == token_hash(token),
                                                                    Terminal.revoked_at.is_(None)))
        if terminal_id is None:
            raise CenterRefusal("终端凭据无效或已吊销", "unknown or revoked terminal credential", 401)
        return terminal_id

    def terminals(self) -> list[TerminalInfo]:
        with self.database.session() as session:
            return [TerminalInfo(t.id, t.name, t.enrolled_at, t.revoked_at, t.last_seen_at, dict(t.last_status or {}))
                    for t in session.scalars(select(Terminal).order_by(Terminal.id))]

    # --- push -----------------------------------------------------------------------------------

    def ingest(self, terminal_id: str, events: list[dict]) -> PushResult:
        """Store a batch of one terminal's events, each once; apply each record's newest state.
        A batch holding a record of another terminal is refused whole (403)."""
        if len(events) > MAX_BATCH:
            raise CenterRefusal(f"一次最多 {MAX_BATCH} 条", f"at most {MAX_BATCH} events per push", 413)
        rows = [self._check_event(terminal_id, e) for e in events]
        if not rows:
            return PushResult(0, 0)
        now = self.clock()
        calls_changed = False
        with self.database.session() as session:
            connection = session.connection()
            # executemany: one compiled statement whatever the batch size (psycopg pipelines it)
            stored = set(connection.execute(
                pg_insert(Event).on_conflict_do_nothing(index_elements=["id"]).returning(Event.id),
                [{**_without(r, "local_id"), "received_at": now} for r in rows],
            ).scalars())
            fresh = sorted((r for r in rows if r["id"] in stored), key=lambda r: r["seq"])
            if fresh:
                uids = list({r["record_uid"] for r in fresh})
                foreign = session.scalar(select(func.count()).select_from(Record).where(
                    Record.uid.in_(uids), Record.terminal_id != terminal_id))
                if foreign:
                    raise CenterRefusal("不能修改其他终端的记录", f"terminal {terminal_id} may not write another terminal's records", 403)
                newest: dict[uuid.UUID, dict] = {}
                for r in fresh:
                    newest[r["record_uid"]] = r
                statement = pg_insert(Record)
                connection.execute(statement.on_conflict_do_update(
                    index_elements=["uid"],
                    set_={"seq": statement.excluded.seq, "deleted": statement.excluded.deleted,
                          "data": statement.excluded.data, "updated_at": statement.excluded.updated_at},
                    where=(Record.seq < statement.excluded.seq) & (Record.terminal_id == statement.excluded.terminal_id),
                ), [{
                    "uid": r["record_uid"], "terminal_id": terminal_id, "kind": r["kind"], "local_id": r["local_id"],
                    "seq": r["seq"], "deleted": r["op"] == "delete", "data": r["data"], "received_at": now, "updated_at": now,
                } for r in newest.values()])
                calls = [r for r in newest.values() if r["kind"] == "help_call" and r["op"] == "upsert"]
                if calls:
                    calls_changed = self._apply_calls(session, terminal_id, calls, now)
        if calls_changed:
            self.on_change()
        return PushResult(len(stored), len(rows) - len(stored))

    def _check_event(self, terminal_id: str, e: dict) -> dict:
        try:
            row = {
                "id": uuid.UUID(str(e["id"])), "terminal_id": terminal_id, "seq": int(e["seq"]), "kind": str(e["kind"]),
                "record_uid": uuid.UUID(str(e["record_uid"])), "local_id": str(e["local_id"])[:120],
                "op": str(e.get("op", "upsert")), "made_at": datetime.fromisoformat(str(e["made_at"])).replace(tzinfo=None),
                "data": e.get("data") or {},
            }
        except (KeyError, TypeError, ValueError) as exc:
            raise CenterRefusal("记录格式错误", f"malformed event: {exc!r}", 422) from None
        if row["kind"] not in BY_KIND or row["op"] not in ("upsert", "delete") or not isinstance(row["data"], dict):
            raise CenterRefusal("记录类型未知", f"unknown kind or op: {row['kind']}/{row['op']}", 422)
        owner = row["data"].get("terminal")
        if owner is not None and owner != terminal_id:
            log.warning("terminal %s tried to write a %s in the name of %s", terminal_id, row["kind"], owner)
            raise CenterRefusal("终端只能以自己的名义写入记录", f"terminal {terminal_id} may not write records of {owner}", 403)
        return row

    # --- live help calls ------------------------------------------------------------------------

    def _apply_calls(self, session, terminal_id: str, events: list[dict], now: datetime) -> bool:
        """The raising terminal's view of its calls meets the center's (the newest state of each
        call in the batch; rows locked in one query). Transitions and who owns them
        (docs/fleet.md): raising, cancelling and expiring belong to the raising terminal and apply
        only while the call is open here; taking is decided here (first conditional update wins;
        a take made on the terminal while offline counts if the call is still open); closing
        belongs to the helper who took it and applies to an open or taken call."""
        calls = {c.uid: c for c in session.scalars(
            select(LiveCall).where(LiveCall.uid.in_([r["record_uid"] for r in events])).with_for_update())}
        changed: list[LiveCall] = []
        for r in events:
            d = r["data"]
            status = d.get("status", "open")
            call = calls.get(r["record_uid"])
            if call is None:
                call = LiveCall(
                    uid=r["record_uid"], terminal_id=terminal_id, local_id=r["local_id"],
                    day=date.fromisoformat(d["day"]), seq=int(d.get("seq", 0)), terminal_name=d.get("terminal_name", ""),
                    screen_label=d.get("screen_label", ""), item_code=d.get("item_code", ""), item_name=d.get("item_name", ""),
                    status=status, raised_at=_dt(d["raised_at"]), taken_by=d.get("taken_by"),
                    taken_by_name=d.get("taken_by_name", ""), taken_via=terminal_id if d.get("taken_by") else "",
                    taken_at=now if d.get("taken_by") else None, ended_at=_dt(d.get("ended_at")), updated_at=now,
                )
                session.add(call)
                changed.append(call)
                continue
            moved = False
            if call.status == "open" and status in ("taken", "closed", "cancelled", "expired"):
                call.status, moved = status, True
                if d.get("taken_by"):
                    call.taken_by, call.taken_by_name, call.taken_via, call.taken_at = d["taken_by"], d.get("taken_by_name", ""), terminal_id, now
            elif call.status == "taken" and status == "closed":
                call.status, moved = "closed", True
            if moved:
                if status in ("closed", "cancelled", "expired"):
                    call.ended_at = _dt(d.get("ended_at"))
                call.updated_at = now
                changed.append(call)
        if changed:
            with session.no_autoflush:  # the new rows get their versions first
                versions = session.scalars(select(CHANGE_SEQ.next_value()).select_from(func.generate_series(1, len(changed)))).all()
            for call, version in zip(changed, sorted(versions)):
                call.version = version
        return bool(changed)

    def transitions_for(self, terminal: str, after: int, *, limit: int = 500) -> list[dict]:
        """The console's transitions of ``terminal``'s faults after id ``after`` (docs/fleet.md):
        each with the fault's local id on that terminal and the changed columns."""
        from sqlalchemy import inspect as sa_inspect

        from center.console.models import ConsoleTransition

        if not sa_inspect(self.database.engine).has_table(ConsoleTransition.__tablename__):
            return []  # no console on this center: nothing was changed here
        with self.database.session() as session:
            rows = session.execute(
                select(ConsoleTransition, Record.local_id)
                .join(Record, cast(Record.uid, String) == ConsoleTransition.record)
                .where(ConsoleTransition.terminal == terminal, ConsoleTransition.kind == "fault", ConsoleTransition.id > after)
                .order_by(ConsoleTransition.id).limit(limit)).all()
            return [{"id": t.id, "kind": t.kind, "local_id": local_id, "action": t.action, "actor": t.actor,
                     "at": t.at.isoformat(), "patch": json.loads(t.patch)} for t, local_id in rows]

    def calls_since(self, after: int, *, limit: int = 500) -> tuple[list[dict], int]:
        """Calls changed after ``after`` (a version), oldest change first, and the newest version."""
        with self.database.session() as session:
            calls = [call_dict(c) for c in session.scalars(
                select(LiveCall).where(LiveCall.version > after).order_by(LiveCall.version).limit(limit))]
            newest = session.scalar(select(func.max(LiveCall.version))) or 0
        return calls, max([after, newest] if not calls else [calls[-1]["version"]])

    def active_calls(self) -> list[dict]:
        with self.database.session() as session:
            return [call_dict(c) for c in session.scalars(
                select(LiveCall).where(LiveCall.status.in_(("open", "taken"))).order_by(LiveCall.raised_at))]

    def take_call(self, uid: str, helper_id: str, helper_name: str, *, via: str) -> dict:
        """A helper takes a call: exactly one take wins (a conditional update on status open)."""
        try:
            key = uuid.UUID(str(uid))
        except ValueError:
            raise CenterRefusal("呼叫编号无效", f"bad call id {uid!r}", 404) from None
        if not helper_id:
            raise CenterRefusal("缺少帮办人员", "helper_id is required", 422)
        now = self.clock()
        with self.database.session() as session:
            won = session.execute(
                update(LiveCall).where(LiveCall.uid == key, LiveCall.status == "open")
                .values(status="taken", taken_by=helper_id[:20], taken_by_name=(helper_name or "")[:100], taken_via=via[:60],
                        taken_at=now, version=CHANGE_SEQ.next_value(), updated_at=now)
            ).rowcount
            call = session.get(LiveCall, key)
            if call is None:
                raise CenterRefusal("没有这个呼叫", f"no call {uid}", 404)
            result = call_dict(call)
        if not won:
            who = f"已由 {call.taken_by_name or call.taken_by} 接单" if call.status == "taken" else f"状态为 {call.status}"
            raise CenterRefusal(f"呼叫 {result['number']} {who}", f"call {uid} is {call.status} (taken by {call.taken_by})", 409)
        self.on_change()
        log.info("call %s of %s taken by %s via %s", result["number"], result["terminal"], helper_id, via)
        return result

    # --- snapshots ------------------------------------------------------------------------------

    def publish(self, kind: str, document: str, *, by: str = "", note: str = "") -> int:
        """Publish a new version of center-owned data; terminals fetch it on their next pull."""
        if kind not in SNAPSHOT_KINDS:
            raise CenterRefusal(f"未知的数据类型 {kind}", f"unknown snapshot kind {kind!r} (one of {', '.join(SNAPSHOT_KINDS)})", 422)
        try:
            parsed = json.loads(document)
        except ValueError as exc:
            raise CenterRefusal("文件不是有效的 JSON", f"not JSON: {exc}", 422) from None
        declared = parsed.get("format") if isinstance(parsed, dict) else None
        if declared != SNAPSHOT_KINDS[kind]:
            raise CenterRefusal(f"文件格式应为 {SNAPSHOT_KINDS[kind]}", f"format must be {SNAPSHOT_KINDS[kind]}, not {declared!r}", 422)
        if kind == "config":  # only what the center may set, each value as a terminal would check it
            check_config_document(parsed)
        now = self.clock()
        with self.database.session() as session:
            session.execute(select(func.pg_advisory_xact_lock(int(hashlib.sha256(kind.encode()).hexdigest()[:7], 16))))
            version = (session.scalar(select(func.max(Snapshot.version)).where(Snapshot.kind == kind)) or 0) + 1
            session.add(Snapshot(kind=kind, version=version, published_at=now, published_by=by[:60],
                                 sha256=hashlib.sha256(document.encode()).hexdigest(), document=document, note=note))
        log.info("published %s version %d by %s", kind, version, by or "?")
        return version

    def snapshot_versions(self) -> dict[str, int]:
        with self.database.session() as session:
            return dict(session.execute(select(Snapshot.kind, func.max(Snapshot.version)).group_by(Snapshot.kind)).all())

    def snapshot(self, kind: str, version: int | None = None) -> Snapshot:
        with self.database.session() as session:
            query = select(Snapshot).where(Snapshot.kind == kind)
            query = query.where(Snapshot.version == version) if version else query.order_by(Snapshot.version.desc()).limit(1)
            found = session.scalar(query)
        if found is None:
            raise CenterRefusal(f"没有 {kind} 的版本 {version or ''}", f"no {kind} snapshot {version or ''}", 404)
        return found

    # --- heartbeats and silence -----------------------------------------------------------------

    def heartbeat(self, terminal_id: str, status: dict, address: str = "") -> None:
        now = self.clock()
        with self.database.session() as session:
            terminal = session.get(Terminal, terminal_id)
            terminal.last_seen_at, terminal.last_status, terminal.last_address = now, dict(status or {}), address[:64]
            if self._resolve_fault(session, terminal_id, "terminal_silent", now):
                self._notify("fault_recovered", f"【恢复】终端 {terminal_id} 重新连上中心", [f"{terminal.name}".strip()], terminal_id)

    def check_silent(self) -> list[str]:
        """Open a fault for each enrolled terminal silent longer than ``silent_after``; returns
        the terminals newly found silent."""
        now = self.clock()
        found = []
        with self.database.session() as session:
            silent = session.scalars(select(Terminal).where(
                Terminal.enrolled_at.is_not(None), Terminal.revoked_at.is_(None),
                func.coalesce(Terminal.last_seen_at, Terminal.enrolled_at) < now - self.silent_after)).all()
            for terminal in silent:
                key = f"{terminal.id}|terminal_silent"
                opened = session.execute(pg_insert(CenterFault).values(
                    terminal_id=terminal.id, kind="terminal_silent", status="open", active_key=key,
                    message=f"终端 {terminal.id} 超过 {int(self.silent_after.total_seconds())} 秒没有心跳",
                    opened_at=now, notified_at=now,
                ).on_conflict_do_nothing(index_elements=["active_key"]).returning(CenterFault.id)).scalar()
                if opened:
                    found.append((terminal.id, terminal.name, terminal.last_seen_at))
        for terminal_id, name, last_seen in found:
            when = last_seen.astimezone().strftime("%m-%d %H:%M:%S") if last_seen else "从未"
            log.warning("terminal %s silent since %s: fault opened", terminal_id, last_seen)
            posts = self._maintainers(terminal_id)
            lines = [name, f"最后心跳：{when}", "请检查终端电源和网络。"]
            if posts:
                lines.append("维护人员：" + "，".join(f"{role}岗 {who}" for role, who in posts))
            self._notify("fault_opened", f"【故障】终端 {terminal_id} 失去联系", lines, terminal_id,
                         recipients=tuple(who for _role, who in posts))
        return [f[0] for f in found]

    def _maintainers(self, terminal_id: str) -> list[tuple[str, str]]:
        """The terminal's A and B maintainers, from the staff directory the console keeps in the
        center's database (kiosk's terminal_assignment and staff tables), if it is there."""
        from sqlalchemy import inspect, text

        try:
            if not inspect(self.database.engine).has_table("terminal_assignment"):
                return []
            with self.database.engine.connect() as connection:
                row = connection.execute(text(
                    "SELECT a.name, b.name FROM terminal_assignment t LEFT JOIN staff a ON a.id = t.a_staff_id "
                    "LEFT JOIN staff b ON b.id = t.b_staff_id WHERE t.terminal = :t"), {"t": terminal_id}).first()
        except Exception:  # the directory is optional; the fault is raised anyway
            log.debug("no maintainers for %s", terminal_id, exc_info=True)
            return []
        return [(role, who) for role, who in zip(("A", "B"), row or ()) if who]

    def open_faults(self) -> list[CenterFault]:
        with self.database.session() as session:
            return list(session.scalars(select(CenterFault).where(CenterFault.status == "open").order_by(CenterFault.opened_at)))

    def _resolve_fault(self, session, terminal_id: str, kind: str, now: datetime) -> bool:
        return bool(session.execute(update(CenterFault).where(CenterFault.active_key == f"{terminal_id}|{kind}")
                                    .values(status="resolved", resolved_at=now, active_key=None)).rowcount)

    def _notify(self, event: str, title: str, lines: list[str], terminal_id: str, recipients: tuple[str, ...] = ()) -> None:
        if self.notifier is None:
            return
        from kiosk.notify.base import Notification

        try:
            self.notifier.send(Notification(event, title, tuple(line for line in lines if line), terminal=terminal_id,
                                            recipients=recipients))
        except Exception:  # a notifier must never stop the center
            log.exception("notification failed")


__all__ = ["CenterRefusal", "CenterService", "PushResult", "SNAPSHOT_KINDS", "TerminalInfo", "call_dict", "token_hash"]
