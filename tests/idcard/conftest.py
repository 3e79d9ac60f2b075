from __future__ import annotations

import pytest

from emulators.idcard import EmulatedReader, PtyReaderServer, TcpReaderServer, load_cards
from emulators.idcard.cards import default_cards_path

SAMPLE = default_cards_path()


@pytest.fixture
def cards():
    return load_cards(SAMPLE)


@pytest.fixture
def emulated(cards):
    return EmulatedReader(cards, card_index=0, delay=0.8)


@pytest.fixture
def tcp_server(emulated):
    server = TcpReaderServer(emulated).start()
    yield server
    server.stop()


@pytest.fixture
def pty_server(emulated):
    server = PtyReaderServer(emulated).start()
    yield server
    server.stop()
