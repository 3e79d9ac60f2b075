"""The ESC/POS emulator: decoding over a real TCP socket, status replies, failure modes."""

from __future__ import annotations

import argparse
import os
import queue
import random
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator

import pytest
import qrcode
from escpos.printer import Network
from PIL import Image

from emulators.escpos import (
    EmulatedPrinter,
    PrinterState,
    ReceivedJob,
    add_emulate_arguments,
    apply_console_command,
    decode_stream,
)

INIT = b"\x1b@"
CHINESE_ON = b"\x1c&"
CUT = b"\x1dV\x00"
DLE_EOT = {n: b"\x10\x04" + bytes([n]) for n in (1, 2, 3, 4)}
GS_R_1 = b"\x1dr\x01"
QR_URL = "https://m.hnzwfw.gov.cn/item/123"


# -- helpers ------------------------------------------------------------------------------------


@pytest.fixture
def make_printer() -> Iterator[Callable[..., EmulatedPrinter]]:
    started: list[EmulatedPrinter] = []

    def make(profile: str = "generic-80", **options) -> EmulatedPrinter:
        printer = EmulatedPrinter(profile, **options).start()
        started.append(printer)
        return printer

    yield make
    for printer in started:
        printer.stop()


@pytest.fixture
def printer(make_printer) -> EmulatedPrinter:
    return make_printer()


def connect(printer: EmulatedPrinter, timeout: float = 5.0) -> socket.socket:
    return socket.create_connection(("127.0.0.1", printer.port), timeout=timeout)


def send(printer: EmulatedPrinter, data: bytes) -> None:
    with connect(printer) as sock:
        sock.sendall(data)


def read_exactly(sock: socket.socket, count: int, timeout: float = 2.0) -> bytes:
    sock.settimeout(timeout)
    data = b""
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            break
        data += chunk
    return data


def read_nothing(sock: socket.socket, wait: float = 0.3) -> bytes:
    """What arrives within `wait` seconds (expected: nothing)."""
    sock.settimeout(wait)
    try:
        return sock.recv(16)
    except TimeoutError:
        return b""


def wait_until(condition: Callable[[], object], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.01)


def gb(text: str) -> bytes:
    return text.encode("gb18030")


def raster(image: Image.Image) -> bytes:
    """GS v 0 for a PIL image (black = printed dot)."""
    image = image.convert("1")
    width_bytes = (image.width + 7) // 8
    padded = Image.new("1", (width_bytes * 8, image.height), 1)
    padded.paste(image, (0, 0))
    dots = bytes(255 - b for b in padded.tobytes())  # PIL "1" has 1 = white
    return b"\x1dv0\x00" + struct.pack("<HH", width_bytes, image.height) + dots


def qr_image(payload: str) -> Image.Image:
    code = qrcode.QRCode(box_size=6, border=2)
    code.add_data(payload)
    return code.make_image().get_image()


def network_printer(printer: EmulatedPrinter) -> Network:
    return Network("127.0.0.1", port=printer.port, timeout=5)


# -- text ---------------------------------------------------------------------------------------


def test_chinese_text_in_gb18030_decodes_to_lines(printer):
    receipt = (
        INIT
        + CHINESE_ON
        + gb("县政务服务中心\n")
        + gb("办件编号：2024-000123\n")
        + gb("请凭此凭证到3号窗口取件。\n")
        + CUT
    )
    send(printer, receipt)

    (job,) = printer.wait_for_jobs(1)
    assert job.lines == ["县政务服务中心", "办件编号：2024-000123", "请凭此凭证到3号窗口取件。"]
    assert job.text == "\n".join(job.lines)
    assert job.undecodable == []
    assert job.chinese_mode_used
    assert job.cut


