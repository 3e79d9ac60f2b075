"""The group-robot webhook against a local HTTP server on 127.0.0.1: payload, retries with
backoff, refusals, timeouts, a bounded queue, DingTalk signing, and never blocking the caller."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kiosk.notify import LogNotifier, MultiNotifier, Notification, WebhookNotifier, build_notifier
from kiosk.notify.webhook import MAX_CONTENT_BYTES

NOTE = Notification("fault_opened", "【自助终端故障】大厅自助终端 1 号 打印机缺纸", ("处理人：张三（A岗）", "建议：更换纸卷"))


class Robot:
    """A stand-in for a WeCom/DingTalk robot. ``script`` gives one answer per request
    (status, body, delay); after it runs out every request gets ``{"errcode":0}``."""

    def __init__(self):
        self.script: list[tuple[int, dict | str, float]] = []
        self.requests: list[dict] = []
        self.lock = threading.Lock()
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with robot.lock:
                    robot.requests.append(
                        {"path": self.path, "headers": dict(self.headers), "body": body, "at": time.monotonic()}
                    )
                    status, answer, delay = robot.script.pop(0) if robot.script else (200, {"errcode": 0, "errmsg": "ok"}, 0)
                if delay:
                    time.sleep(delay)
                data = (json.dumps(answer) if isinstance(answer, dict) else answer).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up (timeout)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        # Stops by itself even if a test forgets to.
        self.watchdog = threading.Timer(60, self.server.shutdown)
        self.watchdog.daemon = True

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/cgi-bin/webhook/send?key=test-key"

    def json(self, index: int = 0) -> dict:
        return json.loads(self.requests[index]["body"].decode("utf-8"))

    def start(self):
        self.thread.start()
        self.watchdog.start()
        return self

    def stop(self):
        self.watchdog.cancel()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


@pytest.fixture
def robot():
    server = Robot().start()
    yield server
    server.stop()


@pytest.fixture
def make_notifier():
    made = []

    def make(url, **options):
        options.setdefault("backoff", 0.05)
        options.setdefault("timeout", 2.0)
        notifier = WebhookNotifier(url, **options)
        made.append(notifier)
        return notifier

    yield make
    for notifier in made:
        notifier.close(1.0)


def test_a_text_message_in_the_shape_both_robots_take(robot, make_notifier):
    notifier = make_notifier(robot.url)
    notifier.send(NOTE)
    assert notifier.flush(5)
    [request] = robot.requests
    assert request["path"] == "/cgi-bin/webhook/send?key=test-key"
    assert request["headers"]["Content-Type"].startswith("application/json")
    assert robot.json() == {"msgtype": "text", "text": {"content": NOTE.text}}
    assert "打印机缺纸" in robot.json()["text"]["content"]
    assert (notifier.delivered, notifier.failed, notifier.history[-1].attempts) == (1, 0, 1)


def test_server_errors_are_retried_with_growing_waits(robot, make_notifier):
    robot.script = [(500, "oops", 0), (502, "bad gateway", 0), (200, {"errcode": 0}, 0)]
    notifier = make_notifier(robot.url, backoff=0.1)
    notifier.send(NOTE)
    assert notifier.flush(10)
    times = [r["at"] for r in robot.requests]
    assert len(times) == 3 and notifier.delivered == 1 and notifier.history[-1].attempts == 3
    first_wait, second_wait = times[1] - times[0], times[2] - times[1]
    assert first_wait >= 0.1 and second_wait >= 0.2, "exponential backoff: 0.1 s, then 0.2 s"


def test_a_rate_limit_answer_is_retried_and_a_wrong_key_is_not(robot, make_notifier):
    robot.script = [(200, {"errcode": 45009, "errmsg": "api freq out of limit"}, 0)]
    limited = make_notifier(robot.url)
    limited.send(NOTE)
    assert limited.flush(5) and limited.delivered == 1 and len(robot.requests) == 2

    robot.script = [(200, {"errcode": 93000, "errmsg": "invalid webhook url"}, 0)]
    wrong = make_notifier(robot.url)
    wrong.send(NOTE)
    assert wrong.flush(5)
    assert (wrong.delivered, wrong.failed) == (0, 1) and len(robot.requests) == 3
    assert "errcode 93000" in wrong.history[-1].error


def test_a_client_error_is_not_retried(robot, make_notifier):
    robot.script = [(404, "no such robot", 0)]
    notifier = make_notifier(robot.url)
    notifier.send(NOTE)
    assert notifier.flush(5) and notifier.failed == 1 and len(robot.requests) == 1
    assert notifier.history[-1].error == "HTTP 404"


def test_a_slow_robot_times_out_gives_up_after_max_attempts_and_never_blocks_the_caller(robot, make_notifier):
    robot.script = [(200, {"errcode": 0}, 1.0)] * 3
    notifier = make_notifier(robot.url, timeout=0.2, max_attempts=3, backoff=0.01)
    started = time.monotonic()
    for _ in range(3):
        notifier.send(NOTE)
    assert time.monotonic() - started < 0.1, "send() returns at once"
    assert notifier.flush(15)
    assert notifier.history[0].ok is False and notifier.history[0].attempts == 3
    assert "network" in notifier.history[0].error


def test_an_unreachable_robot_fails_after_retries(make_notifier):
    notifier = make_notifier("http://127.0.0.1:9/unreachable", max_attempts=2)
    notifier.send(NOTE)
    assert notifier.flush(10)
    assert (notifier.failed, notifier.attempts) == (1, 2)


def test_the_queue_is_bounded(robot, make_notifier):
    robot.script = [(200, {"errcode": 0}, 0.5)]
    notifier = make_notifier(robot.url, queue_size=2)
    for _ in range(6):
        notifier.send(NOTE)
    assert notifier.flush(10)
    assert notifier.dropped >= 3 and notifier.delivered + notifier.dropped == 6


def test_close_does_not_wait_for_ever(make_notifier):
    notifier = make_notifier("http://127.0.0.1:9/unreachable", max_attempts=20, backoff=5)
    notifier.send(NOTE)
    started = time.monotonic()
    notifier.close(0.5)
    assert time.monotonic() - started < 3
    notifier.send(NOTE)  # after close: logged, not queued, no error
    assert notifier.failed <= 2


def test_dingtalk_signing(robot, make_notifier):
    notifier = make_notifier(robot.url, secret="SECabc123", now_ms=lambda: 1700000000000)
    notifier.send(NOTE)
    assert notifier.flush(5)
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(robot.requests[0]["path"]).query)
    assert query["key"] == ["test-key"] and query["timestamp"] == ["1700000000000"]
    expected = base64.b64encode(
        hmac.new(b"SECabc123", b"1700000000000\nSECabc123", hashlib.sha256).digest()
    ).decode()
    assert query["sign"] == [expected]


def test_long_messages_are_cut_to_the_robots_limit(robot, make_notifier):
    notifier = make_notifier(robot.url)
    notifier.send(Notification("test", "标题", ("很长的内容" * 400,)))
    assert notifier.flush(5)
    content = robot.json()["text"]["content"]
    assert len(content.encode("utf-8")) <= MAX_CONTENT_BYTES and content.endswith("…")


def test_build_notifier_follows_the_configuration(data_dir, robot):
    from dataclasses import replace

    from kiosk.config import load_config

    config = load_config(env={"KIOSK_DATA_DIR": str(data_dir)})
    assert isinstance(build_notifier(config), LogNotifier)
    with_robot = build_notifier(replace(config, notify=replace(config.notify, webhook_url=robot.url)))
    try:
        assert isinstance(with_robot, MultiNotifier)
        with_robot.send(NOTE)
        with_robot.notifiers[1].flush(5)
        assert robot.json()["text"]["content"] == NOTE.text
    finally:
        with_robot.close(1)


def test_a_new_fault_reaches_the_robot_naming_its_maintainer(robot, make_notifier, database, data_dir):
    from kiosk.clock import ManualClock
    from kiosk.config import load_config
    from kiosk.devices import DeviceService
    from maintenance_support import add_people

    config = load_config(env={"KIOSK_DATA_DIR": str(data_dir)})
    notifier = make_notifier(robot.url)
    devices = DeviceService(config, database, notifier=notifier, clock=ManualClock())
    add_people(devices.staff)
    devices.monitor.report("printer", "print_failed", detail="缺纸 / paper out")
    assert notifier.flush(5)
    content = robot.json()["text"]["content"]
    assert content.startswith("【自助终端故障】大厅自助终端 1 号 打印机打印失败")
    assert "处理人：张三（A岗）" in content and "kiosk faults ack 1" in content
    devices.close()
