"""Red-vest helpers on the terminal (docs/helpers.md): the citizen's 呼叫帮办 with its overlay
(calling.py), helper mode after a helper's sign-in (mode.py), the helper's desk with calls,
proxy requests and the ledger (desk.py), and the proxy request form (proxy.py).

The app (ui/app.py) builds one CallController and one HelperMode, registers the two screens
with the mode, and adds the mode to the staff sign-in (ui/staff/entry.py).
"""

from ui.assistance.calling import CallController
from ui.assistance.desk import HelperDeskScreen
from ui.assistance.mode import HelperMode
from ui.assistance.proxy import ProxyFormScreen

__all__ = ["CallController", "HelperDeskScreen", "HelperMode", "ProxyFormScreen"]
