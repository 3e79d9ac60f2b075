"""Red-vest helpers on the terminal (docs/helpers.md): the citizen's 呼叫帮办 with its overlay
(calling.py), helper mode after a helper's sign-in (mode.py), the helper's desk with calls,
proxy requests and the ledger (desk.py), and the proxy request form (proxy.py).

The app (ui/app.py) builds one CallController and one HelperMode, registers the two screens
(HELPER_SCREENS) with the mode, and adds the mode to the staff sign-in (ui/staff/entry.py).
The screens' modules are imported when a helper first opens them (ui/screen.py lazy_screen).
"""

#: screen name → "module:Class" (built with the shell and the HelperMode)
HELPER_SCREENS: dict[str, str] = {
    "helper": "ui.assistance.desk:HelperDeskScreen",
    "helper-proxy": "ui.assistance.proxy:ProxyFormScreen",
}

__all__ = ["HELPER_SCREENS"]
