"""An ESC/POS thermal receipt printer emulated on TCP (a "port 9100" network printer).

A development tool and the backbone of the printer tests: a driver prints over a real socket,
the emulator decodes the byte stream the way the firmware of a printer profile would and keeps
what it "printed" as `ReceivedJob`s (text lines with their styles, images, QR payloads, cut).
It answers status requests from a `PrinterState` that a test or the console can change while
it runs (paper near end / out, cover open, offline, errors, no answers at all, a jammed
printer that stops reading).

It is an independent decoder: it does not share code with the driver's encoder, so a test
that passes through it checks the bytes, not the encoder against itself.

Faithful to the Epson ESC/POS manuals where that catches driver bugs:
- real-time status requests (DLE EOT n) are answered on receipt, even inside the data of
  another command and while printing is stopped; queued requests (GS r) in stream order;
- text stays in the print buffer until LF / ESC d / ESC J; a line wider than the paper wraps;
- ESC a, GS V and GS v 0 only take effect at the beginning of a line (ignored otherwise,
  with a warning on the job);
- in Chinese mode bytes are decoded in the profile's encoding (GBK firmware has no 4-byte
  GB18030 sequences); outside it bytes >= 0x80 are code-page characters (ESC t) and are
  recorded as undecodable, since our receipts never mean them as such;
- while the paper is out, the cover is open, the printer is offline or in error, received
  print data is discarded (kept in `EmulatedPrinter.dropped`).
- one connection at a time, like a port 9100 interface: a second connection is accepted but
  not read until the first one closes; print modes persist across connections (until ESC @).

Emulator conveniences that a real printer does not have: a job ends at a cut command or when
the connection closes with printed content, also on profiles without a cutter (where the
cut itself is ignored, `cut` is False); restart() resets the printer like a power cycle.
"""

from __future__ import annotations

import argparse
import logging
import re
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from drivers.printer.profiles import PrinterProfile, get_profile

log = logging.getLogger(__name__)

ESC, GS, FS, DLE = 0x1B, 0x1D, 0x1C, 0x10
NUL, HT, LF, FF, CR, CAN, EOT, ENQ, DC4 = 0x00, 0x09, 0x0A, 0x0C, 0x0D, 0x18, 0x04, 0x05, 0x14

PAPER_STATES = ("ok", "near", "out")

#: ESC t n → Python codec (the common Epson code pages; others fall back to PC437)
CODE_PAGES = {
    0: "cp437",
    2: "cp850",
    3: "cp860",
    4: "cp863",
    5: "cp865",
    13: "cp857",
    14: "cp737",
    15: "iso8859_7",
    16: "cp1252",
    17: "cp866",
    18: "cp852",
    19: "cp858",
}

# Character cell widths in dots at 203 dpi: font A 12×24, font B 9×17, a Chinese character 24×24.
_FONT_WIDTH = {"A": 12, "B": 9}
_CJK_WIDTH = 24
_TAB_STOP_CHARS = 8

_TEXT_RUN = re.compile(rb"[\x20-\x7e]+")

# ESC/POS raster data has 1 = black; PIL mode "1" has 1 = white.
_INVERT = bytes(255 - i for i in range(256))

# Fixed parameter counts after the command byte; variable-length commands are measured in code.
_ESC_PARAMS = {
    "@": 0, "!": 1, "E": 1, "G": 1, "-": 1, "a": 1, "2": 0, "3": 1, "d": 1, "e": 1, "J": 1,
    "t": 1, " ": 1, "M": 1, "V": 1, "{": 1, "R": 1, "p": 3, "=": 1, "c": 2, "$": 2,
    "\\": 2, "%": 1, "?": 1, "L": 0, "S": 0, "T": 1, "W": 8, "r": 1, "U": 1, "i": 0, "m": 0,
    "B": 2, "u": 1, "v": 0, "<": 0,
}
_GS_PARAMS = {
    "!": 1, "B": 1, "L": 2, "W": 2, "H": 1, "f": 1, "h": 1, "w": 1, "a": 1, "r": 1, "P": 2,
    "I": 1, "b": 1, "$": 2, "\\": 2, "/": 1, "^": 3, ":": 0, "T": 1, "j": 1, "Z": 1, "E": 1,
    "c": 0,
}
_FS_PARAMS = {"&": 0, ".": 0, "!": 1, "W": 1, "-": 1, "C": 1, "S": 2, "?": 2, "p": 2}


# --------------------------------------------------------------------------------------------
# Printer state and status bytes


class PrinterState:
    """The condition of the emulated printer; thread-safe, may change while the emulator runs.

    Set attributes directly (`state.paper = "out"`) or several at once with `update()`.
    """

    _DEFAULTS: dict[str, object] = {
        "paper": "ok",  # "ok" | "near" | "out"
        "cover_open": False,
        "offline": False,  # e.g. the feed button is held
        "cutter_error": False,
        "unrecoverable": False,
        "silent": False,  # answers no status request at all
        "stall": False,  # accepts connections but stops reading from them
    }

    paper: str
    cover_open: bool
    offline: bool
    cutter_error: bool
    unrecoverable: bool
    silent: bool
    stall: bool

    def __init__(self, **values: object) -> None:
        object.__setattr__(self, "_lock", threading.RLock())
        object.__setattr__(self, "_listeners", [])
        for name, default in self._DEFAULTS.items():
            object.__setattr__(self, name, default)
        self.update(**values)

    def __setattr__(self, name: str, value: object) -> None:
        self.update(**{name: value})

    def update(self, **changes: object) -> None:
        checked = {}
        for name, value in changes.items():
            if name not in self._DEFAULTS:
                raise AttributeError(f"PrinterState has no field {name!r}")
            if name == "paper":
                if value not in PAPER_STATES:
                    raise ValueError(f"paper must be one of {PAPER_STATES}, not {value!r}")
            else:
                value = bool(value)
            checked[name] = value
        with self._lock:
            changed = any(getattr(self, name) != value for name, value in checked.items())
            for name, value in checked.items():
                object.__setattr__(self, name, value)
        if changed:
            for listener in list(self._listeners):
                listener()

    def snapshot(self) -> dict[str, object]:
        with self._lock:
            return {name: getattr(self, name) for name in self._DEFAULTS}

    @property
    def error(self) -> bool:
        return _has_error(self.snapshot())

    @property
    def printing_stopped(self) -> bool:
        """A real printer goes offline and stops printing on any of these."""
        return _is_stopped(self.snapshot())

    def describe(self) -> str:
        s = self.snapshot()
        return (
            f"paper={s['paper']} cover={'open' if s['cover_open'] else 'closed'} "
            f"offline={_on_off(s['offline'])} cutter-error={_on_off(s['cutter_error'])} "
            f"unrecoverable={_on_off(s['unrecoverable'])} silent={_on_off(s['silent'])} "
            f"stall={_on_off(s['stall'])}"
        )

    def __repr__(self) -> str:
        return f"PrinterState({', '.join(f'{k}={v!r}' for k, v in self.snapshot().items())})"

    def _add_listener(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    def _remove_listener(self, listener: Callable[[], None]) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)


def _on_off(value: object) -> str:
    return "on" if value else "off"


def _has_error(s: dict[str, object]) -> bool:
    return bool(s["cutter_error"] or s["unrecoverable"])


def _is_stopped(s: dict[str, object]) -> bool:
    return bool(s["offline"] or s["cover_open"] or s["paper"] == "out" or _has_error(s))


def realtime_status_byte(state: PrinterState, n: int) -> int:
    """The reply to DLE EOT n (1 ≤ n ≤ 4): pattern 0xx1xx10 with the state's bits."""
    s = state.snapshot()
    byte = 0b0001_0010
    if n == 1:
        # Bit 3: offline — which a printer also is while the cover is open, the paper is out
        # or an error occurred.
        byte |= _is_stopped(s) << 3
    elif n == 2:
        byte |= bool(s["cover_open"]) << 2 | (s["paper"] == "out") << 5 | _has_error(s) << 6
    elif n == 3:
        byte |= bool(s["cutter_error"]) << 3 | bool(s["unrecoverable"]) << 5
    elif n == 4:
        if s["paper"] in ("near", "out"):
            byte |= 0b0000_1100
        if s["paper"] == "out":
            byte |= 0b0110_0000
    else:
        raise ValueError(f"DLE EOT {n} is not a status request")
    return byte


