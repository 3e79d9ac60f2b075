"""Staff screens (维护模式), kept apart from the citizen's: the hidden entry on the emblem and
the choice of mode (entry.py), the PIN pad (pinpad.py), and the maintainer screen
(maintainer.py). The app (ui/app.py) registers the screen and builds the StaffDoor."""

from ui.staff.entry import StaffDoor
from ui.staff.maintainer import MaintainerScreen

__all__ = ["MaintainerScreen", "StaffDoor"]
