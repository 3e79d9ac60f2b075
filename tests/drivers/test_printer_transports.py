"""Transports on their own: URIs, TCP (jammed peer, silent peer, closed peer), serial over a
pseudo-terminal, file (a device node that stops taking data), and the sim:// printer."""

from __future__ import annotations

import os
import socket
import threading
import time

import pytest
from PIL import Image

from drivers.printer.device import ReceiptPrinter
from drivers.printer.document import Document
from drivers.printer.errors import DisconnectedError, PrinterFaultError, PrinterTimeoutError, PrinterUriError
from drivers.printer.escpos import dle_eot
from drivers.printer.transports import SimState, SimTransport
from drivers.printer.status import StatusKind
from drivers.printer.transports import (
    FileTransport,
    SerialTransport,
    TcpTransport,
    create_transport,
    parse_printer_uri,
)


def big_slip(lines: int = 400) -> Document:
    doc = Document("big")
    for i in range(lines):
        doc.text(f"{i:03d} 一次性告知单 材料清单 ———— 𠮷")  # 𠮷: every line is an image (raster data)
    return doc.cut()


class Server:
    """A TCP peer for the transport: mode "jam" accepts and never reads, "silent" reads and
    never answers, "close" closes each connection at once."""

    def __init__(self, mode: str):
        self.mode = mode
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(4)
        self.port = self.listener.getsockname()[1]
        self.received = bytearray()
        self.connections: list[socket.socket] = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    @property
    def uri(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    def _run(self):
        self.listener.settimeout(0.05)
        while not self.stopping.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:
                continue
            self.connections.append(conn)
            if self.mode == "close":
                conn.close()
            elif self.mode == "silent":
                threading.Thread(target=self._drain, args=(conn,), daemon=True).start()

    def _drain(self, conn):
        conn.settimeout(0.05)
        while not self.stopping.is_set():
            try:
                data = conn.recv(65536)
            except OSError:
                continue
            if not data:
                return
            self.received += data

    def stop(self):
        self.stopping.set()
        self.thread.join(2)
        for conn in self.connections:
            conn.close()
        self.listener.close()


@pytest.fixture
def server_factory():
    servers = []

    def make(mode):
        server = Server(mode)
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


# --- URIs --------------------------------------------------------------------------------------


def test_uri_schemes():
    tcp = create_transport("tcp://10.0.0.9")
    assert isinstance(tcp, TcpTransport) and (tcp.host, tcp.port) == ("10.0.0.9", 9100)
    assert create_transport("tcp://printer.local:9101").port == 9101
    serial = create_transport("serial:///dev/ttyUSB0?baudrate=19200&rtscts=1")
    assert isinstance(serial, SerialTransport)
    assert serial.port == "/dev/ttyUSB0" and serial.settings["baudrate"] == 19200 and serial.settings["rtscts"]
    assert isinstance(create_transport("file:///dev/usb/lp0"), FileTransport)
    sim = create_transport("sim:///tmp/somewhere")
    assert isinstance(sim, SimTransport) and str(sim.folder) == "/tmp/somewhere"
    assert str(create_transport("sim://", default_sim_folder="/tmp/d").folder) == "/tmp/d"
    assert parse_printer_uri("SIM://").scheme == "sim"


@pytest.mark.parametrize(
    "uri",
    ["lp0", "ipp://printer/queue", "tcp://", "tcp://host:port", "sim://", "serial://", "serial:///dev/ttyS0?parity=X", "file://"],
)
def test_bad_uris_are_refused_with_a_reason(uri):
    with pytest.raises(PrinterUriError):
        create_transport(uri)


# --- TCP ---------------------------------------------------------------------------------------


def test_tcp_refused_connection_is_disconnected():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nobody listens there now
    printer = ReceiptPrinter(f"tcp://127.0.0.1:{port}", "generic-80", timeout=0.5)
    status = printer.read_status()
    assert status.primary is StatusKind.DISCONNECTED
    with pytest.raises(DisconnectedError):
        printer.print(Document().text("x"))


def test_tcp_jammed_printer_is_an_error_within_the_timeout(server_factory):
    server = server_factory("jam")
    transport = TcpTransport("127.0.0.1", server.port)
    transport.open(1.0)
    started = time.monotonic()
    with pytest.raises(PrinterTimeoutError):
        transport.write(b"\x00" * 20_000_000, timeout=0.5)
    assert time.monotonic() - started < 3
    transport.close()


def test_tcp_jammed_printer_fails_the_job_without_hanging(server_factory):
    server = server_factory("jam")
    printer = ReceiptPrinter(server.uri, "basic-58", timeout=0.5)  # no status: only the write can tell
    started = time.monotonic()
    with pytest.raises(PrinterTimeoutError) as caught:
        for _ in range(20):  # the socket buffers take the first jobs; a jammed printer fills them
            printer.print(big_slip())
    printer.close()
    assert caught.value.kind is StatusKind.TIMEOUT
    assert time.monotonic() - started < 20


def test_tcp_silent_printer_is_no_response(server_factory):
    server = server_factory("silent")
    printer = ReceiptPrinter(server.uri, "generic-80", timeout=0.5, status_timeout=0.3)
    started = time.monotonic()
    status = printer.read_status()
    printer.close()
    assert status.primary is StatusKind.NO_RESPONSE
    assert time.monotonic() - started < 2
    time.sleep(0.1)
    assert bytes(server.received) == dle_eot(1)


def test_tcp_peer_closing_is_noticed_before_a_job(server_factory):
    server = server_factory("close")
    transport = TcpTransport("127.0.0.1", server.port)
    transport.open(1.0)
    time.sleep(0.2)  # the FIN arrives
    with pytest.raises(DisconnectedError):
        transport.write(b"data", 0.5)
    transport.close()


# --- serial over a pseudo-terminal ------------------------------------------------------------


def test_serial_transport_writes_reads_and_times_out():
    master, slave = os.openpty()
    try:
        name = os.ttyname(slave)
        transport = create_transport(f"serial://{name}?baudrate=115200")
        transport.open(0.5)
        transport.write(dle_eot(1), 0.5)
        assert os.read(master, 16) == dle_eot(1)
        os.write(master, b"\x12")
        assert transport.read(1, 0.5) == b"\x12"
        started = time.monotonic()
        assert transport.read(1, 0.2) == b""  # nothing more: a timeout, not a hang
        assert time.monotonic() - started < 1
        transport.close()
    finally:
        os.close(master)
        os.close(slave)


def test_serial_missing_port_is_disconnected(tmp_path):
    transport = create_transport(f"serial://{tmp_path}/ttyUSB9")
    with pytest.raises(DisconnectedError):
        transport.open(0.5)


# --- file --------------------------------------------------------------------------------------


def test_file_transport_collects_bytes_and_cannot_read(tmp_path):
    out = tmp_path / "printer.bin"
    printer = ReceiptPrinter(f"file://{out}", "generic-80")
    status = printer.read_status()
    assert status.primary is StatusKind.UNKNOWN and status.can_print  # a plain file can't answer
    printer.print(Document().text("告知单").cut())
    assert "告知单".encode("gb18030") in out.read_bytes()


def test_file_device_that_stops_taking_data_times_out():
    # A pipe stands in for /dev/usb/lp0 of a stalled printer: nobody reads the other end.
    read_end, write_end = os.pipe()
    try:
        transport = FileTransport("/dev/fake-lp0")
        transport._fd = write_end  # opened as the device would be (non-blocking)
        os.set_blocking(write_end, False)
        started = time.monotonic()
        with pytest.raises(PrinterTimeoutError):
            transport.write(b"\x00" * 1_000_000, 0.3)
        assert time.monotonic() - started < 2
    finally:
        os.close(read_end)
        os.close(write_end)


def test_file_unplugged_device_is_disconnected():
    with pytest.raises(DisconnectedError, match="unplugged"):
        FileTransport("/dev/usb/lp-does-not-exist").open(0.5)


# --- sim:// ------------------------------------------------------------------------------------


def notice() -> Document:
    return (
        Document("一次性告知单-TEST")
        .text("永城市政务服务中心", bold=True, size=2, align="center", fit=True)
        .text("一次性告知单", size=2, align="center")
        .rule()
        .text("事项名称：个体工商户设立登记")
        .qr("https://m.hnzwfw.gov.cn/ysb/guide/1141148100492981054010005", caption="手机扫码")
        .cut()
    )


def test_sim_printer_writes_the_slip_as_png(tmp_path):
    printer = ReceiptPrinter(f"sim://{tmp_path}", "generic-80")
    result = printer.print(notice())
    assert result.confirmed
    slips = SimTransport(tmp_path).slips()
    assert len(slips) == 1
    with Image.open(slips[0]) as image:
        assert image.width == 576 and image.height > 300
        histogram = image.convert("L").histogram()
    assert histogram[0] > 3000 and histogram[255] > histogram[0]  # ink, on mostly white paper
    assert slips[0].with_suffix(".bin").read_bytes().startswith(b"\x1b@\x1c&")
    assert "告知单" in slips[0].name


def test_sim_printer_honours_its_state_file(tmp_path):
    printer = ReceiptPrinter(f"sim://{tmp_path}", "generic-58", status_timeout=0.2)
    SimState(paper="out").save(tmp_path)  # as `kiosk printer sim --paper out` does
    with pytest.raises(PrinterFaultError) as caught:
        printer.print(notice())
    assert caught.value.kind is StatusKind.PAPER_OUT
    assert SimTransport(tmp_path).slips() == []
    SimState(paper="near").save(tmp_path)
    result = printer.print(notice())
    assert result.warnings == (StatusKind.PAPER_NEAR_END,)
    with Image.open(SimTransport(tmp_path).slips()[0]) as image:
        assert image.width == 384
    SimState(cover_open=True).save(tmp_path)
    assert printer.read_status().primary is StatusKind.COVER_OPEN
    SimState(silent=True).save(tmp_path)
    assert printer.read_status().primary is StatusKind.NO_RESPONSE
    SimState(disconnected=True).save(tmp_path)
    assert printer.read_status().primary is StatusKind.DISCONNECTED
    SimState().save(tmp_path)
    assert printer.read_status().ok


def test_sim_stall_times_out(tmp_path):
    printer = ReceiptPrinter(f"sim://{tmp_path}", "generic-80", timeout=0.3)
    SimState(stall=True).save(tmp_path)
    with pytest.raises(PrinterTimeoutError):
        printer.print(notice())


def test_sim_state_file_is_robust(tmp_path):
    (tmp_path / "state.json").write_text("{not json", encoding="utf-8")
    assert SimState.load(tmp_path) == SimState()
    with pytest.raises(ValueError):
        SimState(paper="empty")
    state = SimState(paper="near", cutter_error=True)
    state.save(tmp_path)
    assert SimState.load(tmp_path) == state
    assert "paper=near" in state.describe() and "cutter_error" in state.describe()