def paper_sensor_status_byte(state: PrinterState) -> int:
    """The reply to GS r 1: bits 0–1 roll paper near end, bits 2–3 roll paper end."""
    return {"ok": 0b0000_0000, "near": 0b0000_0011, "out": 0b0000_1111}[state.paper]


def automatic_status_bytes(state: PrinterState) -> bytes:
    """The 4 bytes of automatic status back (GS a); byte 1 has the pattern 0xx1xx00."""
    s = state.snapshot()
    first = 0b0001_0000 | _is_stopped(s) << 3 | bool(s["cover_open"]) << 5
    second = bool(s["cutter_error"]) << 3 | bool(s["unrecoverable"]) << 5
    third = {"ok": 0, "near": 0b0000_0011, "out": 0b0000_1111}[s["paper"]]
    return bytes((first, second, third, 0))


# --------------------------------------------------------------------------------------------
# What was printed


@dataclass
class QrCode:
    payload: str
    #: "native" (GS ( k) or "image" (decoded from raster images)
    source: str
    data: bytes = b""
    model: int | None = None
    module_size: int | None = None
    error_correction: str | None = None


@dataclass
class Barcode:
    #: GS k m
    kind: int
    data: bytes


@dataclass
class ReceivedJob:
    """One receipt as the emulated printer printed it."""

    number: int = 0
    lines: list[str] = field(default_factory=list)
    #: per line: the print modes at the line's first character (see _Modes.style)
    styles: list[dict] = field(default_factory=list)
    images: list[Image.Image] = field(default_factory=list)
    qr_codes: list[QrCode] = field(default_factory=list)
    barcodes: list[Barcode] = field(default_factory=list)
    #: print order: ("line", i), ("image", i), ("qr", i), ("barcode", i) into the lists above
    elements: list[tuple[str, int]] = field(default_factory=list)
    cut: bool = False
    #: GS V m of the cut that ended the job
    cut_mode: int | None = None
    #: FS & (Chinese mode on) was sent during the job
    chinese_mode_used: bool = False
    #: FS . (Chinese mode off) was sent during the job
    chinese_mode_off_used: bool = False
    #: whether Chinese mode was on when the job's first byte arrived (e.g. from booting in it)
    chinese_mode_at_start: bool = False
    undecodable: list[bytes] = field(default_factory=list)
    unknown_commands: list[bytes] = field(default_factory=list)
    #: things a real printer would silently do differently from what the sender meant
    warnings: list[str] = field(default_factory=list)
    #: number of bytes discarded because printing was stopped (paper out, cover open, …)
    dropped_bytes: int = 0
    #: the bytes that were executed as part of this job
    raw: bytes = b""
    _native_qr: list[QrCode] = field(default_factory=list, repr=False)
    _raw: bytearray = field(default_factory=bytearray, repr=False)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def qr_payloads(self) -> list[str]:
        return [qr.payload for qr in self.qr_codes]

    @property
    def wrapped(self) -> bool:
        """Some line was wider than the paper and continued on the next line."""
        return any(style.get("wrapped") for style in self.styles)

    def has_content(self) -> bool:
        return bool(self.elements)

    def summary(self) -> str:
        """Human-readable: lines, images and codes in print order, then warnings."""
        out = []
        for kind, index in self.elements:
            if kind == "line":
                out.append(self.lines[index])
            elif kind == "image":
                image = self.images[index]
                out.append(f"[图像 / image {image.width}×{image.height}]")
            elif kind == "qr":
                qr = self.qr_codes[index]
                out.append(f"[二维码 / QR ({qr.source})] {qr.payload}")
            elif kind == "barcode":
                barcode = self.barcodes[index]
                out.append(f"[条码 / barcode {barcode.kind}] {barcode.data.decode('ascii', 'replace')}")
        out.append("[切纸 / cut]" if self.cut else "[未切纸 / no cut]")
        out.extend(f"[注意 / warning] {warning}" for warning in self.warnings)
        if self.undecodable:
            out.append(f"[注意 / undecodable bytes] {' '.join(b.hex(' ') for b in self.undecodable)}")
        if self.unknown_commands:
            shown = " | ".join(c[:12].hex(" ") for c in self.unknown_commands[:10])
            out.append(f"[注意 / unknown commands] {shown}")
        return "\n".join(out)

    def save(self, folder: Path) -> list[Path]:
        """Write the text to job-NNN.txt and the images to job-NNN-image-K.png."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        stem = f"job-{self.number:03d}"
        text_path = folder / f"{stem}.txt"
        text_path.write_text(self.text + "\n", encoding="utf-8")
        paths = [text_path]
        for k, image in enumerate(self.images, start=1):
            image_path = folder / f"{stem}-image-{k}.png"
            image.save(image_path)
            paths.append(image_path)
        return paths


def _decode_qr_images(images: list[Image.Image]) -> list[QrCode]:
    """QR codes in consecutively printed images, stacked as on paper (a driver may send one
    QR code as several bands)."""
    import zxingcpp  # an optional (test) dependency: only needed when images arrive

    width = max(image.width for image in images)
    height = sum(image.height for image in images)
    margin = 16  # the paper around the image is the QR code's quiet zone
    sheet = Image.new("L", (width + 2 * margin, height + 2 * margin), 255)
    y = margin
    for image in images:
        sheet.paste(image.convert("L"), (margin, y))
        y += image.height
    found = zxingcpp.read_barcodes(sheet, formats=zxingcpp.BarcodeFormat.QRCode)
    found.sort(key=lambda b: (b.position.top_left.y, b.position.top_left.x))
    return [QrCode(payload=b.text, source="image", data=bytes(b.bytes)) for b in found]


# --------------------------------------------------------------------------------------------
# The decoder: ESC/POS byte stream → jobs


@dataclass
class _Modes:
    """Print modes that persist until changed or reset by ESC @ (or a power cycle)."""

    chinese: bool
    bold: bool = False
    underline: int = 0
    align: str = "left"
    width: int = 1
    height: int = 1
    font: str = "A"
    invert: bool = False
    upside_down: bool = False
    chinese_double_width: bool = False
    chinese_double_height: bool = False
    chinese_underline: int = 0
    code_page: int = 0
    right_spacing: int = 0
    chinese_spacing: tuple[int, int] = (0, 0)
    left_margin: int = 0
    print_width: int | None = None
    line_spacing: int | None = None  # None: the default (about 1/6 inch)

    def style(self) -> dict:
        return {
            "bold": self.bold,
            "underline": self.underline,
            "align": self.align,
            "width": self.width,
            "height": self.height,
            "double_width": self.width >= 2,
            "double_height": self.height >= 2,
            "font": self.font,
            "invert": self.invert,
            "upside_down": self.upside_down,
            "chinese_mode": self.chinese,
            "chinese_double_width": self.chinese_double_width,
            "chinese_double_height": self.chinese_double_height,
            "wrapped": False,
        }


class _NeedMore(Exception):
    """The command is not complete yet."""


class _Decoder:
    """Turns an ESC/POS byte stream into jobs. Not thread-safe: the emulator serialises it.

    `host` receives status replies and dropped bytes: it has reply(conn, kind, n, data|None),
    drop(data), enable_asb(conn, n).
    """

    def __init__(self, profile: PrinterProfile, host, *, boots_in_chinese_mode: bool, queued_status_when_stopped: bool):
        self.profile = profile
        self.host = host
        self.boots_in_chinese_mode = boots_in_chinese_mode
        self.queued_status_when_stopped = queued_status_when_stopped
        self.state: PrinterState | None = None
        self.finished: list[ReceivedJob] = []
        self._job_count = 0
        #: paper advanced since power-on, in dots (8 per mm): what a paper speed is applied to
        self.paper_dots = 0
        self.power_on()

    # -- lifecycle ---------------------------------------------------------------------------

    def power_on(self) -> None:
        self.modes = self._initial_modes()
        self._chars: list[str] = []
        self._line_style: dict | None = None
        self._line_dots = 0
        self._line_graphics: list[Image.Image] = []
        self._bad_run = False
        self._qr_store: dict[str, object] = {}
        self._graphics_store: Image.Image | None = None
        self.job = self._new_job()

    def _initial_modes(self) -> _Modes:
        if self.profile.text_encoding is None:
            chinese = False
        elif not self.profile.chinese_mode_command:
            chinese = True  # firmware that always takes multibyte text
        else:
            chinese = self.boots_in_chinese_mode
        return _Modes(chinese=chinese)

    def _new_job(self) -> ReceivedJob:
        return ReceivedJob(chinese_mode_at_start=self.modes.chinese)

    def take_finished(self) -> list[ReceivedJob]:
        finished, self.finished = self.finished, []
        return finished

    def end_of_stream(self) -> None:
        """The connection closed: what was printed so far is a job."""
        if self._chars:
            text = "".join(self._chars)
            self.job.warnings.append(f"text left in the print buffer without LF, not printed: {text!r}")
        if self.job.has_content():
            self._finish_job(cut=False)

    def _finish_job(self, cut: bool, cut_mode: int | None = None) -> None:
        job = self.job
        job.cut = cut
        job.cut_mode = cut_mode
        job.raw = bytes(job._raw)
        self._resolve_elements(job)
        self._job_count += 1
        job.number = self._job_count
        self.finished.append(job)
        self.job = self._new_job()

    def _resolve_elements(self, job: ReceivedJob) -> None:
        """Put native QR codes and QR codes found in images into print order."""
        elements: list[tuple[str, int]] = []
        block: list[int] = []

        def close_block() -> None:
            if not block:
                return
            try:
                found = _decode_qr_images([job.images[i] for i in block])
            except Exception as exc:  # a decoder problem must not lose the job
                job.warnings.append(f"QR decoding of images failed: {exc!r}")
                found = []
            for qr in found:
                job.qr_codes.append(qr)
                elements.append(("qr", len(job.qr_codes) - 1))
            block.clear()

        for kind, index in job.elements:
            if kind == "image":
                elements.append((kind, index))
                block.append(index)
                continue
            close_block()
            if kind == "qr":
                job.qr_codes.append(job._native_qr[index])
                elements.append(("qr", len(job.qr_codes) - 1))
            else:
                elements.append((kind, index))
        close_block()
        job.elements = elements

    # -- feeding -----------------------------------------------------------------------------

    def feed(self, buf: bytearray, conn, state: PrinterState, *, final: bool = False) -> int:
        """Decode complete commands from buf; returns how many bytes were consumed.

        With final=True (the stream ended) an incomplete command at the end is recorded as
        unknown and consumed."""
        self.state = state
        i = 0
        while i < len(buf):
            try:
                length = self._measure(buf, i)
                if i + length > len(buf):  # e.g. image data still on its way
                    raise _NeedMore
            except _NeedMore:
                if not final:
                    break
                self.job.unknown_commands.append(bytes(buf[i:]))
                self.job.warnings.append("the stream ended inside a command")
                i = len(buf)
                break
            except Exception as exc:  # never let a parse error kill the connection
                log.exception("emulator: cannot measure command at %r", bytes(buf[i : i + 8]))
                self.job.unknown_commands.append(bytes(buf[i : i + 1]))
                self.job.warnings.append(f"parser error: {exc!r}")
                length = 1
            command = bytes(buf[i : i + length])
            i += length
            if state.printing_stopped and not self._runs_while_stopped(command):
                self.job.dropped_bytes += len(command)
                self.host.drop(command)
                continue
            self.job._raw += command
            try:
                self._execute(command, conn)
            except Exception as exc:
                log.exception("emulator: cannot execute %r", command[:16])
                self.job.unknown_commands.append(command)
                self.job.warnings.append(f"parser error: {exc!r}")
        return i

    def _runs_while_stopped(self, command: bytes) -> bool:
        if command[0] == DLE:
            return True  # real-time commands: answered by the receive scan
        if self.queued_status_when_stopped and command[:2] in (b"\x1dr", b"\x1dI", b"\x1da", b"\x1bv"):
            return True
        return False

    # -- measuring ---------------------------------------------------------------------------

    def _measure(self, buf: bytearray, i: int) -> int:
        """Length of the command (or text run) starting at buf[i]; raises _NeedMore."""
        b = buf[i]
        if 0x20 <= b < 0x7F:
            run = _TEXT_RUN.match(buf, i)
            assert run is not None
            return run.end() - i
        if b >= 0x80:
            return self._measure_multibyte(buf, i) if self.modes.chinese else 1
        if b == ESC:
            return self._measure_esc(buf, i)
        if b == GS:
            return self._measure_gs(buf, i)
        if b == FS:
            return self._measure_fs(buf, i)
        if b == DLE:
            return self._measure_dle(buf, i)
        return 1

    @staticmethod
    def _need(buf: bytearray, end: int) -> None:
        if len(buf) < end:
            raise _NeedMore

    def _measure_multibyte(self, buf: bytearray, i: int) -> int:
        lead = buf[i]
        if not 0x81 <= lead <= 0xFE:
            return 1
        self._need(buf, i + 2)
        second = buf[i + 1]
        if 0x30 <= second <= 0x39:
            self._need(buf, i + 4)
            if 0x81 <= buf[i + 2] <= 0xFE and 0x30 <= buf[i + 3] <= 0x39:
                return 4
            return 1
        if 0x40 <= second <= 0x7E or 0x80 <= second <= 0xFE:
            return 2
        return 1

    def _measure_esc(self, buf: bytearray, i: int) -> int:
        self._need(buf, i + 2)
        c = chr(buf[i + 1])
        if c in _ESC_PARAMS:
            return 2 + _ESC_PARAMS[c]
        if c == "*":  # ESC * m nL nH data
            self._need(buf, i + 5)
            m, n = buf[i + 2], buf[i + 3] | buf[i + 4] << 8
            return 5 + n * (3 if m in (32, 33) else 1)
        if c == "D":  # ESC D n1 ... nk NUL (up to 32 tab positions)
            end = buf.find(b"\x00", i + 2, i + 35)
            if end < 0:
                if len(buf) < i + 35:
                    raise _NeedMore
                return 2
            return end - i + 1
        if c == "&":  # ESC & y c1 c2 [x d1 ... d(y*x)] for each character
            self._need(buf, i + 5)
            y, c1, c2 = buf[i + 2], buf[i + 3], buf[i + 4]
            j = i + 5
            for _ in range(max(0, c2 - c1 + 1)):
                self._need(buf, j + 1)
                j += 1 + y * buf[j]
            self._need(buf, j)
            return j - i
        return 2

    def _measure_gs(self, buf: bytearray, i: int) -> int:
        self._need(buf, i + 2)
        c = chr(buf[i + 1])
        if c in _GS_PARAMS:
            return 2 + _GS_PARAMS[c]
        if c == "(":  # GS ( X pL pH data
            self._need(buf, i + 5)
            return 5 + (buf[i + 3] | buf[i + 4] << 8)
        if c == "8":  # GS 8 X p1 p2 p3 p4 data
            self._need(buf, i + 7)
            return 7 + int.from_bytes(buf[i + 3 : i + 7], "little")
        if c == "v":  # GS v 0 m xL xH yL yH data
            self._need(buf, i + 8)
            if buf[i + 2] != 0x30:
                return 3
            x, y = buf[i + 4] | buf[i + 5] << 8, buf[i + 6] | buf[i + 7] << 8
            return 8 + x * y
        if c == "V":  # GS V m [n]
            self._need(buf, i + 3)
            return 4 if buf[i + 2] in (65, 66, 97, 98, 103, 104) else 3
        if c == "k":  # GS k m d1 ... NUL (m ≤ 6) or GS k m n d1 ... dn
            self._need(buf, i + 3)
            m = buf[i + 2]
            if m <= 6:
                end = buf.find(b"\x00", i + 3)
                if end < 0:
                    if len(buf) - i > 300:  # no terminator in sight: junk, not a barcode
                        return 3
                    raise _NeedMore
                return end - i + 1
            self._need(buf, i + 4)
            return 4 + buf[i + 3]
        if c == "*":  # GS * x y d1 ... d(x*y*8)
            self._need(buf, i + 4)
            return 4 + buf[i + 2] * buf[i + 3] * 8
        return 2

    def _measure_fs(self, buf: bytearray, i: int) -> int:
        self._need(buf, i + 2)
        c = chr(buf[i + 1])
        if c in _FS_PARAMS:
            return 2 + _FS_PARAMS[c]
        if c == "2":  # FS 2 c1 c2 d1 ... d72 (a user-defined 24×24 character)
            return 76
        if c == "q":  # FS q n [xL xH yL yH d1 ... dk] × n
            self._need(buf, i + 3)
            j = i + 3
            for _ in range(buf[i + 2]):
                self._need(buf, j + 4)
                j += 4 + (buf[j] | buf[j + 1] << 8) * (buf[j + 2] | buf[j + 3] << 8) * 8
            self._need(buf, j)
            return j - i
        return 2

    def _measure_dle(self, buf: bytearray, i: int) -> int:
        self._need(buf, i + 2)
        c = buf[i + 1]
        if c in (EOT, ENQ):
            self._need(buf, i + 3)
            return 3
        if c == DC4:
            self._need(buf, i + 3)
            return {1: 5, 2: 5, 3: 5, 7: 4, 8: 10}.get(buf[i + 2], 3)
        return 1  # a lone DLE: not a command

    # -- executing ---------------------------------------------------------------------------

    def _execute(self, command: bytes, conn) -> None:
        b = command[0]
        if b >= 0x20 and b != 0x7F:
            self._text(command)
            return
        self._bad_run = False
        if b == LF:
            self._print_line()
        elif b == ESC:
            self._esc(command, conn)
        elif b == GS:
            self._gs(command, conn)
        elif b == FS:
            self._fs(command)
        elif b == DLE:
            pass  # DLE EOT was answered on receipt; DLE ENQ / DC4 need nothing here
        elif b == HT:
            self._add_char("\t", 0)
        elif b == FF:
            if self._chars or self._line_graphics:
                self._print_line()
        elif b in (CR, NUL):
            pass  # CR is ignored by line thermal printers unless auto line feed is set
        elif b == CAN:
            pass  # page mode only
        else:
            self.job.unknown_commands.append(command)

    # text ------------------------------------------------------------------------------------

    def _text(self, data: bytes) -> None:
        if data[0] < 0x80:
            self._ascii_text(data.decode("ascii"))
            return
        if not self.modes.chinese:
            # A code-page character: real, but never what our receipts mean.
            codec = CODE_PAGES.get(self.modes.code_page, "cp437")
            self._record_bad(data)
            self._add_char(data.decode(codec, errors="replace"), self._ascii_width(), keep_bad_run=True)
            return
        ch = self._decode_multibyte(data)
        if ch is None:
            self._record_bad(data)
            self._add_char("\ufffd", self._cjk_width(), keep_bad_run=True)
        else:
            self._bad_run = False
            self._add_char(ch, self._cjk_width())

    def _decode_multibyte(self, data: bytes) -> str | None:
        """The character the firmware prints for one multibyte sequence, None for junk."""
        profile = self.profile
        if len(data) not in (2, 4) or len(data) > profile.max_bytes_per_char:
            return None  # e.g. a four-byte GB18030 code sent to GBK firmware
        try:
            ch = data.decode(profile.text_encoding or "gb18030")
        except UnicodeDecodeError:
            return None
        if ord(ch) > 0xFFFF and not profile.font_supplementary:
            return None  # a valid code, but the printer's font has no glyph for it (𠮷)
        return ch

    def _ascii_text(self, text: str) -> None:
        # In pieces that fit the line (a driver may send kilobytes of text).
        self._bad_run = False
        width = self._ascii_width()
        pos = 0
        while pos < len(text):
            room = (self._print_area() - self._line_dots) // width
            if room <= 0:
                self._add_char(text[pos], width)  # wraps to the next line
                pos += 1
                continue
            piece = text[pos : pos + room]
            if self._line_style is None:
                self._line_style = self.modes.style()
            self._chars.append(piece)
            self._line_dots += width * len(piece)
            pos += len(piece)

    def _record_bad(self, data: bytes) -> None:
        if self._bad_run and self.job.undecodable:
            self.job.undecodable[-1] += data
        else:
            self.job.undecodable.append(data)
        self._bad_run = True

    def _ascii_width(self) -> int:
        m = self.modes
        return (_FONT_WIDTH[m.font] + m.right_spacing) * m.width

    def _cjk_width(self) -> int:
        m = self.modes
        factor = max(m.width, 2 if m.chinese_double_width else 1)
        return (_CJK_WIDTH + sum(m.chinese_spacing)) * factor

    def _print_area(self) -> int:
        m = self.modes
        area = self.profile.width_dots - m.left_margin
        if m.print_width:
            area = min(area, m.print_width)
        return max(area, _CJK_WIDTH * 2)

    def _add_char(self, ch: str, width: int, *, keep_bad_run: bool = False) -> None:
        if not keep_bad_run:
            self._bad_run = False
        if ch == "\t":
            stop = _FONT_WIDTH[self.modes.font] * _TAB_STOP_CHARS
            width = stop - self._line_dots % stop
        if self._line_dots + width > self._print_area() and (self._chars or self._line_graphics):
            # The printer prints the full line and continues on the next one.
            self._print_line()
            self._line_style = self.modes.style()
            self._line_style["wrapped"] = True
        if self._line_style is None:
            self._line_style = self.modes.style()
        self._chars.append(ch)
        self._line_dots += width

    def _line_pitch(self) -> int:
        """Dots the paper advances for one line: the line spacing (default ~1/6 inch, 30 dots),
        at least the height of the line's characters or graphics."""
        spacing = self.modes.line_spacing if self.modes.line_spacing is not None else 30
        tallest = max((band.height for band in self._line_graphics), default=0)
        return max(spacing, 24 * self.modes.height if self._chars else 0, tallest)

    def _print_line(self) -> None:
        job = self.job
        self.paper_dots += self._line_pitch()
        style = self._line_style or self.modes.style()
        if self._line_graphics and not self._chars:
            self._print_column_graphics()
        else:
            if self._line_graphics:
                self._print_column_graphics()
            job.lines.append("".join(self._chars))
            job.styles.append(style)
            job.elements.append(("line", len(job.lines) - 1))
        self._chars = []
        self._line_style = None
        self._line_dots = 0

    def _at_line_start(self) -> bool:
        return not self._chars and not self._line_graphics

    # images ----------------------------------------------------------------------------------

    def _add_image(self, image: Image.Image, source: str, scale: tuple[int, int] = (1, 1)) -> None:
        image.info["escpos_source"] = source
        image.info["escpos_scale"] = scale
        image.info["escpos_align"] = self.modes.align
        if image.width * scale[0] > self._print_area():
            self.job.warnings.append(
                f"{source} image {image.width}×{image.height} (scale {scale[0]}) is wider than the "
                f"{self._print_area()}-dot print area: the right part is not printed"
            )
        self.job.images.append(image)
        self.job.elements.append(("image", len(self.job.images) - 1))

    def _print_column_graphics(self) -> None:
        """ESC * bands of one line, joined side by side; consecutive lines of bands are one
        image (drivers send a picture as a stack of 8- or 24-dot bands)."""
        bands = self._line_graphics
        self._line_graphics = []
        width = sum(b.width for b in bands)
        height = max(b.height for b in bands)
        line = Image.new("1", (width, height), 1)
        x = 0
        for band in bands:
            line.paste(band, (x, 0))
            x += band.width
        job = self.job
        if job.elements and job.elements[-1][0] == "image":
            previous = job.images[job.elements[-1][1]]
            if previous.info.get("escpos_source") == "ESC *":
                joined = Image.new("1", (max(previous.width, width), previous.height + height), 1)
                joined.paste(previous, (0, 0))
                joined.paste(line, (0, previous.height))
                joined.info.update(previous.info)
                job.images[job.elements[-1][1]] = joined
                return
        self._add_image(line, "ESC *")

    @staticmethod
    def _raster_image(width_bytes: int, height: int, data: bytes) -> Image.Image:
        return Image.frombytes("1", (width_bytes * 8, height), data.translate(_INVERT))

    def _column_band(self, m: int, data: bytes) -> Image.Image:
        per_column = 3 if m in (32, 33) else 1
        columns = len(data) // per_column
        # Each column is a row of bits (top dot = MSB); transposed it is the band.
        band = Image.frombytes("1", (per_column * 8, columns), data.translate(_INVERT))
        return band.transpose(Image.Transpose.TRANSPOSE)

    # ESC ---------------------------------------------------------------------------------------

    def _esc(self, command: bytes, conn) -> None:
        m = self.modes
        c = chr(command[1])
        n = command[2] if len(command) > 2 else 0
        if c == "@":
            if self._chars:
                self.job.warnings.append(f"ESC @ cleared unprinted text: {''.join(self._chars)!r}")
            # Back to the power-on modes, including the boot default of Chinese mode.
            self.modes = self._initial_modes()
            self._chars, self._line_graphics, self._line_style, self._line_dots = [], [], None, 0
        elif c == "!":
            m.font = "B" if n & 0x01 else "A"
            m.bold = bool(n & 0x08)
            m.height = 2 if n & 0x10 else 1
            m.width = 2 if n & 0x20 else 1
            m.underline = 1 if n & 0x80 else 0
        elif c == "E":
            m.bold = bool(n & 1)
        elif c == "G":
            pass  # double strike: looks like bold on thermal paper, not reported
        elif c == "-":
            m.underline = {0: 0, 48: 0, 1: 1, 49: 1, 2: 2, 50: 2}.get(n, m.underline)
        elif c == "a":
            align = {0: "left", 48: "left", 1: "center", 49: "center", 2: "right", 50: "right"}.get(n)
            if align is None:
                self.job.unknown_commands.append(command)
            elif not self._at_line_start():
                self.job.warnings.append(f"ESC a {n} in the middle of a line is ignored")
            else:
                m.align = align
        elif c == "2":
            m.line_spacing = None
        elif c == "3":
            m.line_spacing = n
        elif c in "dJ":
            if not self._at_line_start():
                self._print_line()
            spacing = m.line_spacing if m.line_spacing is not None else 30
            self.paper_dots += n * spacing if c == "d" else n
        elif c == "e":
            if not self._at_line_start():
                self._print_line()
        elif c == "t":
            if n not in CODE_PAGES:
                self.job.warnings.append(f"ESC t {n}: code page not emulated, PC437 used")
            m.code_page = n
        elif c == " ":
            m.right_spacing = n
        elif c == "M":
            m.font = "B" if n in (1, 49) else "A"
        elif c == "{":
            m.upside_down = bool(n & 1)
        elif c == "*":
            self._line_graphics.append(self._column_band(n, command[5:]))
            if self._line_style is None:
                self._line_style = m.style()
        elif c in "im":  # old one-command cuts
            self._cut(command, full=(c == "i"))
        elif c == "v":
            self._queued_status(conn, "ESC v", 0, paper_sensor_status_byte(self.state))
        elif c == "u":
            self.host.reply(conn, "ESC u", n, None)
        elif c in _ESC_PARAMS:
            pass  # accepted, no effect on what the emulator reports (ESC p, ESC R, ESC =, …)
        else:
            self.job.unknown_commands.append(command)

    # GS ----------------------------------------------------------------------------------------

    def _gs(self, command: bytes, conn) -> None:
        m = self.modes
        c = chr(command[1])
        n = command[2] if len(command) > 2 else 0
        if c == "!":
            m.width = (n >> 4 & 0x07) + 1
            m.height = (n & 0x07) + 1
        elif c == "B":
            m.invert = bool(n & 1)
        elif c == "L":
            m.left_margin = command[2] | command[3] << 8
        elif c == "W":
            m.print_width = command[2] | command[3] << 8
        elif c == "v":
            self._raster(command)
        elif c == "V":
            self._cut(command, full=command[2] in (0, 48, 65, 97, 103))
        elif c == "(":
            self._gs_paren(command)
        elif c == "8":
            self._gs_eight(command)
        elif c == "k":
            self._barcode(command)
        elif c == "r":
            if n in (1, 49):
                reply = paper_sensor_status_byte(self.state) if self.profile.paper_sensor_status else None
                self._queued_status(conn, "GS r", n, reply)
            else:
                self._queued_status(conn, "GS r", n, None)
        elif c == "a":
            self.host.enable_asb(conn, n)
        elif c == "I":
            self._queued_status(conn, "GS I", n, self._printer_id(n))
        elif c in _GS_PARAMS:
            pass  # barcode settings (GS H f h w), GS P, GS b, …: accepted
        else:
            self.job.unknown_commands.append(command)

    def _queued_status(self, conn, kind: str, n: int, reply: int | bytes | None) -> None:
        self.host.reply(conn, kind, n, bytes([reply]) if isinstance(reply, int) else reply)

    def _printer_id(self, n: int) -> bytes | None:
        p = self.profile
        if n in (1, 49):
            return bytes([0x20])  # model ID
        if n in (2, 50):
            # bit 0: multibyte (Chinese) characters, bit 1: autocutter
            return bytes([(p.text_encoding is not None) | p.cutter << 1])
        if n in (3, 51):
            return bytes([0x40])  # firmware version ID
        strings = {65: "1.00 EMU", 66: "KIOSK-EMULATOR", 67: p.name.upper(), 68: "EMU00001"}
        if n in strings:
            return b"_" + strings[n].encode("ascii") + b"\x00"
        if n == 69:
            font = {"gb18030": "CHINA GB18030", "gbk": "CHINA GBK"}.get(p.text_encoding or "", "")
            return b"_" + font.encode("ascii") + b"\x00"
        return None

    def _raster(self, command: bytes) -> None:
        if len(command) < 8 or command[2] != 0x30:
            self.job.unknown_commands.append(command)
            return
        mode = command[3] & 0x03
        x, y = command[4] | command[5] << 8, command[6] | command[7] << 8
        if not self._at_line_start():
            # "In standard mode, this command is effective only when there is no data in the
            # print buffer."
            self.job.warnings.append(
                f"GS v 0 image {x * 8}×{y} ignored: the print buffer holds text "
                f"{''.join(self._chars)!r} (send LF first)"
            )
            return
        if x == 0 or y == 0:
            return
        scale = (2 if mode & 1 else 1, 2 if mode & 2 else 1)
        self.paper_dots += y * scale[1]
        self._add_image(self._raster_image(x, y, command[8:]), "GS v 0", scale)

    def _cut(self, command: bytes, *, full: bool) -> None:
        if not self._at_line_start():
            self.job.warnings.append(
                f"cut {command.hex(' ')} ignored: not at the beginning of a line "
                f"(text {''.join(self._chars)!r} still in the print buffer)"
            )
            return
        mode = command[2] if command[0] == GS else None
        if not self.profile.cutter:
            self.job.warnings.append("the profile has no cutter: the cut command only feeds")
        self._finish_job(cut=self.profile.cutter, cut_mode=mode)

    # GS ( k: QR codes -------------------------------------------------------------------------

    def _gs_paren(self, command: bytes) -> None:
        kind = chr(command[2])
        body = command[5:]
        if kind == "k":
            self._two_dimensional_code(command, body)
        elif kind == "L":
            self._graphics(command, body)
        else:
            pass  # GS ( A/C/D/E/H/K/M/N/…: settings and tests, accepted

    def _gs_eight(self, command: bytes) -> None:
        if chr(command[2]) == "L":
            self._graphics(command, command[7:])
        else:
            self.job.unknown_commands.append(command[:16])

    def _two_dimensional_code(self, command: bytes, body: bytes) -> None:
        if len(body) < 2:
            self.job.unknown_commands.append(command)
            return
        cn, fn, params = body[0], body[1], body[2:]
        if cn != 49:
            self.job.warnings.append(f"2D code cn={cn} fn={fn} (not QR) is not emulated")
            return
        store = self._qr_store
        if fn == 65 and params:
            store["model"] = params[0] - 48
        elif fn == 67 and params:
            store["size"] = params[0]
        elif fn == 69 and params:
            store["ecc"] = {48: "L", 49: "M", 50: "Q", 51: "H"}.get(params[0], str(params[0]))
        elif fn == 80:
            store["data"] = params[1:]
        elif fn == 81:
            self._print_native_qr()
        elif fn == 82:
            self.host.reply(None, "GS ( k", 82, None)  # size information: not emulated
        else:
            self.job.unknown_commands.append(command)

    def _print_native_qr(self) -> None:
        if self.profile.qr != "native":
            self.job.warnings.append(
                f"GS ( k QR print ignored: profile {self.profile.name} has no native QR codes"
            )
            return
        data = self._qr_store.get("data")
        if not data:
            self.job.warnings.append("GS ( k QR print without stored data: nothing printed")
            return
        if not self._at_line_start():
            self.job.warnings.append("GS ( k QR print with text in the print buffer")
            self._print_line()
        assert isinstance(data, bytes)
        for encoding in ("utf-8", "gb18030"):
            try:
                payload = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            payload = data.decode("latin-1")
        qr = QrCode(
            payload=payload,
            source="native",
            data=data,
            model=self._qr_store.get("model"),  # type: ignore[arg-type]
            module_size=self._qr_store.get("size"),  # type: ignore[arg-type]
            error_correction=self._qr_store.get("ecc"),  # type: ignore[arg-type]
        )
        self.job._native_qr.append(qr)
        self.job.elements.append(("qr", len(self.job._native_qr) - 1))

    # GS ( L / GS 8 L: graphics ----------------------------------------------------------------

    def _graphics(self, command: bytes, body: bytes) -> None:
        if len(body) < 2:
            self.job.unknown_commands.append(command[:16])
            return
        fn = body[1]
        if fn == 112 and len(body) >= 10:  # store raster graphics in the print buffer
            bx, by = body[3], body[4]
            x, y = body[6] | body[7] << 8, body[8] | body[9] << 8
            width_bytes = (x + 7) // 8
            data = body[10 : 10 + width_bytes * y]
            if len(data) < width_bytes * y or x == 0 or y == 0:
                self.job.unknown_commands.append(command[:16])
                return
            image = self._raster_image(width_bytes, y, data).crop((0, 0, x, y))
            image.info["escpos_scale"] = (bx or 1, by or 1)
            self._graphics_store = image
        elif fn in (50, 2):  # print the buffered graphics
            if self._graphics_store is None:
                self.job.warnings.append("GS ( L print without stored graphics")
                return
            image, self._graphics_store = self._graphics_store, None
            self._add_image(image, "GS ( L", image.info.get("escpos_scale", (1, 1)))
        else:
            pass  # NV graphics, queries: accepted, not emulated

    # GS k: barcodes ----------------------------------------------------------------------------

    def _barcode(self, command: bytes) -> None:
        m = command[2]
        data = command[3:-1] if m <= 6 else command[4:]
        if m <= 6 and command[-1] != 0:
            self.job.unknown_commands.append(command)
            return
        if not self._at_line_start():
            self.job.warnings.append("GS k barcode with text in the print buffer")
            self._print_line()
        self.job.barcodes.append(Barcode(kind=m, data=bytes(data)))
        self.job.elements.append(("barcode", len(self.job.barcodes) - 1))

    # FS: Chinese character modes -------------------------------------------------------------

    def _fs(self, command: bytes) -> None:
        m = self.modes
        c = chr(command[1])
        n = command[2] if len(command) > 2 else 0
        has_font = self.profile.text_encoding is not None
        if c == "&":
            self.job.chinese_mode_used = True
            if not has_font:
                self.job.warnings.append("FS & ignored: the printer has no Chinese font")
            elif self.profile.chinese_mode_command:
                m.chinese = True
        elif c == ".":
            self.job.chinese_mode_off_used = True
            if has_font and self.profile.chinese_mode_command:
                m.chinese = False
        elif c == "!":
            m.chinese_double_width = bool(n & 0x04)
            m.chinese_double_height = bool(n & 0x08)
            m.chinese_underline = 1 if n & 0x80 else 0
        elif c == "W":
            m.chinese_double_width = m.chinese_double_height = bool(n & 1)
        elif c == "-":
            m.chinese_underline = {0: 0, 48: 0, 1: 1, 49: 1, 2: 2, 50: 2}.get(n, m.chinese_underline)
        elif c == "S":
            m.chinese_spacing = (command[2], command[3])
        elif c in _FS_PARAMS or c in "2q":
            pass  # code system, user-defined characters, NV images: accepted
        else:
            self.job.unknown_commands.append(command)


