"""Center-owned data as numbered snapshots: a terminal asks for the newest versions and fetches
the ones it does not have."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Response

from center.api.deps import current_terminal, get_service
from center.service import CenterService

router = APIRouter(prefix="/api/v1/snapshots", tags=["snapshots"])


@router.get("")
def versions(terminal: str = Depends(current_terminal), service: CenterService = Depends(get_service)) -> dict:
    return {"versions": service.snapshot_versions()}


@router.get("/{kind}/{version}")
def snapshot(kind: str, version: int, terminal: str = Depends(current_terminal),
             service: CenterService = Depends(get_service)) -> Response:
    found = service.snapshot(kind, version)
    return Response(found.document, media_type="application/json", headers={
        "X-Snapshot-Version": str(found.version), "X-Snapshot-Sha256": found.sha256,
        "X-Snapshot-Published-At": found.published_at.isoformat(),
    })
