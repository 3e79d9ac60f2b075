"""Transports: how bytes reach a printer. Each implements only open, write, read and close,
and every write and read has a timeout; the logic lives in ``device.ReceiptPrinter``.

URIs (configuration ``printer.uri``, ``$KIOSK_PRINTER`` or ``--printer``)::

    usb://0416:5011[?interface=0&in_ep=0x81&out_ep=0x03&serial=ABC]
    tcp://192.168.1.50[:9100]
    serial:///dev/ttyUSB0?baudrate=9600[&rtscts=1&xonxoff=0&parity=N&bytesize=8&stopbits=1]
    file:///dev/usb/lp0
    sim://[FOLDER]          (sim.py)

Errors: ``DisconnectedError`` when the device can't be reached or went away (the printer
reconnects on its next operation), ``PrinterTimeoutError`` when written data makes no
progress for ``timeout`` seconds. ``read`` returns b"" when nothing came in time.

One module per transport (base.py: the interface; uri.py: the URIs; tcp, serial, file, usb,
sim); this package's names are the ones the rest of the code imports.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from drivers.printer.errors import PrinterUriError
from drivers.printer.transports.base import Transport
from drivers.printer.transports.file import FileTransport
from drivers.printer.transports.serial import SerialTransport
from drivers.printer.transports.sim import SimState, SimTransport
from drivers.printer.transports.tcp import TcpTransport
from drivers.printer.transports.uri import DEFAULT_TCP_PORT, SCHEMES, PrinterUri, parse_printer_uri
from drivers.printer.transports.usb import UsbTransport


def create_transport(uri: str, *, default_sim_folder: str | os.PathLike[str] | None = None, **options: Any) -> Transport:
    """The transport for ``uri``. ``options`` go to its constructor (``backend`` for usb)."""
    parsed = parse_printer_uri(uri)
    if parsed.scheme == "tcp":
        if not parsed.host:
            raise PrinterUriError(f"缺少主机 / no host in {uri!r} (tcp://HOST[:PORT])")
        return TcpTransport(parsed.host, parsed.port or DEFAULT_TCP_PORT, uri=parsed.text)
    if parsed.scheme == "usb":
        return UsbTransport.from_uri(parsed, **options)
    if parsed.scheme == "serial":
        return SerialTransport.from_uri(parsed)
    if parsed.scheme == "file":
        path = (parsed.host and "/" + parsed.host or "") + parsed.path
        if not path:
            raise PrinterUriError(f"缺少设备路径 / no path in {uri!r} (file:///dev/usb/lp0)")
        return FileTransport(path, uri=parsed.text)
    folder_text = (parsed.host or "") + parsed.path if (parsed.host or parsed.path) else ""
    if folder_text:
        folder = Path(folder_text).expanduser()
    elif default_sim_folder is not None:
        folder = Path(default_sim_folder)
    else:
        raise PrinterUriError(f"模拟打印机需要目录 / sim:// needs a folder here: sim:///path/to/folder ({uri!r})")
    return SimTransport(folder, uri=parsed.text)


__all__ = [
    "DEFAULT_TCP_PORT",
    "SCHEMES",
    "FileTransport",
    "PrinterUri",
    "SerialTransport",
    "SimState",
    "SimTransport",
    "TcpTransport",
    "Transport",
    "UsbTransport",
    "create_transport",
    "parse_printer_uri",
]
