"""What every endpoint may depend on: the service and the calling terminal (bearer token)."""

from __future__ import annotations

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from center.service import CenterRefusal, CenterService

bearer = HTTPBearer(auto_error=False)


def get_service(request: Request) -> CenterService:
    return request.app.state.service


async def current_terminal(
    request: Request,
    credentials: HTTPAuthorizationCredentials | None = Depends(bearer),
    service: CenterService = Depends(get_service),
) -> str:
    """The enrolled, not revoked terminal the request comes from (else 401)."""
    token = credentials.credentials if credentials else ""
    terminal_id = await run_in_threadpool(service.authenticate, token)
    request.state.terminal = terminal_id
    return terminal_id


def client_address(request: Request) -> str:
    return request.client.host if request.client else ""


__all__ = ["CenterRefusal", "client_address", "current_terminal", "get_service"]
