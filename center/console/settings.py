"""The console's configuration: the ``[console]`` section of the configuration file
(kiosk.config.ConsoleConfig; every key in docs/configuration.md and docs/console.md)."""

from __future__ import annotations

from kiosk.config import ConsoleConfig as ConsoleSettings

__all__ = ["ConsoleSettings"]
