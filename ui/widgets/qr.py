"""QR codes on screen (online/mobile handling addresses)."""

from __future__ import annotations

import qrcode

from ui.qt import QImage, QLabel, QPixmap, Qt


def qr_pixmap(data: str, side: int) -> QPixmap:
    code = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(data)
    code.make(fit=True)
    image = code.make_image(fill_color="black", back_color="white").get_image().convert("L")
    qimage = QImage(image.tobytes(), image.width, image.height, image.width, QImage.Format.Format_Grayscale8).copy()
    # Nearest-neighbour scaling keeps the modules sharp for a phone camera.
    return QPixmap.fromImage(qimage).scaled(side, side, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation)


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
