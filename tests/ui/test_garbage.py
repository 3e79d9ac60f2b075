import gc
import threading

from ui import garbage
from ui.qt import QObject


def test_cyclic_garbage_is_collected_on_the_ui_thread_not_by_a_worker(qapp, qtbot):
    from ui.app import create_application

    create_application()
    assert not gc.isenabled(), "automatic collection would run in whatever thread allocates"

    collected_in = []

    class Cycle(QObject):
        def __init__(self):
            super().__init__()
            self.me = self  # a reference cycle, like a dialog whose handlers refer back to it

        def __del__(self):
            collected_in.append(threading.current_thread() is threading.main_thread())

    Cycle()
    worker = threading.Thread(target=lambda: [object() for _ in range(100_000)])  # allocation in a worker
    worker.start()
    worker.join()
    assert collected_in == [], "a worker thread's allocations did not trigger a collection"
    gc.collect(0)  # what the UI timer does once the threshold is passed
    qtbot.waitUntil(lambda: collected_in == [True], timeout=3000)


def test_the_collector_collects_by_thresholds(qapp):
    collector = garbage.install(qapp)
    gc.collect(0)
    young = [[] for _ in range(collector.threshold[0] + 200)]
    assert gc.get_count()[0] > collector.threshold[0]
    collector.check()
    assert gc.get_count()[0] < 50, "generation 0 was collected"
    assert len(young) == collector.threshold[0] + 200
