"""The Qt binding itself must not corrupt the interpreter over a long day of use.

PySide6 6.12.0 decrements None's reference count once on every call of a method that returns
nothing (QLabel.setText, QApplication.processEvents, …). On Python 3.11 None is an ordinary
object, so after enough calls its count reaches zero and the kiosk dies with "Fatal Python error:
none_dealloc". constraints.txt pins a release without the fault; this test keeps it so.
"""

import sys

from ui.qt import QApplication, QLabel


def test_calls_returning_nothing_leave_the_reference_count_of_none_alone(qapp):
    label = QLabel("办事指南")
    before = sys.getrefcount(None)
    for n in range(2000):
        label.setText("办事指南" if n % 2 else "进度查询")
        QApplication.processEvents()
    # Other code may hold or drop a handful of references meanwhile; 2,000 lost ones is the fault.
    assert sys.getrefcount(None) - before > -100
