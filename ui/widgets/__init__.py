"""Reusable widgets of the kiosk: labels, cards, touch scrolling, keyboard, QR codes."""
