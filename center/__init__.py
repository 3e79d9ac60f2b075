"""The center side: the server that many terminals share (center/app.py, center/api; see
docs/fleet.md) and its staff web console (center/console, docs/console.md). It may import
kiosk's domain; kiosk never imports center."""
