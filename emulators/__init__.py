"""Device emulators for development and tests (not needed on a terminal)."""