def decode_stream(
    data: bytes,
    profile: str | PrinterProfile = "generic-80",
    *,
    boots_in_chinese_mode: bool = True,
    state: PrinterState | None = None,
) -> list[ReceivedJob]:
    """Decode a captured ESC/POS byte stream without a socket (status requests go unanswered)."""

    class _NoHost:
        def reply(self, conn, kind, n, data):
            pass

        def drop(self, data):
            pass

        def enable_asb(self, conn, n):
            pass

    profile = get_profile(profile) if isinstance(profile, str) else profile
    decoder = _Decoder(profile, _NoHost(), boots_in_chinese_mode=boots_in_chinese_mode, queued_status_when_stopped=True)
    buf = bytearray(data)
    decoder.feed(buf, None, state or PrinterState(), final=True)
    decoder.end_of_stream()
    return decoder.take_finished()


# --------------------------------------------------------------------------------------------
# The TCP server


class _Connection:
    def __init__(self, sock: socket.socket, peer, number: int):
        self.sock = sock
        self.peer = peer
        self.number = number
        self.pending = bytearray()  # an incomplete command waiting for more bytes
        self.tail = b""  # the last bytes received, to find DLE EOT split across reads
        self.send_lock = threading.Lock()
        self.thread: threading.Thread | None = None
        self.served = False  # had its turn: its data went to the print engine

    def send(self, data: bytes) -> None:
        with self.send_lock:
            try:
                self.sock.sendall(data)
            except OSError as exc:
                log.debug("emulator: cannot send status to %s: %s", self.peer, exc)


