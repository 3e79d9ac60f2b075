"""Handwriting recognition (手写输入): strokes drawn with a finger → ranked Chinese characters.

A small ctypes binding to zinnia (Debian ``libzinnia0``) with the simplified-Chinese model of
``tegaki-zinnia-simplified-chinese``. Recognition is offline and takes a few milliseconds; the UI
still runs it off the Qt event loop. A recognizer is not thread-safe: one per thread, or a lock
(``Recognizer`` holds one).

Strokes are lists of (x, y) points in the pad's own coordinates; ``width``/``height`` give the
pad's size, and zinnia normalises them itself.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kiosk.errors import KioskError

LIBRARY_NAMES = ("libzinnia.so.0", "zinnia")
MODEL_PATHS = (
    Path("/usr/share/tegaki/models/zinnia/handwriting-zh_CN.model"),
    Path("/usr/share/zinnia/model/tomoe/handwriting-zh_CN.model"),
)

Stroke = Sequence[tuple[float, float]]


class HandwritingUnavailable(KioskError):
    """The zinnia library or its model is missing: the pad says so instead of recognizing."""


@dataclass(frozen=True)
class Candidate:
    text: str
    score: float


def _load_library() -> ctypes.CDLL:
    errors = []
    for name in LIBRARY_NAMES:
        path = name if name.startswith("lib") else ctypes.util.find_library(name)
        if not path:
            continue
        try:
            lib = ctypes.CDLL(path)
            break
        except OSError as exc:
            errors.append(str(exc))
    else:
        raise HandwritingUnavailable(
            "本机未安装手写识别库（libzinnia0），暂不能手写输入",
            "zinnia library not found (install Debian package libzinnia0): " + "; ".join(errors),
        )
    p, c_size, c_int = ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int
    signatures = {
        "zinnia_recognizer_new": ([], p),
        "zinnia_recognizer_destroy": ([p], None),
        "zinnia_recognizer_open": ([p, ctypes.c_char_p], c_int),
        "zinnia_recognizer_strerror": ([p], ctypes.c_char_p),
        "zinnia_recognizer_classify": ([p, p, c_size], p),
        "zinnia_character_new": ([], p),
        "zinnia_character_destroy": ([p], None),
        "zinnia_character_set_width": ([p, c_size], None),
        "zinnia_character_set_height": ([p, c_size], None),
        "zinnia_character_add": ([p, c_size, c_int, c_int], c_int),
        "zinnia_result_value": ([p, c_size], ctypes.c_char_p),
        "zinnia_result_score": ([p, c_size], ctypes.c_float),
        "zinnia_result_size": ([p], c_size),
        "zinnia_result_destroy": ([p], None),
    }
    for name, (args, result) in signatures.items():
        function = getattr(lib, name)
        function.argtypes, function.restype = args, result
    return lib


def default_model() -> Path:
    for path in MODEL_PATHS:
        if path.is_file():
            return path
    raise HandwritingUnavailable(
        "本机未安装手写识别字库，暂不能手写输入",
        "zinnia model not found (install Debian package tegaki-zinnia-simplified-chinese); looked in "
        + ", ".join(str(p) for p in MODEL_PATHS),
    )


class Recognizer:
    """One opened zinnia model. ``recognize`` is safe to call from any thread (one at a time)."""

    def __init__(self, model: str | Path | None = None):
        self._lib = _load_library()
        path = Path(model) if model else default_model()
        if not path.is_file():
            raise HandwritingUnavailable(
                "本机未安装手写识别字库，暂不能手写输入", f"zinnia model not found: {path}"
            )
        self._lock = threading.Lock()
        self._handle = self._lib.zinnia_recognizer_new()
        if not self._handle or not self._lib.zinnia_recognizer_open(self._handle, str(path).encode()):
            problem = self._lib.zinnia_recognizer_strerror(self._handle) if self._handle else b"out of memory"
            self.close()
            raise HandwritingUnavailable(
                "手写识别字库无法打开，暂不能手写输入",
                f"zinnia could not open {path}: {(problem or b'').decode(errors='replace')}",
            )
        self.model = path

    def recognize(self, strokes: Sequence[Stroke], width: int, height: int, limit: int = 10) -> list[Candidate]:
        """Best candidates first. No strokes (or only empty ones) → no candidates."""
        strokes = [stroke for stroke in strokes if len(stroke) > 0]
        if not strokes or limit <= 0 or width <= 0 or height <= 0:
            return []
        lib = self._lib
        with self._lock:
            if not self._handle:
                raise HandwritingUnavailable("手写识别已关闭", "recognizer is closed")
            character = lib.zinnia_character_new()
            try:
                lib.zinnia_character_set_width(character, int(width))
                lib.zinnia_character_set_height(character, int(height))
                for number, stroke in enumerate(strokes):
                    for x, y in stroke:
                        lib.zinnia_character_add(character, number, int(round(x)), int(round(y)))
                result = lib.zinnia_recognizer_classify(self._handle, character, int(limit))
                if not result:
                    return []
                try:
                    return [
                        Candidate(lib.zinnia_result_value(result, i).decode("utf-8"), float(lib.zinnia_result_score(result, i)))
                        for i in range(lib.zinnia_result_size(result))
                    ]
                finally:
                    lib.zinnia_result_destroy(result)
            finally:
                lib.zinnia_character_destroy(character)

    def close(self) -> None:
        with getattr(self, "_lock", threading.Lock()):
            if getattr(self, "_handle", None):
                self._lib.zinnia_recognizer_destroy(self._handle)
                self._handle = None

    def __enter__(self) -> Recognizer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self) -> None:  # pragma: no cover - best effort at interpreter exit
        try:
            self.close()
        except Exception:
            pass


_shared: Recognizer | None = None
_shared_lock = threading.Lock()


def shared_recognizer() -> Recognizer:
    """The process's recognizer, opened on first use (the model is ~10 MB)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Recognizer()
        return _shared
