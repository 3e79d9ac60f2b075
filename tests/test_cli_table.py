"""`kiosk` imports only the module of the command typed: the table must name every command."""

import argparse
import importlib
import subprocess
import sys

from cli.main import COMMAND_MODULES, command_word


def registered_by(module_name: str) -> set[str]:
    parser = argparse.ArgumentParser()
    subparsers = parser.add_subparsers(dest="command")
    importlib.import_module(module_name).register(subparsers)
    return set(subparsers.choices)


def test_the_table_names_each_command_with_the_module_that_registers_it():
    for module_name in set(COMMAND_MODULES.values()):
        expected = {command for command, name in COMMAND_MODULES.items() if name == module_name}
        assert registered_by(module_name) == expected, module_name


def test_every_command_module_is_in_the_table():
    import pkgutil

    import cli

    modules = {f"cli.{m.name}" for m in pkgutil.iter_modules(cli.__path__) if m.name.endswith("_commands")}
    modules = {m for m in modules if hasattr(importlib.import_module(m), "register")}
    assert modules == set(COMMAND_MODULES.values())


def test_the_command_word_skips_global_options():
    assert command_word(["--config", "run", "-v", "catalog", "import"]) == "catalog"
    assert command_word(["--config=x.toml", "run"]) == "run"
    assert command_word(["-v"]) is None


def test_kiosk_run_loads_no_other_feature_command_code():
    probe = ("import sys; from cli.main import build_parser; build_parser('run'); "
             "print(sorted(m for m in sys.modules if m.endswith('_commands')))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['cli.ui_commands']"


def test_help_still_lists_every_command():
    out = subprocess.run([sys.executable, "-m", "cli", "--help"], capture_output=True, text=True, check=True).stdout
    for command in COMMAND_MODULES:
        assert command in out