class EmulatedPrinter:
    """An ESC/POS printer listening on TCP (loopback by default).

    >>> with EmulatedPrinter("generic-80") as printer:
    ...     send_receipt_to(printer.uri)
    ...     job = printer.wait_for_jobs(1)[0]
    """

    #: the receive buffer of accepted sockets: small, so that a stalled printer blocks the
    #: sender after little data, as a real printer's buffer (a few KB) does
    RECEIVE_BUFFER = 8192

    def __init__(
        self,
        profile: str | PrinterProfile = "generic-80",
        host: str = "127.0.0.1",
        port: int = 0,
        out_dir: Path | None = None,
        *,
        state: PrinterState | None = None,
        boots_in_chinese_mode: bool = True,
        queued_status_when_stopped: bool = True,
        on_job: Callable[[ReceivedJob], None] | None = None,
        paper_speed_mm_s: float | None = None,
    ):
        """`boots_in_chinese_mode`: most Chinese firmware starts in Chinese mode (FS & not
        needed). `queued_status_when_stopped`: cheap firmware answers GS r 1 (0x0F) while the
        paper is out; Epson goes offline and leaves GS r unanswered until it recovers (False).
        `on_job` is called (from a connection thread) with each finished job.
        `paper_speed_mm_s`: print no faster than this (a real printer's 60–250 mm/s): data is
        read only as fast as the paper it describes comes out, so the sender's writes and any
        status request queued behind them wait as they would on the real thing; None reads at
        once (the default, for fast tests)."""
        self.profile = get_profile(profile) if isinstance(profile, str) else profile
        self.host = host
        self.port = port
        self.out_dir = Path(out_dir) if out_dir is not None else None
        self._state = state if state is not None else PrinterState()
        self._state._add_listener(self._on_state_change)
        self.on_job = on_job
        if paper_speed_mm_s is not None and not paper_speed_mm_s > 0:
            raise ValueError(f"paper speed must be positive, not {paper_speed_mm_s!r} mm/s")
        self.paper_speed_mm_s = paper_speed_mm_s
        self._lock = threading.RLock()
        self._jobs_changed = threading.Condition(self._lock)
        self._turn_changed = threading.Condition(self._lock)
        self._decoder = _Decoder(
            self.profile,
            self,
            boots_in_chinese_mode=boots_in_chinese_mode,
            queued_status_when_stopped=queued_status_when_stopped,
        )
        self._jobs: list[ReceivedJob] = []
        self._received = bytearray()
        self._dropped = bytearray()
        self.status_requests: list[tuple[str, int]] = []
        #: requests that were answered, with the reply
        self.status_replies: list[tuple[str, int, bytes]] = []
        self.connections_accepted = 0
        # Open connections in arrival order; only the first one is read (see _wait_for_turn).
        self._connections: list[_Connection] = []
        self._listener: socket.socket | None = None
        self._stopping: threading.Event | None = None
        self._accept_thread: threading.Thread | None = None
        self._asb_mask = 0
        self._asb_last = b""

    # -- lifecycle ---------------------------------------------------------------------------

    @property
    def state(self) -> PrinterState:
        return self._state

    @state.setter
    def state(self, state: PrinterState) -> None:
        self._state._remove_listener(self._on_state_change)
        self._state = state
        state._add_listener(self._on_state_change)
        self._on_state_change()

    @property
    def uri(self) -> str:
        return f"tcp://{self.host}:{self.port}"

    @property
    def running(self) -> bool:
        return self._listener is not None

    def start(self) -> EmulatedPrinter:
        if self._listener is None:
            self._listen(self.port)
        return self

    def stop(self) -> None:
        self._close_all()

    def __enter__(self) -> EmulatedPrinter:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def restart(self, down_for: float = 0.0, *, wait: bool = True) -> None:
        """Drop the listening socket and all connections, reset the printer like a power cycle
        and listen again on the same port after `down_for` seconds (connections are refused
        meanwhile). With wait=False it returns once the printer is down."""
        port = self.port
        self._close_all()
        with self._lock:
            self._decoder.power_on()
            self._asb_mask = 0

        def come_back() -> None:
            if down_for > 0:
                time.sleep(down_for)
            self._listen(port)

        if wait:
            come_back()
        else:
            threading.Thread(target=come_back, name=f"escpos-emulator-restart-{port}", daemon=True).start()

    def _listen(self, port: int) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            # Set before listen(): accepted sockets inherit it, and the TCP window stays small.
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, self.RECEIVE_BUFFER)
            listener.bind((self.host, port))
            listener.listen(8)
            listener.settimeout(0.1)  # so that the accept loop notices stop()
        except OSError:
            listener.close()
            raise
        self.port = listener.getsockname()[1]
        stopping = threading.Event()
        thread = threading.Thread(
            target=self._accept_loop, args=(listener, stopping), name=f"escpos-emulator-{self.port}", daemon=True
        )
        self._listener, self._stopping, self._accept_thread = listener, stopping, thread
        thread.start()
        log.info("ESC/POS emulator (%s) listening on %s", self.profile.name, self.uri)

    def _close_all(self) -> None:
        listener, stopping, accept_thread = self._listener, self._stopping, self._accept_thread
        self._listener = None
        if stopping is None:
            return
        stopping.set()
        if accept_thread is not None:
            accept_thread.join(timeout=2)
        if listener is not None:
            listener.close()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            try:
                conn.sock.shutdown(socket.SHUT_RDWR)  # wakes up a blocked recv()
            except OSError:
                pass
        for conn in connections:
            if conn.thread is not None and conn.thread is not threading.current_thread():
                conn.thread.join(timeout=2)

    def _accept_loop(self, listener: socket.socket, stopping: threading.Event) -> None:
        while not stopping.is_set():
            try:
                sock, peer = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                if stopping.is_set():
                    break
                time.sleep(0.05)
                continue
            if stopping.is_set():
                sock.close()
                break
            sock.settimeout(0.1)  # lets the connection thread notice stall and stop()
            with self._lock:
                self.connections_accepted += 1
                conn = _Connection(sock, peer, self.connections_accepted)
                self._connections.append(conn)
            conn.thread = threading.Thread(
                target=self._serve, args=(conn, stopping), name=f"escpos-emulator-conn-{conn.number}", daemon=True
            )
            conn.thread.start()

    def _wait_for_turn(self, conn: _Connection, stopping: threading.Event) -> bool:
        """One connection at a time, like a printer's port 9100: a second connection is
        accepted, but its data waits (unread) until the earlier ones have closed."""
        with self._turn_changed:
            while self._connections[0] is not conn:
                if stopping.is_set():
                    return False
                self._turn_changed.wait(0.1)
            conn.served = True
            return True

    def _serve(self, conn: _Connection, stopping: threading.Event) -> None:
        log.debug("emulator: connection %d from %s", conn.number, conn.peer)
        try:
            if not self._wait_for_turn(conn, stopping):
                return
            printing_until = time.monotonic()  # with a paper speed: when the paper catches up
            chunk = 65536 if self.paper_speed_mm_s is None else 512
            while not stopping.is_set():
                if self.state.stall:
                    time.sleep(0.02)  # a jammed printer: nothing is read, the sender blocks
                    continue
                behind = printing_until - time.monotonic()
                if behind > 0:
                    time.sleep(min(behind, 0.02))  # the buffer is full while the paper moves
                    continue
                try:
                    data = conn.sock.recv(chunk)
                except TimeoutError:
                    continue
                except OSError:
                    break
                if not data:
                    break
                before = self._decoder.paper_dots
                self._on_data(conn, data)
                if self.paper_speed_mm_s is not None:
                    dots = self._decoder.paper_dots - before
                    printing_until = max(printing_until, time.monotonic()) + dots / (self.paper_speed_mm_s * 8)
        except Exception:
            log.exception("emulator: connection %d failed", conn.number)
        finally:
            self._on_connection_closed(conn)

    # -- data --------------------------------------------------------------------------------

    def _on_data(self, conn: _Connection, data: bytes) -> None:
        with self._lock:
            self._received += data
            self._answer_realtime_requests(conn, data)
            conn.pending += data
            consumed = self._decoder.feed(conn.pending, conn, self.state)
            del conn.pending[:consumed]
            finished = self._collect_finished()
        self._after_jobs(finished)

    def _on_connection_closed(self, conn: _Connection) -> None:
        with self._lock:
            finished = []
            if conn.served:
                if conn.pending:
                    self._decoder.feed(conn.pending, conn, self.state, final=True)
                    conn.pending.clear()
                self._decoder.end_of_stream()
                finished = self._collect_finished()
            if conn in self._connections:
                self._connections.remove(conn)
            self._turn_changed.notify_all()
        try:
            conn.sock.close()
        except OSError:
            pass
        self._after_jobs(finished)

    def _answer_realtime_requests(self, conn: _Connection, data: bytes) -> None:
        """DLE EOT n is executed on receipt, wherever it appears in the stream (even inside
        image data, as the manuals warn) and whatever the printer is doing."""
        window = conn.tail + data
        start = len(conn.tail)
        i = window.find(b"\x10\x04")
        while i >= 0:
            if i + 2 < len(window) and i + 2 >= start:
                n = window[i + 2]
                if 1 <= n <= 4:
                    reply = realtime_status_byte(self.state, n) if n in self.profile.realtime_status else None
                    self.reply(conn, "DLE EOT", n, None if reply is None else bytes([reply]))
            i = window.find(b"\x10\x04", i + 1)
        conn.tail = window[-2:]

    def _collect_finished(self) -> list[ReceivedJob]:
        finished = self._decoder.take_finished()
        if finished:
            self._jobs.extend(finished)
            self._jobs_changed.notify_all()
        return finished

    def _after_jobs(self, finished: list[ReceivedJob]) -> None:
        for job in finished:
            if self.out_dir is not None:
                try:
                    job.save(self.out_dir)
                except OSError as exc:
                    log.warning("emulator: cannot save job %d to %s: %s", job.number, self.out_dir, exc)
            if self.on_job is not None:
                try:
                    self.on_job(job)
                except Exception:
                    log.exception("emulator: on_job callback failed")

    # -- the decoder's host interface --------------------------------------------------------

    def reply(self, conn: _Connection | None, kind: str, n: int, data: bytes | None) -> None:
        with self._lock:
            self.status_requests.append((kind, n))
            if data is None or self.state.silent or conn is None:
                return
            self.status_replies.append((kind, n, data))
        conn.send(data)

    def drop(self, data: bytes) -> None:
        self._dropped += data

    def enable_asb(self, conn: _Connection | None, n: int) -> None:
        with self._lock:
            self.status_requests.append(("GS a", n))
            self._asb_mask = n
            if not n or conn is None or self.state.silent:
                return
            self._asb_last = automatic_status_bytes(self.state)
            self.status_replies.append(("GS a", n, self._asb_last))
        conn.send(self._asb_last)

    def _on_state_change(self) -> None:
        with self._lock:
            if not self._asb_mask or self.state.silent:
                return
            status = automatic_status_bytes(self.state)
            if status == self._asb_last:
                return
            self._asb_last = status
            self.status_replies.append(("GS a", self._asb_mask, status))
            active = [conn for conn in self._connections if conn.served]
        for conn in active:
            conn.send(status)

    # -- results -----------------------------------------------------------------------------

    @property
    def jobs(self) -> list[ReceivedJob]:
        with self._lock:
            return list(self._jobs)

    def wait_for_jobs(self, count: int = 1, timeout: float = 5.0) -> list[ReceivedJob]:
        """All jobs once there are at least `count`; raises TimeoutError otherwise."""
        deadline = time.monotonic() + timeout
        with self._jobs_changed:
            while len(self._jobs) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(
                        f"the emulated printer finished {len(self._jobs)} job(s), not {count}, within "
                        f"{timeout} s; received {len(self._received)} bytes; in progress: {self.pending_summary()}"
                    )
                self._jobs_changed.wait(remaining)
            return list(self._jobs)

    def pending_summary(self) -> str:
        """What the job in progress holds (for failing tests)."""
        with self._lock:
            job = self._decoder.job
            buffered = "".join(self._decoder._chars)
            return (
                f"{len(job.lines)} line(s), {len(job.images)} image(s), print buffer {buffered!r}, "
                f"warnings {job.warnings}, dropped {job.dropped_bytes} byte(s)"
            )

    @property
    def received_bytes(self) -> bytes:
        with self._lock:
            return bytes(self._received)

    @property
    def dropped(self) -> bytes:
        """Print data discarded while printing was stopped."""
        with self._lock:
            return bytes(self._dropped)

    @property
    def open_connections(self) -> int:
        with self._lock:
            return len(self._connections)

    @property
    def waiting_connections(self) -> int:
        """Connections accepted but not read yet because an earlier one is still open."""
        with self._lock:
            return sum(not conn.served for conn in self._connections)

    def clear(self) -> None:
        """Forget jobs, received bytes and status requests (the printer's modes stay)."""
        with self._lock:
            self._jobs.clear()
            self._received.clear()
            self._dropped.clear()
            self.status_requests.clear()
            self.status_replies.clear()


