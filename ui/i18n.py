"""Translation for the UI: Chinese is the source language; every citizen-facing string goes
through ``tr``, which asks the installed translator (docs/ui.md#translation).

The catalog is ours: ``assets/translations/kiosk_<language>.json``, one object mapping each
Chinese source string to its translation (reviewable in a diff, testable without Qt's tools).
``CatalogTranslator`` serves it to Qt, so ``QCoreApplication.translate`` — and through it the
domain's ``kiosk.i18n.tr`` (slips, messages) — answers in the session's language. A string the
catalog lacks stays Chinese. ``set_language`` switches at run time (the 中文/EN switch on home).
"""

from __future__ import annotations

from kiosk import i18n as domain_i18n
from kiosk.errors import KioskError
import json
import logging
from pathlib import Path

from ui.qt import QCoreApplication, QTranslator

log = logging.getLogger(__name__)
SOURCE_LANGUAGE = "zh_CN"
#: languages a citizen can switch to on home, with the switch's label
LANGUAGES = {"zh_CN": "中文", "en": "EN"}

CONTEXT = "kiosk"


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def state_text(text: str) -> str:
    """A device's short state in Chinese, as the monitor joins them (缺纸、上盖打开), translated
    part by part."""
    return tr("、").join(tr(part) for part in text.split("、")) if text else text


def refusal_text(exc: BaseException, fallback: str) -> str:
    """What a service refused, in its own Chinese words (every refusal is a KioskError); any
    other failure gets ``fallback`` (already translated), never a traceback on the screen. In
    another language: the catalog's translation of those words, else the refusal's own English
    (``exc.en``, written for the log but plain enough to read)."""
    if isinstance(exc, KioskError) and exc.zh:
        if _language == SOURCE_LANGUAGE:
            return exc.zh
        translated = tr(exc.zh)
        if translated != exc.zh:
            return translated
        return (exc.en[:1].upper() + exc.en[1:]) if exc.en and not _has_chinese(exc.en) else exc.zh
    return fallback


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


class CatalogTranslator(QTranslator):
    """A JSON catalog {Chinese: translation} served to Qt."""

    def __init__(self, catalog: dict[str, str], language: str, parent=None):
        super().__init__(parent)
        self.catalog = catalog
        self.language = language

    @classmethod
    def load_file(cls, path: Path, language: str, parent=None) -> CatalogTranslator:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        catalog = {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str) and v and not k.startswith("//")}
        return cls(catalog, language, parent)

    def translate(self, context, source_text, disambiguation=None, n=-1):  # noqa: N802 (Qt's name)
        return self.catalog.get(source_text, source_text)

    def isEmpty(self) -> bool:  # noqa: N802
        return not self.catalog


_translations_dir: Path | None = None
_installed: CatalogTranslator | None = None
_language = SOURCE_LANGUAGE


def catalog_path(language: str, translations_dir: Path | None = None) -> Path:
    """``kiosk_<language>.json`` in ``translations_dir``, else the shipped assets/translations."""
    if translations_dir is None and _translations_dir is None:
        from kiosk.paths import assets_dir

        translations_dir = assets_dir() / "translations"
    return Path(translations_dir or _translations_dir) / f"kiosk_{language}.json"


def current_language() -> str:
    return _language


def set_language(language: str, translations_dir: Path | None = None) -> bool:
    """Serve ``language`` from now on (the source language removes the catalog). False when its
    catalog is missing or broken (logged): the screens stay Chinese."""
    global _installed, _language, _translations_dir
    # strings built in kiosk/ (slips, readings of catalog values) follow the same catalog
    domain_i18n.set_translator(lambda context, text: QCoreApplication.translate(CONTEXT, text))
    app = QCoreApplication.instance()
    if translations_dir is not None:
        _translations_dir = Path(translations_dir)
        domain_i18n.set_catalog_dir(_translations_dir)  # slips built off the UI thread read it too
    if _installed is not None and app is not None:
        app.removeTranslator(_installed)
    _installed = None
    _language = SOURCE_LANGUAGE
    if language == SOURCE_LANGUAGE:
        return True
    path = catalog_path(language)
    try:
        translator = CatalogTranslator.load_file(path, language, app)
    except (OSError, ValueError) as exc:
        log.error("translation catalog %s not loaded: %s", path, exc)
        return False
    if app is not None:
        app.installTranslator(translator)
    _installed, _language = translator, language
    return True


def install(app, language: str, translations_dir) -> QTranslator | None:
    """At start: route strings built in kiosk/ (slips, messages) through Qt's translation and
    serve the configured language (``ui.language``)."""
    domain_i18n.set_translator(lambda context, text: QCoreApplication.translate(CONTEXT, text))
    set_language(language, Path(translations_dir))
    return _installed
