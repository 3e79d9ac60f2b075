"""`kiosk center …`: the center server and a terminal's link to it (docs/fleet.md).

On the center machine: ``serve``, ``upgrade``, ``code``, ``revoke``, ``terminals``, ``publish``,
``report`` (they need [center_server] database_url or $KIOSK_CENTER_DB_URL, and the center
package). On a terminal: ``enroll``, ``push``, ``pull``, ``status``, ``forget``.
"""

from __future__ import annotations

import getpass
import json
import os
import sys
from datetime import datetime

from cli.context import CommandError
from cli.arguments import count

EXIT_USAGE = 2


def register(subparsers) -> None:
    center = subparsers.add_parser("center", help="the center server and this terminal's link to it (中心)")
    commands = center.add_subparsers(dest="center_command", metavar="COMMAND", required=True)

    p = commands.add_parser("serve", help="run the center server (运行中心服务)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1; 0.0.0.0 for all)")
    p.add_argument("--port", type=count(1, 65535), default=8080, help="TCP port (default 8080)")
    p.add_argument("--ssl-certfile", default="", help="TLS certificate (PEM, with the chain); see docs/fleet.md")
    p.add_argument("--ssl-keyfile", default="", help="TLS private key (PEM)")
    p.add_argument("--db", default="", help="PostgreSQL URL (default: $KIOSK_CENTER_DB_URL, [center_server] database_url)")
    p.add_argument("--silent-after", type=count(0, 86400 * 30), default=0, help="seconds without heartbeat before a fault (default from config: 90)")
    p.add_argument("--check-every", type=count(1, 86400), default=15, help="seconds between checks for silent terminals")
    p.set_defaults(handler=serve_command)

    p = commands.add_parser("upgrade", help="create or upgrade the center's PostgreSQL schema (升级中心数据库)")
    p.add_argument("--db", default="")
    p.set_defaults(handler=upgrade_command)

    p = commands.add_parser("code", help="make a one-time enrollment code for a terminal (生成注册码)")
    p.add_argument("terminal", help="the terminal's id ([terminal] id in its configuration)")
    p.add_argument("--name", default="", help="the terminal's name")
    p.add_argument("--hours", type=count(1, 24 * 365), default=24, help="the code is valid this long (default 24)")
    p.add_argument("--db", default="")
    p.set_defaults(handler=code_command)

    p = commands.add_parser("revoke", help="revoke a terminal's credential (吊销终端)")
    p.add_argument("terminal")
    p.add_argument("--db", default="")
    p.set_defaults(handler=revoke_command)

    p = commands.add_parser("terminals", help="list the terminals, their state and last heartbeat (终端列表)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--db", default="")
    p.set_defaults(handler=terminals_command)

    p = commands.add_parser("publish", help="publish a new version of center-owned data (发布数据)")
    p.add_argument("kind", help="catalog, applications, staff, workdays or config")
    p.add_argument("file", nargs="?", help="the document (kiosk-catalog/1, kiosk-progress/1 …); for staff, default: "
                   "the staff, absences and A/B posts kept on the center (the console's)")
    p.add_argument("--note", default="")
    p.add_argument("--db", default="")
    p.set_defaults(handler=publish_command)

    p = commands.add_parser("report", help="reports across every terminal of the center (全中心统计报表)",
                            description="The reports of `kiosk report` over the records every terminal sent to the "
                            "center, with their terminal column; --terminal keeps one terminal. Columns: docs/reports.md.")
    p.add_argument("name", choices=("ratings", "complaints", "faults", "ledger", "summary"))
    p.add_argument("--from", dest="first", required=True, metavar="DATE")
    p.add_argument("--to", dest="last", required=True, metavar="DATE")
    p.add_argument("--format", choices=("csv", "xlsx"))
    p.add_argument("--out", metavar="FILE", help="default: NAME-FROM-TO.csv here; - for standard output (CSV)")
    p.add_argument("--terminal", metavar="ID", help="only this terminal")
    p.add_argument("--masked", action="store_true", help="mask callback phones")
    p.add_argument("--area-code", default="", metavar="CODE")
    p.add_argument("--json", action="store_true", help="summary only: print JSON")
    p.add_argument("--db", default="")
    p.set_defaults(handler=report_command)

    p = commands.add_parser("enroll", help="enroll this terminal with a code from the center (终端注册)")
    p.add_argument("--code", required=True, help="the one-time code the center's admin gave you")
    p.add_argument("--url", default="", help="the center's URL (default: [center] url)")
    p.set_defaults(handler=enroll_command)

    p = commands.add_parser("push", help="send this terminal's queued records now (立即上传)")
    p.set_defaults(handler=push_command)

    p = commands.add_parser("pull", help="fetch newer catalog, applications … from the center now (立即下载)")
    p.set_defaults(handler=pull_command)

    p = commands.add_parser("status", help="this terminal's link: enrolled, queued records, snapshot versions (连接状态)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=status_command)

    p = commands.add_parser("forget", help="delete this terminal's credential (after a revocation)")
    p.set_defaults(handler=forget_command)


# --- the center side ------------------------------------------------------------------------------


def _center_url(args, context) -> str:
    from kiosk.config import redact_url

    url = args.db or os.environ.get("KIOSK_CENTER_DB_URL") or context.config.center_server.database_url
    if not url:
        raise CommandError("未配置中心数据库：请设置 [center_server] database_url 或 $KIOSK_CENTER_DB_URL / "
                           "no center database: set [center_server] database_url or $KIOSK_CENTER_DB_URL", EXIT_USAGE)
    context.center_db_text = redact_url(url)
    return url


def _service(args, context, upgrade: bool = True):
    try:
        from center.app import CenterSettings, build_service
    except ModuleNotFoundError as exc:
        raise CommandError(f"中心服务未安装 / the center server is not installed here ({exc.name}); "
                           "install with: pip install '.[center]'") from None
    from kiosk.db import DatabaseError

    try:
        return build_service(CenterSettings(database_url=_center_url(args, context), upgrade=upgrade))
    except DatabaseError as exc:
        raise CommandError(str(exc)) from None


def _refusal(exc) -> CommandError:
    return CommandError(str(exc), 1)


def serve_command(args, context) -> int:
    try:
        import uvicorn

        from center.app import CenterSettings, create_app
    except ModuleNotFoundError as exc:
        raise CommandError(f"中心服务未安装 / the center server is not installed here ({exc.name}); "
                           "install with: pip install '.[center]'") from None
    from kiosk.db import DatabaseError

    if bool(args.ssl_certfile) != bool(args.ssl_keyfile):
        raise CommandError("--ssl-certfile 与 --ssl-keyfile 须同时给出 / give both --ssl-certfile and --ssl-keyfile", EXIT_USAGE)
    config = context.config
    settings = CenterSettings(
        database_url=_center_url(args, context),
        silent_after_seconds=args.silent_after or config.center_server.silent_after_seconds,
        check_every_seconds=max(1, args.check_every),
        notify_config=config,
    )
    try:
        app = create_app(settings)
    except DatabaseError as exc:
        raise CommandError(str(exc)) from None
    scheme = "https" if args.ssl_certfile else "http"
    print(f"中心服务 / center serving on {scheme}://{args.host}:{args.port} (database {context.center_db_text})", flush=True)
    if any(getattr(route, "path", "") == "/console" for route in app.routes):
        print(f"工作台 / staff console: {scheme}://{args.host}:{args.port}/console/", flush=True)
    options = {"ssl_certfile": args.ssl_certfile, "ssl_keyfile": args.ssl_keyfile} if args.ssl_certfile else {}
    uvicorn.run(app, host=args.host, port=args.port, log_level="info" if args.verbose else "warning",
                access_log=bool(args.verbose), **options)
    return 0


def upgrade_command(args, context) -> int:
    service = _service(args, context)
    print(f"中心数据库已升级 / center database upgraded: {context.center_db_text} at {service.database.current_revision()}")
    service.database.dispose()
    return 0


def code_command(args, context) -> int:
    from center.service import CenterRefusal

    from datetime import timedelta

    service = _service(args, context)
    try:
        code = service.make_code(args.terminal, name=args.name, by=f"cli:{getpass.getuser()}",
                                 valid_for=timedelta(hours=max(1, args.hours)))
    except CenterRefusal as exc:
        raise _refusal(exc) from None
    finally:
        service.database.dispose()
    print(f"终端 {args.terminal} 的注册码（{args.hours} 小时内有效，只能用一次）/ enrollment code:")
    print(code)
    print(f"在终端上运行 / on the terminal run:  kiosk center enroll --code {code}")
    return 0


def revoke_command(args, context) -> int:
    from center.service import CenterRefusal

    service = _service(args, context)
    try:
        service.revoke(args.terminal, by=f"cli:{getpass.getuser()}")
    except CenterRefusal as exc:
        raise _refusal(exc) from None
    finally:
        service.database.dispose()
    print(f"终端 {args.terminal} 的凭据已吊销 / credential revoked")
    return 0


def terminals_command(args, context) -> int:
    service = _service(args, context)
    try:
        terminals = service.terminals()
    finally:
        service.database.dispose()
    labels = {"enrolled": "已注册", "revoked": "已吊销", "waiting": "待注册"}
    if args.json:
        print(json.dumps([{"id": t.id, "name": t.name, "state": t.state,
                           "last_seen_at": t.last_seen_at.isoformat() if t.last_seen_at else None,
                           "pending": t.last_status.get("pending")} for t in terminals], ensure_ascii=False, indent=2))
        return 0
    for t in terminals:
        seen = t.last_seen_at.astimezone().strftime("%Y-%m-%d %H:%M:%S") if t.last_seen_at else "-"
        print(f"{t.id:<16} {labels[t.state]:<4} 最后心跳 {seen}  待传 {t.last_status.get('pending', '-')}  {t.name}")
    return 0


def publish_command(args, context) -> int:
    from center.service import CenterRefusal

    if args.file is None and args.kind == "staff":
        document = _center_staff(args, context)
    elif args.file is None:
        raise CommandError(f"请给出要发布的文件 / give the {args.kind} file to publish", EXIT_USAGE)
    else:
        try:
            with open(args.file, encoding="utf-8") as fh:
                document = fh.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"无法读取文件 / cannot read {args.file}: {exc}") from None
    if args.kind == "catalog":  # the same checks a terminal makes before applying it
        from kiosk.catalog import exchange

        try:
            exchange.validate(json.loads(document))
        except (ValueError, exchange.CatalogError) as exc:
            raise CommandError(f"事项目录文件有误，未发布 / catalog rejected, not published:\n{exc}") from None
    if args.kind == "config":  # only keys the center may set, each value checked as a terminal does
        from kiosk.config import ConfigError, check_terminal_config

        try:
            check_terminal_config(json.loads(document))
        except ValueError as exc:
            raise CommandError(f"文件不是有效的 JSON，未发布 / not JSON, not published: {exc}") from None
        except ConfigError as exc:
            raise CommandError(f"终端配置有误，未发布 / terminal configuration rejected, not published:\n{exc}") from None
    service = _service(args, context)
    try:
        version = service.publish(args.kind, document, by=f"cli:{getpass.getuser()}", note=args.note)
    except CenterRefusal as exc:
        raise _refusal(exc) from None
    finally:
        service.database.dispose()
    print(f"已发布 / published {args.kind} version {version}")
    return 0


