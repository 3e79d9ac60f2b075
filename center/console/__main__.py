"""``python -m center.console set-password STAFF_ID`` — give a staff member a console password
(the first admin's, before anyone can sign in to set the others' in 人员与AB岗). The password
is read from the terminal (or stdin when it is not a terminal); the change is audited.

Database: --db URL, or CENTER_DB_URL / KIOSK_DB_URL.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from center.console.auth import ConsoleAuth, ConsoleAuthError, upgrade
from center.console.settings import ConsoleSettings
from kiosk.db import Database
from kiosk.staff.service import StaffService


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m center.console", description="中心控制台 / center console")
    parser.add_argument("--db", default=os.environ.get("CENTER_DB_URL") or os.environ.get("KIOSK_DB_URL"))
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("set-password", help="set a staff member's console password (设置控制台密码)")
    p.add_argument("staff_id")
    args = parser.parse_args(argv)
    if not args.db:
        print("数据库地址未配置：请用 --db 或 CENTER_DB_URL / database URL missing", file=sys.stderr)
        return 2
    database = Database(args.db)
    try:
        database.upgrade()
        upgrade(database)
        if sys.stdin.isatty():
            password = getpass.getpass("控制台密码 / console password: ")
            if getpass.getpass("再输一次 / again: ") != password:
                print("两次输入不一致 / the two entries differ", file=sys.stderr)
                return 1
        else:
            password = sys.stdin.readline().rstrip("\n")
        settings = ConsoleSettings()
        staff = StaffService(database, terminal=settings.audit_terminal)
        ConsoleAuth(database, staff, settings).set_password(args.staff_id, password, actor="cli")
    except ConsoleAuthError as exc:
        print(f"{exc.zh} / {exc.en}", file=sys.stderr)
        return 1
    finally:
        database.dispose()
    print(f"已设置 {args.staff_id} 的控制台密码 / console password set")
    return 0


if __name__ == "__main__":
    sys.exit(main())
