"""The center's application factory: ``create_app(settings)`` builds the FastAPI app with one
router per feature; `kiosk center serve` runs it under uvicorn. The staff console
(center/console) is mounted under /console by the same factory.
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from starlette.concurrency import run_in_threadpool

from center.db import CenterDatabase
from center.service import CenterRefusal, CenterService

log = logging.getLogger("center")


@dataclass(frozen=True)
class CenterSettings:
    database_url: str
    #: a terminal without a heartbeat this long gets a fault (its maintainer is told)
    silent_after_seconds: int = 90
    #: how often the center looks for silent terminals
    check_every_seconds: int = 15
    #: the kiosk configuration whose [notify] webhook tells the maintainers (None: log only)
    notify_config: object | None = None
    upgrade: bool = True
    #: serve the staff console under /console (center/console, docs/console.md)
    console: bool = True


class Bell:
    """Wakes the long-polls of this process when live data changed (rung from any thread)."""

    def __init__(self):
        self._loop: asyncio.AbstractEventLoop | None = None
        self._event: asyncio.Event | None = None

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop, self._event = loop, asyncio.Event()

    def current(self) -> asyncio.Event:
        return self._event

    def ring(self) -> None:
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._swap)

    def _swap(self) -> None:
        event, self._event = self._event, asyncio.Event()
        event.set()


def build_service(settings: CenterSettings) -> CenterService:
    database = CenterDatabase(settings.database_url)
    if settings.upgrade:
        database.upgrade()
    notifier = None
    if settings.notify_config is not None:
        from kiosk.notify import build_notifier

        notifier = build_notifier(settings.notify_config)
    return CenterService(database, silent_after=timedelta(seconds=settings.silent_after_seconds), notifier=notifier)


def create_app(settings: CenterSettings, service: CenterService | None = None) -> FastAPI:
    from center.api import calls, snapshots, terminals, transitions

    bell = Bell()
    service = service or build_service(settings)
    service.on_change = bell.ring

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        bell.bind(asyncio.get_running_loop())
        watcher = asyncio.create_task(_watch_silence(service, settings.check_every_seconds))
        try:
            yield
        finally:
            watcher.cancel()
            if service.notifier is not None:
                service.notifier.close()
            service.database.dispose()

    app = FastAPI(title="政务服务中心 终端中心 / kiosk center", version="1", lifespan=lifespan)
    app.state.service = service
    app.state.bell = bell
    app.state.settings = settings

    @app.exception_handler(CenterRefusal)
    async def refused(request: Request, exc: CenterRefusal):
        return JSONResponse({"error": exc.zh, "detail": exc.en}, status_code=exc.status)

    @app.exception_handler(OperationalError)
    async def database_down(request: Request, exc: OperationalError):
        log.error("database unavailable: %s", exc.orig if exc.orig else exc)
        return JSONResponse({"error": "中心数据库暂不可用", "detail": "center database unavailable"}, status_code=503)

    @app.get("/api/v1/health", tags=["health"])
    def health() -> dict:
        return {"ok": True}

    for router in (terminals.router, snapshots.router, calls.router, transitions.router):
        app.include_router(router)
    if settings.console:
        from center.console.mount import mount_console

        mount_console(app, settings, service)
    return app


async def _watch_silence(service: CenterService, every: int) -> None:
    while True:
        await asyncio.sleep(every)
        try:
            await run_in_threadpool(service.check_silent)
        except Exception:  # the database may be away for a moment; try again next round
            log.exception("silence check failed")


__all__ = ["Bell", "CenterSettings", "build_service", "create_app"]
