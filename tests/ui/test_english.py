"""English mode (issue 18 item 6): the 中文/EN switch on home, and no screen of the covered set
shows a UI string left in Chinese. Catalog data (item names, windows, materials, the center's
name) stays Chinese: it is the center's data, not a UI string; the check therefore looks for the
source strings of ``tr`` (read from the code) in what is visible, not for any Chinese at all."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from support import dialog_is
from english_support import CJK, ROOT, catalog_corpus, fragments, source_strings, ui_files
from ui.i18n import catalog_path
from ui.qt import QAbstractButton, QApplication, QLabel, Qt

#: every file with UI strings has a complete English catalog (the exceptions, with their reasons,
#: are english_support.NOT_UI_FILES and NOT_UI_CONSTANTS, listed in docs/ui.md)
COVERED = ui_files()


def catalog() -> dict[str, str]:
    return json.loads(catalog_path("en", ROOT / "assets" / "translations").read_text(encoding="utf-8"))


def walk_attract(shell, data, where) -> None:
    """Every card of the attract screen, frozen, checked for Chinese that is not the center's."""
    overlay = shell.attract.overlay
    overlay.start(shell._attract_cards(), shell.center.name)
    overlay.freeze()
    for _ in overlay._features:
        assert stray_chinese(overlay, data) == [], where
        overlay._advance()
    overlay.leave()


def test_every_string_of_the_covered_screens_has_an_english_translation():
    english = catalog()
    missing = sorted(s for s in source_strings(COVERED) if not english.get(s))
    assert missing == []
    for source, target in english.items():
        if source.startswith("//"):
            continue
        assert not CJK.search(target), f"{source!r} → {target!r} is not English"
        assert set(re.findall(r"\{\w+\}", source)) == set(re.findall(r"\{\w+\}", target)), source


def visible_texts(widget) -> list[str]:
    QApplication.processEvents()
    texts = []
    for child in widget.findChildren(QLabel) + widget.findChildren(QAbstractButton):
        if child.isVisibleTo(widget) and child.text():
            texts.append(child.text())
    return texts


@pytest.fixture(autouse=True)
def chinese_afterwards():
    """The translator is the application's: leave it Chinese for the next test."""
    yield
    from ui import i18n

    i18n.set_language("zh_CN")


def untranslated(shell, data: str) -> list[str]:
    """Visible texts holding a piece of a UI source string that is not also the center's data."""
    sources = {f for f in fragments(source_strings(COVERED)) if f not in data}
    found = []
    for text in visible_texts(shell):
        for fragment in sources:
            if fragment in text:
                found.append(f"{fragment!r} in {text!r}")
    return found


def catalog_data(shell) -> set[str]:
    """What comes from the configuration and the center's name: stays as written."""
    return {shell.center.name, shell.config.terminal.name}


def progress_data(services) -> str:
    """The sample applications' own texts (step names, remarks, result names)."""
    from kiosk.progress.exchange import sample_file

    return "\n" + Path(sample_file()).read_text(encoding="utf-8")