def test_chinese_split_across_tcp_segments_still_decodes(printer):
    data = CHINESE_ON + gb("政务服务¥\n") + CUT
    with connect(printer) as sock:
        for i in range(len(data)):
            sock.sendall(data[i : i + 1])
            time.sleep(0.002)

    (job,) = printer.wait_for_jobs(1)
    assert job.lines == ["政务服务¥"]
    assert job.undecodable == []


def test_image_split_across_tcp_segments_still_decodes(printer):
    data = raster(qr_image(QR_URL)) + b"after\n" + CUT
    with connect(printer) as sock:
        for start in range(0, len(data), 997):
            sock.sendall(data[start : start + 997])
            time.sleep(0.005)

    (job,) = printer.wait_for_jobs(1)
    assert job.qr_payloads == [QR_URL]
    assert job.lines == ["after"]
    assert job.unknown_commands == [] and job.warnings == []


def test_python_escpos_chinese_prints_on_a_printer_that_boots_in_chinese_mode(printer):
    p = network_printer(printer)
    p.textln("不动产登记")
    p.cut()
    p.close()

    (job,) = printer.wait_for_jobs(1)
    assert job.lines[0] == "不动产登记"
    assert job.undecodable == []
    assert not job.chinese_mode_used  # python-escpos sends no FS &
    assert job.chinese_mode_at_start


def test_without_chinese_mode_high_bytes_are_code_page_characters_and_flagged(make_printer):
    printer = make_printer(boots_in_chinese_mode=False)
    send(printer, INIT + gb("中文") + b" ok\n" + CUT)

    (job,) = printer.wait_for_jobs(1)
    assert job.undecodable == [gb("中文")]
    assert job.lines[0].endswith(" ok") and "中" not in job.lines[0]
    assert not job.chinese_mode_at_start


def test_gbk_profile_flags_a_four_byte_gb18030_sequence(make_printer):
    printer = make_printer("gbk-80")
    send(printer, INIT + CHINESE_ON + gb("金额：¥12.00\n") + CUT)

    (job,) = printer.wait_for_jobs(1)
    assert job.undecodable == [b"\x81\x30\x84\x36"]  # ¥ in GB18030: not GBK
    assert job.lines == ["金额：\ufffd12.00"]


def test_characters_beyond_the_printer_font_are_flagged(printer):
    send(printer, CHINESE_ON + gb("刘䶮 吉𠮷\n") + CUT)

    (job,) = printer.wait_for_jobs(1)
    assert job.lines == ["刘䶮 吉\ufffd"]  # 䶮: a four-byte code in the font; 𠮷: not in it
    assert job.undecodable == [gb("𠮷")]


def test_gbk_profile_prints_fullwidth_yen(make_printer):
    printer = make_printer("gbk-80")
    send(printer, INIT + CHINESE_ON + "金额：￥12.00\n".encode("gbk") + CUT)

    (job,) = printer.wait_for_jobs(1)
    assert job.lines == ["金额：￥12.00"]
    assert job.undecodable == []


def test_bold_centred_double_size_title(printer):
    send(
        printer,
        INIT
        + CHINESE_ON
        + b"\x1ba\x01\x1bE\x01\x1d!\x11"
        + gb("预约回执\n")
        + b"\x1bE\x00\x1d!\x00\x1ba\x00"
        + gb("姓名：张三\n")
        + CUT,
    )

    (job,) = printer.wait_for_jobs(1)
    title, body = job.styles
    assert title["bold"] and title["align"] == "center"
    assert title["double_width"] and title["double_height"]
    assert not body["bold"] and body["align"] == "left" and body["width"] == 1


def test_python_escpos_styles(printer):
    p = network_printer(printer)
    p.set(align="center", bold=True, double_height=True, double_width=True)
    p.textln("Receipt")
    p.set_with_default()
    p.textln("plain")
    p.cut()
    p.close()

    (job,) = printer.wait_for_jobs(1)
    assert job.lines[:2] == ["Receipt", "plain"]
    assert job.styles[0]["bold"] and job.styles[0]["align"] == "center" and job.styles[0]["double_height"]
    assert not job.styles[1]["bold"] and job.styles[1]["align"] == "left"


