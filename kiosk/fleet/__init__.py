"""Fleet: the terminal as a client of a center server (docs/fleet.md)."""
