"""Progress of applications (办件进度) and time limits (限时办结). See docs/progress-format.md."""

from kiosk.progress.exchange import FORMAT, ImportSummary, ProgressFileError, normalize_number
from kiosk.progress.models import CLOSED_STATUSES, STATUS_LABELS, STATUSES
from kiosk.progress.service import (
    BackendUnavailable,
    FailureLimiter,
    LocalTableBackend,
    ProgressBackend,
    ProgressService,
    QueryOutcome,
)
from kiosk.progress.view import ApplicationRecord, ProgressView, ResultRecord, StepRecord

__all__ = [
    "ApplicationRecord",
    "BackendUnavailable",
    "CLOSED_STATUSES",
    "FORMAT",
    "FailureLimiter",
    "ImportSummary",
    "LocalTableBackend",
    "ProgressBackend",
    "ProgressFileError",
    "ProgressService",
    "ProgressView",
    "QueryOutcome",
    "ResultRecord",
    "STATUSES",
    "STATUS_LABELS",
    "StepRecord",
    "normalize_number",
]
