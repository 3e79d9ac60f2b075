"""sim://FOLDER: a simulated printer for development, ``make run`` and tests.

It behaves like a printer of the configured profile on the wire -- it answers DLE EOT n and
GS r 1 from its state -- and instead of paper it writes each slip as a PNG (drawn by the
image renderer, exactly what a real printer would print) plus the ESC/POS bytes it received,
into FOLDER/slips/. Its state lives in FOLDER/state.json and is re-read on every request, so
``kiosk printer sim --paper out`` (or ``SimState.load(folder).replace(...).save(folder)``)
changes a running kiosk's printer.

State keys: paper ok|near|out, cover_open, offline, cutter_error, unrecoverable,
recoverable, silent (answers nothing), stall (takes no data: writes time out),
disconnected (unplugged: can't be opened).
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import tempfile
import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drivers.printer.errors import DisconnectedError, PrinterTimeoutError
from drivers.printer.escpos import PAPER_SENSOR_STATUS, dle_eot
from drivers.printer.transports.base import Transport

if TYPE_CHECKING:  # pragma: no cover
    from drivers.printer.document import Document
    from drivers.printer.profiles import PrinterProfile

STATE_FILE = "state.json"
SLIP_DIR = "slips"
#: PNG/bytes pairs kept in FOLDER/slips (oldest removed first)
KEEP_SLIPS = 200
PAPER_STATES = ("ok", "near", "out")


@dataclass(frozen=True)
class SimState:
    paper: str = "ok"
    cover_open: bool = False
    offline: bool = False
    cutter_error: bool = False
    unrecoverable: bool = False
    recoverable: bool = False
    silent: bool = False
    stall: bool = False
    disconnected: bool = False

    def __post_init__(self) -> None:
        if self.paper not in PAPER_STATES:
            raise ValueError(f"paper must be one of {', '.join(PAPER_STATES)}, not {self.paper!r}")

    @classmethod
    def load(cls, folder: str | os.PathLike[str]) -> SimState:
        path = Path(folder) / STATE_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError):
            return cls()  # a half-written or broken file: behave as a fresh printer
        known = {f.name for f in dataclasses.fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        try:
            return cls(**values)
        except (TypeError, ValueError):
            return cls()

    def save(self, folder: str | os.PathLike[str]) -> Path:
        """Write the state atomically (a running kiosk reads it at any moment)."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".state-", suffix=".json", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(dataclasses.asdict(self), fh, ensure_ascii=False, indent=2)
        path = folder / STATE_FILE
        os.replace(tmp, path)
        return path

    def replace(self, **changes: Any) -> SimState:
        return dataclasses.replace(self, **changes)

    # The bytes a printer in this state answers -------------------------------------------

    @property
    def _error(self) -> bool:
        return self.cutter_error or self.unrecoverable or self.recoverable

    @property
    def _stopped(self) -> bool:
        return self.cover_open or self.paper == "out" or self._error

    def realtime_reply(self, n: int) -> int:
        value = 0x12
        if n == 1:
            if self.offline or self._stopped:
                value |= 0x08
        elif n == 2:
            if self.cover_open:
                value |= 0x04
            if self.paper == "out":
                value |= 0x20
            if self._error:
                value |= 0x40
        elif n == 3:
            if self.cutter_error:
                value |= 0x08
            if self.unrecoverable:
                value |= 0x20
            if self.recoverable:
                value |= 0x40
        elif n == 4:
            if self.paper in ("near", "out"):
                value |= 0x0C
            if self.paper == "out":
                value |= 0x60
        return value

    def paper_sensor_reply(self) -> int:
        value = 0
        if self.paper in ("near", "out"):
            value |= 0x03
        if self.paper == "out":
            value |= 0x0C
        return value

    @property
    def prints(self) -> bool:
        """Whether data sent now comes out as paper."""
        return not (self._stopped or self.offline or self.stall or self.disconnected)

    def describe(self) -> str:
        flags = [f"paper={self.paper}"] + [
            f.name for f in dataclasses.fields(self) if f.name != "paper" and getattr(self, f.name)
        ]
        return " ".join(flags)