class _ReportContext:
    """What `kiosk report` needs, pointed at the mirror of the center's records."""

    def __init__(self, config, database):
        self.config = config
        self.database = database
        self._app = None

    @property
    def app(self):
        """The application over the mirror, as `kiosk report` reads it (context.app)."""
        if self._app is None:
            from kiosk.app import Application

            self._app = Application(self.config, self.database, role="cli")
        return self._app

    def close(self) -> None:
        if self._app is not None:
            self._app.close()


def _center_staff(args, context) -> str:
    """The center's staff directory (kiosk-schema tables in the center's database) as kiosk-staff/1."""
    from sqlalchemy.exc import SQLAlchemyError

    from kiosk.db import Database, DatabaseError
    from kiosk.fleet.snapshots import export_staff

    try:
        database = Database(_center_url(args, context))
    except DatabaseError as exc:
        raise CommandError(str(exc)) from None
    try:
        with database.session() as session:
            return json.dumps(export_staff(session), ensure_ascii=False)
    except SQLAlchemyError as exc:
        raise CommandError(f"中心数据库中没有人员表 / no staff tables in the center database (set up the console first): "
                           f"{exc.__class__.__name__}") from None
    finally:
        database.dispose()


def report_command(args, context) -> int:
    """`kiosk report` over every terminal's records: they are projected from the center into a
    kiosk-schema SQLite file (center/console/mirror.py, with the center's own transitions of
    complaints and faults applied) and the same report code runs on it."""
    import tempfile
    from pathlib import Path

    from cli.feedback_commands import report_command as kiosk_report
    from kiosk.db import Database, DatabaseError

    service = _service(args, context)  # creates or upgrades the center's tables
    service.database.dispose()
    try:
        from center.console.auth import upgrade as console_upgrade
        from center.console.mirror import Mirror

        center_db = Database(_center_url(args, context))
        console_upgrade(center_db)
    except (DatabaseError, ModuleNotFoundError) as exc:
        raise CommandError(f"无法读取中心数据 / cannot read the center's records: {exc}") from None
    try:
        with tempfile.TemporaryDirectory(prefix="kiosk-center-report.") as folder:
            mirror = Mirror(center_db, Path(folder) / "records.sqlite3")
            try:
                mirror.refresh()
                report_context = _ReportContext(context.config, mirror.database)
                try:
                    return kiosk_report(args, report_context)
                finally:
                    report_context.close()
            finally:
                mirror.dispose()
    finally:
        center_db.dispose()


