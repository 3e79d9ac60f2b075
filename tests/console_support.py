"""Constants and helpers of the console tests (tests/console), importable by name."""

from __future__ import annotations

import os
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


