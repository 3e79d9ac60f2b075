"""Live help calls across terminals: a long-poll for changes and the take (exactly one wins)."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from center.api.deps import current_terminal, get_service
from center.service import CenterService

router = APIRouter(prefix="/api/v1/calls", tags=["help calls"])

MAX_WAIT = 30.0
#: a long-poll looks at the database at least this often, so a change made by another process
#: (a second server worker, a command) is seen without a wake-up
RECHECK_SECONDS = 1.0


class TakeBody(BaseModel):
    helper_id: str = Field(min_length=1, max_length=20)
    helper_name: str = Field(default="", max_length=100)


@router.get("")
async def changes(request: Request, after: int = Query(0, ge=0), wait: float = Query(0, ge=0),
                  terminal: str = Depends(current_terminal), service: CenterService = Depends(get_service)) -> dict:
    """Calls changed after version ``after``; waits up to ``wait`` seconds for one (long-poll)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + min(wait, MAX_WAIT)
    bell = request.app.state.bell
    while True:
        ring = bell.current()
        calls, version = await run_in_threadpool(service.calls_since, after)
        remaining = deadline - loop.time()
        if calls or remaining <= 0 or await request.is_disconnected():
            return {"calls": calls, "version": version}
        try:
            await asyncio.wait_for(ring.wait(), min(remaining, RECHECK_SECONDS))
        except TimeoutError:
            pass


@router.get("/active")
def active(terminal: str = Depends(current_terminal), service: CenterService = Depends(get_service)) -> dict:
    return {"calls": service.active_calls()}


@router.post("/{uid}/take")
def take(uid: str, body: TakeBody, terminal: str = Depends(current_terminal),
         service: CenterService = Depends(get_service)) -> dict:
    return {"call": service.take_call(uid, body.helper_id, body.helper_name, via=terminal)}
