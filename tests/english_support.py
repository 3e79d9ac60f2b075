"""Helpers of the English tests (tests/ui/test_english*.py): the UI's source strings read from
the code, and the center's data that stays as written."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u4e00-\u9fff]")


def node_value(node):
    return getattr(node, "value", None) if isinstance(node, (ast.Assign, ast.AnnAssign)) else None


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
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
            if node_value(node) is not None and any(isinstance(t, ast.Name) and t.id.isupper() for t in targets):
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
