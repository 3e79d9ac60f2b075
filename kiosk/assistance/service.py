"""Help calls, proxy requests and the ledger (帮办代办台账).

    helpers = HelperService(database, terminal="YC-HALL-01", notifier=notifier, staff=staff)
    raised = helpers.raise_call(screen="item", screen_label="事项一次性告知", item_code=code, item_name=name)
    helpers.take_call(raised.call.id, helper)          # helper: a StaffSession or (id, name)
    helpers.close_call(raised.call.id, helper, help_types=["online"], outcome="resolved")
    helpers.tick()                                     # re-raise and expire calls nobody took

A call is stored in the local database before anything else, so it works with the network and
the printer down; the helpers are then told through the notifier (the same one as device
faults: the log, and the group robot when configured), which never blocks. Every method opens
its own unit of work and returns frozen views, safe to hand to the UI thread. Bad input raises
HelperError with a sentence in Chinese (``zh``) and English (``en``).
"""

from __future__ import annotations

from kiosk.assistance.calls import HelpCalls
from kiosk.assistance.ledger import Ledger
from kiosk.assistance.proxies import ProxyRequests


class HelperService(HelpCalls, ProxyRequests, Ledger):
    """Help calls, proxy requests and the ledger of one terminal (the parts: calls.py,
    proxies.py, ledger.py; what they share: base.py)."""
