"""No dialog cuts its text (issue 18 item 5): in every screenshot state that opens a dialog, in
both orientations and in normal and elder mode, each visible label of the dialog is as tall as
its wrapped text needs, and a label that does not wrap is as wide as its text."""

from __future__ import annotations

import pytest

from ui.qt import QLabel
from ui.screenshots import SCREENS, render


def cut_labels(dialog) -> list[str]:
    cut = []
    for label in dialog.findChildren(QLabel):
        if not label.isVisibleTo(dialog) or not label.text().strip() or label.pixmap() and not label.pixmap().isNull():
            continue
        rect = label.contentsRect()
        if label.wordWrap():
            needed = label.heightForWidth(label.width())
            if needed > label.height():
                cut.append(f"{label.objectName() or label.text()[:20]!r}: needs {needed} px, has {label.height()}")
        else:
            widest = max(label.fontMetrics().horizontalAdvance(line) for line in label.text().split("\n"))
            if widest > rect.width() + 1:
                cut.append(f"{label.text()[:20]!r}: needs {widest} px wide, has {rect.width()}")
    return cut


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)], ids=["portrait", "landscape"])
@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_no_dialog_label_is_taller_than_its_box(qtbot, services, tmp_path, size, elder):
    from ui.app import KioskWindow, create_application

    create_application()
    shell = KioskWindow(services, size=size)
    qtbot.addWidget(shell)
    shell.resize(*size)
    shell.show()
    seen = 0
    problems = {}
    for name in SCREENS:
        render(shell, name, tmp_path / f"{name}.png", elder=elder)
        if shell.overlays.has_open_dialog():
            seen += 1
            cut = cut_labels(shell.overlays.dialog)
            if cut:
                problems[name] = cut
    assert seen >= 3, "the screenshot states should open some dialogs"
    assert problems == {}
    shell.allow_close = True
    shell.pools.wait()
