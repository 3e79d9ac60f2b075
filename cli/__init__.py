"""The `kiosk` command line. Each feature registers its sub-commands from its own module."""
