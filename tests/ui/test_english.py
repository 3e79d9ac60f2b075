"""English mode (issue 18 item 6): the 中文/EN switch on home, and no screen of the covered set
shows a UI string left in Chinese. Catalog data (item names, windows, materials, the center's
name) stays Chinese: it is the center's data, not a UI string; the check therefore looks for the
source strings of ``tr`` (read from the code) in what is visible, not for any Chinese at all."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from ui.i18n import catalog_path
from ui.qt import QAbstractButton, QApplication, QLabel, Qt

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u4e00-\u9fff]")
#: the screens and widgets with a complete English catalog; the rest is listed in docs/ui.md
COVERED = [
    "ui/shell.py", "ui/overlays.py", "ui/speech.py", "ui/paging.py", "ui/printing.py",
    *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "ui" / "widgets").glob("*.py")),
    "ui/screens/home.py", "ui/screens/search.py", "ui/screens/browse.py",
    "ui/screens/item.py", "ui/screens/selfservice.py", "ui/screens/checklist.py", "kiosk/speech/texts.py",
    "kiosk/catalog/present.py", "ui/screens/progress.py", "kiosk/progress/view.py", "kiosk/progress/models.py",
    "kiosk/progress/service.py", "ui/rating.py",
]


def source_strings(paths) -> set[str]:
    """Chinese strings given to tr(), and Chinese constants of module-level tables (tr(TITLE))."""
    found = set()
    for path in paths:
        tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "tr":
                if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                    found.add(node.args[0].value)
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id.isupper() for t in node.targets):
                for sub in ast.walk(node.value):
                    if isinstance(sub, ast.Constant) and isinstance(sub.value, str) and CJK.search(sub.value):
                        found.add(sub.value)
    return {s for s in found if CJK.search(s)}


def catalog() -> dict[str, str]:
    return json.loads(catalog_path("en", ROOT / "assets" / "translations").read_text(encoding="utf-8"))


def test_every_string_of_the_covered_screens_has_an_english_translation():
    english = catalog()
    missing = sorted(s for s in source_strings(COVERED) if not english.get(s))
    assert missing == []
    for source, target in english.items():
        if source.startswith("//"):
            continue
        assert not CJK.search(target), f"{source!r} → {target!r} is not English"
        assert set(re.findall(r"\{\w+\}", source)) == set(re.findall(r"\{\w+\}", target)), source


def fragments(strings) -> set[str]:
    """The literal parts of the source strings (around {placeholders}) that a screen would show
    if the string were left untranslated: those with at least two Chinese characters."""
    out = set()
    for s in strings:
        for part in re.split(r"\{\w+\}|\n", s):
            part = part.strip(" ：:，,。（）()“”·")
            if len(CJK.findall(part)) >= 2:
                out.add(part)
    return out


def visible_texts(widget) -> list[str]:
    QApplication.processEvents()
    texts = []
    for child in widget.findChildren(QLabel) + widget.findChildren(QAbstractButton):
        if child.isVisibleTo(widget) and child.text():
            texts.append(child.text())
    return texts


@pytest.fixture(autouse=True)
def chinese_afterwards():
    """The translator is the application's: leave it Chinese for the next test."""
    yield
    from ui import i18n

    i18n.set_language("zh_CN")


def untranslated(shell, data: str) -> list[str]:
    """Visible texts holding a piece of a UI source string that is not also the center's data."""
    sources = {f for f in fragments(source_strings(COVERED)) if f not in data}
    found = []
    for text in visible_texts(shell):
        for fragment in sources:
            if fragment in text:
                found.append(f"{fragment!r} in {text!r}")
    return found


def catalog_data(shell) -> set[str]:
    """What comes from the configuration and the center's name: stays as written."""
    return {shell.center.name, shell.config.terminal.name}


def progress_data(services) -> str:
    """The sample applications' own texts (step names, remarks, result names)."""
    from kiosk.progress.exchange import sample_file

    return "\n" + Path(sample_file()).read_text(encoding="utf-8")


def catalog_corpus(services) -> str:
    """Every text of the catalog (names, windows, materials, procedures…), joined."""
    from kiosk.catalog import exchange

    texts = []

    def walk(value):
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    with services.database.session() as session:
        walk(exchange.export(session))
    return "\n".join(texts)


def test_the_switch_turns_home_english_and_the_session_end_turns_it_back(qtbot, shell, settle):
    home = shell.screens["home"]
    assert home.language_button.text() == "EN"
    qtbot.mouseClick(home.language_button, Qt.MouseButton.LeftButton)
    settle(shell)
    home = shell.screens["home"]  # rebuilt in English
    assert home.greeting.text() == "Hello, what would you like to do today?"
    assert home.language_button.text() == "中文"
    assert shell.back_button.text() == "‹ Back" and shell.help_button.text() == "Call a helper"
    chinese = [t for t in visible_texts(shell) if CJK.search(t) and t not in catalog_data(shell) and t != "中文"]
    assert chinese == []
    shell.reset_session()
    settle(shell)
    assert shell.language == "zh_CN"
    assert shell.screens["home"].greeting.text() == "您好，请问您要办什么事？"
    assert shell.back_button.text() == "‹ 返回"


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)])
def test_no_covered_screen_shows_an_untranslated_string(qtbot, services, settle, size):
    from support import make_shell
    from ui.screenshots import PROGRESS_OVERDUE, PROGRESS_REVIEWING, _query_progress

    for shell in make_shell(qtbot, services, size):
        shell.screens["home"].language_button.click()
        settle(shell)
        index = services.catalog_index()
        item = next(hit for hit in index.search("营业执照") if hit.name == "营业执照自助打印")
        data = catalog_corpus(services) + "\n".join(catalog_data(shell))
        visits = [
            ("home", {}), ("search", {}), ("browse", {}), ("browse", {"tab": "department"}), ("browse", {"tab": "topic"}),
            ("item", {"code": item.code}), ("selfservice", {}), ("checklist", {"code": item.code}),
        ]
        for elder in (False, True):
            shell.set_elder(elder)
            for name, params in visits:
                shell.go(name, **params)
                settle(shell)
                if name == "search":
                    shell.screens["search"].field.setText("yyzz")
                    settle(shell)
                assert untranslated(shell, data) == [], (name, params, elder)
            for number_and_code in (PROGRESS_REVIEWING, PROGRESS_OVERDUE):
                _query_progress(shell, *number_and_code)
                settle(shell)
                assert untranslated(shell, data + progress_data(services)) == [], ("progress", number_and_code, elder)
        shell.screens["search"].field.setText("")
