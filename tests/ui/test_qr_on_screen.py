"""The QR code on an item's page must scan to its address, at every size the screens use."""

import pytest
import zxingcpp
from PIL import Image

from ui.widgets.qr import qr_pixmap

ADDRESS = "https://www.hnzwfw.gov.cn/portal/guide/1241148100447473XX4070002?from=kiosk&区=永城"


def pixmap_to_pil(pixmap) -> Image.Image:
    image = pixmap.toImage().convertToFormat(pixmap.toImage().Format.Format_Grayscale8)
    width, height = image.width(), image.height()
    data = bytes(image.constBits())[: image.bytesPerLine() * height]
    return Image.frombytes("L", (width, height), data, "raw", "L", image.bytesPerLine())


@pytest.mark.parametrize("side", [160, 240, 333, 480])
def test_the_code_decodes_to_the_address(qapp, side):
    pixmap = qr_pixmap(ADDRESS, side)
    assert pixmap.width() <= side and pixmap.width() >= side * 0.9
    decoded = zxingcpp.read_barcodes(pixmap_to_pil(pixmap))
    assert [result.text for result in decoded] == [ADDRESS]


def test_one_address_is_encoded_once(qapp):
    from ui.widgets import qr

    qr._qr_modules.cache_clear()
    for side in (160, 240, 160):
        qr_pixmap(ADDRESS, side)
    assert qr._qr_modules.cache_info().misses == 1
