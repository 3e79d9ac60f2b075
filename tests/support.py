"""Helpers for tests (importable as `support`: tests/ is on pytest's pythonpath)."""

from __future__ import annotations

import json
from pathlib import Path

TESTS_DIR = Path(__file__).parent
SMALL_CATALOG = TESTS_DIR / "catalog" / "small_catalog.json"


def write_json(path: Path, document) -> Path:
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    return path
