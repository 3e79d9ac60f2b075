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


class _SampleStaff:
    """The staff service with the sample people's names (the maintainer's fault cards)."""

    def __init__(self, staff):
        self._staff = staff

    def __getattr__(self, name):
        return getattr(self._staff, name)

    def list_staff(self):
        from ui.screenshots.staff import DEMO_NAMES

        return [SimpleNamespace(id=staff_id, name=name) for staff_id, name in DEMO_NAMES.items()]


class ScreenshotServices:
    """Wraps the real services (``services``); everything not named here is theirs."""

    def __init__(self, services):
        self._services = services
        self._call = None  # the sample call of this terminal, once raised

    def __getattr__(self, name):
        return getattr(self._services, name)

    # The screenshots fix the time (a Wednesday morning); the real services must see it.
    @property
    def hours_clock(self):
        return self._services.hours_clock

    @hours_clock.setter
    def hours_clock(self, clock) -> None:
        self._services.hours_clock = clock

    # --- signing in and out: nobody real ------------------------------------------------------

    def staff_sign_out(self, session, reason: str = "button") -> None:
        return None

    @property
    def staff(self):
        return _SampleStaff(self._services.staff)

    # --- maintainer mode, the admin summary ---------------------------------------------------------

    def terminal_faults(self, days: int = 7):
        from ui.screenshots.staff import demo_faults

        return demo_faults()

    def pending_handovers(self, session):
        from ui.screenshots.staff import demo_handovers

        return demo_handovers()

    def device_overview(self):
        from ui.screenshots.staff import demo_devices

        return demo_devices()

    def admin_summary(self, session, first, last):
        from ui.screenshots.feedback import demo_summary

        return demo_summary()

    # --- ratings: a sample poor rating's reasons are not recorded --------------------------------

    def rating_details(self, rating_id: int, reasons, phone: str = ""):
        return SimpleNamespace(id=rating_id, phone_masked="")

    # --- help calls and helper mode -------------------------------------------------------------------

    def raise_help_call(self, *, screen: str = "", screen_label: str = "", item_code: str = "", item_name: str = ""):
        from ui.screenshots.assistance import _call

        config = self._services.config
        call = _call(-1, "007", "open", 0, terminal=config.terminal.id, terminal_name=config.terminal.name,
                     screen_label=screen_label, item_name=item_name)
        raised = self._services.helpers.clock() - CALL_WAITED
        self._call = call = replace(call, raised_at=raised, last_raised_at=raised)
        return RaiseResult(call)

    def help_call(self, call_id: int):
        return self._call

    def cancel_help_call(self, call_id: int):
        return self._call

    def helper_tick(self):
        return None

    def help_calls(self, session):
        from ui.screenshots.assistance import demo_calls

        return demo_calls(self)

    def proxy_requests(self, session, status: str = "open"):
        from ui.screenshots.assistance import demo_proxies

        return demo_proxies(self)

    def ledger_day(self, session, day):
        from ui.screenshots.assistance import demo_ledger

        return demo_ledger()
