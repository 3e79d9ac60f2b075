import pytest

from ui import fonts


def test_the_ui_font_draws_chinese(qapp):
    font = fonts.choose_chinese_font()
    assert fonts.draws_chinese(font.family())


def test_without_a_chinese_font_the_kiosk_refuses_to_start(qapp, monkeypatch, tmp_path, cli):
    class NoChinese:
        WritingSystem = fonts.QFontDatabase.WritingSystem

        @staticmethod
        def families(*_args):
            return []

    monkeypatch.setattr(fonts, "QFontDatabase", NoChinese)
    monkeypatch.setenv("KIOSK_ASSETS_DIR", str(tmp_path))  # no bundled fonts either
    with pytest.raises(fonts.NoChineseFontError) as caught:
        fonts.choose_chinese_font()
    assert "fonts-noto-cjk" in str(caught.value)
    assert "未找到可显示中文的字体" in str(caught.value)

    result = cli("run", "--windowed")
    assert result.exit_code == 1
    assert "未找到可显示中文的字体" in result.err
