"""`kiosk db backup` and `kiosk db restore` (kiosk/backup.py), registered by db_commands."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from cli.context import CommandError
from cli.arguments import count

#: the kiosk's systemd unit (deploy/systemd/zwfw-kiosk.service): restore refuses while it runs
KIOSK_SERVICE = "zwfw-kiosk.service"


def register_backup(commands) -> None:
    backup = commands.add_parser("backup", help="back up the SQLite database online (备份数据库)")
    backup.add_argument("--dir", type=Path, default=None, help="where to put it (default: <data_dir>/backups)")
    backup.add_argument("--keep", type=count(1, 10000), default=7, help="how many backups to keep, newest first (default 7)")
    backup.set_defaults(handler=backup_command)
    restore = commands.add_parser("restore", help="replace the database with a backup, kiosk stopped (恢复数据库)")
    restore.add_argument("file", type=Path, help="a backup file made by `kiosk db backup`")
    restore.add_argument("--force", action="store_true", help=f"restore even though {KIOSK_SERVICE} is running")
    restore.set_defaults(handler=restore_command)


def backup_command(args, context) -> int:
    from kiosk import logs
    from kiosk.backup import BackupError, backup_database

    logs.add_file_logging(context.config)  # the nightly timer's runs are in kiosk.log
    try:
        result = backup_database(context.config, args.dir, keep=args.keep)
    except BackupError as exc:
        raise CommandError(str(exc)) from None
    print(f"已备份 / backed up: {result.path} ({result.size / 1e6:.1f} MB)")
    print(f"保留 {len(result.kept)} 份，删除 {len(result.removed)} 份旧备份 / kept {len(result.kept)}, removed {len(result.removed)}")
    return 0


def kiosk_service_running() -> bool:
    systemctl = shutil.which("systemctl")
    if not systemctl:
        return False
    try:
        return subprocess.run([systemctl, "is-active", "--quiet", KIOSK_SERVICE], timeout=10, check=False).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def restore_command(args, context) -> int:
    from kiosk import logs
    from kiosk.backup import BackupError, restore_database

    if kiosk_service_running() and not args.force:
        raise CommandError(
            f"终端程序正在运行，请先停止：sudo systemctl stop {KIOSK_SERVICE} / "
            f"the kiosk is running: stop it first (or use --force)"
        )
    logs.add_file_logging(context.config)
    try:
        saved = restore_database(args.file, context.config)
    except BackupError as exc:
        raise CommandError(str(exc)) from None
    print(f"已恢复 / restored from {args.file}")
    if saved:
        print(f"原数据库已另存为 / the previous database was saved as {saved}")
    return 0
