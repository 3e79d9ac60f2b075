"""The center side: the server that many terminals share (see docs/fleet.md) and its staff
web console (center/console, docs/console.md)."""
