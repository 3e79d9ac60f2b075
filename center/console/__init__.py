"""The center's web console for staff (issue 15): server-rendered Chinese pages over the center's
database, with its own sign-in (staff ID + console password), roles, CSRF tokens and audit.

Mount it on the center app with ``app.mount("/console", create_console_app(database))``; see
docs/console.md.
"""

from center.console.app import create_console_app
from center.console.settings import ConsoleSettings

__all__ = ["ConsoleSettings", "create_console_app"]
