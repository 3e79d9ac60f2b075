"""Globally unique, time-ordered record ids: UUIDv7 (RFC 9562 §5.7).

Python 3.11 has no ``uuid.uuid7`` (it arrives in 3.14), so this is the small generator:
48 bits of Unix time in milliseconds, the version and variant bits, and 74 bits of which the
first 12 (rand_a) are a counter within one millisecond (RFC 9562 §6.2 method 1) and the rest
random. Ids made by one process are strictly increasing even when the clock steps back (the
last timestamp is reused and the counter goes on), so an outbox sorted by id is in the order
the records were made; ids made on different terminals never collide (62 random bits).
"""

from __future__ import annotations

import os
import threading
import time
import uuid

_lock = threading.Lock()
_last_ms = 0
_counter = 0
_COUNTER_MAX = 0xFFF


def uuid7(now_ms: int | None = None) -> uuid.UUID:
    global _last_ms, _counter
    with _lock:
        ms = int(time.time() * 1000) if now_ms is None else now_ms
        if ms > _last_ms:
            _last_ms, _counter = ms, int.from_bytes(os.urandom(2), "big") & 0x3FF  # room to count up
        else:  # same millisecond, or the clock went back: keep the order
            _counter += 1
            if _counter > _COUNTER_MAX:
                _last_ms, _counter = _last_ms + 1, 0
        ms, counter = _last_ms, _counter
    rand_b = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    value = (ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | counter << 64 | 0b10 << 62 | rand_b
    return uuid.UUID(int=value)


def new_id() -> str:
    """A new UUIDv7 as text (36 characters), the form stored in the outbox and sent."""
    return str(uuid7())


def timestamp_ms(value: uuid.UUID | str) -> int:
    """The Unix time in milliseconds an id was made at."""
    return uuid.UUID(str(value)).int >> 80


__all__ = ["new_id", "timestamp_ms", "uuid7"]
