"""Thermal receipt printers (ESC/POS)."""

import os

import platformdirs

# python-escpos caches its printer database (escpos-printer-db) as a pickle in a temporary
# folder unless told otherwise; a kiosk keeps it in its own cache folder.
_cache = os.environ.setdefault(
    "ESCPOS_CAPABILITIES_PICKLE_DIR", platformdirs.user_cache_dir("zwfw-kiosk", appauthor=False)
)
os.makedirs(_cache, exist_ok=True)  # python-escpos writes there without creating it
