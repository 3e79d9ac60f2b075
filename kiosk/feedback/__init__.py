"""好差评 and 投诉建议: a citizen's rating of a visit (the national five levels, reasons and a
callback phone for a poor one), complaints and suggestions with a number, a receipt, the
center's notification and a status (received → forwarded → answered)."""

from typing import TYPE_CHECKING

from kiosk.exports import lazy_exports
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

# The rating offer on the kiosk's window needs only the choices; the service (its models) is
# imported when one of its names is first used.
_LAZY = {
    "service": (
        "PHONE_RETENTION_DAYS", "ComplaintInfo", "FeedbackError", "FeedbackService", "RatingInfo",
        "check_phone", "normalize_number",
    ),
}
__getattr__ = lazy_exports(globals(), _LAZY)

if TYPE_CHECKING:  # pragma: no cover
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
