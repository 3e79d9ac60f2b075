"""Admin screens: the summary tab of maintainer mode (ui/admin/summary.py)."""

from ui.admin.summary import AdminSummaryPanel

__all__ = ["AdminSummaryPanel"]
