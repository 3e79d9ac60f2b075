"""`kiosk config show`: the configuration in effect, secrets hidden, and where each value comes
from — the installation's file (or the built-in default), the center (<data_dir>/center-config.toml,
docs/fleet.md) or an environment variable."""

from __future__ import annotations

import json
import os

from kiosk.config import ENV_DB_URL, ENV_IDCARD, ENV_PRINTER

#: environment overrides and the key each replaces (kiosk/config.py: they win over file and center)
_ENV_KEYS = {"database.url": ENV_DB_URL, "printer.uri": ENV_PRINTER, "idcard.uri": ENV_IDCARD}


def register(subparsers) -> None:
    config = subparsers.add_parser("config", help="the configuration in effect (查看配置)")
    commands = config.add_subparsers(dest="config_command", metavar="SUBCOMMAND", required=True)
    p = commands.add_parser("show", help="every key, secrets hidden, and whether the center set it (查看配置及来源)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=show_command)


def origins(config, env: dict[str, str] | None = None) -> dict[str, str]:
    """key → "center" or "$VARIABLE" for the values not from the installation's file or defaults."""
    env = os.environ if env is None else env
    found = {key: "center" for key in config.center_keys}
    found.update({key: f"${variable}" for key, variable in _ENV_KEYS.items() if env.get(variable)})
    return found


def show_command(args, context) -> int:
    config = context.config
    values = config.redacted()
    where = origins(config)
    if args.json:
        print(json.dumps({"file": config.source, "center_layer": config.center_layer, "center_problem": config.center_problem or None,
                          "values": values, "from": where}, ensure_ascii=False, indent=2, default=str))
        return 0
    print(f"配置文件 / file: {config.source or '无，使用默认值 / none: the defaults'}")
    if config.center_layer:
        print(f"中心下发 / from the center: {config.center_layer} ({len(config.center_keys)} 项 / keys, 标 ◆ / marked ◆；"
              "运行中的终端：ui、service_hours、helpers、staff、faults 即时生效，其余下次启动时生效 / a running kiosk: "
              "ui, service_hours, helpers, staff, faults at once, the others at its next start)")
    if config.center_problem:
        print(f"中心下发的配置未采用 / the center's settings are not used: {config.center_problem}")
    for key, value in values.items():
        origin = where.get(key)
        mark = "  ◆ 中心 / center" if origin == "center" else f"  ← {origin}" if origin else ""
        print(f"{key} = {json.dumps(value, ensure_ascii=False, default=str)}{mark}")
    return 0