def test_alignment_in_the_middle_of_a_line_is_ignored(printer):
    send(printer, b"left \x1ba\x01still left\n" + CUT)

    (job,) = printer.wait_for_jobs(1)
    assert job.styles[0]["align"] == "left"
    assert any("ESC a" in warning for warning in job.warnings)


def test_a_line_wider_than_the_paper_wraps(printer):
    send(printer, b"x" * 60 + b"\n" + CHINESE_ON + gb("政" * 25) + b"\n" + CUT)

    (job,) = printer.wait_for_jobs(1)
    assert job.lines == ["x" * 48, "x" * 12, "政" * 24, "政"]
    assert [style["wrapped"] for style in job.styles] == [False, True, False, True]
    assert job.wrapped


def test_text_without_line_feed_is_not_printed(printer):
    send(printer, b"printed\nnever printed")

    (job,) = printer.wait_for_jobs(1)
    assert job.lines == ["printed"]
    assert not job.cut
    assert any("never printed" in warning for warning in job.warnings)


# -- QR codes and images ------------------------------------------------------------------------


def test_native_qr_code_payload(printer):
    p = network_printer(printer)
    p.textln("扫码查询办件进度")
    p.qr(QR_URL, native=True, size=6)
    p.cut()
    p.close()

    (job,) = printer.wait_for_jobs(1)
    assert job.qr_payloads == [QR_URL]
    assert job.qr_codes[0].source == "native" and job.qr_codes[0].module_size == 6
    assert [kind for kind, _ in job.elements] == ["line", "qr"]


def test_native_qr_is_not_printed_by_a_profile_without_it(make_printer):
    printer = make_printer("gbk-80")
    p = network_printer(printer)
    p.qr(QR_URL, native=True)
    p.textln("x")
    p.cut()
    p.close()

    (job,) = printer.wait_for_jobs(1)
    assert job.qr_payloads == []
    assert any("native QR" in warning for warning in job.warnings)


def test_raster_qr_image_is_decoded(printer):
    send(printer, INIT + b"\x1ba\x01" + raster(qr_image(QR_URL)) + b"\n" + CUT)

    (job,) = printer.wait_for_jobs(1)
    assert len(job.images) == 1 and job.images[0].mode == "1"
    assert job.qr_payloads == [QR_URL]
    assert job.qr_codes[0].source == "image"


def test_raster_qr_sent_in_bands_is_decoded(printer):
    image = qr_image("办件编号 2024-000123")
    bands = [image.crop((0, y, image.width, min(y + 24, image.height))) for y in range(0, image.height, 24)]
    send(printer, INIT + b"".join(raster(band) for band in bands) + CUT)

    (job,) = printer.wait_for_jobs(1)
    assert len(job.images) == len(bands)
    assert job.qr_payloads == ["办件编号 2024-000123"]


def test_python_escpos_image_qr_and_column_images_are_decoded(printer):
    p = network_printer(printer)
    p.qr(QR_URL, native=False, size=5)
    p.image(qr_image("column"), impl="bitImageColumn")
    p.cut()
    p.close()

    (job,) = printer.wait_for_jobs(1)
    assert job.qr_payloads == [QR_URL, "column"]
    assert len(job.images) == 2  # the ESC * bands are stacked into one image


def test_image_after_unterminated_text_is_ignored(printer):
    send(printer, b"text" + raster(qr_image("lost")) + b"\n" + CUT)

    (job,) = printer.wait_for_jobs(1)
    assert job.images == [] and job.qr_payloads == []
    assert any("GS v 0" in warning for warning in job.warnings)


