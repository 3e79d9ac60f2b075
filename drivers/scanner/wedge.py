"""Telling a keyboard-wedge scanner from a person: a USB HID scanner "types" its code as key
presses a few milliseconds apart and ends it with Enter (or Tab); a person types a key every
100 ms or more. A scan is a burst of at least ``min_length`` characters, each within
``max_interval_ms`` of the one before, ended by the terminator within that interval too.
What was typed is not looked at (a scanned "1234" and a typed "1234" differ only in timing).

Plain Python, fed with (text, time in ms) per key press, so it is tested without Qt; the Qt
event filter in ui/ feeds it and acts on the result.
"""

from __future__ import annotations

from dataclasses import dataclass

TERMINATOR_KEYS = {"enter": ("\r", "\n"), "tab": ("\t",)}


@dataclass(frozen=True)
class Scan:
    text: str
    #: from the first character to the terminator
    duration_ms: float

    @property
    def chars_per_second(self) -> float:
        return len(self.text) / (self.duration_ms / 1000) if self.duration_ms > 0 else float("inf")


class WedgeDetector:
    def __init__(self, *, max_interval_ms: float = 40, min_length: int = 6, terminator: str = "enter"):
        if terminator not in TERMINATOR_KEYS:
            raise ValueError(f"terminator must be one of {', '.join(TERMINATOR_KEYS)}")
        self.max_interval_ms = max_interval_ms
        self.min_length = min_length
        self.terminators = TERMINATOR_KEYS[terminator]
        self._burst: list[str] = []
        self._started: float | None = None
        self._last: float | None = None

    def reset(self) -> None:
        self._burst.clear()
        self._started = self._last = None

    @property
    def pending(self) -> str:
        """The characters of the burst so far (a scan in progress, or fast typing)."""
        return "".join(self._burst)

    def in_burst(self, at_ms: float) -> bool:
        """Whether a key at ``at_ms`` would continue the current burst."""
        return self._last is not None and at_ms - self._last <= self.max_interval_ms

    def is_terminator(self, text: str) -> bool:
        return text in self.terminators

    def key(self, text: str, at_ms: float) -> Scan | None:
        """One key press (its text; "\\r" for Enter, "\\t" for Tab). Returns the Scan that
        this key completed, else None."""
        if self.is_terminator(text):
            scan = None
            if self._burst and self.in_burst(at_ms) and len(self._burst) >= self.min_length:
                scan = Scan(self.pending, at_ms - (self._started or at_ms))
            self.reset()
            return scan
        if not text or not text.isprintable():
            self.reset()  # a control key (arrows, backspace): a person
            return None
        if not self.in_burst(at_ms):
            self._burst.clear()
            self._started = at_ms
        self._burst.append(text)
        self._last = at_ms
        return None
