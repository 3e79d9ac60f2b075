"""The hidden staff entry: holding the center's emblem for 3 seconds opens the PIN pad.

Nothing shows while it is held (a citizen touching the emblem sees no change); letting go
earlier cancels it.
"""

from __future__ import annotations

from collections.abc import Callable

from ui.qt import QEvent, QObject, Qt, QTimer

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
