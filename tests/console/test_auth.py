"""Sign-in, sessions, CSRF and roles of the console, in Chromium against the served app."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timedelta

from sqlalchemy import update

from console_support import ADMIN, HELPER, MAINTAINER, PHONE, shot, sign_in


def test_sign_in_lands_on_the_first_page_of_the_role_and_signs_out(new_page, center_server):
    page = sign_in(new_page(), center_server, ADMIN)
    assert page.url.endswith("/console/terminals")
    assert "王建国" in page.inner_text("header")
    nav = page.inner_text("nav.main-nav")
    for label in ("终端总览", "故障", "呼叫", "代办与台账", "好差评与投诉", "事项目录", "人员与AB岗", "工作日", "报表"):
        assert label in nav
    cookie = next(c for c in page.context.cookies() if c["name"] == "console_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    page.click("header button:has-text('退出')")
    page.wait_for_url("**/console/login")
    page.goto(center_server + "/faults")
    assert "/console/login" in page.url


def test_a_helper_sees_only_the_helper_pages_and_is_refused_an_admin_page(new_page, center_server):
    page = sign_in(new_page(PHONE), center_server, HELPER)
    assert page.url.endswith("/console/calls")
    nav = page.inner_text("nav.main-nav")
    assert "呼叫" in nav and "代办与台账" in nav and "事项目录" not in nav and "故障" not in nav
    response = page.goto(center_server + "/catalog")
    assert response.status == 403
    assert "没有使用此页面的权限" in page.inner_text("main")
    shot(page, "refused-phone")


def test_wrong_password_is_refused_and_repeated_failures_lock_the_account(new_page, center_server, center_db):
    from center.console.models import ConsoleAccount

    page = new_page()
    wrong = (MAINTAINER[0], "", [], "", "not-the-password")
    sign_in(page, center_server, wrong, expect_ok=False)
    wrong_text = page.inner_text("main .error")
    assert "工号或密码不正确" in wrong_text
    shot(page, "login-wrong-password")
    for _ in range(4):
        sign_in(page, center_server, wrong, expect_ok=False)
    assert "账号已锁定" in page.inner_text("main")
    # even the right password is refused while locked
    sign_in(page, center_server, MAINTAINER, expect_ok=False)
    assert "账号已锁定" in page.inner_text("main")
    with center_db.session() as session:
        session.execute(update(ConsoleAccount).where(ConsoleAccount.staff_id == MAINTAINER[0]).values(locked_until=None, failures=0))
    sign_in(page, center_server, MAINTAINER)
    assert page.url.endswith("/console/terminals")


def test_an_unknown_staff_id_gets_the_same_answer(new_page, center_server):
    page = sign_in(new_page(), center_server, ("9999", "", [], "", "whatever-password"), expect_ok=False)
    unknown = page.inner_text("main .error")
    page = sign_in(new_page(), center_server, (HELPER[0], "", [], "", "whatever-password"), expect_ok=False)
    assert page.inner_text("main .error") == unknown  # nothing tells which IDs have accounts


def test_an_expired_session_is_sent_to_sign_in_again(new_page, center_server, center_db):
    from center.console.models import ConsoleSession

    page = sign_in(new_page(), center_server, MAINTAINER)
    # forty minutes without a request (idle limit: 30)
    with center_db.session() as session:
        session.execute(update(ConsoleSession).where(ConsoleSession.staff_id == MAINTAINER[0])
                        .values(last_seen_at=datetime.now() - timedelta(minutes=40)))
    page.goto(center_server + "/faults")
    assert "/console/login" in page.url
    assert "登录已过期" in page.inner_text("main")


def test_a_form_without_its_csrf_token_is_refused(new_page, center_server, center_db):
    page = sign_in(new_page(), center_server, ADMIN)
    page.goto(center_server + "/workdays?year=2027")
    page.fill("input[name=day]", "2027-02-08")
    page.fill("input[name=name]", "春节")
    page.evaluate("document.querySelector('form[action$=\"/workdays\"] input[name=csrf]').remove()")
    page.click("form[action$='/workdays'] button[type=submit]")
    assert "缺少或错误的安全令牌" in page.inner_text("main")
    from center.console.models import CenterWorkday

    with center_db.session() as session:
        assert session.get(CenterWorkday, datetime(2027, 2, 8).date()) is None
    # a forged token from another page is refused the same way
    page.goto(center_server + "/workdays?year=2027")
    page.evaluate("document.querySelector('form[action$=\"/workdays\"] input[name=csrf]').value = 'forged'")
    page.fill("input[name=day]", "2027-02-08")
    page.click("form[action$='/workdays'] button[type=submit]")
    assert "缺少或错误的安全令牌" in page.inner_text("main")
    # and the sign-in form has its own token
    request = urllib.request.Request(center_server + "/login", data=b"staff_id=1001&password=guanli-mima-2026", method="POST")
    try:
        urllib.request.urlopen(request, timeout=5)
        raise AssertionError("a sign-in without a token was accepted")
    except urllib.error.HTTPError as exc:
        assert exc.code == 403


def test_sign_in_goes_back_only_to_a_page_of_the_console(new_page, center_server):
    page = new_page()
    for target, landing in (("/faults", "/console/faults"), ("//evil.example/x", "/console/terminals"),
                            ("/\\evil.example/x", "/console/terminals"), ("https://evil.example/", "/console/terminals")):
        page.context.clear_cookies()
        page.goto(center_server + "/login?next=" + urllib.parse.quote(target))
        page.fill("input[name=staff_id]", ADMIN[0])
        page.fill("input[name=password]", ADMIN[4])
        page.click("button[type=submit]")
        page.wait_for_selector("nav.main-nav")
        assert urllib.parse.urlsplit(page.url).path == landing, target
