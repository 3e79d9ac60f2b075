"""Every page opens for the roles that may see it, at desk and phone width (and is shot for
docs/console/ when CONSOLE_SCREENSHOTS is set)."""

from __future__ import annotations

import pytest

from console_support import ADMIN, DESK, PHONE, shot, sign_in

PAGES = ("terminals", "faults", "calls", "proxies", "feedback", "catalog", "staff", "workdays", "reports")


@pytest.mark.parametrize("width", ["desk", "phone"])
def test_every_page_opens(new_page, center_server, width):
    page = sign_in(new_page(DESK if width == "desk" else PHONE), center_server, ADMIN)
    for name in PAGES:
        response = page.goto(f"{center_server}/{name}")
        assert response.status == 200, name
        assert page.locator("nav.main-nav a[aria-current=page]").count() == 1, name
        assert "Traceback" not in page.content()
        if width == "phone":
            # nothing wider than the phone but the tables' own scroll boxes
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{name} is {overflow}px wider than the phone"
        shot(page, f"{name}-{width}")
