"""Staff screens (维护模式), kept apart from the citizen's: the hidden entry on the emblem and
the choice of mode (entry.py), the PIN pad (pinpad.py), and the maintainer screen
(maintainer.py). The app (ui/app.py) builds the StaffDoor and registers the screen
(MAINTAINER_SCREEN), whose module is imported when a maintainer first opens it."""

MAINTAINER_SCREEN = ("maintainer", "ui.staff.maintainer:MaintainerScreen")

__all__ = ["MAINTAINER_SCREEN"]
