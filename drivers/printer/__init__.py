"""Thermal receipt printers (ESC/POS)."""