def test_the_switch_turns_home_english_and_the_session_end_turns_it_back(qtbot, shell, settle):
    home = shell.screens["home"]
    assert home.language_button.text() == "EN"
    qtbot.mouseClick(home.language_button, Qt.MouseButton.LeftButton)
    settle(shell)
    home = shell.screens["home"]  # rebuilt in English
    assert home.greeting.text() == "Hello, what would you like to do today?"
    assert home.language_button.text() == "中文"
    assert shell.back_button.text() == "‹ Back" and shell.help_button.text() == "Call a helper"
    chinese = [t for t in visible_texts(shell) if CJK.search(t) and t not in catalog_data(shell) and t != "中文"]
    assert chinese == []
    shell.reset_session()
    settle(shell)
    assert shell.language == "zh_CN"
    assert shell.screens["home"].greeting.text() == "您好，请问您要办什么事？"
    assert shell.back_button.text() == "‹ 返回"


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)])
def test_no_covered_screen_shows_an_untranslated_string(qtbot, services, settle, size):
    from ui.screenshots import PROGRESS_OVERDUE, PROGRESS_REVIEWING, _query_progress

    for shell in english_shells(qtbot, services, settle, size):
        index = services.catalog_index()
        item = next(hit for hit in index.search("营业执照") if hit.name == "营业执照自助打印")
        data = catalog_corpus(services) + "\n".join(catalog_data(shell))
        visits = [
            ("home", {}), ("search", {}), ("browse", {}), ("browse", {"tab": "department"}), ("browse", {"tab": "topic"}),
            ("item", {"code": item.code}), ("selfservice", {}), ("checklist", {"code": item.code}),
        ]
        for elder in (False, True):
            shell.set_elder(elder)
            for name, params in visits:
                shell.go(name, **params)
                settle(shell)
                if name == "search":
                    shell.screens["search"].field.setText("yyzz")
                    settle(shell)
                assert untranslated(shell, data) == [], (name, params, elder)
                assert stray_chinese(shell, data + "\n中文") == [], (name, params, elder)
            for number_and_code in (PROGRESS_REVIEWING, PROGRESS_OVERDUE):
                _query_progress(shell, *number_and_code)
                settle(shell)
                assert untranslated(shell, data + progress_data(services)) == [], ("progress", number_and_code, elder)
                assert stray_chinese(shell, data + progress_data(services) + "\n中文") == [], ("progress", number_and_code, elder)
        shell.screens["search"].field.setText("")


def stray_chinese(shell, data: str) -> list[str]:
    """Visible runs of Chinese that are not the center's data: a string left out of ``tr`` shows
    up here even when it is not a source string."""
    found = []
    for text in visible_texts(shell):
        if len(text) == 1:
            continue  # a key of the pinyin or handwriting panel: the character it types
        for run in CJK_RUN.findall(text):
            if run not in data:
                found.append(f"{run!r} in {text!r}")
    return found


CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")


def english_shells(qtbot, services, settle, size):
    from support import make_shell

    for shell in make_shell(qtbot, services, size):
        shell.screens["home"].language_button.click()
        settle(shell)
        assert shell.language == "en"
        yield shell
        # the translator is the application's: a window left in English would switch it back to
        # Chinese when its idle timer ends its session, in the middle of a later test
        shell.reset_session()


