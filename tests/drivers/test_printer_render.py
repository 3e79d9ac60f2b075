"""The document model rendered to ESC/POS bytes and to an image -- and the two agree."""

from __future__ import annotations

import pytest
import zxingcpp
from PIL import Image

from drivers.printer.document import Document, QrLine, TextLine, layout
from drivers.printer.escpos import render_escpos
from drivers.printer.fonts import FontNotFoundError, find_cjk_font, slip_font_face
from drivers.printer.profiles import PROFILES, get_profile
from drivers.printer.raster import render_image, to_monochrome

URL = "https://m.hnzwfw.gov.cn/ysb/guide/1141148100492981054010001"


def sample() -> Document:
    doc = Document("sample")
    doc.text("永城市政务服务中心", bold=True, size=2, align="center", fit=True)
    doc.text("一次性告知单", bold=True, size=2, align="center")
    doc.rule("=")
    doc.columns("法定办结时限", "20个工作日")
    doc.columns("承诺办结时限", "即办")
    doc.text("工本费：¥20元，“全额退还”。", indent=4)
    doc.text("罕见字：刘䶮、吉𠮷")
    doc.text("Please bring the application form ABC-12345678 to window A12; 请到A12号窗口办理。", indent=2)
    doc.qr(URL, caption="手机扫码，在线办理")
    doc.cut()
    return doc


def parse_raster_stream(data: bytes, width_dots: int) -> tuple[Image.Image, list[str]]:
    """Rebuild the paper from a stream made only of images and feeds (what raster profiles
    send); returns the paper and the commands seen."""
    rows: list[Image.Image] = []
    seen: list[str] = []
    i = 0
    while i < len(data):
        if data.startswith(b"\x1b@", i):
            seen.append("ESC @")
            i += 2
        elif data.startswith(b"\x1ba", i):
            seen.append("ESC a")
            i += 3
        elif data.startswith(b"\x1bJ", i):
            rows.append(Image.new("1", (width_dots, data[i + 2]), 1))
            seen.append("ESC J")
            i += 3
        elif data.startswith(b"\x1dV", i):
            seen.append("GS V")
            i += 3
        elif data.startswith(b"\x1dv0", i):
            xl, xh, yl, yh = data[i + 4 : i + 8]
            w, h = xl + 256 * xh, yl + 256 * yh
            body = bytes(b ^ 0xFF for b in data[i + 8 : i + 8 + w * h])
            rows.append(Image.frombytes("1", (w * 8, h), body).crop((0, 0, width_dots, h)))
            seen.append("GS v 0")
            i += 8 + w * h
        else:
            raise AssertionError(f"unexpected byte {data[i]:02x} at {i}: {data[i:i+8].hex()}")
    paper = Image.new("1", (width_dots, sum(r.height for r in rows)), 1)
    y = 0
    for r in rows:
        paper.paste(r, (0, y))
        y += r.height
    return paper, seen


def black_pixels(image: Image.Image) -> int:
    return image.convert("L").histogram()[0]


def test_cjk_font_is_found():
    path = find_cjk_font()
    assert path.is_file()
    face = slip_font_face()
    assert face.path.is_file()
    assert isinstance(FontNotFoundError(), RuntimeError)


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_image_has_the_paper_width_and_ink(name):
    profile = get_profile(name)
    image = render_image(sample(), profile)
    assert image.width == profile.width_dots
    assert image.height == sum(line.pitch for line in layout(sample(), profile))
    assert black_pixels(to_monochrome(image)) > 5000


def test_text_lines_never_exceed_the_paper():
    for profile in PROFILES.values():
        for line in layout(sample(), profile):
            if isinstance(line, TextLine):
                assert line.dots <= profile.width_dots, (profile.name, line)


def test_chinese_is_drawn_as_glyphs_not_boxes():
    profile = get_profile("generic-80")
    a = to_monochrome(render_image(Document().text("中"), profile))
    b = to_monochrome(render_image(Document().text("国"), profile))
    missing = to_monochrome(render_image(Document().text("\U000f0000"), profile))  # a private-use code: .notdef box
    assert black_pixels(a) > 30 and black_pixels(b) > 30
    assert a.tobytes() != b.tobytes()
    assert a.tobytes() != missing.tobytes()


