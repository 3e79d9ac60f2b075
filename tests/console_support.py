"""Constants and helpers of the console tests (tests/console), importable by name."""

from __future__ import annotations

import os
import subprocess
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DESK = {"width": 1366, "height": 900}
PHONE = {"width": 360, "height": 740}

#: the people of the tests: (staff id, name, roles, terminal PIN, console password)
ADMIN = ("1001", "王建国", ["admin"], "482913", "guanli-mima-2026")
MAINTAINER = ("2001", "李维修", ["maintainer"], "571946", "weixiu-mima-2026")
HELPER = ("3001", "张帮办", ["helper"], "638204", "bangban-mima-2026")
HELPER2 = ("3002", "赵红梅", ["helper"], "915372", "hongmei-mima-2026")


def sign_in(page, base: str, who, *, expect_ok: bool = True):
    staff_id, _name, _roles, _pin, password = who
    page.goto(base + "/login")
    page.fill("input[name=staff_id]", staff_id)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    if expect_ok:
        page.wait_for_selector("nav.main-nav")
    return page


def shot(page, name: str) -> None:
    """A screenshot for docs/console/ when CONSOLE_SCREENSHOTS names a folder (make console-screenshots)."""
    folder = os.environ.get("CONSOLE_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)




def seed_staff(database) -> None:
    """The kiosk schema, the console's tables and the test staff with console passwords."""
    from center.console.auth import ConsoleAuth, upgrade
    from center.console.settings import ConsoleSettings
    from kiosk.staff.service import StaffService

    database.upgrade()
    upgrade(database)
    staff = StaffService(database, terminal="test")
    auth = ConsoleAuth(database, staff, ConsoleSettings())
    for staff_id, name, roles, pin, password in (ADMIN, MAINTAINER, HELPER, HELPER2):
        staff.add(staff_id, name, roles, pin=pin, actor="test")
        auth.set_password(staff_id, password, actor="test")


def serve(command: list[str], url: str, log: Path, **env: str) -> subprocess.Popen:
    """Start a server process and wait until ``url`` answers 200 (its log in ``log``)."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    full_env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH", "")]))
    full_env.update(env)
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=str(REPO), env=full_env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return process
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"{command[2:5]} did not start:\n" + log.read_text(errors="replace")[-3000:])
        time.sleep(0.2)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)
