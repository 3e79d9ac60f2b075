"""Drives the real kiosk shell for bench/bench_ui.py: the one place that knows screens' widgets.

Taps are real clicks (QTest) on the buttons a citizen touches; "done" conditions name the content
the citizen waits for.
"""

from __future__ import annotations

import sys
import time
from types import SimpleNamespace

from PySide6.QtTest import QTest

import ui.qt as qt_module
from kiosk.config import load_config
from ui import warm_up
from ui.app import build_shell
from ui.screenshots import settle

#: tap kind → what is measured
TAPS = {
    "open_item": "home → item (tap a result)",
    "print_preview": "item → print preview",
    "keystroke": "search keystroke → results",
    "progress": "progress query → answer",
}

PROGRESS_QUERY = ("YC2511170007", "5678")  # sample application, last 4 digits of its phone


def _quiet_offscreen_warning(mode, context, message) -> None:
    # The offscreen platform cannot resize a top-level window by its size hints and says so on
    # every screen change (thousands of lines per run); every other Qt message still shows.
    if "propagateSizeHints" not in message:
        print(message, file=sys.stderr)


qt_module.QtCore.qInstallMessageHandler(_quiet_offscreen_warning)


def qt_namespace() -> SimpleNamespace:
    names = {name: getattr(qt_module, name) for name in dir(qt_module) if name.startswith("Q") or name == "Qt"}
    return SimpleNamespace(QTest=QTest, **names)


class KioskDriver:
    def __init__(self, size: tuple[int, int]):
        config = load_config()
        self.shell = build_shell(config, size=size)
        self.shell.resize(*size)
        self.shell.show()
        settle(self.shell)
        # as `kiosk run` does after the first paint, long before a citizen taps (ui/warm_up.py)
        warm_up.start(self.shell)
        settle(self.shell, timeout=120)
        self.app = qt_module.QApplication.instance()

    def _click(self, widget) -> None:
        QTest.mouseClick(widget, qt_module.Qt.MouseButton.LeftButton)

    def _screen(self, name: str):
        return self.shell.screens[name]

    def _search(self, keys: str):
        screen = self.shell.go("search")
        settle(self.shell)
        screen.field.clear()
        for key in keys:
            screen.keyboard.keys[key].click()
        settle(self.shell)
        return screen

    def _first_result(self, screen):
        layout = screen.results_layout
        for i in range(layout.count()):
            widget = layout.itemAt(i).widget()
            if widget is not None and hasattr(widget, "clicked"):
                return widget
        raise RuntimeError("the search showed no result")

    def prepare(self, name: str):
        """Put the shell in the state before the tap; return (tap, done)."""
        if name == "open_item":
            screen = self._search("yyzz")
            row = self._first_result(screen)
            hit = screen.hits[0]
            item_screen = self._screen("item")
            return (lambda: self._click(row),
                    lambda: self.shell.current_screen() is item_screen and item_screen.title.text() == hit.name)
        if name == "print_preview":
            screen = self._screen("item")
            if self.shell.current_screen() is not screen:
                self._click(self._first_result(self._search("yyzz")))
                settle(self.shell)
            return (lambda: self._click(screen.print_button),
                    lambda: self.shell.overlays.dialog_name() == "preview")
        if name == "keystroke":
            screen = self._search("yyz")
            key = screen.keyboard.keys["z"]
            return (lambda: self._click(key),
                    lambda: screen.field.text() == "yyzz" and bool(screen.hits) and screen.results_layout.count() > 1)
        if name == "progress":
            self.shell.services.progress.unlock()
            screen = self.shell.go("progress")
            settle(self.shell)
            screen.query_another()
            screen.select_field("number")
            screen.keyboard.clear_key.click()
            for key in PROGRESS_QUERY[0].lower():
                screen.keyboard.keys[key].click()
            screen.select_field("verify")
            screen.keyboard.clear_key.click()
            for key in PROGRESS_QUERY[1]:
                screen.keyboard.keys[key].click()
            return (lambda: self._click(screen.query_button),
                    lambda: screen.pages.currentWidget() is screen.result_page)
        raise KeyError(name)

    def after(self, name: str) -> None:
        settle(self.shell)
        self.shell.overlays.close_all()
        self.flush_deletes()

    def flush_deletes(self) -> None:
        """Delete what deleteLater() queued, as the running event loop does between events
        (the benchmark pumps events with processEvents(), which leaves them queued)."""
        qt_module.QApplication.sendPostedEvents(None, qt_module.QEvent.Type.DeferredDelete)

    def visit(self) -> None:
        """One citizen: search, open an item, preview its notice, ask for progress, leave."""
        for name in ("keystroke", "open_item", "print_preview", "progress"):
            tap, done = self.prepare(name)
            tap()
            deadline = time.monotonic() + 10
            while not done():
                self.app.processEvents()
                if time.monotonic() > deadline:
                    raise TimeoutError(f"visit step {name} did not finish")
            self.after(name)
        self.reset()

    def reset(self) -> None:
        self.shell.reset_session()
        settle(self.shell)
        self.flush_deletes()

    def close(self) -> None:
        self.shell.allow_close = True
        self.shell.close()
        self.shell.pools.wait()
        self.shell.services.close()