# --------------------------------------------------------------------------------------------
# `kiosk printer emulate`

CONSOLE_HELP = """\
commands:
  paper ok|near|out       paper roll state
  cover open|closed       cover
  offline on|off          offline (e.g. feed button held)
  cutter-error on|off     autocutter error
  unrecoverable on|off    unrecoverable error
  silent on|off           answer no status request at all
  stall on|off            stop reading from connections (a jammed printer)
  status                  show the state
  help                    this text"""

_SWITCHES = {
    "offline": "offline",
    "silent": "silent",
    "stall": "stall",
    "cutter-error": "cutter_error",
    "unrecoverable": "unrecoverable",
}


def apply_console_command(state: PrinterState, line: str) -> str:
    """Apply one console command to the state; returns the answer to print."""
    words = line.strip().lower().split()
    if not words:
        return ""
    command, args = words[0], words[1:]
    try:
        if command == "help":
            return CONSOLE_HELP
        if command == "status":
            return state.describe()
        if command == "paper" and len(args) == 1 and args[0] in PAPER_STATES:
            state.paper = args[0]
        elif command == "cover" and len(args) == 1 and args[0] in ("open", "closed"):
            state.cover_open = args[0] == "open"
        elif command in _SWITCHES and len(args) == 1 and args[0] in ("on", "off"):
            setattr(state, _SWITCHES[command], args[0] == "on")
        else:
            return f"未知命令 / unknown command: {line.strip()!r} (type 'help')"
    except ValueError as exc:
        return str(exc)
    return state.describe()


