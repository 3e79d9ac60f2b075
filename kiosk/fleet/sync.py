"""The terminal's sync with the center: push the outbox, send heartbeats, pull snapshots, follow
live help calls. ``FleetSync`` does one step at a time (tests and `kiosk center push|pull` call
it); ``FleetWorker`` is the kiosk's background thread that runs the steps on their intervals.

Nothing here runs without ``[center] url`` and an enrollment (kiosk/fleet/credential.py). The
worker never blocks the UI (its own thread) and never loses data: an event is marked sent only
after the center confirmed it, so a cut or a crash at any moment means a resend, which the
center ignores (it stores each event id once).
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from kiosk import __version__
from kiosk.config import Config, ConfigError
from kiosk.db import Database
from kiosk.fleet import outbox
from kiosk.fleet.client import CenterClient, CenterError, CenterRefused, CenterUnreachable
from kiosk.fleet.credential import Credential, load_credential
from kiosk.fleet.models import SyncState

log = logging.getLogger("kiosk.fleet")

#: snapshot kinds a terminal applies to its own tables (the others are kept as sent, see docs/fleet.md)
APPLIED_KINDS = ("catalog", "applications", "staff")
#: sent events are kept this long on the terminal, then deleted (checked at most hourly)
KEEP_SENT = timedelta(days=7)
PRUNE_EVERY_SECONDS = 3600
#: the columns of a terminal's fault the console may change (acknowledge, resolve, reassign)
FAULT_TRANSITION_COLUMNS = ("status", "active_key", "assigned_to", "assigned_role", "assigned_at", "acknowledged_by",
                            "acknowledged_at", "resolved_by", "resolved_at", "note")
_TRANSITION_EVENTS = {"acknowledge": "acknowledged", "resolve": "resolved", "reassign": "reassigned"}
#: the catalog first: applications refer to its items
PULL_ORDER = {"catalog": 0, "staff": 1, "applications": 2}


@dataclass
class PushReport:
    sent: int = 0
    duplicates: int = 0
    pending: int = 0
    batches: int = 0


@dataclass
class FleetStatus:
    """What the kiosk may show a maintainer: is the center reachable, how much is waiting."""

    enabled: bool = False
    online: bool = False
    last_contact: datetime | None = None
    last_error: str = ""
    pending: int = 0
    refused: bool = False
    snapshots: dict = field(default_factory=dict)
    #: when the sync was set up (the process's start): "no contact since" counts from here
    started_at: datetime | None = None

    def reachable(self, now: datetime, window: timedelta) -> bool:
        """Whether the center can be taken to hear this terminal now: False when the last
        attempt failed (push, pull, heartbeat or the live-call feed) or when there was no
        successful contact within ``window`` (since the start, if never)."""
        if not self.online and self.last_error:
            return False
        since = self.last_contact or self.started_at
        return since is not None and now - since <= window


def connect(config: Config, database: Database) -> FleetSync | None:
    """The sync of an enrolled terminal, with the outbox attached to ``database``; None in
    single-terminal mode (no [center] url) or before `kiosk center enroll`."""
    if not config.center.enabled:
        return None
    credential = load_credential(config.data_dir)
    if credential is None:
        log.warning("center.url is set but this terminal is not enrolled: run `kiosk center enroll`")
        return None
    outbox.attach(database)
    return FleetSync(config, database, credential)


class FleetSync:
    def __init__(self, config: Config, database: Database, credential: Credential,
                 clock: Callable[[], datetime] = datetime.now):
        self.config = config
        self.database = database
        self.credential = credential
        self.clock = clock
        self.client = CenterClient(credential.url or config.center.url, credential.token,
                                   ca_file=config.center.ca_file, timeout=config.center.timeout_seconds)
        self.status = FleetStatus(enabled=True, started_at=clock())
        self.call_version = 0
        self._pruned = float("-inf")
        #: live calls of the whole center by uid (followed through the long-poll)
        self.calls: dict[str, dict] = {}
        #: kind → a version refused in this process (not fetched again until the next start)
        self._refused: dict[str, int] = {}
        #: (kind, version, reason) of the snapshots the last pull refused
        self.refused: list[tuple[str, int, str]] = []
        #: told of every snapshot applied, in the worker's thread: ``listener(kind, version, config)``
        #: (config: the terminal's new configuration for a ``config`` snapshot, else None). The
        #: running kiosk takes the working days and the live settings from there (kiosk/services.py)
        self.on_applied: list[Callable[[str, int, Config | None], None]] = []

    # --- push -----------------------------------------------------------------------------------

    def push(self, *, max_batches: int | None = None) -> PushReport:
        """Send the outbox in order, a batch at a time, until it is empty (or ``max_batches``)."""
        report = PushReport()
        size = self.config.center.batch_size
        while max_batches is None or report.batches < max_batches:
            with self.database.session() as session:
                batch = [(e.seq, _event(e)) for e in outbox.pending(session, size)]
            if not batch:
                break
            try:
                answer = self.client.post("/api/v1/push", {"events": [e for _, e in batch]})
            except CenterError as exc:
                self._failed(exc)
                raise
            with self.database.session() as session:
                outbox.mark_sent(session, [seq for seq, _ in batch], self.clock())
            report.batches += 1
            report.sent += int(answer.get("stored", 0))
            report.duplicates += int(answer.get("duplicates", 0))
            self._contact()
            if len(batch) < size:
                break
        with self.database.session() as session:
            report.pending = self.status.pending = outbox.pending_count(session)
            if report.batches and time.monotonic() - self._pruned >= PRUNE_EVERY_SECONDS:
                outbox.prune(session, self.clock() - KEEP_SENT)
                self._pruned = time.monotonic()
        return report

    # --- heartbeat and snapshots -----------------------------------------------------------------

    def heartbeat(self) -> dict[str, int]:
        """Tell the center this terminal is alive; returns the newest snapshot versions."""
        with self.database.session() as session:
            pending = outbox.pending_count(session)
        status = {"version": __version__, "pending": pending, "snapshots": self.applied_versions(),
                  "pid": os.getpid()}
        try:
            answer = self.client.post("/api/v1/heartbeat", {"status": status})
        except CenterError as exc:
            self._failed(exc)
            raise
        self._contact()
        return {k: int(v) for k, v in (answer.get("snapshots") or {}).items()}

    def applied_versions(self) -> dict[str, int]:
        return {kind: info["version"] for kind, info in self._state("snapshots", {}).items()}

    def snapshot_info(self, kind: str) -> dict | None:
        """The applied version of ``kind`` and when it was published and applied (the kiosk says
        how old its copy is when the center cannot be reached)."""
        return self._state("snapshots", {}).get(kind)

    def pull(self, newest: dict[str, int] | None = None) -> list[tuple[str, int]]:
        """Fetch and apply every snapshot newer than this terminal's copy."""
        try:
            if newest is None:
                newest = {k: int(v) for k, v in self.client.get("/api/v1/snapshots")["versions"].items()}
            applied = []
            self.refused = []
            have = self.applied_versions()
            for kind, version in sorted(newest.items(), key=lambda kv: (PULL_ORDER.get(kv[0], 9), kv[0])):
                if version <= have.get(kind, 0) or self._refused.get(kind) == version:
                    continue
                reply = self.client.request("GET", f"/api/v1/snapshots/{kind}/{version}")
                try:
                    config = self._apply_snapshot(kind, version, reply.body, reply.headers.get("X-Snapshot-Published-At", ""))
                except (ConfigError, ValueError, TypeError, KeyError, AttributeError) as exc:
                    # a snapshot that does not fit (bad JSON, a catalog or staff file that does not
                    # validate, a configuration this terminal cannot take): refused on its own, the
                    # terminal keeps its copy of that kind, the other snapshots of this pull go on
                    self._refuse(kind, version, str(exc) or type(exc).__name__)
                    continue
                applied.append((kind, version))
                self._tell_applied(kind, version, config)
            self.pull_transitions()
        except CenterError as exc:
            self._failed(exc)
            raise
        self._contact()
        return applied

    def pull_transitions(self) -> int:
        """Apply what the center's staff did to this terminal's faults in the console
        (acknowledge, resolve, reassign), in order; returns how many changed a local fault.
        The rule (docs/fleet.md): a fault already ended here (resolved, auto-resolved) stays as
        it is; otherwise the console's change is applied over the local record."""
        from kiosk.devices.models import DeviceFault, FaultEvent

        after = int(self._state("transitions", {}).get("last", 0))
        answer = self.client.get("/api/v1/transitions", query={"after": after})
        changed = 0
        for t in answer.get("transitions") or []:
            patch = {k: v for k, v in (t.get("patch") or {}).items() if k in FAULT_TRANSITION_COLUMNS}
            try:
                local_id = int(t["local_id"])
                for key in ("acknowledged_at", "resolved_at", "assigned_at"):
                    if patch.get(key):
                        patch[key] = datetime.fromisoformat(patch[key]).replace(tzinfo=None)
            except (KeyError, TypeError, ValueError) as exc:
                log.error("中心的故障处理记录无效，已跳过 / center transition %s skipped: %s", t.get("id"), exc)
                continue
            with self.database.session() as session:
                fault = session.get(DeviceFault, local_id)
                if fault is None or fault.status in ("resolved", "auto_resolved") or not patch:
                    continue  # ended here first (or unknown here): this terminal's state stands
                for key, value in patch.items():
                    setattr(fault, key, value)
                session.add(FaultEvent(fault_id=fault.id, at=self.clock(), action=_TRANSITION_EVENTS.get(t.get("action"), "note"),
                                       actor=str(t.get("actor", ""))[:60], detail="中心控制台 / center console"))
                changed += 1
        if answer.get("transitions"):
            self._set_state("transitions", {"last": int(answer.get("last", after))})
        return changed

    def _tell_applied(self, kind: str, version: int, config: Config | None) -> None:
        for listener in list(self.on_applied):
            try:
                listener(kind, version, config)
            except Exception:  # the snapshot is applied on disk; the running process takes it at its next start
                log.exception("%s snapshot version %d applied but not taken by the running kiosk", kind, version)

    def _apply_snapshot(self, kind: str, version: int, body: bytes, published_at: str) -> Config | None:
        """Apply one snapshot; for ``config`` returns the terminal's configuration with it."""
        import json

        document = json.loads(body)
        config = None
        if kind == "catalog":
            from kiosk.catalog import exchange

            data = exchange.validate(document)
            with self.database.session() as session:
                exchange.apply(session, data, replace=True)
        elif kind == "applications":
            self._apply_applications(body)
        elif kind == "staff":
            from kiosk.fleet.snapshots import apply_staff

            with self.database.session() as session:
                apply_staff(session, document)
        elif kind == "config":  # the center's settings (kiosk/config.py): read by load_config; the running kiosk takes its live part
            from kiosk.config import check_center_layer, terminal_layer, write_center_layer

            layer = terminal_layer(document, self.config.terminal.id)
            config = check_center_layer(self.config, layer)  # over the installation's own file, as load_config will read it
            write_center_layer(self.config.data_dir, layer, note=f"{kind} version {version}, published {published_at or '?'}")
            self._set_state(f"snapshot:{kind}", document)
        elif kind == "workdays":  # the console's 工作日 table: deadlines count by it (kiosk/workdays)
            from kiosk.workdays import write_center_table

            write_center_table(self.config.data_dir, dict(document.get("days", {})))
            self._set_state(f"snapshot:{kind}", document)
        else:  # kept as sent; the features that read them take them from here (docs/fleet.md)
            self._set_state(f"snapshot:{kind}", document)
        snapshots = self._state("snapshots", {})
        snapshots[kind] = {"version": version, "published_at": published_at, "applied_at": self.clock().isoformat(timespec="seconds")}
        self._set_state("snapshots", snapshots)
        refused = self._state("refused", {})
        if refused.pop(kind, None) is not None:
            self._set_state("refused", refused)
        log.info("applied %s snapshot version %d", kind, version)
        return config

    def _refuse(self, kind: str, version: int, reason: str) -> None:
        """A snapshot this terminal will not apply: not recorded as applied (a later version is
        fetched as usual; this one again at the next start), the reason logged and kept for
        `kiosk center status`."""
        log.error("%s 数据第 %d 版未采用，本机沿用现有数据 / %s snapshot version %d not applied, this terminal keeps its own: %s",
                  kind, version, kind, version, reason)
        self._refused[kind] = version
        self.refused.append((kind, version, reason))
        refused = self._state("refused", {})
        refused[kind] = {"version": version, "reason": reason, "at": self.clock().isoformat(timespec="seconds")}
        self._set_state("refused", refused)

    def refusals(self) -> dict[str, dict]:
        """kind → the newest version refused (and why) since one was last applied."""
        return self._state("refused", {})

    def _apply_applications(self, body: bytes) -> None:
        from kiosk.privacy import PrivacyKey
        from kiosk.progress import ProgressService
        from kiosk.workdays import default_calendar

        service = ProgressService(self.database, calendar=default_calendar(data_dir=self.config.data_dir), key=PrivacyKey.load_or_create(self.config.data_dir),
                                  terminal_id=self.config.terminal.id)
        folder = Path(self.config.data_dir)
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", suffix=".json", dir=folder, delete=False) as fh:
            fh.write(body)
        try:
            service.import_file(fh.name, replace=True)
        finally:
            os.unlink(fh.name)

    # --- live help calls ------------------------------------------------------------------------

    def follow_calls(self, wait: float = 20.0) -> list[dict]:
        """One long-poll: the calls changed since the last one (any terminal's). A call of this
        terminal taken elsewhere is marked taken here too (docs/fleet.md)."""
        try:
            answer = self.client.get("/api/v1/calls", query={"after": self.call_version, "wait": wait},
                                     timeout=wait + self.config.center.timeout_seconds)
        except CenterError as exc:
            self._failed(exc)
            raise
        self._contact()
        changed = answer.get("calls") or []
        self.call_version = int(answer.get("version", self.call_version))
        for call in changed:
            self.calls[call["uid"]] = call
            if call["terminal"] == self.config.terminal.id and call["status"] == "taken":
                self._adopt_take(call)
            elif call["terminal"] == self.config.terminal.id and call["status"] == "closed":
                self._adopt_close(call)
        return changed

    def take_call(self, uid: str, helper_id: str, helper_name: str) -> dict:
        """Ask the center for a call (exactly one helper wins); raises CenterError (409) when
        someone else was first."""
        return self.client.post(f"/api/v1/calls/{uid}/take", {"helper_id": helper_id, "helper_name": helper_name})["call"]

    def _adopt_take(self, call: dict) -> None:
        from sqlalchemy import update

        from kiosk.assistance.models import HelpCall

        with self.database.session() as session:
            session.execute(update(HelpCall).where(HelpCall.id == int(call["local_id"]), HelpCall.status == "open").values(
                status="taken", taken_by=call["taken_by"], taken_by_name=call["taken_by_name"] or "", taken_at=self.clock()))

    def _adopt_close(self, call: dict) -> None:
        """A call of this terminal closed elsewhere (the console, where its ledger entry was
        made): the local call follows unless it is already ended here — closed is final."""
        from sqlalchemy import func, update

        from kiosk.assistance.models import HelpCall

        try:
            ended = datetime.fromisoformat(call["ended_at"]).replace(tzinfo=None) if call.get("ended_at") else self.clock()
        except ValueError:
            ended = self.clock()
        with self.database.session() as session:
            session.execute(update(HelpCall).where(HelpCall.id == int(call["local_id"]), HelpCall.status.in_(("open", "taken"))).values(
                status="closed", taken_by=call.get("taken_by"), taken_by_name=call.get("taken_by_name") or "",
                taken_at=func.coalesce(HelpCall.taken_at, ended), ended_at=ended, ended_by=str(call.get("taken_by") or "")[:60]))

    # --- state ----------------------------------------------------------------------------------

    def _state(self, key: str, default):
        with self.database.session() as session:
            row = session.get(SyncState, key)
            return dict(row.value) if row is not None and isinstance(row.value, dict) else default

    def _set_state(self, key: str, value: dict) -> None:
        with self.database.session() as session:
            row = session.get(SyncState, key)
            if row is None:
                session.add(SyncState(key=key, value=value, updated_at=self.clock()))
            else:
                row.value, row.updated_at = value, self.clock()

    def _contact(self) -> None:
        self.status.online, self.status.last_contact, self.status.last_error = True, self.clock(), ""
        self.status.refused = False

    def _failed(self, exc: CenterError) -> None:
        self.status.online = False
        self.status.last_error = exc.en
        self.status.refused = isinstance(exc, CenterRefused)


