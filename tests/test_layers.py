"""The layers hold (docs/architecture.md): imports are read from every source file with ``ast``
(also those inside functions and under TYPE_CHECKING), and each package may import only what
its layer allows. And the typed core (the application object, the services, ui/operations.py)
passes mypy, configured in pyproject.toml."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
QT = ("PySide6", "shiboken6")

#: package → top-level packages its production code must never import
FORBIDDEN = {
    "drivers": ("kiosk", "ui", "cli", "emulators", "center", *QT),
    "kiosk": ("ui", "cli", "emulators", "center", *QT),
    "ui": ("cli", "emulators", "center"),
    "emulators": ("kiosk", "ui", "cli", "center", *QT),
}

#: known exceptions, each with its reason: (file, imported module) → why
EXCEPTIONS = {
    ("drivers/idcard/ports.py", "emulators.idcard.sim"):
        "the sim: reader URI (development, screenshots) loads the emulated reader on demand; "
        "without the emulators package it is a clear ReaderUriError",
}


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module) of every import in the file; relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = path.relative_to(ROOT).with_suffix("").parts[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join((*base, node.module) if node.module else base)
            else:
                module = node.module or ""
            found.append((node.lineno, module))
    return found


def sources(package: str) -> list[Path]:
    return sorted(p for p in (ROOT / package).rglob("*.py") if "__pycache__" not in p.parts)


def violations(package: str, forbidden: tuple[str, ...], *, allowed_files: tuple[str, ...] = ()) -> list[str]:
    found = []
    for path in sources(package):
        name = path.relative_to(ROOT).as_posix()
        if name in allowed_files:
            continue
        for line, module in imports_of(path):
            if module.split(".")[0] in forbidden and (name, module) not in EXCEPTIONS:
                found.append(f"{name}:{line} imports {module}")
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_a_layer_imports_only_what_it_may(package):
    assert violations(package, FORBIDDEN[package]) == []


def test_qt_is_imported_only_through_ui_qt():
    assert violations("ui", QT, allowed_files=("ui/qt.py",)) == []


def test_the_rule_catches_a_lazy_import(tmp_path, monkeypatch):
    """The check reads imports inside functions too (a lazy import is still a dependency)."""
    fake = tmp_path / "kiosk"
    fake.mkdir()
    (fake / "bad.py").write_text("def f():\n    from ui.qt import QWidget\n    from ..cli import main\n", encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert violations("kiosk", FORBIDDEN["kiosk"]) == ["kiosk/bad.py:2 imports ui.qt", "kiosk/bad.py:3 imports cli"]


def test_the_typed_core_passes_mypy():
    pytest.importorskip("mypy", reason="mypy comes with the test extra (pip install -e '.[test]')")
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml")],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    assert done.returncode == 0, done.stdout + done.stderr
