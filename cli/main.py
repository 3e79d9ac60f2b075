"""Entry point of the `kiosk` command (the composition root: the one package that may import
both the domain and the UI).

Exit codes: 0 success, 1 a problem with the data or a device (named on stderr),
2 a usage or configuration error.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence

from sqlalchemy.exc import SQLAlchemyError

from cli.context import CliContext, CommandError
from kiosk import __version__, crash, logs
from kiosk.config import ConfigError

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2

#: each top-level command → the feature module that registers it (register(subparsers)).
#: Only the module of the command typed is imported, so `kiosk run` does not load every
#: feature's command-line code first; `kiosk --help` loads them all. tests/test_cli_table.py
#: checks this table against what the modules register.
COMMAND_MODULES: dict[str, str] = {
    "db": "cli.db_commands",
    "catalog": "cli.catalog_commands",
    "print": "cli.printer_commands",
    "printer": "cli.printer_commands",
    "progress": "cli.progress_commands",
    "staff": "cli.staff_commands",
    "terminal": "cli.staff_commands",
    "devices": "cli.device_commands",
    "faults": "cli.device_commands",
    "idcard": "cli.idcard_commands",  # idcard status|read|emulate
    "helpers": "cli.helper_commands",
    "ledger": "cli.helper_commands",
    "report": "cli.feedback_commands",
    "complaints": "cli.feedback_commands",
    "config": "cli.config_commands",  # config show: the configuration in effect and where each value comes from
    "center": "cli.center_commands",  # the center server and this terminal's link to it
    "run": "cli.ui_commands",  # run, screenshot: they import Qt only when they run
    "screenshot": "cli.ui_commands",
}


def command_word(argv: Sequence[str]) -> str | None:
    """The command typed (the first word that is not a global option), if any."""
    tokens = iter(argv)
    for token in tokens:
        if token == "--config":
            next(tokens, None)
        elif not token.startswith("-"):
            return token
    return None


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser for `command` only when it is known, else for every command."""
    parser = argparse.ArgumentParser(
        prog="kiosk",
        description="政务服务自助终端 — self-service terminal of a government service center",
    )
    parser.add_argument("--config", metavar="FILE", help="configuration file (TOML); default: $KIOSK_CONFIG")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages to stderr")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    wanted = [COMMAND_MODULES[command]] if command in COMMAND_MODULES else list(dict.fromkeys(COMMAND_MODULES.values()))
    for name in wanted:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(command_word(argv))
    args = parser.parse_args(argv)
    logs.configure_cli_logging(verbose=args.verbose)  # stderr, personal data masked
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_USAGE
    context = CliContext(config_path=args.config)
    # An unhandled exception is logged and leaves <data_dir>/crash/last.json (kiosk/crash.py).
    crash.install_hooks(lambda: context.config.data_dir, command=f"kiosk {args.command}")
    try:
        return int(args.handler(args, context) or EXIT_OK)
    except ConfigError as exc:
        print(f"配置错误 / configuration error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except CommandError as exc:
        print(str(exc), file=sys.stderr)
        return exc.exit_code
    except SQLAlchemyError as exc:  # the database went away or refused a write mid-command
        logging.getLogger("kiosk.cli").debug("database error", exc_info=True)
        print(f"数据库错误，未完成 / database error, not done: {exc.__class__.__name__}: {exc.orig if getattr(exc, 'orig', None) else exc}", file=sys.stderr)
        return EXIT_FAILED
    except RecursionError:  # input nested deeper than the program follows (a hostile file)
        print("输入的数据嵌套过深，无法处理 / the input is nested too deeply to process", file=sys.stderr)
        return EXIT_FAILED
    except BrokenPipeError:
        return _output_closed()
    except OSError as exc:  # a file named on the command line that cannot be read or written
        where = f" {exc.filename}" if exc.filename else ""
        print(f"无法读写文件{where[:200]} / cannot read or write{where[:200]}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        return 130
    finally:
        context.close()
        try:
            sys.stdout.flush()
        except BrokenPipeError:  # `kiosk … | head`: the reader has gone
            _output_closed()
        except (OSError, ValueError):
            pass


def _output_closed() -> int:
    """The reader of standard output has gone (`| head`): stop quietly, without a traceback,
    a crash record or Python's "Exception ignored" at exit. Exit 1: the output is incomplete."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass
    return EXIT_FAILED