def test_save_writes_text_and_images(printer, tmp_path):
    send(printer, b"hello\n" + raster(qr_image("saved")) + CUT)
    (job,) = printer.wait_for_jobs(1)

    paths = job.save(tmp_path)

    assert [p.name for p in paths] == ["job-001.txt", "job-001-image-1.png"]
    assert paths[0].read_text(encoding="utf-8") == "hello\n"
    with Image.open(paths[1]) as saved:
        assert saved.size == job.images[0].size


def test_jobs_are_saved_to_out_dir(make_printer, tmp_path):
    printer = make_printer(out_dir=tmp_path)
    send(printer, b"one\n" + CUT + b"two\n" + CUT)
    printer.wait_for_jobs(2)

    wait_until(lambda: (tmp_path / "job-002.txt").exists())
    assert (tmp_path / "job-001.txt").read_text(encoding="utf-8") == "one\n"


# -- jobs ---------------------------------------------------------------------------------------


def test_the_cut_ends_a_job(printer):
    with connect(printer) as sock:
        sock.sendall(INIT + b"first\n" + CUT + b"second\n" + b"\x1dVB\x00")
        jobs = printer.wait_for_jobs(2)
        assert [job.lines for job in jobs] == [["first"], ["second"]]
        assert all(job.cut for job in jobs)
        assert [job.cut_mode for job in jobs] == [0, 66]


def test_closing_the_connection_ends_a_job_without_cut(printer):
    send(printer, b"no cut\n")

    (job,) = printer.wait_for_jobs(1)
    assert job.lines == ["no cut"]
    assert not job.cut


def test_a_cut_on_a_profile_without_cutter_ends_the_job_but_does_not_cut(make_printer):
    printer = make_printer("generic-58")
    send(printer, b"tear here\n" + CUT)

    (job,) = printer.wait_for_jobs(1)
    assert not job.cut
    assert any("no cutter" in warning for warning in job.warnings)


def test_wait_for_jobs_times_out_with_an_explanation(printer):
    with pytest.raises(TimeoutError, match="finished 0 job"):
        printer.wait_for_jobs(1, timeout=0.1)


def test_decode_stream_without_socket():
    (job,) = decode_stream(CHINESE_ON + gb("离线解码\n") + CUT, "tm-t20ii")
    assert job.lines == ["离线解码"]


# -- status -------------------------------------------------------------------------------------

STATUS_CASES = [
    ({}, DLE_EOT[1], 0x12),
    ({}, DLE_EOT[2], 0x12),
    ({}, DLE_EOT[3], 0x12),
    ({}, DLE_EOT[4], 0x12),
    ({}, GS_R_1, 0x00),
    ({"offline": True}, DLE_EOT[1], 0x1A),
    ({"offline": True}, DLE_EOT[2], 0x12),
    ({"cover_open": True}, DLE_EOT[1], 0x1A),
    ({"cover_open": True}, DLE_EOT[2], 0x16),
    ({"paper": "near"}, DLE_EOT[1], 0x12),
    ({"paper": "near"}, DLE_EOT[4], 0x1E),
    ({"paper": "near"}, GS_R_1, 0x03),
    ({"paper": "out"}, DLE_EOT[1], 0x1A),
    ({"paper": "out"}, DLE_EOT[2], 0x32),
    ({"paper": "out"}, DLE_EOT[4], 0x7E),
    ({"paper": "out"}, GS_R_1, 0x0F),
    ({"cutter_error": True}, DLE_EOT[2], 0x52),
    ({"cutter_error": True}, DLE_EOT[3], 0x1A),
    ({"unrecoverable": True}, DLE_EOT[1], 0x1A),
    ({"unrecoverable": True}, DLE_EOT[3], 0x32),
]


@pytest.mark.parametrize(
    ("state", "request_bytes", "reply"),
    STATUS_CASES,
    ids=[f"{'-'.join(f'{k}={v}' for k, v in s.items()) or 'ok'}:{r.hex()}" for s, r, _ in STATUS_CASES],
)
def test_status_reply(printer, state, request_bytes, reply):
    printer.state.update(**state)
    with connect(printer) as sock:
        sock.sendall(request_bytes)
        assert read_exactly(sock, 1) == bytes([reply])
    kind = "DLE EOT" if request_bytes[0] == 0x10 else "GS r"
    assert printer.status_requests == [(kind, request_bytes[2])]


