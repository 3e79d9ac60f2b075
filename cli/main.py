"""Entry point of the `kiosk` command (the composition root: the one package that may import
both the domain and the UI).

Exit codes: 0 success, 1 a problem with the data or a device (named on stderr),
2 a usage or configuration error.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from sqlalchemy.exc import SQLAlchemyError

from cli import (
    catalog_commands,
    center_commands,
    db_commands,
    device_commands,
    feedback_commands,
    helper_commands,
    idcard_commands,
    printer_commands,
    progress_commands,
    staff_commands,
    ui_commands,
)
from cli.context import CliContext, CommandError
from kiosk import __version__, crash, logs
from kiosk.config import ConfigError

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2

# Feature modules that add sub-commands; each has register(subparsers).
COMMAND_MODULES = (
    db_commands,
    catalog_commands,
    printer_commands,
    progress_commands,
    staff_commands,
    device_commands,
    idcard_commands,  # idcard status|read|emulate
    helper_commands,
    feedback_commands,  # report, complaints
    center_commands,  # center: the center server and this terminal's link to it
    ui_commands,  # run, screenshot: they import Qt only when they run
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiosk",
        description="政务服务自助终端 — self-service terminal of a government service center",
    )
    parser.add_argument("--config", metavar="FILE", help="configuration file (TOML); default: $KIOSK_CONFIG")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages to stderr")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
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
    except KeyboardInterrupt:
        return 130
    finally:
        context.close()