# --- the terminal side ----------------------------------------------------------------------------


def enroll_command(args, context) -> int:
    from kiosk.fleet.client import CenterClient, CenterError
    from kiosk.fleet.credential import Credential, save_credential
    from kiosk.fleet.outbox import attach, backfill

    config = context.config
    url = (args.url or config.center.url).rstrip("/")
    if not url:
        raise CommandError("请先在配置中设置 [center] url，或用 --url 指定 / set [center] url or pass --url", EXIT_USAGE)
    client = CenterClient(url, ca_file=config.center.ca_file, timeout=config.center.timeout_seconds)
    try:
        answer = client.post("/api/v1/enroll", {"terminal": config.terminal.id, "code": args.code, "name": config.terminal.name})
    except CenterError as exc:
        raise CommandError(f"注册失败 / enrollment failed: {exc}") from None
    path = save_credential(config.data_dir, Credential(url, config.terminal.id, answer["token"],
                                                       datetime.now().isoformat(timespec="seconds")))
    database = context.database
    attach(database)
    with database.session() as session:
        queued = backfill(session)
    print(f"终端 {config.terminal.id} 已注册到 {url} / enrolled; credential in {path}")
    print(f"待上传的既有记录 / existing records queued: {queued}")
    if not config.center.url:
        print(f"请在配置中加上 / add to the configuration:  [center] url = \"{url}\"")
    return 0


