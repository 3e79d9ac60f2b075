"""`kiosk db …`: database migrations; backup and restore (cli/backup_commands.py)."""

from __future__ import annotations

from cli.context import CommandError
from kiosk.config import redact_url
from kiosk.db import Database, DatabaseError


def register(subparsers) -> None:
    db = subparsers.add_parser("db", help="database migrations (数据库)")
    commands = db.add_subparsers(dest="db_command", metavar="COMMAND", required=True)
    upgrade = commands.add_parser("upgrade", help="apply migrations up to the newest (升级数据库)")
    upgrade.add_argument("--revision", default="heads", help="target revision (default: heads, every feature's newest)")
    upgrade.set_defaults(handler=upgrade_command)
    current = commands.add_parser("current", help="print the database's revision")
    current.set_defaults(handler=current_command)
    from cli.backup_commands import register_backup

    register_backup(commands)  # backup, restore (kiosk/backup.py)


def _open(context) -> Database:
    try:
        return Database(context.config.effective_database_url)
    except DatabaseError as exc:
        raise CommandError(str(exc), 2 if exc.config else 1) from None


def _check_revision(revision: str) -> None:
    """A revision that the migrations do not have is a usage error, said before anything runs."""
    from alembic.script import ScriptDirectory
    from alembic.script.revision import RevisionError
    from alembic.util import CommandError as AlembicError

    from kiosk.db import alembic_config

    try:
        ScriptDirectory.from_config(alembic_config("sqlite://")).get_revisions(revision)
    except (AlembicError, RevisionError) as exc:
        raise CommandError(f"没有这个数据库版本 / no such revision {revision!r}: {exc}", 2) from None


def upgrade_command(args, context) -> int:
    _check_revision(args.revision)
    database = _open(context)
    try:
        database.upgrade(args.revision)
        print(f"数据库已升级 / database upgraded: {redact_url(database.url)} at {database.current_revision()}")
    except DatabaseError as exc:
        if exc.problem is not None:
            _report_storage_fault(context, database, exc)
        raise CommandError(str(exc)) from None
    finally:
        database.dispose()
    return 0


def _report_storage_fault(context, database: Database, exc: DatabaseError) -> None:
    """A full or read-only disk is a fault for the maintainers, like the device check finds it:
    in the fault log if that can still be written, else straight to the group chat."""
    import logging

    from kiosk.app import Application
    from kiosk.db import DISK_FULL

    kind = "disk_full" if exc.problem == DISK_FULL else "database_read_only"
    try:
        app = Application(context.config, database, role="cli")  # on the database that failed
        try:
            app.devices.monitor.report("database", kind, detail=str(exc)[:300])
        finally:
            app.close()
    except Exception:  # noqa: BLE001 - the message on stderr matters most
        logging.getLogger("kiosk.cli").exception("could not report the %s fault", kind)


def current_command(args, context) -> int:
    database = _open(context)
    try:
        print(database.current_revision() or "(empty)")
    finally:
        database.dispose()
    return 0
