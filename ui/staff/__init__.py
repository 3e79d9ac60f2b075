"""Staff screens (维护模式), kept apart from the citizen's: the hidden entry on the emblem, the
PIN pad, and the maintainer screens. STAFF_SCREEN_CLASSES is built by the shell next to
ui.screens.SCREEN_CLASSES."""

from ui.staff.maintainer import MaintainerScreen

STAFF_SCREEN_CLASSES = (MaintainerScreen,)

__all__ = ["STAFF_SCREEN_CLASSES", "MaintainerScreen"]