def test_generic_80_sends_chinese_text_in_chinese_mode():
    data = render_escpos(sample(), get_profile("generic-80"))
    assert data.startswith(b"\x1b@\x1c&")  # initialise, FS & (Chinese mode on)
    assert "永城市政务服务中心".encode("gb18030") in data
    assert "工本费：¥20元，“全额退还”。".encode("gb18030") in data
    assert "20个工作日".encode("gb18030") in data
    # Native QR: GS ( k store with the URL.
    assert b"\x1d(k" in data and URL.encode() in data
    assert data.count(b"\x1dV\x00") == 1  # one full cut
    # 𠮷 is beyond the printer font: its line went as an image, not as "?".
    assert "𠮷".encode("gb18030") not in data
    assert "罕见字".encode("gb18030") not in data and "罕见字".encode("gb18030")[:2] + b"?" not in data
    assert data.count(b"\x1dv0") == 1


def test_gbk_80_sends_no_four_byte_sequences_and_prints_the_yen():
    profile = get_profile("gbk-80")
    data = render_escpos(sample(), profile)
    assert "¥".encode("gb18030") not in data
    assert "￥".encode("gbk") in data
    assert "工本费：￥20元".encode("gbk") in data
    # Neither rare character is in GBK: that line is an image; the QR is an image too.
    assert "䶮".encode("gb18030") not in data
    assert URL.encode() not in data
    assert data.count(b"\x1dv0") == 2


def test_image_qr_decodes():
    profile = get_profile("gbk-80")
    doc = Document().qr(URL)
    paper, _ = parse_raster_stream(render_escpos(doc, profile)[len(b"\x1b@\x1c&") :], profile.width_dots)
    results = zxingcpp.read_barcodes(paper.convert("L"))
    assert [r.text for r in results] == [URL]


@pytest.mark.parametrize("name", ["generic-80", "generic-58"])
def test_preview_qr_decodes(name):
    image = render_image(Document().qr(URL), get_profile(name))
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [URL]


def test_raster_80_prints_everything_as_images_exactly_like_the_preview():
    profile = get_profile("raster-80")
    doc = sample()
    data = render_escpos(doc, profile)
    assert not data.startswith(b"\x1b@\x1c&")
    assert "永城".encode("gb18030") not in data
    paper, seen = parse_raster_stream(data, profile.width_dots)
    text_lines = [line for line in layout(doc, profile) if isinstance(line, (TextLine, QrLine))]
    assert seen.count("GS v 0") == len(text_lines)
    assert "GS V" in seen
    preview = render_image(doc, profile, mode="1")
    assert paper.size == preview.size
    assert paper.tobytes() == preview.tobytes()  # what the citizen sees is what prints


def test_image_lines_of_a_text_profile_match_the_preview():
    profile = get_profile("gbk-80")
    doc = Document().text("刘䶮 𠮷", align="center")
    data = render_escpos(doc, profile)
    paper, _ = parse_raster_stream(data[len(b"\x1b@\x1c&") :], profile.width_dots)
    assert paper.tobytes() == render_image(doc, profile, mode="1").tobytes()


def test_fit_shrinks_a_double_width_title_on_narrow_paper():
    doc = Document().text("永城市政务服务中心", size=2, fit=True)
    narrow = layout(doc, get_profile("generic-58"))
    wide = layout(doc, get_profile("generic-80"))
    assert len(narrow) == 1 and narrow[0].width == 1 and narrow[0].height == 2
    assert len(wide) == 1 and wide[0].width == 2


def test_columns_fill_the_line_or_stack():
    profile = get_profile("generic-58")
    lines = layout(Document().columns("法定办结时限", "20个工作日"), profile)
    assert len(lines) == 1 and len(lines[0].text) - lines[0].text.count(" ") > 0
    assert lines[0].dots == profile.width_dots
    long = layout(Document().columns("地址", "永城市东城区东方大道与欧亚路交叉口永城市民之家四楼"), profile)
    assert len(long) >= 2
    assert all(line.dots <= profile.width_dots for line in long)


def test_rendering_from_several_threads_gives_the_same_image():
    import threading

    profile = get_profile("generic-80")
    doc = Document().text("线程安全：一次性告知单 ABC 123 𠮷", bold=True).text("補正材料清單 䶮 ￥€", size=2)
    expected = render_image(doc, profile).tobytes()
    results = []

    def work():
        for _ in range(5):
            results.append(render_image(doc, profile).tobytes())

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 20 and all(r == expected for r in results)
