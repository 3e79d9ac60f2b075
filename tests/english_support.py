"""Helpers of the English tests (tests/ui/test_english*.py): the UI's source strings read from
the code, and the center's data that stays as written."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u4e00-\u9fff]")


#: whole files that hold no UI string, with the reason (docs/ui.md, English)
NOT_UI_FILES = {
    "kiosk/catalog/synonyms.py": "search synonyms: words citizens type, matched in Chinese",
    "kiosk/privacy.py": "patterns that find Chinese names in free text",
    "kiosk/reports/tables.py": "the center's report columns (xlsx/CSV for the province), Chinese by rule",
    "kiosk/staff/demo.py": "the demo staff's names and the command line's bilingual notes",
    "ui/fonts.py": "the characters a font must draw to be chosen",
    "ui/screenshots": "sample data of the screenshots and the developers' screen list",
}
#: module constants that are not UI strings in files that otherwise are: (file, name) → reason
NOT_UI_CONSTANTS = {
    ("ui/i18n.py", "LANGUAGES"): "the language switch names each language in itself (中文 / EN)",
    ("ui/assistance/pinyin.py", "COMMON"): "the characters offered first when a name is typed in pinyin",
    ("kiosk/assistance/common.py", "_ADDRESS_LEVELS"): "a pattern of Chinese address levels (masking)",
    ("kiosk/speech/__init__.py", "TEST_SENTENCE"): "the maintainer's test of the Chinese voice",
    ("kiosk/db/__init__.py", "PROBLEM_MESSAGES"): "bilingual log and command-line messages",
    ("kiosk/progress/exchange.py", "CHECKER"): "the import file's problems, for the command line",
    ("kiosk/progress/exchange.py", "_NOT_DATE_TEXT"): "the import file's problems, for the command line",
}


def ui_files() -> list[str]:
    """Every Python file of ui/ and kiosk/ but NOT_UI_FILES, and the drivers' words a citizen
    reads (printer and card reader states)."""
    files = []
    for top in ("ui", "kiosk"):
        for path in sorted((ROOT / top).rglob("*.py")):
            name = str(path.relative_to(ROOT))
            if not any(name == skip or name.startswith(skip + "/") for skip in NOT_UI_FILES):
                files.append(name)
    return files + ["drivers/printer/status.py", "drivers/idcard/status.py"]


def source_strings(paths) -> set[str]:
    """Chinese strings given to tr(), and Chinese constants of module-level tables (tr(TITLE)),
    but NOT_UI_CONSTANTS."""
    found = set()
    for path in paths:
        tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "tr":
                if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                    found.add(node.args[0].value)
        for node in tree.body:
            if isinstance(node, ast.Assign):
                targets = node.targets
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                targets = [node.target]
            else:
                continue
            names = [t.id for t in targets if isinstance(t, ast.Name) and t.id.isupper()]
            if not names or any((path, name) in NOT_UI_CONSTANTS for name in names):
                continue
            for sub in ast.walk(node.value):
                if isinstance(sub, ast.Constant) and isinstance(sub.value, str) and CJK.search(sub.value):
                    found.add(sub.value)
    return {s for s in found if CJK.search(s)}


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
