"""What the center's staff changed on a terminal's records (the console's fault acknowledgements,
resolutions and reassignments): a terminal pulls its own, in order, and applies them."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query

from center.api.deps import current_terminal, get_service
from center.service import CenterService

router = APIRouter(prefix="/api/v1/transitions", tags=["transitions"])


@router.get("")
def transitions(after: int = Query(0, ge=0), terminal: str = Depends(current_terminal),
                service: CenterService = Depends(get_service)) -> dict:
    """This terminal's transitions made at the center after ``after`` (an id), oldest first."""
    found = service.transitions_for(terminal, after)
    return {"transitions": found, "last": found[-1]["id"] if found else after}
