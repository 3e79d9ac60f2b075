"""The terminal bundle (kiosk.spec, `make bundle`): built here, then run the way a terminal runs
it, without Python: a scrubbed environment (no PYTHONPATH, no venv on PATH) and a fontconfig
that knows no fonts, so that Chinese can only come from the bundle's own font.

Building takes a minute or two; `make test` installs PyInstaller (the `bundle` extra) so that
this runs there and in CI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip(
    "PyInstaller",
    reason="PyInstaller is not installed, so the bundle cannot be built: "
    "pip install -c constraints.txt -e '.[bundle]' (make test installs it)",
)
from PIL import Image, ImageChops, ImageStat  # noqa: E402

pytestmark = pytest.mark.bundle

ROOT = Path(__file__).resolve().parents[2]
EMPTY_FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig></fontconfig>
"""


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("pyinstaller")
    result = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--distpath", str(work / "dist"),
         "--workpath", str(work / "build"), str(ROOT / "kiosk.spec")],
        cwd=ROOT, capture_output=True, text=True, timeout=1200,
    )
    assert result.returncode == 0, result.stderr[-5000:]
    folder = work / "dist" / "kiosk"
    assert (folder / "kiosk").is_file()
    return folder


@pytest.fixture
def scrubbed(tmp_path):
    """Run the bundle as a terminal would: nothing of Python or of this venv around."""
    home = tmp_path / "home"
    home.mkdir()
    fonts_conf = tmp_path / "fonts.conf"
    fonts_conf.write_text(EMPTY_FONTCONFIG, encoding="utf-8")
    env = {
        "HOME": str(home),
        "PATH": "/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "KIOSK_DATA_DIR": str(tmp_path / "data"),
        "QT_QPA_PLATFORM": "offscreen",
        "FONTCONFIG_FILE": str(fonts_conf),
    }

    def run(program: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        return subprocess.run([str(program), *args], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=timeout)

    run.env = env
    run.tmp = tmp_path
    return run


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() or p.is_symlink())


def test_bundle_carries_what_the_kiosk_needs_and_leaves_out_the_rest(bundle):
    internal = bundle / "_internal"
    files = files_under(internal)
    fonts = list((internal / "assets" / "fonts").iterdir())
    assert [f.name for f in fonts] == ["NotoSansCJK-Regular.ttc"]
    for needed in (
        "escpos/capabilities.json",
        "pypinyin/pinyin_dict.json",
        "pypinyin/phrases_dict.json",
        "kiosk/db/migrations/env.py",
        "kiosk/db/migrations/versions/0001_catalog.py",
        "assets/sample_center/catalog.json",
        "assets/calendar/overrides.toml",
        "PySide6/Qt/translations/qtbase_zh_CN.qm",
        "libusb-1.0.so.0",
    ):
        assert needed in files, needed
    plugins = {f.split("/", 3)[3] for f in files if f.startswith("PySide6/Qt/plugins/")}
    assert plugins == {
        "platforms/libqoffscreen.so", "platforms/libqxcb.so", "platforms/libqwayland.so",
        "xcbglintegrations/libqxcb-glx-integration.so", "xcbglintegrations/libqxcb-egl-integration.so",
        "wayland-shell-integration/libxdg-shell.so", "wayland-decoration-client/libbradient.so",
        "wayland-graphics-integration-client/libqt-plugin-wayland-egl.so",
    }
    translations = {Path(f).name for f in files if f.endswith(".qm")}
    assert translations == {"qt_zh_CN.qm", "qtbase_zh_CN.qm"}
    for left_out in ("Qml", "Quick", "WebEngine", "3D", "Multimedia", "Network", "Pdf", "VirtualKeyboard", "virtualkeyboard"):
        # Qt's libraries and plugins (Pillow's PdfImagePlugin.pyc is not Qt's PDF module)
        assert not [f for f in files if left_out in Path(f).name and not f.endswith(".pyc")], left_out
    assert not [f for f in files if "/qml/" in f or f.startswith(("tkinter", "pytest", "_pytest", "psycopg", "hypothesis", "mypy"))]
    # modules are .pyc files, not a compressed archive unpacked at every start (kiosk.spec noarchive)
    assert "kiosk/app.pyc" in files and "sqlalchemy/orm/session.pyc" in files
    broken = [str(p) for p in internal.rglob("*") if p.is_symlink() and not p.exists()]
    assert broken == []


