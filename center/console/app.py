"""The console's ASGI app: ``create_console_app(database)``, mounted by the center under
``/console``. Pages are rendered on the server (Jinja2); the only script is static/console.js
(live refresh of the 呼叫 page and confirm dialogs), served from here: no CDN, no build step.

Every request is checked here, not in the pages: a page says which roles may see it
(``Depends(staff_only(...))``); a POST also needs the session's CSRF token (form field ``csrf``
or header ``X-CSRF-Token``).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

from fastapi import Depends, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from center.console.auth import ConsoleAuth, ConsoleAuthError, SignedIn, upgrade
from center.console.settings import ConsoleSettings
from kiosk.clock import Clock, system_clock
from kiosk.db import Database
from kiosk.devices.faults import FaultLog
from kiosk.feedback.service import FeedbackService
from kiosk.assistance.service import HelperService
from kiosk.staff.service import StaffService

log = logging.getLogger(__name__)

HERE = Path(__file__).parent
COOKIE = "console_session"
PRE_COOKIE = "console_pre"  # the sign-in form's CSRF token (double submit: cookie + hidden field)

#: the navigation: (path, label, roles that see it; admin sees everything)
PAGES = (
    ("/terminals", "终端总览", ("maintainer",)),
    ("/faults", "故障", ("maintainer",)),
    ("/calls", "呼叫", ("helper",)),
    ("/proxies", "代办与台账", ("helper",)),
    ("/feedback", "好差评与投诉", ()),
    ("/catalog", "事项目录", ()),
    ("/staff", "人员与AB岗", ()),
    ("/workdays", "工作日", ()),
    ("/reports", "报表", ()),
)


class NeedSignIn(Exception):
    def __init__(self, message: str = ""):
        self.message = message


class Refused(Exception):
    """A 403 page with a Chinese reason."""

    def __init__(self, reason: str, status: int = 403):
        self.reason = reason
        self.status = status


@dataclass
class Console:
    """What the pages share: the database, the domain services and the templates."""

    database: Database
    settings: ConsoleSettings
    staff: StaffService
    auth: ConsoleAuth
    helpers: HelperService
    feedback: FeedbackService
    faults: FaultLog
    templates: Jinja2Templates
    clock: Clock
    #: where the terminals' records are read: the center's database itself (terminals sharing
    #: it), or the mirror of what synced terminals pushed (center/console/mirror.py)
    work: Database | None = None
    mirror: object | None = None
    #: the 呼叫 page's calls: kiosk.assistance.HelperService, or the center's live calls
    live: object | None = None
    #: center.service.CenterService when the center's sync tables are there (publishing snapshots)
    center: object | None = None

    @contextmanager
    def transition(self, kind: str, mirror_id: int, actor: str, action: str):
        """Around a domain service's change of a terminal's record: kept on the center when
        the record came through sync (no-op when terminals share the center's database)."""
        if self.mirror is None:
            yield
        else:
            with self.mirror.transition(kind, mirror_id, actor, action):
                yield

    def render(self, request: Request, name: str, signed: SignedIn | None = None, status_code: int = 200, **context) -> HTMLResponse:
        context.update(
            request=request, me=signed, base=request.scope.get("root_path", "").rstrip("/"),
            nav=[(p, label) for p, label, roles in PAGES if signed is not None and signed.has(*roles)],
            poll_ms=self.settings.poll_ms,
        )
        response = self.templates.TemplateResponse(request, name, context, status_code=status_code)
        response.headers["Cache-Control"] = "no-store"
        return response

    def back(self, request: Request, path: str, signed: SignedIn | None = None, message: str = "") -> RedirectResponse:
        """Post/Redirect/Get, with a one-shot message for the next page."""
        if signed is not None and message:
            self.auth.flash(signed, message)
        return RedirectResponse(base_of(request) + path, status_code=303)


def base_of(request: Request) -> str:
    return request.scope.get("root_path", "").rstrip("/")


def console_of(request: Request) -> Console:
    return request.app.state.console


def staff_only(*roles: str) -> Callable:
    """A dependency: the signed-in staff member, if they hold one of ``roles`` (admin always
    does); on a POST, only with the session's CSRF token."""

    async def dependency(request: Request) -> SignedIn:
        console = console_of(request)
        signed = await run_in_threadpool(console.auth.session_of, request.cookies.get(COOKIE))
        if signed is not None and console.mirror is not None and not request.url.path.endswith("/calls/live"):
            await run_in_threadpool(console.mirror.refresh)  # the live calls come from the center itself
        if signed is None:
            raise NeedSignIn("登录已过期，请重新登录" if request.cookies.get(COOKIE) else "")
        if request.method not in ("GET", "HEAD"):
            given = request.headers.get("x-csrf-token")
            if given is None:
                form = await request.form()
                given = form.get("csrf")
            if not ConsoleAuth.csrf_ok(signed, given):
                await run_in_threadpool(console.staff.audit, signed.staff_id, "console.csrf", request.url.path, "missing or wrong CSRF token", False)
                raise Refused("表单已失效（缺少或错误的安全令牌），请刷新页面后重试。")
        if roles and not signed.has(*roles):
            await run_in_threadpool(console.staff.audit, signed.staff_id, "console.refused", request.url.path, "role", False)
            raise Refused("您没有使用此页面的权限（需要：" + "、".join(_ROLE_ZH.get(r, r) for r in (*roles, "admin")) + "）。")
        return signed

    return dependency


_ROLE_ZH = {"admin": "管理员", "maintainer": "维护人员", "helper": "帮办人员"}

any_staff = staff_only()
admin_only = staff_only("admin")


def _secure(request: Request, settings: ConsoleSettings) -> bool:
    if settings.secure_cookies == "always":
        return True
    if settings.secure_cookies == "never":
        return False
    return request.url.scheme == "https"


def _safe_next(next_path: str) -> str:
    """Only a path of this console after sign-in (no open redirect)."""
    parts = urlsplit(next_path or "")
    if (parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith("//")
            or "\\" in next_path or any(ord(ch) < 32 for ch in next_path)):
        return "/"  # browsers read /\evil.example as //evil.example
    return parts.path + (f"?{parts.query}" if parts.query else "")


def create_console_app(
    database: Database,
    settings: ConsoleSettings | None = None,
    *,
    terminal_name: str = "中心控制台",
    clock: Clock = system_clock,
    migrate: bool = True,
    privacy_key=None,
    center_service=None,
    data_dir: Path | None = None,
) -> FastAPI:
    """The console app over the center's database (the domain tables of kiosk/ plus the
    console's own, created here when ``migrate``). ``privacy_key``: the center's
    kiosk.privacy.PrivacyKey (or a callable returning it), needed to publish an applications file.
    When the center's sync tables (issue 14) are in ``database``, the terminals' records are read
    from a mirror kept in ``data_dir`` and calls go through ``center_service`` (made from the
    database when not given)."""
    settings = settings or ConsoleSettings()
    if migrate:
        upgrade(database)
    staff = StaffService(database, terminal=settings.audit_terminal, clock=clock)
    from center.console.mirror import Mirror, center_synced

    mirror = center = None
    work = database
    if center_synced(database):
        if center_service is None:
            from center.db import CenterDatabase
            from center.service import CenterService

            center_service = CenterService(CenterDatabase(database.url))
        center = center_service
        if data_dir is None:
            from kiosk.config import default_data_dir

            data_dir = default_data_dir()
        mirror = Mirror(database, Path(data_dir) / "console-mirror.sqlite3")
        work = mirror.database
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    from center.console import formatting

    formatting.install(templates.env)
    console = Console(
        database=database, settings=settings, staff=staff,
        auth=ConsoleAuth(database, staff, settings, clock=clock),
        helpers=HelperService(work, terminal=settings.audit_terminal, terminal_name=terminal_name, staff=staff, clock=clock),
        feedback=FeedbackService(work, terminal=settings.audit_terminal, terminal_name=terminal_name, clock=clock),
        faults=FaultLog(work, staff, terminal=settings.audit_terminal, terminal_name=terminal_name, clock=clock),
        templates=templates, clock=clock, work=work, mirror=mirror, center=center,
    )
    if center is not None:
        from center.console.livecalls import LiveCalls

        console.live = LiveCalls(center, clock=clock, audit=staff.audit)
    else:
        console.live = console.helpers
    app = FastAPI(title="政务服务中心工作台", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.console = console
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response

    @app.exception_handler(NeedSignIn)
    async def need_sign_in(request: Request, exc: NeedSignIn):
        target = request.url.path[len(base_of(request)):] or "/"
        if request.method not in ("GET", "HEAD") or request.headers.get("x-requested-with"):
            target = "/"
        url = f"{base_of(request)}/login?next={quote(target)}" + ("&expired=1" if exc.message else "")
        if request.headers.get("x-requested-with"):
            return Response(status_code=401, headers={"X-Console-Login": url})
        response = RedirectResponse(url, status_code=303)
        if exc.message:
            response.delete_cookie(COOKIE, path=(base_of(request) or "/"))
        return response

    @app.exception_handler(Refused)
    async def refused(request: Request, exc: Refused):
        signed = await run_in_threadpool(console.auth.session_of, request.cookies.get(COOKIE))
        return console.render(request, "refused.html", signed, status_code=exc.status, reason=exc.reason)

    # --- signing in and out ---------------------------------------------------------------------

    @app.get("/login", response_class=HTMLResponse)
    def login_page(request: Request, next: str = "/", expired: int = 0):
        pre = secrets.token_urlsafe(24)
        response = console.render(
            request, "login.html", None, pre=pre, next=_safe_next(next),
            error="登录已过期，请重新登录" if expired else "",
        )
        response.set_cookie(PRE_COOKIE, pre, httponly=True, samesite="strict", secure=_secure(request, settings),
                            path=(base_of(request) or "/"), max_age=3600)
        return response

    @app.post("/login")
    def login(request: Request, staff_id: str = Form(""), password: str = Form(""), csrf: str = Form(""), next: str = Form("/")):
        pre = request.cookies.get(PRE_COOKIE, "")
        if not pre or not csrf or not secrets.compare_digest(pre.encode(), csrf.encode()):
            staff.audit(staff_id[:20] or "?", "console.csrf", "/login", "missing or wrong CSRF token", ok=False)
            raise Refused("登录表单已失效（缺少或错误的安全令牌），请刷新页面后重试。")
        try:
            token, signed = console.auth.sign_in(staff_id, password, user_agent=request.headers.get("user-agent", ""))
        except ConsoleAuthError as exc:
            new_pre = secrets.token_urlsafe(24)
            response = console.render(request, "login.html", None, status_code=401, pre=new_pre, next=_safe_next(next),
                                      error=exc.zh, staff_id=staff_id[:20])
            response.set_cookie(PRE_COOKIE, new_pre, httponly=True, samesite="strict", secure=_secure(request, settings),
                                path=(base_of(request) or "/"), max_age=3600)
            return response
        response = RedirectResponse(base_of(request) + _safe_next(next), status_code=303)
        response.set_cookie(COOKIE, token, httponly=True, samesite="lax", secure=_secure(request, settings),
                            path=(base_of(request) or "/"))
        response.delete_cookie(PRE_COOKIE, path=(base_of(request) or "/"))
        return response

    @app.post("/logout")
    def logout(request: Request, me: SignedIn = Depends(any_staff)):
        console.auth.sign_out(me)
        response = RedirectResponse(base_of(request) + "/login", status_code=303)
        response.delete_cookie(COOKIE, path=(base_of(request) or "/"))
        return response

    @app.get("/", response_class=HTMLResponse)
    def home(request: Request, me: SignedIn = Depends(any_staff)):
        for path, _label, roles in PAGES:
            if me.has(*roles):
                return RedirectResponse(base_of(request) + path, status_code=303)
        raise Refused("您的角色没有可用的控制台页面。")

    from center.console import pages_admin, pages_ops

    pages_ops.register(app, console)
    pages_admin.register(app, console, privacy_key=privacy_key)
    return app
