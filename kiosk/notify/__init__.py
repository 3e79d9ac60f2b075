"""Notifications to the maintainers: a Notifier interface, a log-only notifier and a webhook
notifier for WeCom / DingTalk group robots (kiosk/notify/webhook.py)."""

from __future__ import annotations

from kiosk.config import Config
from kiosk.notify.base import EVENTS, LogNotifier, MultiNotifier, Notification, Notifier
from kiosk.notify.webhook import Delivery, WebhookNotifier, sign_url, text_payload


def build_notifier(config: Config) -> Notifier:
    """The log always; the group robot too when notify.webhook_url is set."""
    if not config.notify.webhook_url:
        return LogNotifier()
    return MultiNotifier(
        LogNotifier(),
        WebhookNotifier(
            config.notify.webhook_url,
            secret=config.notify.webhook_secret,
            timeout=config.notify.timeout_seconds,
            max_attempts=config.notify.max_attempts,
        ),
    )


__all__ = [
    "EVENTS",
    "Delivery",
    "LogNotifier",
    "MultiNotifier",
    "Notification",
    "Notifier",
    "WebhookNotifier",
    "build_notifier",
    "sign_url",
    "text_payload",
]
