"""The touch panel for Chinese text: pinyin keys with librime candidates, and the writing pad
with zinnia, driven by taps on the real widgets."""

from __future__ import annotations

import pytest

from ui.qt import QLineEdit, QPoint, QPushButton, Qt
from ui.theme import Theme
from ui.widgets import chinese_input
from ui.widgets.chinese_input import ChineseInput


@pytest.fixture
def panel(qtbot, data_dir):
    field = QLineEdit()
    widget = ChineseInput(field, data_dir)
    widget.apply_theme(Theme.for_screen(1080, 1920))
    qtbot.addWidget(field)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(lambda: widget.composer.session is not None, timeout=30000)
    return widget


def tap(qtbot, widget, name):
    button = widget.findChild(QPushButton, name)
    assert button is not None and button.isVisible() and button.isEnabled(), name
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_typed_pinyin_offers_the_phrase_and_a_tap_writes_it(qtbot, panel):
    for letter in "nihao":
        tap(qtbot, panel.pinyin_keys, f"key_{letter}")
    assert panel.preedit.text().replace(" ", "") == "nihao"
    assert panel.strip.buttons[0].text() == "你好"
    assert panel.field.text() == ""  # nothing goes in before a choice
    tap(qtbot, panel, "candidate_0")
    assert panel.field.text() == "你好"
    assert panel.preedit.text() == "" and not panel.strip.buttons[0].isEnabled()


def test_a_longer_phrase_and_a_space_take_the_first_candidate(qtbot, panel):
    for letter in "yingyezhizhao":
        tap(qtbot, panel.pinyin_keys, f"key_{letter}")
    tap(qtbot, panel.pinyin_keys, "key_space")
    assert panel.field.text() == "营业执照"


def test_backspace_edits_the_syllables_first_then_the_text(qtbot, panel):
    panel.field.setText("已")
    for letter in "ni":
        tap(qtbot, panel.pinyin_keys, f"key_{letter}")
    tap(qtbot, panel.pinyin_keys, "key_backspace")
    assert panel.preedit.text() == "n" and panel.field.text() == "已"
    tap(qtbot, panel.pinyin_keys, "key_backspace")
    tap(qtbot, panel.pinyin_keys, "key_backspace")
    assert panel.field.text() == ""


def test_candidates_page_with_the_arrows(qtbot, panel):
    for letter in "shi":
        tap(qtbot, panel.pinyin_keys, f"key_{letter}")
    first_page = [b.text() for b in panel.strip.buttons]
    tap(qtbot, panel, "candidatesNext")
    second_page = [b.text() for b in panel.strip.buttons]
    assert all(second_page) and not set(first_page) & set(second_page)
    tap(qtbot, panel, "candidatesPrevious")
    assert [b.text() for b in panel.strip.buttons] == first_page


def line(x0, y0, x1, y1, steps=10):
    return [(x0 + (x1 - x0) * i / steps, y0 + (y1 - y0) * i / steps) for i in range(steps + 1)]


def test_a_character_written_on_the_pad_is_offered_and_written(qtbot, panel):
    tap(qtbot, panel, "inputMode_handwriting")
    side = panel.pad.width()
    assert side >= 300  # finger-sized
    panel.pad.add_stroke(line(side * 0.1, side * 0.5, side * 0.9, side * 0.5))
    panel.pad.add_stroke(line(side * 0.5, side * 0.1, side * 0.5, side * 0.9))
    qtbot.waitUntil(lambda: panel.strip.buttons[0].text() != "", timeout=10000)
    assert "十" in [b.text() for b in panel.strip.buttons[:3]]
    index = [b.text() for b in panel.strip.buttons].index("十")
    tap(qtbot, panel, f"candidate_{index}")
    assert panel.field.text() == "十"
    assert panel.pad.strokes == []  # ready for the next character


def test_drawing_with_the_finger_collects_a_stroke(qtbot, panel):
    tap(qtbot, panel, "inputMode_handwriting")
    pad = panel.pad
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=pad.rect().center())
    for dx in range(10, 200, 10):
        qtbot.mouseMove(pad, pos=pad.rect().center() + QPoint(dx, 0))
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=pad.rect().center() + QPoint(200, 0))
    assert len(pad.strokes) == 1 and len(pad.strokes[0]) >= 2
    qtbot.waitUntil(lambda: panel.strip.buttons[0].text() != "", timeout=10000)
    tap(qtbot, panel, "padClear")
    assert pad.strokes == [] and panel.strip.buttons[0].text() == ""


def test_letters_mode_types_straight_into_the_field(qtbot, panel):
    tap(qtbot, panel, "inputMode_letters")
    for letter in "yyzz":
        tap(qtbot, panel.letter_keys, f"key_{letter}")
    assert panel.field.text() == "yyzz"
    assert not panel.strip.isVisible()


def test_without_the_engine_the_pinyin_keys_type_letters_and_say_why(qtbot, data_dir, monkeypatch):
    monkeypatch.setattr(chinese_input, "_engine", None)
    monkeypatch.setattr(chinese_input, "_engine_error", "本机未安装拼音输入法（librime1），暂不能拼音输入")
    field = QLineEdit()
    widget = ChineseInput(field, None)  # no data folder: the engine is never started
    qtbot.addWidget(field)
    qtbot.addWidget(widget)
    widget.show()
    assert "librime1" in widget.notice.text() and widget.notice.isVisible()
    tap(qtbot, widget.pinyin_keys, "key_a")
    assert field.text() == "a"


def test_search_by_a_handwritten_character(qtbot, shell, settle):
    shell.go("search")
    settle(shell)
    search = shell.screens["search"]
    tap(qtbot, search.keyboard, "inputMode_handwriting")
    pad = search.keyboard.pad
    s = pad.width() / 300
    for corners in (((60, 80), (60, 200)), ((60, 80), (240, 80), (240, 200)), ((60, 200), (240, 200)), ((150, 20), (150, 290))):
        points = []
        for (x0, y0), (x1, y1) in zip(corners, corners[1:]):
            points += line(x0 * s, y0 * s, x1 * s, y1 * s)
        pad.add_stroke(points)
    qtbot.waitUntil(lambda: search.keyboard.strip.buttons[0].text() == "中", timeout=10000)
    tap(qtbot, search.keyboard, "candidate_0")
    assert search.field.text() == "中"
    settle(shell)
    assert "中小学教师资格认定" in [hit.name for hit in search.hits]
