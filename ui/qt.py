"""The one module through which the UI imports Qt (PySide6).

Keeping every Qt import here makes a binding upgrade, or a look at what we use, one file's work.
"""

from PySide6 import QtCore, QtGui, QtWidgets  # noqa: F401
from PySide6.QtCore import (  # noqa: F401
    QBuffer,
    QByteArray,
    QCoreApplication,
    QDateTime,
    QEasingCurve,
    QEvent,
    QLocale,
    QObject,
    QPoint,
    QPointF,
    QPropertyAnimation,
    QRect,
    QRunnable,
    QSize,
    QThreadPool,
    QTimer,
    QTranslator,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import (  # noqa: F401
    QColor,
    QFont,
    QFontDatabase,
    QFontMetrics,
    QGuiApplication,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPalette,
    QPen,
    QPixmap,
)
from shiboken6 import delete, isValid  # noqa: F401  (delete: the C++ object of a wrapper nobody owns)
from PySide6.QtWidgets import (  # noqa: F401
    QAbstractButton,
    QBoxLayout,
    QApplication,
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QScroller,
    QScrollerProperties,
    QSizePolicy,
    QSpacerItem,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)


def translate(text: str, context: str = "kiosk") -> str:
    return QCoreApplication.translate(context, text)
