"""Every refusal of the domain derives from KioskError, so a screen or a command catches it by
type and shows its Chinese text (installation faults — configuration, database, privacy key,
calendar file — are not refusals and stay apart, so their paths never reach a citizen)."""

import pytest

from kiosk.backup import BackupError
from kiosk.catalog.exchange import CatalogError
from kiosk.errors import KioskError
from kiosk.fleet.snapshots import SnapshotError
from kiosk.hours.schedule import ScheduleError
from kiosk.progress.exchange import ProgressFileError


@pytest.mark.parametrize(
    "error",
    [
        CatalogError(["items[3].name: 不能为空 / must not be empty"], "catalog.json"),
        ProgressFileError(["applications[0].number: 格式不对 / bad format"]),
        ScheduleError("periods[1]", "not a time (不是时间)"),
        BackupError("没有这个备份文件 / no such backup file"),
        SnapshotError("人员快照格式不对 / not a staff snapshot"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_each_refusal_is_a_kiosk_error_with_chinese_first(error):
    assert isinstance(error, KioskError)
    assert error.zh and not error.zh.isascii() or isinstance(error, ScheduleError)
    assert error.en


def test_a_file_refusal_still_lists_every_problem():
    error = CatalogError(["a: x", "b: y"], "f.json")
    assert error.zh == "目录文件有误（2 处）"
    assert str(error).endswith("a: x\nb: y")


def test_installation_faults_are_not_refusals():
    from kiosk.config import ConfigError
    from kiosk.db import DatabaseError

    assert not issubclass(ConfigError, KioskError) and not issubclass(DatabaseError, KioskError)