def test_silent_printer_answers_nothing(printer):
    printer.state.silent = True
    with connect(printer) as sock:
        sock.sendall(DLE_EOT[1] + DLE_EOT[4] + GS_R_1)
        assert read_nothing(sock) == b""
    assert printer.status_requests == [("DLE EOT", 1), ("DLE EOT", 4), ("GS r", 1)]


def test_profile_without_dle_eot_3_stays_silent_for_it(make_printer):
    printer = make_printer("generic-58")
    with connect(printer) as sock:
        sock.sendall(DLE_EOT[3])
        assert read_nothing(sock) == b""
        sock.sendall(DLE_EOT[2])  # still alive: answers what it knows
        assert read_exactly(sock, 1) == b"\x12"


def test_profile_without_paper_sensor_status_ignores_gs_r(make_printer):
    printer = make_printer("gbk-80")
    with connect(printer) as sock:
        sock.sendall(GS_R_1)
        assert read_nothing(sock) == b""


def test_epson_like_printer_does_not_answer_gs_r_while_paper_is_out(make_printer):
    printer = make_printer(queued_status_when_stopped=False, state=PrinterState(paper="out"))
    with connect(printer) as sock:
        sock.sendall(GS_R_1)
        assert read_nothing(sock) == b""
        sock.sendall(DLE_EOT[4])
        assert read_exactly(sock, 1) == b"\x7e"


def test_realtime_status_is_answered_inside_an_unfinished_command(printer):
    header = b"\x1dv0\x00" + struct.pack("<HH", 72, 100)  # announces 7200 bytes
    with connect(printer) as sock:
        sock.sendall(INIT + b"job in progress\n" + header + bytes(100))
        sock.sendall(DLE_EOT[4])
        assert read_exactly(sock, 1) == b"\x12"


def test_python_escpos_status_queries(printer):
    p = network_printer(printer)
    try:
        assert p.is_online()
        assert p.paper_status() == 2
        printer.state.paper = "near"
        assert p.paper_status() == 1
        printer.state.paper = "out"
        assert p.paper_status() == 0
        assert not p.is_online()
    finally:
        p.close()


def test_automatic_status_back(printer):
    with connect(printer) as sock:
        sock.sendall(b"\x1da\x0f")
        assert read_exactly(sock, 4) == bytes([0x10, 0x00, 0x00, 0x00])
        printer.state.paper = "out"
        assert read_exactly(sock, 4) == bytes([0x18, 0x00, 0x0F, 0x00])
        printer.state.cover_open = True
        assert read_exactly(sock, 4) == bytes([0x38, 0x00, 0x0F, 0x00])


def test_state_rejects_unknown_values():
    state = PrinterState()
    with pytest.raises(ValueError):
        state.paper = "empty"
    with pytest.raises(AttributeError):
        state.jammed = True


# -- failure modes ------------------------------------------------------------------------------


def test_printing_stops_while_paper_is_out(printer):
    printer.state.paper = "out"
    with connect(printer) as sock:
        sock.sendall(b"lost line\n" + CUT)
        sock.sendall(DLE_EOT[4])
        assert read_exactly(sock, 1) == b"\x7e"
        wait_until(lambda: CUT in printer.dropped)
    assert b"lost line\n" in printer.dropped

    printer.state.paper = "ok"
    send(printer, b"printed\n" + CUT)
    (job,) = printer.wait_for_jobs(1)
    assert job.lines == ["printed"]


