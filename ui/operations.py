"""Running the kiosk's blocking services off the Qt event loop.

    run(self.pools.db, app.catalog.item, code, on_success=self.show_item, on_failure=self.show_error)

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
        fn, args, kwargs = self.fn, self.args, self.kwargs
        # The pool may keep this wrapper after the run: it must not keep the work's arguments
        # (a ServiceItem per visit, issue 20), the relay nor the callbacks alive with it.
        self.fn = self.args = self.kwargs = None
        relay, self.relay = self.relay, None
        try:
            result = fn(*args, **kwargs)
        except Exception as exc:  # reported to the failure callback, logged with its traceback
            log.error("background operation %s failed:\n%s", getattr(fn, "__name__", fn), traceback.format_exc())
            self._deliver(relay, relay.failed, exc)
        else:
            self._deliver(relay, relay.succeeded, result)
        finally:
            del fn, args, kwargs

    @staticmethod
    def _deliver(relay: _Relay, signal, value) -> None:
        try:
            signal.emit(value)
        except RuntimeError:  # the owner, and its relay with it, was deleted meanwhile: dropped
            _pending.discard(relay)


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
        # A relay parented to a long-lived owner (a screen) would otherwise stay its child with
        # these connections, and the callbacks' closures (an item per visit) with it (issue 20).
        relay.deleteLater()
        if callback is not None:
            callback(value)

    relay.succeeded.connect(lambda value: finish(on_success, value))
    relay.failed.connect(lambda exc: finish(on_failure or _log_failure, exc))
    pool.start(_Task(fn, args, kwargs, relay))


def _log_failure(exc: Exception) -> None:
    log.error("unhandled background failure: %s", exc)
