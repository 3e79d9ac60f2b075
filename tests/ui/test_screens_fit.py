"""Every screen, in both orientations and in elder mode, fits the screen it is shown on
(nothing pushes the window wider or taller than the display, which would cut content off),
and every text on it fits its box (a label, a button, a dialog's text; tests/ui/fit_support.py)."""

from __future__ import annotations

import pytest
from PIL import Image

from fit_support import cut_texts
from ui.screenshots import SCREENS, render


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)], ids=["portrait", "landscape"])
@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_every_screen_fits(qtbot, services, tmp_path, size, elder):
    from ui.app import KioskWindow, create_application

    from ui.screenshots.fakes import ScreenshotServices

    create_application()
    shell = KioskWindow(ScreenshotServices(services), size=size)
    qtbot.addWidget(shell)
    shell.resize(*size)
    shell.show()
    cut = []
    for name in SCREENS:
        out = render(shell, name, tmp_path / f"{name}.png", elder=elder)
        cut += [f"{name}: {problem}" for problem in cut_texts(shell)]
        assert (shell.width(), shell.height()) == size, name
        with Image.open(out) as image:
            assert image.size == size
            assert len(image.convert("L").resize((64, 64)).getcolors(4096)) > 8, f"{name} looks blank"
    shell.allow_close = True
    shell.pools.wait()
    assert not cut, "texts cut off:\n" + "\n".join(cut)


def test_cli_screenshot_list_and_render(cli, tmp_path, data_dir):
    from kiosk.paths import sample_catalog

    assert cli("catalog", "import", sample_catalog()).exit_code == 0
    listing = cli("screenshot", "--list")
    assert listing.exit_code == 0 and "checklist-result" in listing.out
    out = tmp_path / "home.png"
    result = cli("screenshot", "home", "--out", out, "--size", "1920x1080", "--elder")
    assert result.exit_code == 0, result.err
    with Image.open(out) as image:
        assert image.size == (1920, 1080)
    bad = cli("screenshot", "item", "--out", out, "--item", "NO-SUCH-ITEM")
    assert bad.exit_code == 1 and "未找到事项编码" in bad.err