def test_stall_blocks_the_sender_until_cleared(printer):
    printer.state.stall = True
    with connect(printer) as sock:
        sock.settimeout(0.5)
        started = time.monotonic()
        with pytest.raises(socket.timeout):
            sock.sendall(b"A" * (64 * 1024 * 1024))
        assert time.monotonic() - started < 1.5
        assert printer.received_bytes == b""

        printer.state.stall = False
        wait_until(lambda: len(printer.received_bytes) > 0)


def test_restart_lets_a_new_connection_in_on_the_same_port(printer):
    port = printer.port
    old = connect(printer)
    try:
        old.sendall(b"before restart\n")
        wait_until(lambda: printer.received_bytes)
        printer.restart(down_for=0.5, wait=False)

        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        assert read_nothing(old, wait=1.0) == b""  # closed by the printer
    finally:
        old.close()

    wait_until(lambda: printer.running, timeout=3)
    send(printer, b"after restart\n" + CUT)
    jobs = printer.wait_for_jobs(2)
    assert printer.port == port
    assert [job.lines for job in jobs] == [["before restart"], ["after restart"]]
    assert printer.connections_accepted == 2


def test_garbage_does_not_kill_the_server(printer):
    rng = random.Random(20240601)
    send(printer, bytes(rng.randrange(256) for _ in range(20000)))
    valid = INIT + CHINESE_ON + gb("有效的回执\n") + CUT

    # Unknown commands on the same connection as a valid receipt.
    send(printer, b"\x1b\xff\x1d\xfe\x07\x1c\xf0" + valid)
    wait_until(lambda: printer.jobs and printer.jobs[-1].lines == ["有效的回执"])
    assert printer.jobs[-1].cut

    send(printer, valid)
    wait_until(lambda: len([j for j in printer.jobs if j.lines == ["有效的回执"]]) == 2)
    assert printer.running


def test_unknown_commands_are_recorded(printer):
    send(printer, b"\x1b\xff\x07ok\n" + CUT)

    (job,) = printer.wait_for_jobs(1)
    assert job.lines == ["ok"]
    assert job.unknown_commands == [b"\x1b\xff", b"\x07"]


def test_a_second_connection_waits_until_the_first_closes(printer):
    first = connect(printer)
    try:
        first.sendall(b"first\n")
        with connect(printer) as second:
            second.sendall(b"second\n" + CUT)
            wait_until(lambda: printer.waiting_connections == 1)
            first.sendall(CUT)
            (job,) = printer.wait_for_jobs(1)
            assert job.lines == ["first"]
            assert b"second" not in printer.received_bytes
    finally:
        first.close()
    jobs = printer.wait_for_jobs(2)
    assert jobs[1].lines == ["second"]


def test_stop_does_not_hang_with_a_stalled_client(make_printer):
    printer = make_printer()
    printer.state.stall = True
    sock = connect(printer)
    try:
        sock.sendall(b"x" * 1000)
        started = time.monotonic()
        printer.stop()
        assert time.monotonic() - started < 3
        assert not printer.running
    finally:
        sock.close()


# -- console and CLI ----------------------------------------------------------------------------


def test_console_commands_change_the_state():
    state = PrinterState()
    assert "paper=out" in apply_console_command(state, "paper out")
    assert "cover=open" in apply_console_command(state, "cover open")
    apply_console_command(state, "offline on")
    apply_console_command(state, "stall on")
    apply_console_command(state, "silent on")
    assert (state.paper, state.cover_open, state.offline, state.stall, state.silent) == ("out", True, True, True, True)
    assert "unknown command" in apply_console_command(state, "paper wet")
    assert "paper ok|near|out" in apply_console_command(state, "help")


def test_emulate_arguments_defaults():
    parser = argparse.ArgumentParser()
    add_emulate_arguments(parser)
    args = parser.parse_args([])
    assert (args.host, args.port, args.profile, args.out) == ("127.0.0.1", 9100, "generic-80", None)
    assert (args.paper, args.cover, args.offline, args.silent) == ("ok", "closed", False, False)


