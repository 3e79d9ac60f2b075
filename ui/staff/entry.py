"""The hidden staff entry: holding the center's emblem for 3 seconds opens the PIN pad; the
person signed in then works in helper mode or maintainer mode (StaffDoor).

Nothing shows while it is held (a citizen touching the emblem sees no change); letting go
earlier cancels it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from ui.qt import QEvent, QObject, Qt, QTimer
from ui.staff.pinpad import PinPadDialog

HOLD_MS = 3000

_STARTS = (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin)
_ENDS = (
    QEvent.Type.MouseButtonRelease,
    QEvent.Type.TouchEnd,
    QEvent.Type.TouchCancel,
    QEvent.Type.Leave,
    QEvent.Type.Hide,
)


class LongPress(QObject):
    """Calls ``on_hold`` when ``target`` has been pressed for ``hold_ms`` without letting go."""

    def __init__(self, target, on_hold: Callable[[], None], hold_ms: int = HOLD_MS):
        super().__init__(target)
        self.target = target
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)  # a coarse timer may fire 5% early
        self.timer.setInterval(hold_ms)
        self.timer.timeout.connect(on_hold)
        target.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        if watched is self.target:
            kind = event.type()
            if kind in _STARTS:
                self.timer.start()
            elif kind in _ENDS:
                self.timer.stop()
        return False


class StaffModes(Protocol):
    """A staff mode other than maintainer mode (helper mode, ui/assistance/mode.py)."""

    def takes(self, session, *, maintain: Callable[[], None]) -> bool:
        """True when this mode takes over ``session`` (or lets the person choose: ``maintain``
        starts maintainer mode instead)."""
        ...


class StaffDoor(QObject):
    """The hidden entry, the PIN pad, and the mode a signed-in person works in: the modes added
    with ``add_mode`` are asked first (a red-vest helper goes to helper mode), then maintainer
    mode (the maintainer screen) takes the session."""

    def __init__(self, shell):
        super().__init__(shell)
        self.shell = shell
        self.modes: list[StaffModes] = []
        self.entry = LongPress(shell.emblem, self.open_pin_pad)

    def add_mode(self, mode: StaffModes) -> None:
        self.modes.append(mode)

    def _maintainer(self):
        return self.shell.screens["maintainer"]

    def maintaining(self) -> bool:
        """A maintainer is signed in (the maintainer screen is showing)."""
        return self.shell.screens.is_built("maintainer") and self._maintainer().session is not None

    def open_pin_pad(self) -> None:
        if self.maintaining():
            return
        self.shell.overlays.open(PinPadDialog(self.shell, self.sign_in))

    def sign_in(self, session) -> None:
        """Someone signed in: the first mode that takes the session, else maintainer mode."""
        for mode in self.modes:
            if mode.takes(session, maintain=lambda: self.maintain(session)):
                return
        self.maintain(session)

    def maintain(self, session) -> None:
        self._maintainer().start(session)