def _event(entry) -> dict:
    return {"id": entry.id, "seq": entry.seq, "kind": entry.kind, "record_uid": entry.record_uid, "local_id": entry.local_id,
            "op": entry.op, "made_at": entry.created_at.isoformat(), "data": entry.payload}


class FleetWorker:
    """Background threads of an enrolled kiosk: one pushes the outbox (woken at once by a new
    record, else every push_seconds) and sends heartbeats and pulls; one follows live calls.
    A center that cannot be reached is retried with backoff (up to 60 s); the kiosk goes on."""

    def __init__(self, sync: FleetSync):
        self.sync = sync
        self.config = sync.config.center
        self._stop = threading.Event()
        self._kick = threading.Event()
        self._threads: list[threading.Thread] = []
        sync.database.listen_sessions("after_commit", self._after_commit)

    def _after_commit(self, session) -> None:
        if session.info.pop(outbox.QUEUED, False):
            self._kick.set()

    def start(self) -> None:
        for name, target in (("fleet-push", self._run_push), ("fleet-calls", self._run_calls)):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._kick.set()
        for thread in self._threads:
            thread.join(timeout)

    def _run_push(self) -> None:
        backoff = 0.0
        next_beat = next_pull = 0.0
        while not self._stop.is_set():
            try:
                self.sync.push()
                now = time.monotonic()
                if now >= next_beat:
                    newest = self.sync.heartbeat()
                    next_beat = now + self.config.heartbeat_seconds
                    if now >= next_pull or any(v > self.sync.applied_versions().get(k, 0) for k, v in newest.items()):
                        self.sync.pull(newest)
                        next_pull = now + self.config.pull_seconds
                backoff = 0.0
                wait = self.config.push_seconds
            except CenterRefused as exc:
                log.error("the center refuses this terminal: %s", exc.en)
                backoff, wait = 60.0, 60.0
            except CenterUnreachable as exc:
                backoff = min(60.0, max(1.0, backoff * 2))
                log.info("center unreachable (%s); retry in %.0f s", exc.en, backoff)
                wait = backoff
            except Exception:  # a bad snapshot, a database hiccup: log and go on
                log.exception("fleet sync step failed")
                wait = 30.0
            self._kick.wait(wait)
            self._kick.clear()
            if backoff:  # after a failure, a new record does not hammer the center
                self._stop.wait(min(backoff, 1.0))

    def _run_calls(self) -> None:
        backoff = 1.0
        while not self._stop.is_set():
            try:
                self.sync.follow_calls(wait=20.0)
                backoff = 1.0
            except CenterError:
                self._stop.wait(backoff)
                backoff = min(60.0, backoff * 2)
            except Exception:
                log.exception("following live calls failed")
                self._stop.wait(30.0)


__all__ = ["APPLIED_KINDS", "FleetStatus", "FleetSync", "FleetWorker", "PushReport", "connect"]
