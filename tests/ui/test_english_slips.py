"""Slips in the session's language (issue 18 item 6): printed to the ESC/POS emulator on a real
TCP socket from an English session, they come out in English (the center's data — item names,
windows, the center's name — as written); a Chinese session still prints Chinese. The language
goes with the print job: a slip built on the device pool does not follow a switch made on the
UI thread meanwhile."""

from __future__ import annotations

import threading

import pytest

from support import dialog_is
from english_support import CJK, catalog_corpus, fragments, source_strings
from ui.qt import Qt

COMPANY = "1141148100492981054010001"  # 有限责任公司设立登记
SLIPS = ["kiosk/slips/notice.py", "kiosk/slips/progress.py", "kiosk/slips/feedback.py", "kiosk/slips/proxy.py",
         "kiosk/slips/frame.py", "kiosk/catalog/present.py", "kiosk/progress/view.py", "kiosk/progress/models.py",
         "kiosk/feedback/choices.py"]


@pytest.fixture(autouse=True)
def chinese_afterwards():
    yield
    from ui import i18n

    i18n.set_language("zh_CN")


def click(qtbot, widget):
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def left_in_chinese(text: str, data: str) -> list[str]:
    """Pieces of the slips' source strings printed as they are (not the center's data)."""
    return sorted(f for f in fragments(source_strings(SLIPS)) if f in text and f not in data)


def print_notice(qtbot, shell, settle, emulator, count: int):
    shell.go("item", code=COMPANY)
    settle(shell)
    click(qtbot, shell.screens["item"].print_button)
    qtbot.waitUntil(dialog_is(shell, "preview"), timeout=10000)
    click(qtbot, shell.overlays.dialog.buttons["printButton"])
    qtbot.waitUntil(dialog_is(shell, "printed"), timeout=10000)
    job = emulator.wait_for_jobs(count, timeout=10)[count - 1]
    assert job.cut and not job.undecodable
    return job.text


def test_an_english_session_prints_english_slips_and_a_chinese_one_chinese(qtbot, printing_shell, emulator, settle, services):
    from ui.screenshots import _query_progress

    shell = printing_shell
    data = catalog_corpus(services) + "\n" + shell.center.name + "\n" + shell.center.address

    chinese = print_notice(qtbot, shell, settle, emulator, 1)
    assert "一次性告知单" in chinese and "办理地点" in chinese and "申请材料" in chinese

    shell.reset_session()
    shell.screens["home"].language_button.click()
    settle(shell)
    assert shell.language == "en"
    english = print_notice(qtbot, shell, settle, emulator, 2)
    for heading in ("Service notice", "[Where]", "[Time limits]", "Documents (", "Terminal", "Printed"):
        assert heading in english, heading
    assert "有限责任公司设立登记" in english and "A01" in english  # the center's data as written
    assert left_in_chinese(english, data) == []
    assert not [line for line in english.splitlines() if CJK.search(line) and not any(
        run in data for run in CJK.findall(line))], "a line of Chinese that is not the center's data"

    # the progress slip
    shell.overlays.close_all()
    _query_progress(shell, "YC2511170007", "5678")
    settle(shell)
    click(qtbot, shell.screens["progress"].print_button)
    qtbot.waitUntil(dialog_is(shell, "preview"), timeout=10000)
    click(qtbot, shell.overlays.dialog.buttons["printButton"])
    qtbot.waitUntil(dialog_is(shell, "printed"), timeout=10000)
    progress = emulator.wait_for_jobs(3, timeout=10)[2].text
    from kiosk.progress.exchange import sample_file
    from pathlib import Path

    progress_data = data + Path(sample_file()).read_text(encoding="utf-8")
    assert "Application status slip" in progress and "Application number: YC2511170007" in progress
    assert left_in_chinese(progress, progress_data) == []

    # a complaint's receipt: its words stay as the center keeps them (Chinese phrases)
    shell.overlays.close_all()
    screen = shell.go("feedback", page="complaint")
    settle(shell)
    screen.kind_buttons["complaint"].click()
    screen.subject_buttons["terminal"].click()
    screen.phrase_rows[0].click()
    screen.complaint_submit.click()
    qtbot.waitUntil(dialog_is(shell, "printed"), timeout=10000)
    receipt = emulator.wait_for_jobs(4, timeout=10)[3].text
    assert "Complaint receipt" in receipt and "Kind: Complaint" in receipt and "About: This terminal" in receipt
    assert "打印不出凭条" in receipt
    assert left_in_chinese(receipt, data + "打印不出凭条") == []
    shell.overlays.close_all()
    shell.reset_session()  # back to Chinese: a window left in English would switch the translator later
    assert shell.language == "zh_CN"


def test_the_language_goes_with_the_job_not_with_the_ui(services):
    """A slip built on another thread keeps its job's language while the UI's changes."""
    from kiosk import i18n
    from kiosk.slips import build_notice
    from datetime import datetime

    item, center = services.app.catalog.item_and_center(COMPANY)
    results = {}
    started, switched = threading.Event(), threading.Event()

    def build(language):
        with i18n.in_language(language):
            started.set()
            switched.wait(5)
            results[language] = build_notice(item, center, terminal_id="T1", printed_at=datetime(2026, 12, 2, 10, 0)).plain_text()

    i18n.set_translator(lambda context, text: "XX")  # what the UI's translator would answer now
    try:
        worker = threading.Thread(target=build, args=("en",))
        worker.start()
        started.wait(5)
        switched.set()
        worker.join(10)
        started.clear()
        build("zh_CN")
    finally:
        i18n.set_translator(None)
    assert "Service notice" in results["en"] and "XX" not in results["en"]
    assert "一次性告知单" in results["zh_CN"] and "XX" not in results["zh_CN"]


def test_a_profile_prints_a_language_when_its_encoding_holds_it():
    from drivers.printer.profiles import PROFILES
    from dataclasses import replace

    assert all(p.prints_language("en") and p.prints_language("zh_CN") for p in PROFILES.values())
    raster = replace(next(iter(PROFILES.values())), text_encoding=None)  # our font draws every glyph
    assert raster.prints_language("en") and raster.prints_language("zh_CN")
    code_page = replace(raster, text_encoding="cp437")  # no Chinese, no curly quotes
    assert not code_page.prints_language("zh_CN") and not code_page.prints_language("en")
    assert not code_page.prints_language("ja")  # a language without a sample is not promised


def test_a_printer_that_cannot_print_english_prints_chinese(services):
    from dataclasses import replace

    from drivers.printer.profiles import get_profile

    printing = services.printing
    assert printing.slip_language("en") == "en" and printing.slip_language("") == "zh_CN"
    printing.printer.profile = replace(get_profile(services.config.printer.profile), text_encoding="cp437")
    assert printing.slip_language("en") == "zh_CN"
