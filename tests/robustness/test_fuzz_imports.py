"""Property-based fuzzing of every import format (hypothesis): kiosk-catalog/1, kiosk-progress/1
and the configuration file. Mutated documents (a value replaced by a huge number, a lone
surrogate, a deep structure …), cut or garbled bytes: `validate` answers 0 or 1 with a message,
never a traceback, and whatever `validate` passes, `import` takes (docs/reliability.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from robustness.junk import deep, json_values, raw_json

from kiosk.paths import assets_dir
from support import SMALL_CATALOG

CATALOG = json.loads(SMALL_CATALOG.read_text(encoding="utf-8"))
PROGRESS = json.loads((assets_dir() / "sample_center" / "progress.json").read_text(encoding="utf-8"))


def paths(value, prefix=()):
    """Every path (tuple of keys and indexes) into a JSON document."""
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from paths(child, (*prefix, index))


@st.composite
def mutated(draw, base):
    """``base`` with one to three changes: a value replaced, a key removed or one added."""
    document = json.loads(json.dumps(base))
    for _ in range(draw(st.integers(1, 3))):
        every = list(paths(document))
        path = draw(st.sampled_from(every))
        action = draw(st.sampled_from(["replace", "replace", "replace", "delete", "add"]))
        if not path:
            if action == "replace":
                document = draw(json_values())
            continue
        parent = document
        for step in path[:-1]:
            parent = parent[step]
        key = path[-1]
        if action == "replace":
            parent[key] = draw(json_values())
        elif action == "delete":
            del parent[key]
        elif isinstance(parent, dict):
            parent[draw(st.text(max_size=8))] = draw(json_values())
        else:
            parent.insert(key, draw(json_values()))
    return document


def encode(document) -> bytes:
    return raw_json(document)


@st.composite
def damaged_bytes(draw, base):
    data = encode(base)
    kind = draw(st.sampled_from(["cut", "flip", "insert", "bom", "utf16", "deep", "huge"]))
    if kind == "cut":
        return data[: draw(st.integers(0, len(data)))]
    if kind == "flip":
        at = draw(st.integers(0, len(data) - 1))
        return data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1:]
    if kind == "insert":
        at = draw(st.integers(0, len(data)))
        return data[:at] + draw(st.binary(min_size=1, max_size=20)) + data[at:]
    if kind == "bom":
        return b"\xef\xbb\xbf" + data
    if kind == "utf16":
        return data.decode("ascii").encode("utf-16")
    if kind == "deep":
        depth = draw(st.integers(500, 200_000))
        return b"[" * depth + b"]" * depth
    return b'{"format": ' + b"9" * draw(st.integers(4000, 20000)) + b"}"


def check_validate_then_import(cli, tmp_path: Path, data: bytes, command: str) -> None:
    path = tmp_path / "fuzzed.json"
    path.write_bytes(data)
    validated = cli(command, "validate", path)
    assert validated.exit_code in (0, 1), validated.err
    assert "Traceback" not in validated.err + validated.out
    if validated.exit_code == 1:
        assert validated.err.strip(), "a refusal says why"
    imported = cli(command, "import", path)
    assert imported.exit_code in (0, 1) and "Traceback" not in imported.err + imported.out, imported.err
    if validated.exit_code == 0:
        assert imported.exit_code == 0, f"validate passed what import refused:\n{imported.err}"


@pytest.fixture
def with_catalog(cli):
    assert cli("catalog", "import", assets_dir() / "sample_center" / "catalog.json").exit_code == 0


@given(document=mutated(CATALOG))
def test_catalog_validate_and_import_never_crash_and_agree(cli, tmp_path, document):
    check_validate_then_import(cli, tmp_path, encode(document), "catalog")


@given(data=damaged_bytes(CATALOG))
def test_damaged_catalog_files_are_refused_with_a_message(cli, tmp_path, data):
    check_validate_then_import(cli, tmp_path, data, "catalog")


@given(document=mutated(PROGRESS))
def test_progress_validate_and_import_never_crash_and_agree(cli, with_catalog, tmp_path, document):
    check_validate_then_import(cli, tmp_path, encode(document), "progress")


@given(data=damaged_bytes(PROGRESS))
def test_damaged_progress_files_are_refused_with_a_message(cli, with_catalog, tmp_path, data):
    check_validate_then_import(cli, tmp_path, data, "progress")


@pytest.mark.parametrize("command", ["catalog", "progress"])
@pytest.mark.parametrize("case", ["huge", "surrogate", "deep", "deep_value"])
def test_the_known_chokers_are_refused_by_validate(cli, with_catalog, tmp_path, command, case):
    """What once passed validate and then crashed import (issue 16 item 6): a huge integer, a
    lone surrogate, nesting deeper than the parser's recursion limit."""
    document = json.loads(json.dumps(CATALOG if command == "catalog" else PROGRESS))
    target = document["items"][0] if command == "catalog" else document["applications"][0]
    key = "name" if command == "catalog" else "department"
    marker = "\x00DEEP"
    target[key] = {"huge": "\x00HUGE:5000", "surrogate": "\ud800", "deep": marker, "deep_value": [marker]}[case]
    data = encode(document).replace(b'"\\u0000DEEP"', b"[" * 100_000 + b"]" * 100_000)
    if case == "deep_value":
        target[key] = ["x"]
        data = encode(document).replace(b'["x"]', b"[" * 3000 + b'"x"' + b"]" * 3000)
    check_validate_then_import(cli, tmp_path, data, command)


CONFIG_KEYS = {
    "terminal": ["id", "name", "zone"],
    "database": ["url"],
    "printer": ["uri", "profile", "timeout_seconds"],
    "ui": ["idle_timeout_seconds", "idle_warning_seconds", "language"],
    "devices": ["poll_seconds", "disk_min_free_mb"],
    "staff": ["max_pin_attempts", "lockout_minutes"],
    "logs": ["max_size_mb", "backup_count"],
}
TOML_VALUES = st.one_of(
    st.integers().map(str), st.sampled_from(["inf", "nan", "-inf", "9" * 5000, "1e999", "true", "[]", "{}",
                                              '"sqlite:///"', '"sqlite://"', '"/proc/x"', '"\\ud800"', '""',
                                              '"postgresql+nodriver://x/y"', '"sqlite:////proc/kiosk.db"']),
    st.text(max_size=20).map(json.dumps),
)


@given(section=st.sampled_from(sorted(CONFIG_KEYS)), data=st.data())
def test_a_broken_configuration_file_is_a_usage_error_not_a_crash(cli, tmp_path, section, data):
    key = data.draw(st.sampled_from(CONFIG_KEYS[section]))
    value = data.draw(TOML_VALUES)
    path = tmp_path / "fuzzed.toml"
    path.write_text(f"[{section}]\n{key} = {value}\n", encoding="utf-8", errors="surrogatepass")
    result = cli("--config", path, "catalog", "search", "户口")
    assert result.exit_code in (0, 1, 2), result.err
    assert "Traceback" not in result.err + result.out
