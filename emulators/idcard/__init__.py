"""An ID card reader (SAM protocol) emulated on a pty, on TCP, or in this process (``sim:``).

    reader = EmulatedReader(load_cards("assets/idcards/sample_cards.json"))
    server = TcpReaderServer(reader).start()        # tcp://127.0.0.1:PORT
    pty = PtyReaderServer(reader).start()           # serial:///dev/pts/N
    reader.remove_card(); reader.set_fault("sam_fault") …

See docs/idcard.md.
"""

from emulators.idcard.cards import CardError, EmulatedCard, encode_text_block, load_cards
from emulators.idcard.core import FAULT_MODES, EmulatedReader
from emulators.idcard.servers import PtyReaderServer, TcpReaderServer

__all__ = [
    "CardError",
    "EmulatedCard",
    "EmulatedReader",
    "FAULT_MODES",
    "PtyReaderServer",
    "TcpReaderServer",
    "encode_text_block",
    "load_cards",
]
