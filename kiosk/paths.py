"""Where the kiosk finds its shipped assets (sample data, calendar overrides, fonts, translations)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ENV_ASSETS_DIR = "KIOSK_ASSETS_DIR"


def assets_dir() -> Path:
    """``$KIOSK_ASSETS_DIR``, else the bundle's (PyInstaller), else the source tree's assets/."""
    env = os.environ.get(ENV_ASSETS_DIR)
    if env:
        return Path(env)
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "assets"
    return Path(__file__).resolve().parent.parent / "assets"


def sample_catalog() -> Path:
    return assets_dir() / "sample_center" / "catalog.json"
