"""Red-vest helpers on the terminal (docs/helpers.md): the citizen's 呼叫帮办 with its overlay
(calling.py), helper mode after a helper's sign-in (mode.py), the helper's desk with calls,
proxy requests and the ledger (desk.py), and the proxy request form (proxy.py).

The shell builds HELPER_SCREEN_CLASSES next to the citizen's and the staff screens, then calls
``attach_helpers(shell)``, which gives it ``shell.help_calls`` and ``shell.helper_mode``.
"""

from ui.helpers.calling import CallController
from ui.helpers.desk import HelperDeskScreen
from ui.helpers.mode import HelperMode
from ui.helpers.proxy import ProxyFormScreen

HELPER_SCREEN_CLASSES = (HelperDeskScreen, ProxyFormScreen)


def attach_helpers(shell) -> None:
    shell.help_calls = CallController(shell)
    shell.helper_mode = HelperMode(shell)


__all__ = ["HELPER_SCREEN_CLASSES", "CallController", "HelperDeskScreen", "HelperMode", "ProxyFormScreen", "attach_helpers"]
