"""The terminal's voice in the shell (来有迎声、问有答声、走有送声; EN 301 549 §5.1).

* a 朗读 button in the footer of every screen reads the screen: its ``speech_text()`` when it has
  one (the item's key lines, the progress answer), else its title and headings;
* a greeting when a visit starts (the first touch that leaves home, or elder mode), a farewell
  when the visit ends (the session resets);
* in elder mode (``speech.auto_read = "elder"``, the default) each screen is read when it opens;
* speech stops at once when the session resets, before the farewell.

The speaker (kiosk/speech) synthesises and plays on its own thread: nothing here blocks the UI.
"""

from __future__ import annotations

import logging

from kiosk.speech import NullSpeaker, make_speaker, texts
from ui.i18n import tr
from ui.qt import QLabel, QObject
from ui.widgets.basic import button

log = logging.getLogger(__name__)

#: screens a visit does not start on (staff sign-in, helper and maintainer modes)
STAFF_SCREEN_PREFIXES = ("staff", "maintainer", "helper", "admin")


def screen_text(screen) -> str:
    """What 朗读 reads on a screen: the screen's own ``speech_text()``, else the visible title and
    headings, in order."""
    text = screen.speech_text()
    if text:
        return text
    parts = []
    for widget in screen.findChildren(QLabel):
        if widget.property("role") in ("title", "heading") and widget.isVisibleTo(screen) and widget.text().strip():
            parts.append(widget.text().strip())
        if len(parts) >= 4:
            break
    return "。".join(parts)


class ShellSpeech(QObject):
    def __init__(self, shell, speaker=None):
        super().__init__(shell)
        self.shell = shell
        self.settings = shell.config.speech
        self.speaker = speaker if speaker is not None else make_speaker(self.settings)
        self.visit = False
        self.button = button(tr("朗读"), name="readAloudButton")
        self.button.setAccessibleName(tr("朗读本页"))
        self.button.clicked.connect(self.read_screen)
        self.button.setVisible(self.speaker.enabled)
        shell.screen_changed.connect(self._screen_changed)
        shell.session_reset.connect(self._session_reset)

    @property
    def enabled(self) -> bool:
        return self.speaker.enabled

    def language(self) -> str:
        return self.shell.language or self.shell.config.ui.language

    def say(self, text: str) -> None:
        if text and self.enabled:
            self.speaker.say(text, self.language())

    def auto_reading(self) -> bool:
        mode = self.settings.auto_read
        return mode == "always" or (mode == "elder" and self.shell.elder)

    def read_screen(self) -> None:
        self.say(screen_text(self.shell.current_screen()))

    def _screen_changed(self, name: str) -> None:
        if name.startswith(STAFF_SCREEN_PREFIXES):
            return
        greeting = ""
        if self.shell.session_active and not self.visit:
            self.visit = True
            greeting = texts.greeting(self.shell.center.name)
        body = screen_text(self.shell.current_screen()) if self.auto_reading() else ""
        if greeting or body:
            self.say(" ".join(t for t in (greeting, body) if t))

    def elder_changed(self, on: bool) -> None:
        """Elder mode switched on: greet if this starts the visit, and read the screen."""
        if on:
            greeting = "" if self.visit else texts.greeting(self.shell.center.name)
            self.visit = True
            body = screen_text(self.shell.current_screen()) if self.auto_reading() else ""
            self.say(" ".join(t for t in (greeting, body) if t))

    def screen_ready(self, screen) -> None:
        """A screen whose answer arrives later (the item, the progress result) calls this when it
        is shown, so that auto-reading reads the answer rather than "正在打开…"."""
        if self.auto_reading() and screen is self.shell.current_screen():
            self.say(screen_text(screen))

    def _session_reset(self) -> None:
        self.speaker.stop()
        if self.visit:
            self.visit = False
            self.say(texts.farewell())

    def stop(self) -> None:
        self.speaker.stop()

    def close(self) -> None:
        self.speaker.stop()
        close = getattr(self.speaker, "close", None)
        if close is not None:
            close()


def null_speech(shell) -> ShellSpeech:
    return ShellSpeech(shell, NullSpeaker())