_QUERIES = {dle_eot(n): n for n in (1, 2, 3, 4)}


class SimTransport(Transport):
    """The simulated printer, seen from the driver as a transport."""

    def __init__(self, folder: str | os.PathLike[str], *, uri: str | None = None, profile: PrinterProfile | None = None):
        super().__init__(uri or f"sim://{folder}")
        self.folder = Path(folder)
        self._open = False
        self._replies: deque[int] = deque()
        self._document: tuple[Document, PrinterProfile] | None = None
        self._job = bytearray()
        self._lock = threading.Lock()
        #: paths of the slips written by this transport, newest last
        self.written: list[Path] = []

    @property
    def slips_folder(self) -> Path:
        return self.folder / SLIP_DIR

    def state(self) -> SimState:
        return SimState.load(self.folder)

    @property
    def is_open(self) -> bool:
        return self._open

    def open(self, timeout: float) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DisconnectedError(f"sim folder {self.folder}: {exc.strerror}") from None
        if self.state().disconnected:
            self._open = False
            raise DisconnectedError(f"simulated printer in {self.folder} is unplugged (state.json: disconnected)")
        self._open = True
        self._replies.clear()

    def _check(self, timeout: float) -> SimState:
        if not self._open:
            raise DisconnectedError("not connected")
        state = self.state()
        if state.disconnected:
            self._open = False
            raise DisconnectedError(f"simulated printer in {self.folder} was unplugged")
        return state

    def write(self, data: bytes, timeout: float) -> None:
        state = self._check(timeout)
        if state.stall:
            time.sleep(timeout)
            raise PrinterTimeoutError(f"simulated printer takes no data (stall) for {timeout:g} s")
        if data in _QUERIES:
            if not state.silent:
                self._replies.append(state.realtime_reply(_QUERIES[data]))
            return
        if data == PAPER_SENSOR_STATUS:
            # Answered after the job before it is "printed": the job is done by now.
            if not state.silent:
                self._replies.append(state.paper_sensor_reply())
            return
        if state.prints and self._document is not None:
            self._print(data)
        self._document = None

    def read(self, size: int, timeout: float) -> bytes:
        self._check(timeout)
        if not self._replies:
            if timeout > 0:
                time.sleep(timeout)  # a silent printer keeps us waiting, as a real one would
            return b""
        out = bytearray()
        while self._replies and len(out) < size:
            out.append(self._replies.popleft())
        return bytes(out)

    def close(self) -> None:
        self._open = False
        self._replies.clear()

    def attach_document(self, document: Document, profile: PrinterProfile) -> None:
        self._document = (document, profile)

    def _print(self, data: bytes) -> None:
        from drivers.printer.raster import render_image

        assert self._document is not None
        document, profile = self._document
        with self._lock:
            self.slips_folder.mkdir(parents=True, exist_ok=True)
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
            title = re.sub(r"[^\w.-]+", "_", document.title or "slip")[:40]
            base = self.slips_folder / f"{stamp}-{profile.name}-{title}"
            image = render_image(document, profile, mode="1")
            png = base.with_suffix(".png")
            image.save(png)
            base.with_suffix(".bin").write_bytes(data)
            self.written.append(png)
            self._prune()

    def _prune(self) -> None:
        pngs = sorted(self.slips_folder.glob("*.png"))
        for old in pngs[: max(0, len(pngs) - KEEP_SLIPS)]:
            for path in (old, old.with_suffix(".bin")):
                try:
                    path.unlink()
                except OSError:
                    pass

    def slips(self) -> list[Path]:
        """The PNGs in the folder, oldest first (from any process)."""
        return sorted(self.slips_folder.glob("*.png"))
