"""Group-robot webhooks: WeCom (企业微信群机器人) and DingTalk (钉钉自定义机器人).

Both take the same JSON body for a text message::

    {"msgtype": "text", "text": {"content": "…"}}

and answer ``{"errcode": 0, "errmsg": "ok"}``. The content is cut to 2048 bytes of UTF-8 (the
WeCom limit). DingTalk robots secured by signing (加签) get ``timestamp`` and ``sign`` query
parameters: HMAC-SHA256 of "timestamp\\nsecret" keyed with the secret, base64, URL-encoded.

Delivery runs on one background thread with a bounded queue: ``send`` never blocks (a full
queue drops the newest message, logged), each POST has a timeout, and failures are retried with
exponential backoff (network errors, HTTP 5xx and 429, and the robots' rate-limit codes);
other refusals (a wrong key, HTTP 4xx) are not retried.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import queue
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.notify.base import Notification

log = logging.getLogger("kiosk.notify.webhook")

MAX_CONTENT_BYTES = 2048
#: errcodes that mean "too fast, try later": WeCom 45009, DingTalk 130101 and 410100, -1 busy
RETRY_ERRCODES = frozenset({-1, 45009, 130101, 410100})


def text_payload(notification: Notification) -> dict:
    return {"msgtype": "text", "text": {"content": truncate_utf8(notification.text, MAX_CONTENT_BYTES)}}


def truncate_utf8(text: str, limit: int) -> str:
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    cut = data[: limit - len("…".encode())].decode("utf-8", errors="ignore")
    return cut + "…"


def sign_url(url: str, secret: str, now_ms: int) -> str:
    """DingTalk's signed URL: adds timestamp and sign to the query."""
    string_to_sign = f"{now_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode("utf-8"), string_to_sign, hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    return f"{url}{'&' if '?' in url else '?'}timestamp={now_ms}&sign={sign}"


@dataclass(frozen=True)
class Delivery:
    """What happened to one message."""

    notification: Notification
    ok: bool
    attempts: int
    error: str = ""


class WebhookNotifier:
    def __init__(
        self,
        url: str,
        *,
        secret: str = "",
        timeout: float = 5.0,
        max_attempts: int = 5,
        backoff: float = 2.0,
        max_backoff: float = 300.0,
        queue_size: int = 100,
        payload: Callable[[Notification], dict] = text_payload,
        now_ms: Callable[[], int] = lambda: int(time.time() * 1000),
    ):
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"机器人地址应以 http:// 或 https:// 开头 / not an http(s) URL: {url!r}")
        self.url = url
        self.secret = secret
        self.timeout = timeout
        self.max_attempts = max(1, max_attempts)
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.payload = payload
        self.now_ms = now_ms
        self._queue: queue.Queue[Notification] = queue.Queue(maxsize=queue_size)
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._idle = threading.Condition(self._lock)
        self._in_flight = 0
        self.delivered = 0
        self.failed = 0
        self.dropped = 0
        self.attempts = 0
        #: the last deliveries, newest last (for the maintainer's info screen and tests)
        self.history: list[Delivery] = []

    # --- the caller's side -------------------------------------------------------------------

    def send(self, notification: Notification) -> None:
        if self._stop.is_set():
            log.error("webhook notifier closed; not sent: %s", notification.title)
            return
        with self._lock:
            try:
                self._queue.put_nowait(notification)
            except queue.Full:
                self.dropped += 1
                log.error("通知队列已满，丢弃 / notification queue full, dropped: %s", notification.title)
                return
            self._in_flight += 1
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="kiosk-webhook", daemon=True)
                self._thread.start()

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every queued message was delivered or given up; False on timeout."""
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._in_flight:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._idle.wait(remaining)
        return True

    def close(self, timeout: float = 2.0) -> None:
        """Give pending messages up to ``timeout`` seconds, then stop (retries stop waiting)."""
        self.flush(timeout)
        self._stop.set()
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    # --- the delivery thread -------------------------------------------------------------------

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                notification = self._queue.get(timeout=0.2)
            except queue.Empty:
                continue
            try:
                delivery = self._deliver(notification)
            except Exception as exc:  # noqa: BLE001 - the thread must survive anything
                log.exception("webhook delivery crashed")
                delivery = Delivery(notification, False, 0, repr(exc))
            with self._idle:
                self.history.append(delivery)
                del self.history[:-50]
                if delivery.ok:
                    self.delivered += 1
                else:
                    self.failed += 1
                self._in_flight -= 1
                self._idle.notify_all()
        # Closed: what is left is not delivered.
        with self._idle:
            while True:
                try:
                    self._queue.get_nowait()
                except queue.Empty:
                    break
                self._in_flight -= 1
                self.failed += 1
            self._idle.notify_all()

    def _deliver(self, notification: Notification) -> Delivery:
        body = json.dumps(self.payload(notification), ensure_ascii=False).encode("utf-8")
        error = ""
        for attempt in range(1, self.max_attempts + 1):
            self.attempts += 1
            ok, retry, error = self._post(body)
            if ok:
                log.info("通知已送达 / notification delivered (attempt %d): %s", attempt, notification.title)
                return Delivery(notification, True, attempt)
            if not retry or attempt == self.max_attempts:
                break
            wait = min(self.max_backoff, self.backoff * 2 ** (attempt - 1))
            log.warning("通知发送失败，%.1f 秒后重试 / delivery failed (%s), retry in %.1f s", wait, error, wait)
            if self._stop.wait(wait):
                break
        log.error("通知未能送达 / notification not delivered after %d attempt(s): %s (%s)", attempt, notification.title, error)
        return Delivery(notification, False, attempt, error)

    def _post(self, body: bytes) -> tuple[bool, bool, str]:
        """(delivered, worth retrying, error)."""
        url = sign_url(self.url, self.secret, self.now_ms()) if self.secret else self.url
        import urllib.error  # http.client and friends: only on a terminal that sends to a robot
        import urllib.request

        request = urllib.request.Request(
            url, data=body, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - configured URL
                text = response.read(65536).decode("utf-8", errors="replace")
        except urllib.error.HTTPError as exc:
            exc.close()
            return False, exc.code >= 500 or exc.code == 429, f"HTTP {exc.code}"
        except (urllib.error.URLError, OSError, TimeoutError) as exc:
            reason = getattr(exc, "reason", exc)
            return False, True, f"network: {reason}"
        try:
            answer = json.loads(text)
        except ValueError:
            return True, False, ""  # a plain webhook that answers 2xx without JSON
        errcode = answer.get("errcode", 0) if isinstance(answer, dict) else 0
        if errcode in (0, None):
            return True, False, ""
        return False, errcode in RETRY_ERRCODES, f"errcode {errcode}: {answer.get('errmsg', '')}"
