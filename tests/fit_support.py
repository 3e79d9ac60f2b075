"""Measuring every text on a screen against its box, in portrait and landscape, normal and elder mode (tests/ui/test_screens_fit.py).

A label's text is measured with its own font against the room it was given: a label that
wraps must need no more height than it has, a label that does not wrap no more width; a
button's text must fit inside the button. Dialogs (idle warning, print failure …) are screens
here too.
"""

from __future__ import annotations

from ui.qt import QAbstractButton, QLabel, QScrollArea, Qt, QWidget

#: a pixel of rounding is not a cut
SLACK = 2


def _visible_in_window(widget: QWidget, window: QWidget) -> bool:
    if not widget.isVisibleTo(window) or widget.width() <= 0 or widget.height() <= 0:
        return False
    return True


def _inside_scroll_area(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def _cut_by(widget: QWidget, window: QWidget) -> str:
    """The first ancestor (up to the window) whose area does not hold the whole widget."""
    ancestor = widget.parentWidget()
    while ancestor is not None:
        top_left = widget.mapTo(ancestor, widget.rect().topLeft())
        box = widget.rect().translated(top_left)
        if not ancestor.rect().adjusted(-SLACK, -SLACK, SLACK, SLACK).contains(box):
            return ancestor.objectName() or type(ancestor).__name__
        if ancestor is window:
            break
        ancestor = ancestor.parentWidget()
    return ""


def cut_texts(window: QWidget) -> list[str]:
    """Texts that do not fit their widget, as 'object name: text (need × have)'."""
    problems = []
    for lab in window.findChildren(QLabel):
        text = lab.text()
        if not text or lab.textFormat() == Qt.TextFormat.RichText or not _visible_in_window(lab, window):
            continue
        if lab.pixmap() is not None and not lab.pixmap().isNull():
            continue
        room = lab.contentsRect()
        margin = lab.margin() * 2
        if lab.wordWrap():
            need = lab.heightForWidth(lab.width())
            if need > lab.height() + SLACK:
                problems.append(f"{lab.objectName() or 'QLabel'}: {text[:30]!r} needs {need}px height, has {lab.height()}")
        else:
            metrics = lab.fontMetrics()
            widest = max(metrics.horizontalAdvance(line) for line in text.split("\n"))
            high = metrics.lineSpacing() * len(text.split("\n"))
            if widest > room.width() - margin + SLACK:
                problems.append(f"{lab.objectName() or 'QLabel'}: {text[:30]!r} needs {widest}px width, has {room.width() - margin}")
            elif high > room.height() - margin + SLACK + metrics.leading() and not _inside_scroll_area(lab):
                problems.append(f"{lab.objectName() or 'QLabel'}: {text[:30]!r} needs {high}px height, has {room.height()}")
    for but in window.findChildren(QAbstractButton):
        text = but.text().replace("&&", "&")
        if not text or not _visible_in_window(but, window):
            continue
        metrics = but.fontMetrics()
        widest = max(metrics.horizontalAdvance(line) for line in text.split("\n"))
        if widest > but.width() - 8 + SLACK:
            problems.append(f"{but.objectName() or 'button'}: {text[:30]!r} needs {widest}px width, button is {but.width()}")
        elif not _inside_scroll_area(but):
            cut_by = _cut_by(but, window)
            if cut_by:
                problems.append(f"{but.objectName() or 'button'}: {text[:30]!r} is cut off by {cut_by}")
    return problems