def add_emulate_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    parser.add_argument("--port", type=int, default=9100, help="TCP port, 0 for any free one (default: %(default)s)")
    parser.add_argument("--profile", default="generic-80", help="printer profile (default: %(default)s)")
    parser.add_argument("--out", type=Path, metavar="DIR", help="save each job's text and images here")
    parser.add_argument("--paper", choices=PAPER_STATES, default="ok", help="paper state at start")
    parser.add_argument("--cover", choices=("open", "closed"), default="closed", help="cover state at start")
    parser.add_argument("--offline", action="store_true", help="start offline")
    parser.add_argument("--silent", action="store_true", help="answer no status request")
    parser.add_argument("--speed", type=float, metavar="MM_S", default=None,
                        help="paper speed in mm/s, e.g. 150 (default: as fast as the data arrives)")


def run_emulator_from_args(args: argparse.Namespace) -> int:
    """Run until Ctrl-C: print each job, save it to --out, take state commands on stdin."""
    try:
        profile = get_profile(args.profile)
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    state = PrinterState(paper=args.paper, cover_open=args.cover == "open", offline=args.offline, silent=args.silent)
    output_lock = threading.Lock()

    def say(text: str) -> None:
        with output_lock:
            print(text, flush=True)

    def show_job(job: ReceivedJob) -> None:
        say(f"──── 打印任务 / job {job.number} ────\n{job.summary()}")
        if printer.out_dir is not None:
            say(f"[已保存 / saved to {printer.out_dir}]")

    try:
        printer = EmulatedPrinter(profile, host=args.host, port=args.port, out_dir=args.out, state=state,
                                  on_job=show_job, paper_speed_mm_s=args.speed)
    except ValueError as exc:
        print(f"参数错误 / {exc}", file=sys.stderr)
        return 2
    try:
        printer.start()
    except OSError as exc:
        print(f"无法监听 / cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    say(f"ESC/POS 打印机模拟器 / printer emulator ({profile.name}) on {printer.uri}")
    say(f"{state.describe()}\ntype 'help' for commands, Ctrl-C to stop")

    def read_commands() -> None:
        # EOF (no terminal, stdin closed) ends the console, not the emulator.
        if sys.stdin is None:
            return
        for line in sys.stdin:
            answer = apply_console_command(state, line)
            if answer:
                say(answer)

    threading.Thread(target=read_commands, name="escpos-emulator-console", daemon=True).start()
    previous_sigterm = None
    if threading.current_thread() is threading.main_thread():
        # Stop as cleanly on SIGTERM (a service manager, `kill`) as on Ctrl-C.
        previous_sigterm = signal.signal(signal.SIGTERM, _interrupt)
    try:
        while True:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        printer.stop()
        if previous_sigterm is not None:
            signal.signal(signal.SIGTERM, previous_sigterm)
    return 0


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt
