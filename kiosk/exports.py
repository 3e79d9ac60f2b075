"""Lazy re-exports for a package's ``__init__`` (PEP 562).

A package that re-exports names from its submodules imports all of them as soon as any submodule
is imported (``kiosk.config`` needs ``kiosk.hours.schedule``, not the calendar behind
``kiosk.hours.service``). With ``__getattr__ = lazy_exports(globals(), {...})`` a name's submodule
is imported the first time the name is asked for; the kiosk's start-up imports only what its first
screen uses (docs/performance.md).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from typing import Any


def lazy_exports(namespace: dict[str, Any], exports: dict[str, Iterable[str]]) -> Callable[[str], Any]:
    """``namespace``: the package's ``globals()``; ``exports`` maps a submodule (relative:
    "service") to the names the package re-exports from it. Returns the package's module
    ``__getattr__``."""
    package = namespace["__name__"]
    where = {name: module for module, names in exports.items() for name in names}

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        namespace[name] = value  # asked once
        return value

    return __getattr__
