"""The kiosk's domain and services. Knows no Qt widgets; talks to devices only through drivers/."""

__version__ = "0.1.0"
