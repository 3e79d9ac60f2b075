"""好差评 and 投诉建议: a citizen's rating of a visit (the national five levels, reasons and a
callback phone for a poor one), complaints and suggestions with a number, a receipt, the
center's notification and a status (received → forwarded → answered)."""

from kiosk.feedback.choices import (
    KINDS,
    LEVELS,
    POOR_LEVELS,
    REASONS,
    STATUSES,
    SUBJECTS,
    level_label,
    phrases,
    stars,
)
from kiosk.feedback.service import (
    PHONE_RETENTION_DAYS,
    ComplaintInfo,
    FeedbackError,
    FeedbackService,
    RatingInfo,
    check_phone,
    normalize_number,
)

__all__ = [
    "KINDS",
    "LEVELS",
    "PHONE_RETENTION_DAYS",
    "POOR_LEVELS",
    "REASONS",
    "STATUSES",
    "SUBJECTS",
    "ComplaintInfo",
    "FeedbackError",
    "FeedbackService",
    "RatingInfo",
    "check_phone",
    "level_label",
    "normalize_number",
    "phrases",
    "stars",
]
