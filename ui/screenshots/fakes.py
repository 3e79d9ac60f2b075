"""Sample services for screenshots: the terminal's real services (the catalog, progress
queries, printing previews…), except where a screenshot would sign someone in or out, record
something, or need people and cases that do not exist. There they answer with the sample data
of ui/screenshots/{staff,assistance,feedback}.py and write nothing.

The screens cannot tell: they ask the services as always (no screen has a demo mode). `kiosk
screenshot` and `make screenshots` build the window on these (``make_shell``); tests that render
screenshots do the same.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from types import SimpleNamespace

from kiosk.assistance import RaiseResult

#: how long the sample help call has waited when the citizen sees it (helper-called)
CALL_WAITED = timedelta(seconds=75)


class _Wrapped:
    """A real service; the subclass answers some of its calls itself."""

    def __init__(self, real):
        self._real = real

    def __getattr__(self, name):
        return getattr(self._real, name)


class _SampleStaff(_Wrapped):
    """Nobody real signs out; the maintainer's fault cards name the sample people."""

    def sign_out(self, session, reason: str = "button") -> None:
        return None

    def list_staff(self, *, include_inactive: bool = True):
        from ui.screenshots.staff import DEMO_NAMES

        return [SimpleNamespace(id=staff_id, name=name) for staff_id, name in DEMO_NAMES.items()]


class _SampleDevices(_Wrapped):
    def overview(self):
        from ui.screenshots.staff import demo_devices

        return demo_devices()


class _SampleReports(_Wrapped):
    def summary(self, session, first, last):
        from ui.screenshots.feedback import demo_summary

        return demo_summary()


class _SampleFeedback(_Wrapped):
    def add_details(self, rating_id: int, reasons=(), phone: str | None = ""):
        """A sample poor rating's reasons are not recorded."""
        return SimpleNamespace(id=rating_id, phone_masked="")


class _SampleAssistance(_Wrapped):
    """This terminal's help call is sample call 007, raised 75 seconds ago; nothing is stored."""

    def __init__(self, real, services):
        super().__init__(real)
        self._services = services  # the sample proxy requests read the catalog
        self._config = services.config
        self._call = None

    def raise_call(self, *, screen: str = "", screen_label: str = "", item_code: str = "", item_name: str = ""):
        from ui.screenshots.assistance import _call

        terminal = self._config.terminal
        call = _call(-1, "007", "open", 0, terminal=terminal.id, terminal_name=terminal.name,
                     screen_label=screen_label, item_name=item_name)
        raised = self._real.clock() - CALL_WAITED
        self._call = replace(call, raised_at=raised, last_raised_at=raised)
        return RaiseResult(self._call)

    def call(self, call_id):
        return self._call

    def cancel_call(self, call_id, *, by: str = "citizen"):
        return self._call

    def tick(self):
        return None

    def proxies_for(self, session, status: str = "open"):
        from ui.screenshots.assistance import demo_proxies

        return demo_proxies(self._services)

    def ledger_day(self, session, day):
        from ui.screenshots.assistance import demo_ledger

        return demo_ledger()


class ScreenshotApp(_Wrapped):
    """The application (kiosk/app.py) with the sample features above."""

    def __init__(self, real, services):
        super().__init__(real)
        self.staff = _SampleStaff(real.staff)
        self.devices = _SampleDevices(real.devices)
        self.reports = _SampleReports(real.reports)
        self.feedback = _SampleFeedback(real.feedback)
        self.assistance = _SampleAssistance(real.assistance, services)


class ScreenshotServices(_Wrapped):
    """Wraps the real services (``services``); everything not named here is theirs."""

    def __init__(self, services):
        super().__init__(services)
        self._app = None

    # The screenshots fix the time (a Wednesday morning); the real services must see it.
    @property
    def hours_clock(self):
        return self._real.hours_clock

    @hours_clock.setter
    def hours_clock(self, clock) -> None:
        self._real.hours_clock = clock

    @property
    def app(self) -> ScreenshotApp:
        if self._app is None:
            self._app = ScreenshotApp(self._real.app, self._real)
        return self._app

    # --- the desks of maintainer mode and helper mode (their role checks are here) ----------------

    def terminal_faults(self, days: int = 7):
        from ui.screenshots.staff import demo_faults

        return demo_faults()

    def pending_handovers(self, session):
        from ui.screenshots.staff import demo_handovers

        return demo_handovers()

    def help_calls(self, session):
        from ui.screenshots.assistance import demo_calls

        return demo_calls(self)