def check(shell, settle, data: str, where) -> None:
    settle(shell)
    data += "\n中文"  # the switch back names its language in it
    assert untranslated(shell, data) == [], where
    assert stray_chinese(shell, data) == [], where


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)])
def test_rating_complaints_calls_and_the_attract_screen_in_english(qtbot, services, settle, size):
    from datetime import datetime

    from kiosk.clock import ManualClock
    from kiosk.feedback.choices import PHRASES

    typed = "\n".join(text for texts in PHRASES.values() for text in texts)  # the case keeps them in Chinese
    for shell in english_shells(qtbot, services, settle, size):
        data = catalog_corpus(services) + "\n".join(catalog_data(shell))
        for elder in (False, True):
            shell.set_elder(elder)
            screen = shell.go("feedback")
            check(shell, settle, data, ("feedback", elder))
            screen.rate_entry.click()
            check(shell, settle, data, ("rate", elder))
            screen.level_buttons[2].click()  # 不满意: the reasons
            settle(shell)
            assert screen.page == "reasons"
            check(shell, settle, data, ("reasons", elder))
            screen.reasons_skip.click()
            settle(shell)
            assert screen.page == "thanks"
            check(shell, settle, data, ("thanks", elder))
            shell.go("feedback", page="complaint")
            screen.kind_buttons["suggestion"].click()
            screen.subject_buttons["terminal"].click()
            screen.toggle_keyboard("phone")
            check(shell, settle, data, ("complaint", elder))
            screen.toggle_keyboard("text")
            check(shell, settle, data, ("complaint keyboard", elder))
            screen.complaint_submit.click()  # nothing chosen: the reason is said
            check(shell, settle, data, ("complaint refused", elder))
            screen.phrase_rows[0].click()
            screen.complaint_phone.setText("138")  # the service refuses it in its own words
            screen.complaint_submit.click()
            settle(shell)
            assert screen.page == "complaint" and "11 digits" in screen.complaint_message.text()
            check(shell, settle, data, ("complaint phone refused", elder))
            screen.complaint_phone.setText("")
            screen.complaint_submit.click()
            settle(shell)
            assert screen.page == "done"
            shell.overlays.close_all()
            check(shell, settle, data + typed, ("done", elder))

            shell.home()
            shell.help_button.click()  # on duty: a helper is coming
            qtbot.waitUntil(dialog_is(shell, "helperCalled"), timeout=5000)
            check(shell, settle, data, ("called", elder))
            shell.overlays.dialog.buttons["cancelCall"].click()
            check(shell, settle, data, ("cancelled", elder))
            shell.overlays.close_all()

            walk_attract(shell, data, ("attract", elder))

            services.hours_clock = ManualClock(datetime(2026, 10, 2, 19, 0))  # 国庆节 evening: nobody on duty
            try:
                shell.help_button.click()
                qtbot.waitUntil(dialog_is(shell, "helperAfterHours"), timeout=5000)
                check(shell, settle, data, ("after hours", elder))
                shell.overlays.dialog.buttons["deferCall"].click()
                qtbot.waitUntil(dialog_is(shell, "helperDeferred"), timeout=5000)
                check(shell, settle, data, ("deferred", elder))
                shell.overlays.close_all()
                walk_attract(shell, data, ("attract at night", elder))
                shell.go("item", code=ITEM_CLOSED_TODAY)
                check(shell, settle, data, ("item on a holiday", elder))
            finally:
                services.hours_clock = ManualClock(datetime(2026, 12, 2, 10, 0))
            shell.set_printer_state(False, "缺纸、上盖打开")
            check(shell, settle, data, ("printer banner", elder))
            shell.set_printer_state(True, "")


#: 营业执照自助打印: windows, a self-service machine, online
ITEM_CLOSED_TODAY = "1141148100492981054200009"


def screenshot_data() -> str:
    """The Chinese of the screenshots' sample services (invented people, cases, notes) and of
    the fault log's own records (ui/screenshots): data, as the center's would be."""
    return "\n".join(path.read_text(encoding="utf-8") for path in sorted((ROOT / "ui" / "screenshots").glob("*.py")))


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)], ids=["portrait", "landscape"])
@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_every_screen_in_english_is_translated_and_fits(qtbot, services, tmp_path, size, elder):
    """Every screen of `kiosk screenshot` (citizens', helpers', maintainers', the admin's) as
    after the EN switch: no UI string left in Chinese, no text cut off (English is longer).
    Staff screens start a fresh session (signing in resets it): they follow ``ui.language``,
    set to English here."""
    from dataclasses import replace

    from fit_support import cut_texts
    from ui.app import KioskWindow, create_application
    from ui.screenshots import SCREENS, render
    from ui.screenshots.fakes import ScreenshotServices

    create_application()
    services.config = replace(services.config, ui=replace(services.config.ui, language="en"))
    shell = KioskWindow(ScreenshotServices(services), size=size)
    qtbot.addWidget(shell)
    shell.resize(*size)
    shell.show()
    data = "\n".join((catalog_corpus(services), progress_data(services), screenshot_data(), *catalog_data(shell), "中文"))
    problems = []
    for name in SCREENS:
        render(shell, name, tmp_path / f"{name}.png", elder=elder, language="en")
        assert shell.language == "en", name
        problems += [f"{name}: untranslated {p}" for p in untranslated(shell, data)]
        problems += [f"{name}: Chinese {p}" for p in stray_chinese(shell, data)]
        problems += [f"{name}: cut {p}" for p in cut_texts(shell)]
    shell.allow_close = True
    shell.pools.wait()
    assert not problems, "\n".join(problems)
