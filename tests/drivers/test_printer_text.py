"""Display width, wrapping (by width, nothing dropped, 禁则) and per-profile encoding."""

from __future__ import annotations

import pytest

from drivers.printer.profiles import PROFILES, get_profile
from drivers.printer.text import (
    CLOSING_PUNCTUATION,
    OPENING_PUNCTUATION,
    char_columns,
    encode_for,
    printable_in_font,
    substitute,
    text_columns,
    unprintable_chars,
    wrap,
)

MIXED = (
    "申请人应当提交《营业执照》副本（复印件），并加盖公章。Please bring your ID card and the "
    "application form ABC-12345678 to window A12. 工本费¥20元，咨询电话0370-5123456；"
    "统一社会信用代码91411481MA9XXXXXX1，网址https://www.hnzwfw.gov.cn/portal/guide/1141148100492981054010001。"
)


def squeeze(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize(
    ("ch", "columns"),
    [("A", 1), (" ", 1), ("中", 2), ("，", 2), ("¥", 2), ("￥", 2), ("—", 2), ("é", 2), ("𠮷", 2), ("\u0301", 0), ("\u200b", 0)],
)
def test_char_columns(ch, columns):
    assert char_columns(ch) == columns


@pytest.mark.parametrize("width", [48, 32, 24, 11, 7])
@pytest.mark.parametrize("indent", [0, 4])
def test_wrap_fits_and_drops_nothing(width, indent):
    lines = wrap(MIXED, width, indent=indent)
    assert all(text_columns(line) <= width for line in lines), lines
    # Every character is still there, in order (only the spaces at breaks go).
    assert squeeze("".join(lines)) == squeeze(MIXED)
    assert len(lines) > 1


def test_wrap_counts_chinese_as_two_columns():
    assert wrap("一二三四五六七八九十", 10) == ["一二三四五", "六七八九十"]
    assert wrap("一二三四五六七八九十", 9) == ["一二三四", "五六七八", "九十"]


def test_wrap_breaks_english_at_spaces():
    lines = wrap("Please bring your identity card and the application form", 20)
    assert lines == ["Please bring your", "identity card and", "the application form"]
    for line in lines:
        assert not line.startswith(" ") and not line.endswith(" ")


def test_wrap_keeps_numbers_whole_when_they_fit():
    lines = wrap("咨询电话 0370-5123456 工作日", 16)
    assert any("0370-5123456" in line for line in lines)


def test_wrap_cuts_a_token_longer_than_the_line_at_character_boundaries():
    url = "https://www.hnzwfw.gov.cn/portal/guide/1141148100492981054010001"
    lines = wrap(url, 20)
    assert "".join(lines) == url
    assert all(text_columns(line) <= 20 for line in lines)


def test_wrap_never_starts_a_line_with_closing_punctuation():
    # Greedy filling would put "，" at the start of line 2 (5 Chinese characters = 10 columns).
    text = "一二三四五，六七八九十。一二三四五）六七八九十、"
    for width in (10, 8, 6, 4):
        lines = wrap(text, width)
        assert squeeze("".join(lines)) == text
        for line in lines[1:]:
            assert line[0] not in CLOSING_PUNCTUATION, (width, lines)


def test_wrap_never_ends_a_line_with_opening_punctuation():
    text = "一二三四《五六七八》九十（一二三）"
    for width in (10, 8, 12):
        lines = wrap(text, width)
        assert squeeze("".join(lines)) == text
        for line in lines[:-1]:
            assert line[-1] not in OPENING_PUNCTUATION, (width, lines)


def test_wrap_keeps_a_number_with_its_unit():
    lines = wrap("申请表格文书·纸质+电子·1份·A4纸", 20)
    assert any("1份" in line for line in lines), lines


def test_wrap_hanging_indent_and_explicit_line_breaks():
    lines = wrap("1. 第一行的内容比较长需要换行显示出来\n第二段", 20, indent=3)
    assert lines[0].startswith("1. ")
    assert all(line.startswith("   ") for line in lines[1:])
    assert lines[-1].strip() == "第二段"


def test_wrap_puts_a_long_code_at_column_zero_rather_than_cutting_it():
    lines = wrap("事项编码：1141148100492981054010001", 32, indent=10)
    assert lines == ["事项编码：", "1141148100492981054010001"]


def test_wrap_empty_and_blank():
    assert wrap("", 10) == [""]
    assert wrap("a\n\nb", 10) == ["a", "", "b"]


# --- encoding ---------------------------------------------------------------------------------


def test_punctuation_only_text_is_encoded_not_question_marks():
    # python-escpos 3.1 turns "，。：" into "???"; we send the GB18030 codes.
    for name in ("generic-80", "gbk-80", "tm-t20ii"):
        data = encode_for("，。：、；（）《》", get_profile(name))
        assert b"?" not in data
        assert data == "，。：、；（）《》".encode("gbk")


def test_yen_sign_in_gbk_becomes_full_width_yen():
    gbk = get_profile("gbk-80")
    assert substitute("¥20", gbk) == "￥20"
    data = encode_for("工本费¥20元", gbk)
    assert data == "工本费￥20元".encode("gbk")
    assert "\uffe5".encode("gbk") in data


def test_gb18030_profile_prints_yen_as_its_four_byte_code():
    data = encode_for("¥", get_profile("generic-80"))
    assert data == "¥".encode("gb18030") and len(data) == 4


def test_gbk_profile_sends_no_four_byte_sequences():
    gbk = get_profile("gbk-80")
    text = "工本费¥20元，“引号”—— 居民身份证 · 𠮷䶮"
    printable = "".join(ch for ch in substitute(text, gbk) if printable_in_font(ch, gbk))
    data = encode_for(printable, gbk)
    assert data.decode("gbk") == printable  # GBK is at most two bytes a character


@pytest.mark.parametrize(
    ("profile", "rare"),
    [
        ("gbk-80", ["䶮", "𠮷"]),  # 䶮 U+4DAE: GB18030 FE9F, not GBK; 𠮷 U+20BB7: four-byte, beyond the BMP
        ("basic-58", ["䶮", "𠮷"]),
        ("generic-80", ["𠮷"]),
        ("tm-t20ii", ["𠮷"]),
    ],
)
def test_characters_the_font_lacks_are_reported(profile, rare):
    assert unprintable_chars("姓名：刘䶮，吉𠮷，费用¥1", get_profile(profile)) == rare
    with pytest.raises(UnicodeEncodeError):
        encode_for("刘" + rare[0], get_profile(profile))


def test_raster_profile_prints_no_text():
    raster = get_profile("raster-80")
    assert unprintable_chars("ABC 中文", raster) == list("ABC 中文")
    with pytest.raises(UnicodeEncodeError):
        encode_for("ABC", raster)


def test_every_profile_has_consistent_geometry():
    for profile in PROFILES.values():
        assert profile.columns * 12 == profile.width_dots
        assert profile.qr in ("native", "image")
        assert profile.text_encoding in (None, "gbk", "gb18030")
        assert profile.realtime_status <= {1, 2, 3, 4}
