"""Qt's own messages (qWarning from a platform plugin, font or style problems …) into Python
logging, so that they reach the log file (kiosk/logs.py) with their category as logger name:
``qt.qpa.wayland``, ``qt.text.font.db`` …, or ``qt`` without one."""

from __future__ import annotations

import logging

from ui.qt import QtCore

_LEVELS = {
    QtCore.QtMsgType.QtDebugMsg: logging.DEBUG,
    QtCore.QtMsgType.QtInfoMsg: logging.INFO,
    QtCore.QtMsgType.QtWarningMsg: logging.WARNING,
    QtCore.QtMsgType.QtCriticalMsg: logging.ERROR,
    QtCore.QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def qt_message_handler(msg_type, context, message: str) -> None:
    category = getattr(context, "category", None) or ""
    name = category if category.startswith("qt") else ("qt." + category if category and category != "default" else "qt")
    logger = logging.getLogger(name)
    level = _LEVELS.get(msg_type, logging.WARNING)
    if logger.isEnabledFor(level):
        where = f" ({context.file}:{context.line})" if getattr(context, "file", None) else ""
        logger.log(level, "%s%s", message, where)


def install():
    """Route Qt's messages into logging; returns the handler installed before (to restore)."""
    return QtCore.qInstallMessageHandler(qt_message_handler)
