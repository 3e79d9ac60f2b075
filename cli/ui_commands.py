"""`kiosk run` and `kiosk screenshot`: the commands that start Qt (registered by cli.main)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from cli.context import CommandError


def _size(text: str) -> tuple[int, int]:
    """A window size like 1080x1920 (parsed here: `kiosk run --size` must not import Qt's
    screenshot machinery, which costs ≈ 0.4 s of a start)."""
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size like 1080x1920") from None
    if not (320 <= width <= 7680 and 320 <= height <= 7680):
        raise argparse.ArgumentTypeError(f"{text!r} is outside 320..7680")
    return width, height


def register(subparsers) -> None:
    # Nothing of Qt or the screens is imported here: registering runs on every `kiosk` command.
    run = subparsers.add_parser("run", help="start the kiosk (启动终端)")
    run.add_argument("--windowed", action="store_true", help="a normal window with the simulated devices, for development")
    run.add_argument("--size", type=_size, default=None, help="window size for --windowed, e.g. 1080x1920")
    run.add_argument("--printer", help="printer URI, overriding the configuration")
    run.set_defaults(handler=run_command)

    shot = subparsers.add_parser("screenshot", help="render a screen to PNG offscreen (截图)")
    shot.add_argument("screen", nargs="?", metavar="SCREEN", help="a screen's name (kiosk screenshot --list)")
    shot.add_argument("--out", type=Path, help="PNG file to write")
    shot.add_argument("--item", default="", help="item code for the item and checklist screens")
    shot.add_argument("--elder", action="store_true", help="in elder mode (长辈模式)")
    shot.add_argument("--size", type=_size, default=(1080, 1920), help="screen size, default 1080x1920")
    shot.add_argument("--language", default="", metavar="LANG",
                      help="the session's language, as with the 中文/EN switch on home (en; default ui.language)")
    shot.add_argument("--list", action="store_true", help="list the screens")
    shot.set_defaults(handler=screenshot_command)


def _config_with_printer(context, printer: str | None):
    from dataclasses import replace

    config = context.config
    if printer:
        config = replace(config, printer=replace(config.printer, uri=printer))
    return config


#: platforms that need no display server
_HEADLESS_PLATFORMS = ("offscreen", "minimal", "eglfs", "linuxfb", "vnc", "vkkhrdisplay")


def no_display_message(env: dict[str, str] | None = None, platform: str = sys.platform) -> str | None:
    """Why Qt would fail to show a window here, with what to do instead; None when it can."""
    env = os.environ if env is None else env
    if not platform.startswith("linux"):
        return None
    requested = env.get("QT_QPA_PLATFORM", "").split(":")[0]
    if requested in _HEADLESS_PLATFORMS or env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return None
    return (
        "没有可用的显示器（未设置 DISPLAY 或 WAYLAND_DISPLAY），无法打开终端窗口。\n"
        "no display: neither DISPLAY nor WAYLAND_DISPLAY is set, so the kiosk cannot open its window.\n"
        "可以这样做 / instead:\n"
        "  xvfb-run -a make run                       # a virtual X display (Debian: apt-get install xvfb); nothing visible\n"
        "  QT_QPA_PLATFORM=offscreen kiosk run --windowed   # runs without any display, nothing visible\n"
        "  kiosk screenshot home --out /tmp/home.png  # look at a screen as a PNG (kiosk screenshot --list)\n"
        "  ssh -X / a desktop session                 # to see and touch the window"
    )


def run_command(args, context) -> int:
    from ui.app import run
    from ui.fonts import NoChineseFontError

    config = _config_with_printer(context, args.printer)
    problem = no_display_message()
    if problem:
        raise CommandError(problem, 2)
    try:
        return run(config, windowed=args.windowed, size=args.size)
    except NoChineseFontError as exc:
        raise CommandError(str(exc)) from None


def screenshot_command(args, context) -> int:
    from ui.screenshots import SCREENS, make_shell, render

    if args.list:
        for name, (title, _) in SCREENS.items():
            print(f"{name:20} {title}")
        return 0
    if not args.screen or not args.out:
        raise CommandError("请给出界面名称和 --out 文件 / give SCREEN and --out FILE (see --list)", 2)
    if args.screen not in SCREENS:
        raise CommandError(f"没有名为 {args.screen!r} 的界面 / no screen named {args.screen!r}; "
                           f"kiosk screenshot --list 列出全部 / lists them all", 2)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ui.app import create_application
    from ui.fonts import NoChineseFontError

    try:
        create_application()
    except NoChineseFontError as exc:
        raise CommandError(str(exc)) from None
    if args.item:
        with context.database.session() as session:
            from kiosk.catalog.service import get_item

            if get_item(session, args.item) is None:
                raise CommandError(f"未找到事项编码 {args.item!r} / no item with that code")
    shell = make_shell(context.config, args.size)
    try:
        render(shell, args.screen, args.out, item=args.item, elder=args.elder, language=args.language)
    finally:
        shell.allow_close = True
        shell.close()
        shell.pools.wait()
        shell.services.close()
    print(f"已保存 / saved {args.out}")
    return 0
