"""An enrolled terminal as its own process, for the console tests with a syncing center: does
one thing through the kiosk's own services on its own SQLite file, then pushes (and sends a
heartbeat), as the kiosk's sync worker would.

    python terminal_actions.py call|complaint|fault|pull|heartbeat
    python terminal_actions.py signin STAFF_ID PIN     (after a pull: the terminal's own sign-in)

Configuration from $KIOSK_CONFIG and $KIOSK_DATA_DIR. Prints one JSON line.
"""

from __future__ import annotations

import json
import sys


def main(action: str, *args: str) -> int:
    from kiosk.config import load_config
    from kiosk.db import Database
    from kiosk.fleet.sync import connect

    config = load_config()
    database = Database(config.effective_database_url)
    database.upgrade()
    sync = connect(config, database)
    assert sync is not None, "not enrolled"
    terminal, name = config.terminal.id, config.terminal.name
    out: dict = {}
    if action == "call":
        from kiosk.assistance import HelperService

        raised = HelperService(database, terminal=terminal, terminal_name=name).raise_call(
            screen="item", screen_label="事项详情", item_code="411481-SCJG-001", item_name="个体工商户设立登记")
        out["number"] = raised.call.number
    elif action == "complaint":
        from kiosk.feedback.service import FeedbackService

        out["number"] = FeedbackService(database, terminal=terminal).submit(
            "complaint", "attitude", "窗口工作人员态度生硬", phone="13700001234").number
    elif action == "fault":
        from kiosk.devices.faults import FaultLog
        from kiosk.staff.service import StaffService

        FaultLog(database, StaffService(database, terminal=terminal), terminal=terminal, terminal_name=name).observe(
            "printer", "paper_out", message="打印纸用完")
    elif action == "pull":
        from sqlalchemy import select

        from kiosk.catalog.models import ServiceItem

        from kiosk.assistance.models import HelpCall
        from kiosk.devices.models import DeviceFault

        out["applied"] = sync.pull()
        out["refused"] = [list(r) for r in sync.refused]
        sync.follow_calls(wait=0)  # the live-call feed: a call closed in the console
        with database.session() as session:
            out["items"] = sorted(session.scalars(select(ServiceItem.code)))
            out["faults"] = [{"status": f.status, "note": f.note, "resolved_by": f.resolved_by, "assigned_to": f.assigned_to}
                             for f in session.scalars(select(DeviceFault).order_by(DeviceFault.id))]
            out["calls"] = [{"number": f"{c.seq:03d}", "status": c.status, "taken_by": c.taken_by}
                            for c in session.scalars(select(HelpCall).order_by(HelpCall.id))]
    elif action == "signin":  # the staff directory this terminal pulled: its PIN sign-in and who a fault goes to
        from kiosk.staff.service import StaffService

        staff = StaffService(database, terminal=terminal, config=config.staff)
        result = staff.sign_in(args[0], args[1])
        out["ok"] = result.ok
        if result.ok:
            staff.sign_out(result.session)
        out["responders"] = [[r.role, r.staff.id] for r in staff.responders()]
    if action not in ("pull", "signin"):
        out["pending"] = sync.push().pending
    sync.heartbeat()
    print(json.dumps(out, ensure_ascii=False))
    database.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], *sys.argv[2:]))
