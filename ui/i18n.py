"""Translation for the UI: Chinese is the source language; every citizen-facing string goes
through ``tr`` so that a Qt translation catalog can replace it (see docs/translation.md)."""

from __future__ import annotations

from kiosk import i18n as domain_i18n
from kiosk.errors import KioskError
from ui.qt import QCoreApplication, QLocale, QTranslator

CONTEXT = "kiosk"


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def refusal_text(exc: BaseException, fallback: str) -> str:
    """What a service refused, in its own Chinese words (every refusal is a KioskError); any
    other failure gets ``fallback`` (already translated), never a traceback on the screen."""
    if isinstance(exc, KioskError) and exc.zh:
        return exc.zh
    return fallback


def install(app, language: str, translations_dir) -> QTranslator | None:
    """Load ``kiosk_<language>.qm`` when the language is not the source language, and route
    strings built in kiosk/ (slips, messages) through the same catalog."""
    domain_i18n.set_translator(lambda context, text: QCoreApplication.translate(CONTEXT, text))
    if language == "zh_CN":
        return None
    translator = QTranslator(app)
    if translator.load(QLocale(language), "kiosk", "_", str(translations_dir)):
        app.installTranslator(translator)
        return translator
    return None
