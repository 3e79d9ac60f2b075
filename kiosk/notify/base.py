"""What a notification is and the interface every way of sending one offers."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from kiosk.privacy import mask_personal_data

log = logging.getLogger("kiosk.notify")

#: events a notification can be about
EVENTS = ("fault_opened", "fault_escalated", "fault_recovered", "fault_resolved", "handover", "test",
          "complaint", "suggestion", "poor_rating",  # kiosk/feedback
          "help_call", "help_call_reraised", "help_call_taken", "help_call_cancelled", "help_call_expired",
          "proxy_request")  # kiosk/assistance (docs/helpers.md)


@dataclass(frozen=True)
class Notification:
    """A message for the maintainers' group chat: a title line and a few lines of facts.

    Title and lines are masked when the notification is made (``mask_personal_data``): a
    complaint's free text or an error message reaches the group chat and the log without a
    citizen's phone, ID number or name in it."""

    event: str
    title: str
    lines: tuple[str, ...] = ()
    fault_id: int | None = None
    terminal: str = ""
    #: names of the people it is meant for (named in the text)
    recipients: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        object.__setattr__(self, "title", mask_personal_data(self.title))
        object.__setattr__(self, "lines", tuple(mask_personal_data(str(line)) for line in self.lines))

    @property
    def text(self) -> str:
        return "\n".join((self.title, *self.lines))


@runtime_checkable
class Notifier(Protocol):
    """Sends notifications. ``send`` must return at once (never block the kiosk); delivery
    happens in the background. ``close`` gives pending deliveries up to ``timeout`` seconds."""

    def send(self, notification: Notification) -> None: ...

    def close(self, timeout: float = 2.0) -> None: ...


class LogNotifier:
    """Writes notifications to the log only (the default without a webhook)."""

    def __init__(self, logger: logging.Logger | None = None):
        self.log = logger or log
        self.sent: list[Notification] = []

    def send(self, notification: Notification) -> None:
        self.sent.append(notification)
        del self.sent[:-200]
        self.log.warning("通知 / notification [%s]: %s", notification.event, notification.text.replace("\n", " | "))

    def close(self, timeout: float = 2.0) -> None:
        pass


class MultiNotifier:
    """Sends each notification through several notifiers (the log and a webhook)."""

    def __init__(self, *notifiers: Notifier):
        self.notifiers = list(notifiers)

    def send(self, notification: Notification) -> None:
        for notifier in self.notifiers:
            try:
                notifier.send(notification)
            except Exception:  # noqa: BLE001 - one broken channel must not stop the others
                log.exception("notifier %r failed", notifier)

    def close(self, timeout: float = 2.0) -> None:
        for notifier in self.notifiers:
            notifier.close(timeout)
