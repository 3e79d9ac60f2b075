"""A screen of the kiosk, and the registry the app fills with its screens.

A screen stands alone: it knows the shell's public interface (ui/shell.py: navigation, the
idle timer, the footer, signals) and the services it was given, never another screen or a
feature's attributes. The app (ui/app.py) registers each screen with a factory; the shell
builds a screen the first time it is shown (or asked for), so starting the kiosk builds only
the home screen.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from ui.qt import QWidget
from ui.theme import Theme

if TYPE_CHECKING:
    from kiosk.app import Application
    from kiosk.services import KioskServices
    from ui.shell import Shell


class Screen(QWidget):
    """A page of the kiosk. Subclasses build their widgets once and refill them on enter()."""

    name = ""
    #: a screen the citizen can be sent "back" to
    keep_in_history = True

    def __init__(self, shell: Shell):
        super().__init__()
        self.shell = shell
        self.services: KioskServices = shell.services
        #: every feature's service (kiosk/app.py); ``services`` keeps the calls that combine
        #: features (slips) or check a staff role
        self.app: Application = shell.app
        self.setObjectName(f"screen_{self.name}")

    def enter(self, **params) -> None:
        """Called each time the screen is shown, with the navigation parameters."""

    def reset(self) -> None:
        """Forget everything the citizen entered or looked at (inactivity, session end)."""

    def apply_theme(self, theme: Theme) -> None:
        """Re-size what a style sheet cannot (fixed pixmaps, column counts)."""

    def speech_text(self) -> str:
        """What 朗读 reads on this screen (ui/speech.py); empty: the visible title and headings."""
        return ""

    def handle_scan(self, text: str) -> bool:
        """A code a scanner read while this screen shows (ui/scanning.py): True when the screen
        took it; otherwise a 办件 code opens 进度查询."""
        return False

    def context_item(self):
        """The catalog item the citizen is looking at on this screen, if any (a help call
        names it; helper mode's actions print it)."""
        return None


ScreenFactory = Callable[["Shell"], Screen]


def lazy_screen(path: str, *args) -> ScreenFactory:
    """A factory for the screen class at ``path`` ("ui.screens.progress:ProgressScreen") that
    imports its module only when the screen is first built, so that starting the kiosk imports
    the home screen's module and not every screen's; ``args`` follow the shell."""
    module_name, _, class_name = path.partition(":")

    def build(shell: Shell) -> Screen:
        return getattr(importlib.import_module(module_name), class_name)(shell, *args)

    build.__qualname__ = f"lazy_screen({path!r})"
    return build


class ScreenRegistry:
    """The app's screens by name: each registered with a factory, built once, on first use.

    ``registry[name]`` builds the screen if it was not built yet; ``built()`` lists only the
    screens that exist (a screen never shown has nothing to reset or re-theme).
    ``on_built(name, hook)`` lets the app attach something to a screen when it is built.
    """

    def __init__(self, shell: Shell, placed: Callable[[Screen], None]):
        self._shell = shell
        self._placed = placed  # the shell adds a new screen to its stack and themes it
        self._factories: dict[str, ScreenFactory] = {}
        self._hooks: dict[str, list[Callable[[Screen], None]]] = {}
        self._built: dict[str, Screen] = {}

    def register(self, name: str, factory: ScreenFactory) -> None:
        if name in self._factories:
            raise ValueError(f"screen {name!r} registered twice")
        self._factories[name] = factory

    def on_built(self, name: str, hook: Callable[[Screen], None]) -> None:
        self._hooks.setdefault(name, []).append(hook)
        if name in self._built:
            hook(self._built[name])

    def __contains__(self, name: object) -> bool:
        return name in self._factories

    def __getitem__(self, name: str) -> Screen:
        screen = self._built.get(name)
        if screen is None:
            if name not in self._factories:
                raise KeyError(name)
            screen = self._factories[name](self._shell)
            if screen.name != name:
                raise ValueError(f"the factory of {name!r} built a screen named {screen.name!r}")
            self._built[name] = screen
            self._placed(screen)
            for hook in self._hooks.get(name, ()):
                hook(screen)
        return screen

    def forget_built(self) -> None:
        """Forget the built screens (the shell has taken them out: a new language); each is
        built again, hooks and all, when next asked for."""
        self._built.clear()

    def names(self) -> list[str]:
        return list(self._factories)

    def is_built(self, name: str) -> bool:
        return name in self._built

    def built(self) -> Iterator[Screen]:
        return iter(list(self._built.values()))
