"""The console's configuration keys (``[console]`` in the center's configuration; docs/console.md)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True)
class ConsoleSettings:
    #: a session ends after this many minutes without a request ...
    idle_minutes: int = 30
    #: ... and in any case this many hours after sign-in
    max_hours: int = 12
    #: wrong passwords in a row before the account is locked ...
    max_failures: int = 5
    #: ... for this many minutes
    lockout_minutes: int = 15
    #: the shortest console password accepted
    min_password_length: int = 10
    #: "auto": Secure cookies when the request came over https (or a proxy said so); "always"; "never"
    secure_cookies: str = "auto"
    #: the name written into the audit log's terminal column for what staff do in the console
    audit_terminal: str = "console"
    #: how often the 呼叫 page asks for news, in milliseconds (the issue asks for <= 2 s)
    poll_ms: int = 1500

    @classmethod
    def from_mapping(cls, data: dict[str, Any] | None) -> ConsoleSettings:
        data = dict(data or {})
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(data) - set(known))
        if unknown:
            raise ValueError(f"[console]: unknown key(s) {', '.join(unknown)} (控制台配置项无效)")
        values: dict[str, Any] = {}
        for name, value in data.items():
            kind = type(getattr(cls, name))
            if kind is int and (isinstance(value, bool) or not isinstance(value, int) or value <= 0):
                raise ValueError(f"[console] {name}: a positive whole number, not {value!r}")
            if kind is str and not isinstance(value, str):
                raise ValueError(f"[console] {name}: text, not {value!r}")
            values[name] = value
        if values.get("secure_cookies", "auto") not in ("auto", "always", "never"):
            raise ValueError("[console] secure_cookies: one of auto, always, never")
        return cls(**values)
