"""After the first paint, in idle time: what the first citizen would otherwise wait for.

A terminal starts (nightly, after a fault) long before anyone taps it, but the first search
used to build the catalog's search index (pypinyin and the whole catalog: seconds for a big
one) and the first print preview used to find and open the slip font and draw every glyph
(≈ 130 ms p99 more than later previews, docs/performance.md). Neither is needed to paint
home, so `kiosk run` starts them on the worker pools once home is painted
(ui/startup_timing.py ``then``): the index on the database pool, then one notice of the
catalog's first item laid out there and drawn on the device pool as a preview would be. A
failure here is logged and changes nothing: the first search or preview then does the work,
as before.
"""

from __future__ import annotations

import logging

from ui import operations

log = logging.getLogger(__name__)

#: after the first paint, how long the event loop is left alone before the warm-up starts
DELAY_MS = 500


def start(shell) -> None:
    """Queue the warm-up on the shell's pools (returns at once)."""
    operations.run(shell.pools.db, _index_and_notice, shell, on_success=lambda document: _preview(shell, document),
                   on_failure=_failed, owner=shell)


def _index_and_notice(shell):
    """On the database pool: the search index, and a notice to draw (None: the catalog is empty)."""
    index = shell.app.catalog.index()
    if not len(index):
        return None
    return shell.services.notice_document(index.entries[0].code, [])


def _preview(shell, document) -> None:
    if document is not None:
        operations.run(shell.pools.devices, shell.services.preview_document, document,
                       on_success=lambda _image: log.info("warm-up done: search index built, slip font loaded"),
                       on_failure=_failed, owner=shell)


def _failed(exc: Exception) -> None:
    log.warning("warm-up after the first paint failed (the first search or preview will do it): %s", exc)
