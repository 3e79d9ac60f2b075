"""Printer URIs (``usb://``, ``tcp://``, ``serial://``, ``file://``, ``sim://``) parsed into
their parts; the parameters' readers the transports share."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urlsplit

from drivers.printer.errors import PrinterUriError

DEFAULT_TCP_PORT = 9100


@dataclass(frozen=True)
class PrinterUri:
    scheme: str
    host: str = ""
    port: int | None = None
    path: str = ""
    params: dict[str, str] = field(default_factory=dict)
    text: str = ""


SCHEMES = ("usb", "tcp", "serial", "file", "sim")


def parse_printer_uri(uri: str) -> PrinterUri:
    text = uri.strip()
    if "://" not in text:
        raise PrinterUriError(
            f"打印机地址无效 / not a printer URI: {uri!r} (e.g. usb://0416:5011, tcp://10.0.0.9:9100, sim://)"
        )
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise PrinterUriError(f"不支持的打印机连接方式 / unknown printer URI scheme {scheme!r} in {uri!r}; known: {', '.join(SCHEMES)}")
    params = {k.lower(): v for k, v in parse_qsl(parts.query, keep_blank_values=True)}
    port = None
    if scheme == "tcp":
        try:
            port = parts.port
        except ValueError:
            raise PrinterUriError(f"端口无效 / invalid port in {uri!r}") from None
        host = parts.hostname or ""
    else:
        # usb://0416:5011 is VID:PID, not host:port; sim://~/x and file paths keep their case.
        host = parts.netloc
    return PrinterUri(scheme, host, port, unquote(parts.path), params, text)


def _int_param(params: dict[str, str], name: str, default: int | None, uri: str) -> int | None:
    if name not in params or params[name] == "":
        return default
    try:
        return int(params[name], 0)
    except ValueError:
        raise PrinterUriError(f"参数无效 / {name}={params[name]!r} in {uri!r} is not a number") from None


def _bool_param(params: dict[str, str], name: str, default: bool) -> bool:
    value = params.get(name)
    if value is None or value == "":
        return default
    return value.lower() in ("1", "true", "yes", "on")
