"""Helpers for the staff, devices, notify and maintainer-mode tests (importable: tests/ is on
pytest's pythonpath)."""

from __future__ import annotations

A, B, ADMIN = "1001", "1002", "9001"
PINS = {A: "246810", B: "135792", ADMIN: "975310"}


def add_people(staff) -> None:
    """A (张三), B (李四) and an admin (王主任), with A and B assigned to this terminal."""
    staff.add(A, "张三", ["maintainer"], pin=PINS[A])
    staff.add(B, "李四", ["maintainer"], pin=PINS[B])
    staff.add(ADMIN, "王主任", ["admin"], pin=PINS[ADMIN])
    staff.assign_terminal(A, B)


def sent(notifier, event=None):
    return [n for n in notifier.sent if event is None or n.event == event]