_CLI_SCRIPT = """
import argparse, sys
from emulators.escpos import add_emulate_arguments, run_emulator_from_args
parser = argparse.ArgumentParser()
add_emulate_arguments(parser)
sys.exit(run_emulator_from_args(parser.parse_args(sys.argv[1:])))
"""


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_cli_prints_jobs_takes_commands_and_survives_stdin_eof(tmp_path, stop_signal):
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-c", _CLI_SCRIPT, "--port", "0", "--out", str(tmp_path), "--paper", "near"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=env,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()

    def wait_for_line(fragment: str) -> str:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=0.2)
            except queue.Empty:
                continue
            if fragment in line:
                return line
        raise AssertionError(f"no output line with {fragment!r}")

    try:
        port = int(wait_for_line("tcp://127.0.0.1:").rsplit(":", 1)[1])
        assert "paper=near" in wait_for_line("paper=")
        process.stdin.write("paper out\n")
        process.stdin.flush()
        assert "cover=closed" in wait_for_line("paper=out")
        process.stdin.write("paper ok\n")
        process.stdin.close()  # EOF must not stop the emulator
        wait_for_line("paper=ok")

        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            sock.sendall(CHINESE_ON + gb("命令行测试\n") + raster(qr_image("cli")) + CUT)
        wait_for_line("命令行测试")
        wait_for_line("cli")
        wait_until(lambda: (tmp_path / "job-001-image-1.png").exists())

        process.send_signal(stop_signal)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()


def test_job_summary_lists_elements_in_print_order():
    (job,) = decode_stream(b"title\n" + raster(qr_image("sum")) + CUT)
    assert isinstance(job, ReceivedJob)
    summary = job.summary().splitlines()
    assert summary[0] == "title"
    assert summary[1].startswith("[图像 / image")
    assert summary[2].endswith("sum")


# --- paper speed ------------------------------------------------------------------------------


def _paper_document():
    from drivers.printer.document import Document

    doc = Document("paper speed").text("永城市政务服务中心", bold=True, size=2, align="center")
    for n in range(40):
        doc.text(f"第 {n + 1} 行：申请材料清单，请核对。")
    return doc.cut()


@pytest.mark.parametrize("profile", ["generic-80", "raster-80"])
def test_the_emulator_measures_the_paper_a_job_uses(profile):
    """Text lines and raster bands advance the paper by what the layout says, within a line."""
    from drivers.printer.document import layout
    from drivers.printer.device import ReceiptPrinter
    from drivers.printer.profiles import get_profile

    document = _paper_document()
    expected = sum(line.pitch for line in layout(document, get_profile(profile)))
    with EmulatedPrinter(profile) as emulator:
        printer = ReceiptPrinter(emulator.uri, profile=profile, timeout=2.0)
        with printer:
            printer.print(document)
        emulator.wait_for_jobs(1)
        measured = emulator._decoder.paper_dots
    assert abs(measured - expected) <= 60, (measured, expected)


def test_with_a_paper_speed_the_job_takes_its_paper_time():
    from drivers.printer.device import ReceiptPrinter

    speed = 100  # mm/s: 40 lines of ~30 dots ≈ 150 mm ≈ 1.5 s
    document = _paper_document()
    with EmulatedPrinter("generic-80", paper_speed_mm_s=speed) as emulator:
        printer = ReceiptPrinter(emulator.uri, profile="generic-80", timeout=2.0)
        with printer:
            started = time.monotonic()
            printer.print(document)
            elapsed = time.monotonic() - started
        emulator.wait_for_jobs(1)
        paper_time = emulator._decoder.paper_dots / (speed * 8)
    assert paper_time > 1.0
    assert elapsed >= paper_time * 0.9  # the confirmation came after the paper, not before


def test_a_paper_speed_must_be_positive():
    with pytest.raises(ValueError):
        EmulatedPrinter("generic-80", paper_speed_mm_s=0)