def _sync(context):
    from kiosk.fleet.sync import connect

    sync = connect(context.config, context.database)
    if sync is None:
        if not context.config.center.enabled:
            raise CommandError("未配置中心（[center] url 为空），本机为单机模式 / no center configured", EXIT_USAGE)
        raise CommandError("本终端尚未注册：运行 kiosk center enroll --code … / not enrolled", EXIT_USAGE)
    return sync


def push_command(args, context) -> int:
    from kiosk.fleet.client import CenterError

    sync = _sync(context)
    try:
        report = sync.push()
    except CenterError as exc:
        raise CommandError(f"上传未完成，记录仍在本机队列中 / push incomplete, records stay queued: {exc}") from None
    print(f"已上传 / pushed {report.sent} (重复 / duplicates {report.duplicates}); 待传 / pending {report.pending}")
    return 0


def pull_command(args, context) -> int:
    from kiosk.fleet.client import CenterError

    sync = _sync(context)
    try:
        applied = sync.pull()
    except CenterError as exc:
        raise CommandError(f"下载失败 / pull failed: {exc}") from None
    if not applied and not sync.refused:
        print("已是最新 / up to date: " + (", ".join(f"{k} v{v}" for k, v in sorted(sync.applied_versions().items())) or "-"))
    for kind, version in applied:
        print(f"已更新 / applied {kind} version {version}")
    for kind, version, reason in sync.refused:
        print(f"未采用，本机保持原样 / not applied, this terminal keeps its own: {kind} version {version}: {reason}",
              file=sys.stderr)
    return 1 if sync.refused else 0


def status_command(args, context) -> int:
    from kiosk.fleet.credential import load_credential
    from kiosk.fleet.outbox import pending_count

    config = context.config
    credential = load_credential(config.data_dir)
    status = {"center": config.center.url or None, "terminal": config.terminal.id, "enrolled": credential is not None,
              "pending": None, "snapshots": {}, "refused": {}}
    if config.center.enabled and credential is not None:
        sync = _sync(context)
        with context.database.session() as session:
            status["pending"] = pending_count(session)
        status["snapshots"] = {k: sync.snapshot_info(k) for k in sync.applied_versions()}
        status["refused"] = sync.refusals()
    if args.json:
        print(json.dumps(status, ensure_ascii=False, indent=2))
        return 0
    if not config.center.enabled:
        print("单机模式：未配置中心 / single terminal: no [center] url")
        return 0
    print(f"中心 / center: {config.center.url}")
    print(f"终端 / terminal: {config.terminal.id} {'已注册 / enrolled' if credential else '未注册 / not enrolled'}")
    if status["pending"] is not None:
        print(f"待上传 / pending: {status['pending']}")
    for kind, info in sorted(status["snapshots"].items()):
        print(f"{kind}: v{info['version']} 发布于 {info.get('published_at') or '-'}，本机更新于 {info.get('applied_at')}")
    for kind, info in sorted(status.get("refused", {}).items()):
        print(f"{kind}: v{info['version']} 未采用 / not applied ({info.get('at')}): {info.get('reason')}")
    return 0


def forget_command(args, context) -> int:
    from kiosk.fleet.credential import forget_credential

    print("凭据已删除 / credential deleted" if forget_credential(context.config.data_dir) else "没有凭据 / no credential")
    return 0
