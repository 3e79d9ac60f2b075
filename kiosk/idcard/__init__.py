"""The ID card reader and the code scanner as the kiosk uses them (docs/idcard.md).

``IdCardService`` waits for a card and turns the driver's read into a ``CardOutcome`` for a
screen: the identity (held in memory for this session only), or what to tell the citizen.
``masked_card`` is the only form in which a card is shown or printed outside the citizen's
own session.
"""

from kiosk.idcard.identity import CardIdentity, masked_card, needs_id_card
from kiosk.idcard.service import CardOutcome, IdCardService, ScannerService

__all__ = ["CardIdentity", "CardOutcome", "IdCardService", "ScannerService", "masked_card", "needs_id_card"]
