"""People and a catalog for the helper tests (importable: tests/ is on pytest's pythonpath)."""

from __future__ import annotations

HELPER, HELPER2, MAINTAINER = "2001", "2002", "1001"
PINS = {HELPER: "246813", HELPER2: "135794", MAINTAINER: "246810"}
#: the small catalog's item with two required materials and one 容缺后补
ITEM = "411481-SCJG-001"
ITEM_NAME = "个体工商户设立登记"
FORM, ID_PROOF, PREMISES = "个体工商户登记（备案）申请书", "经营者身份证明", "经营场所使用证明"


def add_helpers(staff) -> None:
    staff.add(HELPER, "刘红梅", ["helper"], pin=PINS[HELPER])
    staff.add(HELPER2, "赵建国", ["helper"], pin=PINS[HELPER2])
    staff.add(MAINTAINER, "张三", ["maintainer"], pin=PINS[MAINTAINER])


def sent(notifier, event=None):
    return [n for n in notifier.sent if event is None or n.event == event]


class Robot:
    """A stand-in for a WeCom/DingTalk group robot on 127.0.0.1 (as in tests/notify): records
    every POST; ``delay`` seconds before answering."""

    def __init__(self, delay: float = 0.0):
        import json
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.delay = delay
        self.bodies: list[dict] = []
        self.received = threading.Event()
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                import time

                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if robot.delay:
                    time.sleep(robot.delay)
                robot.bodies.append(json.loads(body.decode("utf-8")))
                robot.received.set()
                data = b'{"errcode": 0, "errmsg": "ok"}'
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/cgi-bin/webhook/send?key=test"

    def texts(self) -> list[str]:
        return [b["text"]["content"] for b in self.bodies]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)
