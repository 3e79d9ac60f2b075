"""The application object: every feature's service, assembled once from the configuration.

    app = Application(config)                 # nothing is built yet but the database handle
    app.catalog.search("营业执照")             # each service is made on first use, then kept
    app.devices.staff is app.staff             # one staff directory, one notifier for everyone
    app.close()

The kiosk (ui/, through the façade in kiosk/services.py while it moves over) and the command line
(cli/context.py) both build one; nothing else constructs a feature's service. Services that are
costly or touch the disk or a device (printer, privacy key, calendar, device monitor) are built
lazily, under one lock, so worker threads may ask for them concurrently. Every method of a service
may block (database, printer): the UI calls them off the Qt event loop (ui/operations.py).

What is wired here and nowhere else:

- ``notify``: the notifier (log, plus the group robot with notify.webhook_url), shared by the
  device faults, the help calls and proxy requests, and the ratings/complaints;
- ``staff``: the staff directory, shared by the device service, assistance and reports (audit);
- ``printing``: the configured printer, which the device monitor polls through the same service.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from kiosk.clock import Clock, system_clock
from kiosk.config import Config
from kiosk.db import Database

if TYPE_CHECKING:  # pragma: no cover
    from kiosk.assistance import HelperService
    from kiosk.catalog.service import CatalogService
    from kiosk.devices import DeviceService
    from kiosk.feedback import FeedbackService
    from kiosk.idcard import IdCardService, ScannerService
    from kiosk.notify import Notifier
    from kiosk.printing import PrintService
    from kiosk.progress import ProgressService
    from kiosk.reports.service import ReportService
    from kiosk.staff import StaffService
    from kiosk.workdays import WorkCalendar

T = TypeVar("T")


class _Lazy(Generic[T]):
    """A service built on first use and kept (under the application's lock: worker threads may
    ask at the same time)."""

    def __init__(self, build: Callable[[Application], T]):
        self.build = build
        self.name = build.__name__
        self.__doc__ = build.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, app: None, owner: type) -> _Lazy[T]: ...

    @overload
    def __get__(self, app: Application, owner: type) -> T: ...

    def __get__(self, app: Application | None, owner: type) -> _Lazy[T] | T:
        if app is None:
            return self
        built = app._built
        if self.name not in built:
            with app._lock:
                if self.name not in built:
                    built[self.name] = self.build(app)
        value: T = built[self.name]
        return value


def lazy(build: Callable[[Application], T]) -> _Lazy[T]:
    return _Lazy(build)


class Application:
    """The kiosk's services for one process. ``role`` names the process in the device monitor's
    reports ("kiosk" for the terminal's UI, "cli" for a command)."""

    def __init__(
        self,
        config: Config,
        database: Database | None = None,
        *,
        clock: Clock = system_clock,
        role: str = "kiosk",
        notifier: Notifier | None = None,
    ):
        self.config = config
        self.database = database or Database(config.effective_database_url)
        #: the wall clock of staff, devices, assistance and feedback (tests pass a ManualClock);
        #: progress and printing keep their own (China time; the slip's print time)
        self.clock = clock
        self.role = role
        #: the center's settings pulled while running that take effect at the next start
        self.restart_pending: tuple[str, ...] = ()
        self._notifier = notifier
        self._lock = threading.RLock()
        self._built: dict[str, Any] = {}
        self._closed = False

    # --- the features -------------------------------------------------------------------------

    @lazy
    def notify(self) -> Notifier:
        """Where notifications go: the log, and the group robot when notify.webhook_url is set."""
        if self._notifier is not None:
            return self._notifier
        from kiosk.notify import build_notifier

        return build_notifier(self.config)

    @lazy
    def catalog(self) -> CatalogService:
        """The center, its items, departments, topics and windows, and the search index."""
        from kiosk.catalog.service import CatalogService

        return CatalogService(self.database)

    @lazy
    def printing(self) -> PrintService:
        """The configured receipt printer (UnknownProfileError, PrinterUriError when the
        configuration names no usable one)."""
        from kiosk.printing import PrintService

        return PrintService.from_config(self.config)

    @lazy
    def progress(self) -> ProgressService:
        """Progress queries (办件进度): the working-day calendar, the installation's privacy key,
        this terminal's failure limit. CalendarFileError, PrivacyKeyError when those are unusable."""
        from kiosk.privacy import PrivacyKey
        from kiosk.progress import ProgressService

        return ProgressService(
            self.database,
            calendar=self.calendar,
            key=PrivacyKey.load_or_create(self.config.data_dir),
            terminal_id=self.config.terminal.id,
        )

    @lazy
    def calendar(self) -> WorkCalendar:
        """The working-day calendar of progress deadlines and the service hours: the library, the
        installation's override file and the center's table (kiosk.workdays.default_calendar).
        One for the process; ``reload_calendar`` after the center's table was pulled."""
        from kiosk.workdays import default_calendar

        return default_calendar(data_dir=self.config.data_dir)

    def reload_calendar(self) -> None:
        """The center's working-day table changed on disk (a pull): deadlines and hours computed
        from now on use it (CalendarFileError: the calendar stays as it was)."""
        if self.built("calendar"):
            from kiosk.workdays import default_override_paths

            self.calendar.reload(default_override_paths(data_dir=self.config.data_dir))

    def apply_center_config(self, new: Config) -> tuple[list[str], list[str]]:
        """A running kiosk takes the center's configuration it just pulled (kiosk.fleet): the keys
        of kiosk.config.LIVE_CENTER_SECTIONS at once (the services that keep such a section get
        the new one), the others at the next start. Returns (changed keys now in effect, changed
        keys waiting for the next start); the latter is also kept in ``restart_pending`` and
        shown by the maintainer's 本机信息 (DeviceService.terminal_info)."""
        from dataclasses import replace

        from kiosk.config import LIVE_CENTER_SECTIONS, changed_center_keys

        def live(key: str) -> bool:
            return key.split(".", 1)[0] in LIVE_CENTER_SECTIONS

        with self._lock:
            old = self.config
            changed = changed_center_keys(old, new)
            now, later = [k for k in changed if live(k)], [k for k in changed if not live(k)]
            # marked ◆ on the maintainer screen: the center's keys that are in effect
            marked = frozenset(k for k in new.center_keys if live(k)) | frozenset(k for k in old.center_keys if not live(k))
            config = replace(old, center_keys=marked, **{section: getattr(new, section) for section in LIVE_CENTER_SECTIONS})
            self.config = config
            self.restart_pending = tuple(later)
            built = self._built
            if "staff" in built:
                built["staff"].config = config.staff
            if "assistance" in built:
                built["assistance"].config = config.helpers
            if "devices" in built:
                built["devices"].config = config
                built["devices"].faults.config = config.faults
        return now, later

    @lazy
    def staff(self) -> StaffService:
        """Staff, PIN sign-in, absences, A/B posts and the audit log."""
        from kiosk.staff import StaffService

        return StaffService(self.database, terminal=self.config.terminal.id, config=self.config.staff, clock=self.clock)

    @lazy
    def devices(self) -> DeviceService:
        """The device monitor and fault log of this terminal; it polls the printer, the ID card
        reader and the scanner through their services (each built when first polled)."""
        from kiosk.devices import DeviceService

        return DeviceService(
            self.config,
            self.database,
            printing=lambda: self.printing,
            idcard=lambda: self.idcard,
            scanner=lambda: self.scanner,
            staff=self.staff,
            notifier=self.notify,
            clock=self.clock,
            role=self.role,
            restart_pending=lambda: self.restart_pending,
        )

    @lazy
    def assistance(self) -> HelperService:
        """The red-vest helpers (帮办代办): help calls, proxy requests, the ledger."""
        from kiosk.assistance import HelperService
        from kiosk.privacy import PrivacyKey

        config = self.config
        return HelperService(
            self.database,
            terminal=config.terminal.id,
            terminal_name=config.terminal.name,
            config=config.helpers,
            notifier=self.notify,
            staff=self.staff,
            key=lambda: PrivacyKey.load_or_create(config.data_dir),
            clock=self.clock,
        )

    @lazy
    def feedback(self) -> FeedbackService:
        """好差评 ratings, complaints and suggestions; the center is told through ``notify``."""
        from kiosk.feedback import FeedbackService

        terminal = self.config.terminal
        return FeedbackService(self.database, terminal=terminal.id, terminal_name=terminal.name, notifier=self.notify, clock=self.clock)

    @lazy
    def reports(self) -> ReportService:
        """The center's reports and the admin summary."""
        from kiosk.reports.service import ReportService

        return ReportService(self.database, staff=self.staff)

    @lazy
    def idcard(self) -> IdCardService:
        """The ID card reader (``available`` is False without idcard.uri)."""
        from kiosk.idcard import IdCardService

        return IdCardService(self.config.idcard)

    @lazy
    def scanner(self) -> ScannerService:
        """A serial code scanner (``available`` is False without scanner.uri)."""
        from kiosk.idcard import ScannerService

        return ScannerService(self.config.scanner)

    # --- life -----------------------------------------------------------------------------------

    def built(self, name: str) -> bool:
        """Whether the service ``name`` has been made (closing never builds one)."""
        return name in self._built

    def close(self, timeout: float = 2.0) -> None:
        """Stop what runs (the device monitor), give pending notifications ``timeout`` seconds,
        release the devices and the database. Closing twice does nothing the second time."""
        if self._closed:
            return
        self._closed = True
        built = self._built
        if "devices" in built:
            built["devices"].close(timeout)  # closes the shared notifier too
        elif "notify" in built:
            built["notify"].close(timeout)
        for name in ("idcard", "scanner", "printing"):
            if name in built:
                built[name].close()
        self.database.dispose()
