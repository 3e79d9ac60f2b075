"""Demo staff for development data (`make run`, `kiosk staff demo`): one red-vest helper and
one maintainer with known PINs, so a newcomer can try helper mode and maintainer mode.

Never for a real terminal: the PINs are printed and written in the README.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.staff.service import StaffService


@dataclass(frozen=True)
class DemoStaff:
    id: str
    name: str
    roles: tuple[str, ...]
    pin: str
    mode: str  # what signing in opens


DEMO_STAFF = (
    DemoStaff("9001", "示例帮办王红", ("helper",), "246813", "帮办模式 / helper mode"),
    DemoStaff("9002", "示例维护李工", ("maintainer",), "135792", "维护模式 / maintainer mode"),
)


def ensure_demo_staff(service: StaffService, *, actor: str = "system") -> list[DemoStaff]:
    """Create the demo staff, or give them back their demo PIN and enable them; the maintainer
    becomes this terminal's A post when it has none. Idempotent."""
    for person in DEMO_STAFF:
        if service.get(person.id) is None:
            service.add(person.id, person.name, person.roles, pin=person.pin, actor=actor)
        else:
            service.set_pin(person.id, person.pin, actor=actor)
            service.set_active(person.id, True, actor=actor)
    maintainer = next(p for p in DEMO_STAFF if "maintainer" in p.roles)
    if service.assignment().a is None:
        service.assign_terminal(maintainer.id, None, actor=actor)
    return list(DEMO_STAFF)
