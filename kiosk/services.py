"""The kiosk's services as the user interface has called them so far: a thin layer over the
application object (kiosk/app.py), which assembles every feature's service once. The UI calls
``app.<feature>`` for one feature's work (each service checks its own permissions); what is left
here are the calls that combine features — a slip read from the database (``*_document``, on
the UI's database worker) then previewed or printed (``preview_document``, ``print_document``,
on its device worker), the center link of an enrolled terminal — and a few one-line calls that
tests and tools still use.

Every method here may block (database, printer); the UI calls them from worker threads through
ui/operations.py, never from the Qt event loop. Results are plain objects detached from the
database session, safe to hand to another thread.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
import threading
from typing import TYPE_CHECKING

from kiosk.app import Application
from kiosk.catalog.models import Department, ServiceItem, Topic, Window
from kiosk.catalog.search import CatalogIndex, SearchHit, catalog_generation
from kiosk.catalog.service import CenterInfo
from kiosk.clock import system_clock
from kiosk.config import Config
from kiosk.db import Database

if TYPE_CHECKING:  # pragma: no cover
    from kiosk.fleet.sync import FleetSync, FleetWorker

log = logging.getLogger(__name__)

__all__ = ["CenterInfo", "KioskServices"]


class KioskServices:
    def __init__(self, config: Config, database: Database | None = None, *, app: Application | None = None):
        self.app = app or Application(config, database)
        self.database = self.app.database
        #: the link to the center (kiosk/fleet, docs/fleet.md); None on a single terminal
        self.fleet: FleetSync | None = None
        self._fleet_worker: FleetWorker | None = None
        #: the other terminals' calls shown to a helper here: a negative id ↔ the center's call
        self._remote_call_ids: dict[int, dict] = {}
        self._remote_call_uids: dict[str, int] = {}
        #: the time the service hours are read at (kiosk/hours); tests and screenshots fix it
        self.hours_clock = system_clock
        self._times = None
        self._times_generation = None
        self._times_lock = threading.Lock()

    def start(self) -> None:
        """Bring the database up to date; called once before the UI shows. On a terminal
        enrolled with a center, every synced record is queued for it from now on."""
        self.database.upgrade()
        if self.config.center.enabled:  # a single terminal does not load the sync code at all
            from kiosk.fleet.sync import connect

            self.fleet = connect(self.config, self.database)
            if self.fleet is not None:
                self.fleet.on_applied.append(self._center_data_applied)

    def _center_data_applied(self, kind: str, version: int, config: Config | None) -> None:
        """A snapshot the sync worker just applied (its thread): the working-day table is used
        by deadlines and hours computed from now on; of a configuration, the keys of
        kiosk.config.LIVE_CENTER_SECTIONS at once and the others from the next start, which
        the log and the maintainer's 本机信息 say (docs/fleet.md)."""
        if kind == "workdays":
            self.app.reload_calendar()
            log.info("working-day table version %d in use", version)
        elif kind == "config" and config is not None:
            now, later = self.app.apply_center_config(config)
            with self._times_lock:
                self._times = None  # the service hours are read again from the new configuration
            log.info("center configuration version %d: in effect now: %s", version, ", ".join(now) or "-")
            if later:
                log.warning("中心配置第 %d 版的以下设置在本机下次启动后生效 / center configuration version %d: "
                            "these take effect at the next start: %s", version, version, ", ".join(later))

    def start_fleet(self) -> None:
        """Start the background push/pull/heartbeat threads (an enrolled terminal only; with no
        [center] url nothing runs). Called by `kiosk run` once the UI is up."""
        if self.fleet is not None and self._fleet_worker is None:
            from kiosk.fleet.sync import FleetWorker

            self._fleet_worker = FleetWorker(self.fleet)
            self._fleet_worker.start()

    def center_unreachable(self) -> bool:
        """True on a terminal of a fleet that knows the center cannot be reached now: its last
        attempt failed, or no contact within the heartbeat window (2 × heartbeat_seconds +
        timeout_seconds). A help call then reaches only the helpers signed in on this terminal,
        and the citizen is told so (ui/assistance/calling.py). False on a single terminal.
        In memory only: cheap enough for the UI thread."""
        if self.fleet is None:
            return False
        center = self.config.center
        window = timedelta(seconds=2 * center.heartbeat_seconds + center.timeout_seconds)
        return not self.fleet.status.reachable(self.fleet.clock(), window)

    def fleet_status(self):
        """The center link's state for a maintainer screen (None on a single terminal)."""
        return self.fleet.status if self.fleet is not None else None

    @property
    def config(self) -> Config:
        return self.app.config

    @config.setter
    def config(self, config: Config) -> None:
        """Tests and screenshots adjust the configuration before the services are first used."""
        self.app.config = config

    def close(self) -> None:
        if self._fleet_worker is not None:
            self._fleet_worker.stop()
            self._fleet_worker = None
        self.app.close()

    # --- catalog ------------------------------------------------------------------------------

    def center(self) -> CenterInfo:
        return self.app.catalog.center()

    def catalog_index(self) -> CatalogIndex:
        """The search index, rebuilt when an import has changed the catalog since it was built."""
        return self.app.catalog.index()

    def search(self, query: str, limit: int = 30) -> list[SearchHit]:
        return self.app.catalog.search(query, limit=limit)

    def item(self, code: str) -> ServiceItem | None:
        return self.app.catalog.item(code)

    def departments(self) -> list[Department]:
        return self.app.catalog.departments()

    def topics(self, audience: str | None = None) -> list[Topic]:
        return self.app.catalog.topics(audience)

    def items_of_department(self, code: str) -> list[ServiceItem]:
        return self.app.catalog.items_of_department(code)

    def items_of_topic(self, code: str) -> list[ServiceItem]:
        return self.app.catalog.items_of_topic(code)

    def items_for_audience(self, audience: str) -> list[ServiceItem]:
        return self.app.catalog.items_for_audience(audience)

    def self_service_items(self) -> list[ServiceItem]:
        return self.app.catalog.self_service_items()

    # --- printing -----------------------------------------------------------------------------

    @property
    def printing(self):
        """The print service for the configured printer (created on first use)."""
        return self.app.printing

    def slip_language(self, language: str) -> str:
        """The language a slip of a session in ``language`` is printed in (the printer's profile
        may not print it: then Chinese). Wrap the slip's building in kiosk.i18n.in_language."""
        return self.printing.slip_language(language)

    # A slip is read and laid out on the UI's database worker (``*_document``: the database, no
    # printer), then previewed or printed on its device worker (``preview_document``,
    # ``print_document``: the printer, no database). ui/printing.py runs the two.

    def notice_document(self, code: str, missing: list[str]):
        """The 一次性告知单 (补正材料清单 when materials are missing)."""
        item, center = self.app.catalog.item_and_center(code)
        return self.printing.notice(item, center, missing)

    def preview_document(self, document):
        """A slip as the printer will print it (an image)."""
        return self.printing.preview(document)

    def print_document(self, document):
        """Print a slip; a PrintOutcome says what happened in words for the citizen."""
        return self.printing.print_document(document)

    # --- progress -----------------------------------------------------------------------------

    @property
    def progress(self):
        """The progress query service (办件进度)."""
        return self.app.progress

    def query_progress(self, number: str, verification: str):
        """Find an application for a citizen: a QueryOutcome (found with its view, not found,
        paused after too many failures, or invalid input), never an exception for bad input."""
        outcome = self.progress.query(number, verification)
        if outcome.found and self.fleet is not None:
            note = self.progress_copy_note()
            if note:
                from dataclasses import replace

                outcome = replace(outcome, copy_note=note)
        return outcome

    def progress_copy_note(self) -> str:
        """While the center cannot be reached, a terminal answers progress queries from its last
        copy and says how old it is; "" when the center is reachable or on a single terminal."""
        if self.fleet is None or self.fleet.status.online:
            return ""
        from kiosk.i18n import tr

        info = self.fleet.snapshot_info("applications")
        if not info or not info.get("applied_at"):
            return tr("暂时连接不上中心，以下是本机保存的信息，请以窗口答复为准。")
        when = datetime.fromisoformat(info["applied_at"])
        return tr("暂时连接不上中心，以下是本机 {time} 更新的信息，请以窗口答复为准。").format(time=f"{when:%m-%d %H:%M}")

    def progress_locked_until(self):
        """When this terminal's progress queries are paused: until then (a datetime), else None."""
        return self.progress.locked_until()

    def progress_document(self, view):
        """The 办件进度查询单 of a found application."""
        from kiosk.slips.progress import build_progress_slip

        center = self.center()
        return build_progress_slip(
            view,
            center.name,
            terminal_id=self.config.terminal.id,
            printed_at=self.printing.clock(),
            center_address=center.address,
        )

    def preview_progress(self, view):
        """The 办件进度查询单 of a found application as the printer will print it."""
        return self.printing.preview(self.progress_document(view))

    def print_progress(self, view):
        """Print the 办件进度查询单; a PrintOutcome says what happened."""
        return self.printing.print_document(self.progress_document(view))

    # --- feedback and reports -------------------------------------------------------------------
    # 好差评 ratings, complaints and suggestions (kiosk/feedback), the center's reports and the
    # admin summary (kiosk/reports, docs/reports.md). The notifier is the device service's.

    @property
    def feedback(self):
        return self.app.feedback

    def rate(self, level: int, *, source: str = "", item_code: str = "", item_name: str = ""):
        """Record a rating (the level tapped); a RatingInfo, FeedbackError for bad input."""
        return self.feedback.rate(level, source=source, item_code=item_code, item_name=item_name)

    def submit_feedback(self, kind: str, subject: str, text: str, *, phone: str = "", item_code: str = "", item_name: str = ""):
        """A complaint or suggestion: a ComplaintInfo with its number; sent to the center."""
        return self.feedback.submit(kind, subject, text, phone=phone, item_code=item_code, item_name=item_name)

    def feedback_receipt_document(self, number: str):
        """The receipt of a complaint or suggestion."""
        from kiosk.slips.feedback import build_feedback_receipt

        case, center = self.feedback.get(number), self.center()
        return build_feedback_receipt(
            case, center.name, terminal_id=self.config.terminal.id, printed_at=self.printing.clock(),
            center_phone=center.phone, center_address=center.address,
        )

    def admin_summary(self, session, first, last):
        """The admin summary for the days first..last (dates); admins only, audited."""
        return self.app.reports.summary(session, first, last)

    # --- staff and devices --------------------------------------------------------------------

    @property
    def devices(self):
        """The device monitor, fault log and staff directory of this terminal (kiosk/devices)."""
        return self.app.devices

    @property
    def staff(self):
        return self.app.staff

    def start_monitor(self) -> None:
        """Poll the devices in the background and record database errors (the kiosk process)."""
        self.devices.start()

    def poll_devices(self):
        """Read every device now; the monitor's listeners hear of any change."""
        return self.devices.poll()

    def staff_sign_in(self, staff_id: str, pin: str):
        """A SignInResult; wrong input is an answer, not an exception."""
        return self.staff.sign_in(staff_id, pin)

    def terminal_faults(self, days: int = 7):
        """This terminal's open and acknowledged faults, then those of the last ``days`` days."""
        from datetime import timedelta

        faults = self.devices.faults
        active = faults.list("active")
        recent = [f for f in faults.list(since=self.devices.clock() - timedelta(days=days)) if not f.active]
        return active + recent

    def acknowledge_fault(self, fault_id: int, session):
        return self.devices.acknowledge_fault(fault_id, session)

    def resolve_fault(self, fault_id: int, session, note: str):
        return self.devices.resolve_fault(fault_id, session, note)

    def pending_handovers(self, session):
        """Handovers for the signed-in A maintainer that have something in them."""
        return [h for h in self.devices.faults.handovers(session.staff_id) if h.faults]

    def acknowledge_handover(self, absence_id: int, session) -> None:
        self.devices.faults.acknowledge_handover(absence_id, session.staff_id)

    def terminal_info(self):
        return self.devices.terminal_info()

    def leave_to_desktop(self, session) -> None:
        """Record that an admin leaves the kiosk for the desktop; refuses anyone else."""
        self.staff.leave_to_desktop(session)

    # --- ID card reader and scanner -------------------------------------------------------------
    # docs/idcard.md. A card's data stays in the memory of the screen that asked for it.

    @property
    def idcard(self):
        """The ID card reader (``available`` is False without idcard.uri)."""
        return self.app.idcard

    @property
    def scanner(self):
        """A serial code scanner (``available`` is False without scanner.uri)."""
        return self.app.scanner

    def idcard_available(self) -> bool:
        return self.idcard.available

    def read_id_card(self, cancel=None):
        """Wait for the citizen's card and read it: a CardOutcome (blocks up to idcard.wait_seconds)."""
        self.devices  # noqa: B018 - the monitor hears of the read (counters, faults)
        return self.idcard.wait_for_card(cancel)

    def idcard_test_read(self, session):
        """A maintainer's test read: (CardRead, the card masked or None)."""
        return self.devices.test_read_card(session)

    def progress_by_card(self, identity, *, as_of=None):
        """The applications of the card's holder (the card is the verification)."""
        return self.progress.query_by_id_number(identity.id_number, as_of=as_of)

    # --- helpers --------------------------------------------------------------------------------
    # Red-vest helpers (kiosk/assistance, docs/helpers.md): help calls, helper mode, proxy
    # requests, the ledger (the application shares its notifier and staff directory).

    @property
    def helpers(self):
        """The help calls, proxy requests and ledger of this terminal (kiosk/assistance)."""
        return self.app.assistance

    def raise_help_call(self, *, screen: str = "", screen_label: str = "", item_code: str = "", item_name: str = ""):
        """A citizen calls a helper: stored here first, the helpers told in the background."""
        return self.helpers.raise_call(screen=screen, screen_label=screen_label, item_code=item_code, item_name=item_name)

    # --- service hours ------------------------------------------------------------------------------
    # kiosk/hours: the center's, the windows' and the helpers' hours, read with the working-day table.

    def service_times(self):
        """The hours of this terminal's staff and of the catalog's center, departments and
        windows (rebuilt when an import changed the catalog)."""
        from kiosk.hours import ServiceTimes

        with self._times_lock:
            with self.database.session() as session:
                generation = catalog_generation(session)
                if self._times is None or self._times_generation != generation:
                    part = ServiceTimes.catalog_part(session)
                    self._times = ServiceTimes.from_config(self.config, self.app.calendar, **part)
                    self._times_generation = generation
            self._times.clock = self.hours_clock
            return self._times

    def help_answer(self):
        """Whether a helper is on duty now, and if not the hotline, the center's phone and
        when staff are back (a kiosk.hours.HelpAnswer)."""
        return self.service_times().help_answer()

    def item_now(self, item):
        """For an item's page: (one line about its window now, what can be done now)."""
        times = self.service_times()
        return times.item_line(item), times.available_now(item)

    def help_call(self, call_id: int):
        return self.helpers.call(call_id)

    # A signed-in session that is not a helper's or an admin's is refused by the service
    # (HelperError), before anything is read or written.

    def help_calls(self, session):
        """Open and taken calls of every terminal, this terminal's first. On a terminal of a
        center, the other terminals' calls follow (from the center's live calls, docs/fleet.md);
        they carry negative ids here."""
        calls = self.helpers.calls_for(session)
        return calls + self._remote_calls() if self.fleet is not None else calls

    def take_help_call(self, call_id: int, session):
        if call_id < 0 and self.fleet is not None:
            return self._take_remote_call(call_id, session)
        return self.helpers.take_call(call_id, session)

    def close_help_call(self, call_id: int, session, *, help_types, outcome: str, notes: str = ""):
        if call_id < 0:
            from kiosk.assistance import HelperError
            from kiosk.assistance.common import require_helper

            require_helper(session)
            call = self._remote_call_ids.get(call_id, {})
            where = call.get("terminal_name") or call.get("terminal") or "呼叫的终端"
            raise HelperError(f"请到 {where} 结束这个呼叫，台账记在那台终端上",
                              f"a call of another terminal is closed at that terminal ({call.get('terminal')})")
        return self.helpers.close_call(call_id, session, help_types=help_types, outcome=outcome, notes=notes)

    def _remote_calls(self) -> list:
        from kiosk.assistance import CallView

        mine = self.config.terminal.id
        ids, by_uid = self._remote_call_ids, self._remote_call_uids
        views = []
        for uid, call in sorted(self.fleet.calls.items(), key=lambda kv: kv[1]["raised_at"]):
            if call["terminal"] == mine or call["status"] not in ("open", "taken"):
                continue
            call_id = by_uid.setdefault(uid, -(len(by_uid) + 1))
            ids[call_id] = call
            raised = datetime.fromisoformat(call["raised_at"])
            taken = datetime.fromisoformat(call["taken_at"]).astimezone().replace(tzinfo=None) if call.get("taken_at") else None
            views.append(CallView(
                id=call_id, number=call["number"], day=datetime.fromisoformat(call["day"]).date(), terminal=call["terminal"],
                terminal_name=call.get("terminal_name") or call["terminal"], screen="", screen_label=call.get("screen_label", ""),
                item_code=call.get("item_code", ""), item_name=call.get("item_name", ""), status=call["status"],
                raised_at=raised, last_raised_at=raised, raise_count=1, taken_by=call.get("taken_by"),
                taken_by_name=call.get("taken_by_name") or "", taken_at=taken, ended_at=None, ended_by="",
            ))
        return views

    def _take_remote_call(self, call_id: int, session):
        """Another terminal's call: the center decides (one conditional update), this terminal
        only asks."""
        from kiosk.assistance import HelperError
        from kiosk.assistance import Helper
        from kiosk.fleet.client import CenterError

        from kiosk.assistance.common import require_helper

        require_helper(session)
        call = self._remote_call_ids.get(call_id)
        if call is None:
            raise HelperError("呼叫已更新，请刷新", f"unknown remote call {call_id}")
        helper = Helper.of(session)
        try:
            taken = self.fleet.take_call(call["uid"], helper.id, helper.name)
        except CenterError as exc:
            raise HelperError(exc.zh, exc.en) from None
        self.fleet.calls[taken["uid"]] = taken
        return next(v for v in self._remote_calls() if v.id == call_id)

    def record_help(self, session, *, help_types, outcome: str, item_code: str = "", item_name: str = "", notes: str = ""):
        return self.helpers.record_help(session, help_types=help_types, outcome=outcome, item_code=item_code,
                                        item_name=item_name, notes=notes)

    def create_proxy_request(self, session, **fields):
        if (fields.get("call_id") or 0) < 0:  # another terminal's call: the request stands on its own here
            fields["call_id"] = None
        return self.helpers.create_proxy(session, **fields)

    def ledger_day(self, session, day):
        """(the day's summary per helper, the day's entries) for helper mode's 台账 page."""
        return self.helpers.ledger_day(session, day)

    def proxy_receipt_document(self, number: str):
        """The 代办受理回执 of a proxy request."""
        from kiosk.slips.proxy import build_proxy_receipt

        view = self.helpers.proxy(number)
        center = self.center()
        return build_proxy_receipt(
            view, center.name, terminal_id=self.config.terminal.id, printed_at=self.printing.clock(),
            center_phone=center.phone, center_address=center.address,
        )

    def print_copies(self, document, *, copies: int, session, target: str):
        """打印多份 (helper mode): ``document`` (the notice of item ``target``) ``copies`` times;
        stops at the first failure, whose outcome is returned (else the last success)."""
        from kiosk.assistance import HelperError, require_helper

        require_helper(session)
        if not isinstance(copies, int) or not 1 <= copies <= 10:
            raise HelperError("份数应在1到10之间", "copies must be 1 to 10")
        outcome = None
        for _ in range(copies):
            outcome = self.print_document(document)
            if not outcome.ok:
                break
        self.staff.audit(session.staff_id, "help.print_copies", target, f"{copies} copies: {outcome}", ok=bool(outcome and outcome.ok))
        return outcome

    def all_windows(self):
        """Every window of the center with its department (全部窗口信息, helper mode), in order."""
        return self.app.catalog.all_windows()
