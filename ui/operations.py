"""Running the kiosk's blocking services off the Qt event loop.

    run(self.pools.db, services.item, code, on_success=self.show_item, on_failure=self.show_error)

The function runs on a worker thread; exactly one of the callbacks then runs on the UI thread.
Two pools: ``db`` has a single thread, so database work is serialised (one writer, as in Anki);
``devices`` runs printing and device polls, which may wait seconds on a slow printer.
A callback whose owner widget was deleted (the screen was left) is dropped, not called.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from ui.qt import QObject, QRunnable, QThreadPool, Signal

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
    """Carries the result from the worker thread to the UI thread (queued signal delivery)."""

    succeeded = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, fn: Callable[..., Any], args: tuple, kwargs: dict, relay: _Relay):
        super().__init__()
        self.fn, self.args, self.kwargs, self.relay = fn, args, kwargs, relay

    def run(self) -> None:
        try:
            result = self.fn(*self.args, **self.kwargs)
        except Exception as exc:  # reported to the failure callback, logged with its traceback
            log.error("background operation %s failed:\n%s", getattr(self.fn, "__name__", self.fn), traceback.format_exc())
            self._deliver(self.relay.failed, exc)
        else:
            self._deliver(self.relay.succeeded, result)

    def _deliver(self, signal, value) -> None:
        try:
            signal.emit(value)
        except RuntimeError:  # the owner, and its relay with it, was deleted meanwhile: dropped
            _pending.discard(self.relay)


_pending: set[_Relay] = set()


def run(
    pool: QThreadPool,
    fn: Callable[..., Any],
    *args: Any,
    on_success: Callable[[Any], None] | None = None,
    on_failure: Callable[[Exception], None] | None = None,
    owner: QObject | None = None,
    **kwargs: Any,
) -> None:
    relay = _Relay()
    if owner is not None:
        # Deleting the owner deletes the relay with it, so no callback reaches a dead screen.
        relay.setParent(owner)
    _pending.add(relay)

    def finish(callback, value) -> None:
        _pending.discard(relay)
        if callback is not None:
            callback(value)

    relay.succeeded.connect(lambda value: finish(on_success, value))
    relay.failed.connect(lambda exc: finish(on_failure or _log_failure, exc))
    pool.start(_Task(fn, args, kwargs, relay))


def _log_failure(exc: Exception) -> None:
    log.error("unhandled background failure: %s", exc)
