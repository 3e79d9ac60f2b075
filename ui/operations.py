"""Running the kiosk's blocking services off the Qt event loop.

    run(self.pools.db, app.catalog.item, code, on_success=self.show_item, on_failure=self.show_error)

The function runs on a worker thread; exactly one of the callbacks then runs on the UI thread.
Two pools: ``db`` has a single thread, so database work is serialised (one writer, as in Anki);
``devices`` runs printing and device polls, which may wait seconds on a slow printer.
A callback whose owner widget was deleted (the screen was left) is dropped, not called.
"""

from __future__ import annotations

import itertools
import logging
import threading
import traceback
import weakref
from collections.abc import Callable
from typing import Any

from ui.qt import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, Signal, isValid

log = logging.getLogger(__name__)


class Pools:
    def __init__(self, parent: QObject | None = None):
        # With a parent (the shell) the pools are destroyed with it, on the UI thread; without
        # one, a garbage collection that happens to run on a worker thread could destroy them
        # from there (a crash), once the window that owned them is gone.
        self.db = QThreadPool(parent)
        self.db.setMaxThreadCount(1)
        self.devices = QThreadPool(parent)
        self.devices.setMaxThreadCount(2)

    def wait(self, msecs: int = 10000) -> bool:
        return self.db.waitForDone(msecs) and self.devices.waitForDone(msecs)


class _Relay(QObject):
    """Carries every result from the worker threads to the UI thread (queued signal delivery).

    One for the application, on the UI thread, never deleted while work may run. A relay per
    operation, parented to its owner, was deleted with the owner on the UI thread while a
    worker could be emitting on it: a crash now and then (a stress run of 9,900 operations with
    owners deleted meanwhile crashed about one process in eighty, issue 20)."""

    delivered = Signal(object)  # (token, succeeded, result or exception)

    def __init__(self) -> None:
        super().__init__()
        self.delivered.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def _deliver(self, outcome: tuple[int, bool, Any]) -> None:
        token, succeeded, value = outcome
        owner_ref, on_success, on_failure = _waiting.pop(token)
        if owner_ref is not None:
            owner = owner_ref()
            if owner is None or not isValid(owner):
                return  # the owner (a screen left, a dialog closed) was deleted meanwhile: dropped
        if succeeded:
            if on_success is not None:
                on_success(value)
        else:
            (on_failure or _log_failure)(value)


_relay: _Relay | None = None
#: token → (weak reference to the owner, on_success, on_failure) of each operation not yet
#: delivered (UI thread only); the owner is not kept alive by its operations
_waiting: dict[int, tuple[weakref.ref | None, Callable[[Any], None] | None, Callable[[Exception], None] | None]] = {}
_tokens = itertools.count(1)


def _the_relay() -> _Relay:
    global _relay
    if _relay is None or not isValid(_relay):
        _relay = _Relay()
        app = QCoreApplication.instance()
        if app is not None:
            _relay.moveToThread(app.thread())  # its slot runs on the UI thread
    return _relay


class _Task(QRunnable):
    def __init__(self, fn: Callable[..., Any], args: tuple, kwargs: dict, relay: _Relay, token: int):
        super().__init__()
        self.fn, self.args, self.kwargs, self.relay, self.token = fn, args, kwargs, relay, token
        #: set by run() below once pool.start() has returned to Python
        self.started = threading.Event()

    def run(self) -> None:
        # PySide6's QThreadPool.start() lets the pool run the task first and records the pool
        # as the task's parent (a reference to the Python wrapper) only after Qt's start()
        # returns. A task that had already run and been deleted by Qt (auto-delete) by then
        # left that reference on a dead wrapper, kept by the pool for good: one task in ten
        # started back to back, ≈ 2 per visit (issue 20). So the work waits for start().
        self.started.wait()
        fn, args, kwargs = self.fn, self.args, self.kwargs
        # The pool may keep this wrapper after the run: it must not keep the work's arguments
        # (a ServiceItem per visit, issue 20) alive with it.
        self.fn = self.args = self.kwargs = None
        try:
            result = fn(*args, **kwargs)
        except Exception as exc:  # reported to the failure callback, logged with its traceback
            log.error("background operation %s failed:\n%s", getattr(fn, "__name__", fn), traceback.format_exc())
            self.relay.delivered.emit((self.token, False, exc))
        else:
            self.relay.delivered.emit((self.token, True, result))
        finally:
            del fn, args, kwargs


def run(
    pool: QThreadPool,
    fn: Callable[..., Any],
    *args: Any,
    on_success: Callable[[Any], None] | None = None,
    on_failure: Callable[[Exception], None] | None = None,
    owner: QObject | None = None,
    **kwargs: Any,
) -> None:
    token = next(_tokens)
    _waiting[token] = (weakref.ref(owner) if owner is not None else None, on_success, on_failure)
    task = _Task(fn, args, kwargs, _the_relay(), token)
    try:
        pool.start(task)
    finally:
        task.started.set()  # never leave a worker waiting, even if start() failed


def _log_failure(exc: Exception) -> None:
    log.error("unhandled background failure: %s", exc)
