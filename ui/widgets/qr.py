"""QR codes on screen (online/mobile handling addresses)."""

from __future__ import annotations

from functools import lru_cache

from ui.qt import QImage, QLabel, QPixmap, Qt


@lru_cache(maxsize=512)
def _qr_modules(data: str) -> QImage:
    """The code as one pixel per module (a few KB): encoding takes ~20 ms, and an item's page
    is opened again and again, so each address is encoded once (UI thread only)."""
    import qrcode  # on the first code drawn, not at start-up (docs/performance.md)

    code = qrcode.QRCode(border=2, box_size=1, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(data)
    code.make(fit=True)
    image = code.make_image(fill_color="black", back_color="white").get_image().convert("L")
    return QImage(image.tobytes(), image.width, image.height, image.width, QImage.Format.Format_Grayscale8).copy()


def qr_pixmap(data: str, side: int) -> QPixmap:
    # Nearest-neighbour scaling keeps the modules sharp for a phone camera.
    return QPixmap.fromImage(_qr_modules(data)).scaled(
        side, side, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation
    )


def pil_to_pixmap(image) -> QPixmap:
    """A Pillow image (a slip preview) as a pixmap."""
    grey = image.convert("L")
    qimage = QImage(grey.tobytes(), grey.width, grey.height, grey.width, QImage.Format.Format_Grayscale8).copy()
    return QPixmap.fromImage(qimage)


class QrLabel(QLabel):
    def __init__(self, data: str, side: int, parent=None):
        super().__init__(parent)
        self.data = data
        self.setObjectName("qr")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.set_side(side)

    def set_side(self, side: int) -> None:
        self.setPixmap(qr_pixmap(self.data, side))
