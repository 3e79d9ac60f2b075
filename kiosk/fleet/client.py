"""The terminal's HTTP client of the center (stdlib urllib: nothing new on the terminal).

Errors are typed so the worker knows what to do: ``CenterUnreachable`` (network down, center
stopped, 5xx: keep the data, try again later), ``CenterRefused`` (401/403: not enrolled,
revoked, or writing in another's name: stop and tell the maintainer), ``CenterError`` (any other
refusal). TLS: an ``https://`` center is verified against the system's CAs or ``ca_file``.
"""

from __future__ import annotations

import json
import socket
import ssl
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http.client import HTTPException
from typing import Any

from kiosk.errors import KioskError


class CenterError(KioskError):
    def __init__(self, zh: str, en: str, status: int = 0):
        super().__init__(zh, en)
        self.status = status


class CenterUnreachable(CenterError):
    """The center cannot be reached now; whatever was to be sent stays queued."""


class CenterRefused(CenterError):
    """The center refuses this terminal (unknown, revoked, or not its own record)."""


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    headers: dict[str, str]

    def json(self) -> Any:
        return json.loads(self.body or b"null")


class CenterClient:
    def __init__(self, url: str, token: str = "", *, ca_file: str = "", timeout: float = 10.0):
        self.url = url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self._context = None
        if self.url.startswith("https://"):
            self._context = ssl.create_default_context(cafile=ca_file or None)

    def request(self, method: str, path: str, body: Any = None, *, timeout: float | None = None,
                query: dict | None = None) -> Response:
        url = self.url + path + (("?" + urllib.parse.urlencode(query)) if query else "")
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode()
        headers = {"Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout or self.timeout, context=self._context) as reply:
                return Response(reply.status, reply.read(), dict(reply.headers))
        except urllib.error.HTTPError as exc:
            with exc:
                raw = exc.read()
            try:
                detail = json.loads(raw)
            except ValueError:
                detail = {}
            zh = (detail or {}).get("error") or f"中心拒绝了请求（{exc.code}）"
            en = f"{method} {path}: HTTP {exc.code} {(detail or {}).get('detail') or exc.reason}"
            if exc.code in (401, 403):
                raise CenterRefused(zh, en, exc.code) from None
            if exc.code >= 500 or exc.code == 429:
                raise CenterUnreachable("中心暂时无法处理，稍后自动重试", en, exc.code) from None
            raise CenterError(zh, en, exc.code) from None
        except ssl.SSLCertVerificationError as exc:
            raise CenterRefused("中心证书无法验证，请检查 center.ca_file", f"TLS verification failed: {exc}") from None
        except (urllib.error.URLError, OSError, HTTPException, socket.timeout) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, ssl.SSLCertVerificationError):  # never falls back to anything weaker
                raise CenterRefused("中心证书无法验证，请检查 center.ca_file", f"TLS verification failed: {reason}") from None
            raise CenterUnreachable("连接不上中心，数据先保存在本机，恢复后自动上传", f"{method} {path}: {reason}") from None

    def get(self, path: str, **kwargs) -> Any:
        return self.request("GET", path, **kwargs).json()

    def post(self, path: str, body: Any, **kwargs) -> Any:
        return self.request("POST", path, body, **kwargs).json()


__all__ = ["CenterClient", "CenterError", "CenterRefused", "CenterUnreachable", "Response"]
