"""Screenshots of Chinese input by touch (ui/screenshots adds INPUT_SCREENS to SCREENS):
pinyin candidates under the complaint's 补充说明, a character written on the search's pad."""

from __future__ import annotations

import time

from ui.qt import QApplication

#: the strokes of 中 on a 300 × 300 pad, as a finger draws them
ZHONG = (((60, 80), (60, 200)), ((60, 80), (240, 80), (240, 200)), ((60, 200), (240, 200)), ((150, 20), (150, 290)))


def _wait(predicate, timeout: float = 15.0) -> None:
    """The input panel's own worker (librime's set-up, recognition) is not one of the shell's pools."""
    app = QApplication.instance()
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("the input panel did not answer in time")
        app.processEvents()
        time.sleep(0.01)


def _stroke(corners, scale: float, steps: int = 10):
    points = []
    for (x0, y0), (x1, y1) in zip(corners, corners[1:]):
        points += [((x0 + (x1 - x0) * i / steps) * scale, (y0 + (y1 - y0) * i / steps) * scale) for i in range(steps + 1)]
    return points


def show_complaint_pinyin(shell, item):
    """补充说明 by pinyin: "dengdai" typed, 等待 first among the candidates."""
    from ui.screenshots.feedback import _complaint_form

    screen = _complaint_form(shell)
    screen.text_keys_button.click()
    panel = screen.text_keyboard
    _wait(lambda: panel.composer.session is not None)
    panel.field.setText("窗口")
    for letter in "dengdai":
        panel.pinyin_keys.keys[letter].click()
    QApplication.instance().processEvents()
    screen.complaint_scroll.ensureWidgetVisible(panel, 0, 0)


def show_search_handwriting(shell, item):
    """Search by handwriting: 中 written on the pad, its candidates offered."""
    from ui.screenshots import settle

    screen = shell.go("search")
    settle(shell)
    panel = screen.keyboard
    panel.set_mode("handwriting")
    QApplication.instance().processEvents()
    scale = panel.pad.width() / 300
    for corners in ZHONG:
        panel.pad.add_stroke(_stroke(corners, scale))
    _wait(lambda: panel.strip.buttons[0].text() != "")


INPUT_SCREENS = {
    "complaint-pinyin": ("投诉建议：补充说明用拼音输入（候选词）", show_complaint_pinyin),
    "search-handwriting": ("搜索：手写输入一个汉字", show_search_handwriting),
}
