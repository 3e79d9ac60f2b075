"""Helpers for tests (importable as `support`: tests/ is on pytest's pythonpath)."""

from __future__ import annotations

import json
from pathlib import Path

TESTS_DIR = Path(__file__).parent
SMALL_CATALOG = TESTS_DIR / "catalog" / "small_catalog.json"


def write_json(path: Path, document) -> Path:
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def make_shell(qtbot, services, size=(1080, 1920), *, printer_uri: str | None = None):
    """A kiosk window on the given services (a generator for fixtures: yields, then cleans up)."""
    from dataclasses import replace

    from ui.app import create_application
    from ui.app import KioskWindow

    if printer_uri:
        services.config = replace(services.config, printer=replace(services.config.printer, uri=printer_uri))
    create_application()
    shell = KioskWindow(services, size=size)
    qtbot.addWidget(shell)
    shell.resize(*size)
    shell.show()
    yield shell
    shell.allow_close = True
    shell.pools.wait()


def dialog_is(shell, name: str):
    """For qtbot.waitUntil: the overlay dialog now open is ``name``."""
    return lambda: shell.overlays.dialog_name() == name
