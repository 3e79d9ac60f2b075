"""Translation of citizen-facing strings outside Qt widgets.

Chinese is the source language. The UI installs Qt translators for its own strings; strings
built in kiosk/ (slips, messages) go through ``tr`` so the same catalogs can translate them.
``set_translator`` lets the UI plug Qt's QCoreApplication.translate in without kiosk/ importing Qt.

Work done off the UI thread for one session — a slip built and printed on a worker — must not
follow a language the UI may switch meanwhile: ``in_language`` fixes the language for the code
it wraps, on that thread only, and ``tr`` then reads the JSON catalog itself
(``assets/translations/kiosk_<language>.json``, the same catalog the UI serves to Qt).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

log = logging.getLogger(__name__)

_translate: Callable[[str, str], str] | None = None
CONTEXT = "kiosk"
SOURCE_LANGUAGE = "zh_CN"

#: the language fixed by ``in_language`` for the code running in this thread (None: the UI's)
_language: ContextVar[str | None] = ContextVar("kiosk_language", default=None)
_catalogs: dict[str, dict[str, str]] = {}
_catalogs_lock = threading.Lock()
_catalog_dir: Path | None = None


def tr(text: str) -> str:
    language = _language.get()
    if language is not None:
        return catalog(language).get(text, text)
    if _translate is None:
        return text
    return _translate(CONTEXT, text)


def set_translator(translate: Callable[[str, str], str] | None) -> None:
    global _translate
    _translate = translate


def set_catalog_dir(path: Path | str | None) -> None:
    """Where ``kiosk_<language>.json`` are read from (default: the shipped assets/translations)."""
    global _catalog_dir
    with _catalogs_lock:
        _catalog_dir = Path(path) if path is not None else None
        _catalogs.clear()


def catalog(language: str) -> dict[str, str]:
    """{Chinese: translation} of ``language``; empty for Chinese, and for a language whose
    catalog is missing or broken (logged once): its strings then stay Chinese."""
    if language == SOURCE_LANGUAGE:
        return {}
    with _catalogs_lock:
        if language not in _catalogs:
            _catalogs[language] = _load(language)
        return _catalogs[language]


def _load(language: str) -> dict[str, str]:
    folder = _catalog_dir
    if folder is None:
        from kiosk.paths import assets_dir

        folder = assets_dir() / "translations"
    path = folder / f"kiosk_{language}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.error("translation catalog %s not loaded: %s", path, exc)
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str) and v and not k.startswith("//")}


@contextmanager
def in_language(language: str | None) -> Iterator[None]:
    """``tr`` answers in ``language`` inside the block, on this thread, whatever the UI does
    meanwhile (None: as outside)."""
    token = _language.set(language)
    try:
        yield
    finally:
        _language.reset(token)


def current() -> str | None:
    """The language fixed by ``in_language`` here, else None."""
    return _language.get()
