"""Logging: rotating files in the data folder, stderr for the CLI, and no personal data.

    configure_cli_logging(verbose)      # cli.main: stderr (warnings, or debug with -v)
    add_file_logging(config)            # kiosk run, kiosk db backup: <data_dir>/logs/kiosk.log

The file rotates at ``logs.max_size_mb`` and keeps ``logs.backup_count`` old files
(kiosk.log.1 …), docs/configuration.md. Qt's own messages reach the same handlers through
ui/logbridge.py.

The file and its old copies are created with mode 0600. Every handler set up here carries ``PersonalDataFilter``: the code logs no citizen data on
purpose, and the filter is the last line of defence, masking what looks like an ID number
(18 or 15 characters, also with spaces), a mobile number (also +86, spaces, dashes) or a name
named as one (我叫张三) in messages, arguments and tracebacks the way screens show them
(4****************7, 138****5678, 张*): ``kiosk.privacy.mask_personal_data``.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

from kiosk.privacy import create_private, mask_personal_data

LOG_FORMAT = "%(asctime)s %(levelname)s [%(threadName)s] %(name)s: %(message)s"
CLI_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LOG_FILE_NAME = "kiosk.log"

class PersonalDataFilter(logging.Filter):
    """Masks personal data in a record before any handler formats it (attach it to handlers:
    a logger's filters do not see records that propagate from child loggers)."""

    _plain = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string: log it as it is
            message = str(record.msg)
        masked = mask_personal_data(message)
        if masked != message or record.args:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._plain.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_personal_data(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_personal_data(record.stack_info)
        return True


def log_file(data_dir: Path) -> Path:
    return Path(data_dir) / "logs" / LOG_FILE_NAME


def _has_handler(kind: type, match=lambda handler: True) -> logging.Handler | None:
    for handler in logging.getLogger().handlers:
        if isinstance(handler, kind) and match(handler):
            return handler
    return None


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log file created with mode 0600 (a log may hold what the masking missed)."""

    def _open(self):
        create_private(self.baseFilename)
        return super()._open()


class StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is when a record comes (not the stream of the moment
    it was created, which may be closed by then)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass


def configure_cli_logging(verbose: bool = False) -> logging.Handler:
    """stderr: warnings and errors (everything with ``-v``), personal data masked. Replaces the
    stderr handler a previous call installed (one per process)."""
    root = logging.getLogger()
    old = _has_handler(StderrHandler)
    if old is not None:
        root.removeHandler(old)
    handler = StderrHandler()
    handler.setFormatter(logging.Formatter(CLI_FORMAT))
    handler.setLevel(logging.DEBUG if verbose else logging.WARNING)
    handler.addFilter(PersonalDataFilter())
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    return handler


def add_file_logging(config, *, level: int | None = None) -> logging.Handler | None:
    """The rotating log file in the data folder (once per file and process). Returns the
    handler, or None when the file cannot be opened (then a warning goes to the other handlers
    and the program goes on: a kiosk without its log file still serves citizens)."""
    path = log_file(config.data_dir)
    existing = _has_handler(
        logging.handlers.RotatingFileHandler, lambda h: Path(h.baseFilename) == path.resolve()
    )
    if existing is not None:
        return existing
    for other in list(logging.getLogger().handlers):  # one kiosk log file per process
        if getattr(other, "_kiosk_file", False):
            logging.getLogger().removeHandler(other)
            other.close()
    logs_config = getattr(config, "logs", None)
    max_mb = getattr(logs_config, "max_size_mb", 10)
    backups = getattr(logs_config, "backup_count", 5)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = PrivateRotatingFileHandler(
            path, maxBytes=max_mb * 1024 * 1024, backupCount=backups, encoding="utf-8"
        )
    except OSError as exc:
        logging.getLogger(__name__).warning("日志文件无法写入 / cannot write the log file %s: %s", path, exc)
        return None
    handler._kiosk_file = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.setLevel(level if level is not None else logging.INFO)
    handler.addFilter(PersonalDataFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > handler.level:
        root.setLevel(handler.level)
    return handler
