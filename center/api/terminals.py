"""Enrollment, push, heartbeat: what a terminal sends."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from center.api.deps import client_address, current_terminal, get_service
from center.service import MAX_BATCH, CenterService

router = APIRouter(prefix="/api/v1", tags=["terminals"])


class EnrollBody(BaseModel):
    terminal: str = Field(min_length=1, max_length=40)
    code: str = Field(min_length=1, max_length=40)
    name: str = Field(default="", max_length=100)


class PushBody(BaseModel):
    events: list[dict[str, Any]] = Field(max_length=MAX_BATCH)


class HeartbeatBody(BaseModel):
    status: dict[str, Any] = Field(default_factory=dict)


@router.post("/enroll")
def enroll(body: EnrollBody, request: Request, service: CenterService = Depends(get_service)) -> dict:
    token = service.enroll(body.terminal, body.code, name=body.name, address=client_address(request))
    return {"terminal": body.terminal, "token": token}


@router.get("/whoami")
def whoami(terminal: str = Depends(current_terminal)) -> dict:
    return {"terminal": terminal}


@router.post("/push")
def push(body: PushBody, terminal: str = Depends(current_terminal), service: CenterService = Depends(get_service)) -> dict:
    result = service.ingest(terminal, body.events)
    return {"stored": result.stored, "duplicates": result.duplicates}


@router.post("/heartbeat")
def heartbeat(body: HeartbeatBody, request: Request, terminal: str = Depends(current_terminal),
              service: CenterService = Depends(get_service)) -> dict:
    service.heartbeat(terminal, body.status, client_address(request))
    return {"ok": True, "snapshots": service.snapshot_versions()}