def test_bundle_runs_without_python_imports_and_renders_chinese(bundle, scrubbed, tmp_path):
    kiosk = bundle / "kiosk"
    version = scrubbed(kiosk, "--version")
    assert version.returncode == 0 and version.stdout.strip() == "kiosk 0.1.0"

    catalog = bundle / "_internal" / "assets" / "sample_center" / "catalog.json"
    imported = scrubbed(kiosk, "catalog", "import", str(catalog))
    assert imported.returncode == 0, imported.stderr
    assert "事项 新增 83" in imported.stdout  # migrations ran (by path) and the catalog is in
    found = scrubbed(kiosk, "catalog", "search", "yyzz", "--json")  # pypinyin's data
    assert found.returncode == 0 and "营业执照" in found.stdout

    shot = tmp_path / "home.png"
    rendered = scrubbed(kiosk, "screenshot", "home", "--out", str(shot))
    assert rendered.returncode == 0, rendered.stderr
    with Image.open(shot) as png:
        image = png.convert("RGB")
    assert image.size == (1080, 1920)

    # The same screen from the source tree with the system's fonts: the bundle must draw the
    # same Chinese text with its own font (the header's clock left out of the comparison).
    reference = tmp_path / "reference.png"
    env = dict(scrubbed.env, KIOSK_DATA_DIR=str(tmp_path / "data"))
    del env["FONTCONFIG_FILE"]
    source = subprocess.run(
        [sys.executable, "-m", "cli", "screenshot", "home", "--out", str(reference)],
        env=dict(env, PYTHONPATH=str(ROOT)), cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert source.returncode == 0, source.stderr
    body = (0, 110, 1080, 1920)
    bundle_body = image.crop(body)
    with Image.open(reference) as png:
        reference_body = png.convert("RGB").crop(body)
    difference = ImageStat.Stat(ImageChops.difference(bundle_body, reference_body))
    assert max(difference.mean) < 2.0, difference.mean
    # and the heading really has text in it: dark-blue glyph pixels on the light background
    heading = image.crop((200, 130, 880, 200)).convert("L")
    dark = sum(heading.histogram()[:128])
    assert dark > 2000


def test_bundle_prints_with_its_own_font_and_finds_printer_profiles(bundle, scrubbed):
    kiosk = bundle / "kiosk"
    profiles = scrubbed(kiosk, "printer", "profiles")  # escpos-printer-db via capabilities.json
    assert profiles.returncode == 0, profiles.stderr
    assert "tm-t20ii" in profiles.stdout
    printed = scrubbed(kiosk, "print", "test")  # sim:// renders the slip with the bundled font
    assert printed.returncode == 0, printed.stderr
    slips = list((Path(scrubbed.env["KIOSK_DATA_DIR"]) / "sim-printer").rglob("*.png"))
    assert slips, "the simulated printer wrote no slip"
    with Image.open(slips[0]) as slip:
        assert slip.size[0] == 576  # generic-80
        assert sum(slip.convert("L").histogram()[:128]) > 5000  # printed text, not a blank strip


def test_bundle_backs_up_the_database_and_logs_it(bundle, scrubbed):
    kiosk = bundle / "kiosk"
    data = Path(scrubbed.env["KIOSK_DATA_DIR"])
    assert scrubbed(kiosk, "db", "upgrade").returncode == 0
    backup = scrubbed(kiosk, "db", "backup", "--keep", "2")
    assert backup.returncode == 0, backup.stderr
    assert len(list((data / "backups").glob("kiosk-*.sqlite3"))) == 1
    assert "database backed up" in (data / "logs" / "kiosk.log").read_text(encoding="utf-8")
