"""Translation of citizen-facing strings outside Qt widgets.

Chinese is the source language. The UI installs Qt translators for its own strings; strings
built in kiosk/ (slips, messages) go through ``tr`` so the same catalogs can translate them.
``set_translator`` lets the UI plug Qt's QCoreApplication.translate in without kiosk/ importing Qt.
"""

from __future__ import annotations

from collections.abc import Callable

_translate: Callable[[str, str], str] | None = None
CONTEXT = "kiosk"


def tr(text: str) -> str:
    if _translate is None:
        return text
    return _translate(CONTEXT, text)


def set_translator(translate: Callable[[str, str], str] | None) -> None:
    global _translate
    _translate = translate
