"""Maintainer-mode screens for `kiosk screenshot` and docs/screens, with sample data held in
memory (the sample services of ui/screenshots/fakes.py answer with it): a screenshot never signs
anyone in, opens a fault or counts a failed PIN in the terminal's database."""

from __future__ import annotations

from datetime import datetime, timedelta

from kiosk.devices.faults import FaultView, Handover
from kiosk.devices.monitor import DeviceReading, condition
from kiosk.devices.service import DeviceView
from kiosk.staff import AbsenceInfo, StaffSession

DEMO_NAMES = {"1001": "张三", "1002": "李四", "9001": "王主任"}


def _now() -> datetime:
    return datetime.now().replace(second=0, microsecond=0)


def demo_session(shell, *, admin: bool = False) -> StaffSession:
    staff_id = "9001" if admin else "1001"
    roles = ("admin", "maintainer") if admin else ("maintainer",)
    return StaffSession(staff_id, DEMO_NAMES[staff_id], roles, "", shell.config.terminal.id, _now())


def _fault(id_, kind, severity, status, first, last, count, assigned, role, *, acked=None, resolved=None, note="", detail="", message=""):
    return FaultView(
        id_, "YC-HALL-01", "printer" if kind not in ("disk_low",) else "disk", kind, severity, status, message, detail,
        first, last, count, assigned, role, 0, acked, first + timedelta(minutes=4) if acked else None,
        resolved, last if resolved else None, note, DEMO_NAMES.get(assigned or "", ""),
    )


def demo_faults() -> list[FaultView]:
    now = _now()
    return [
        _fault(12, "paper_out", "error", "open", now - timedelta(minutes=18), now, 1, "1001", "A", message="缺纸"),
        _fault(11, "print_failed", "error", "acknowledged", now - timedelta(minutes=17), now - timedelta(minutes=9), 2,
               "1001", "A", acked="1001", detail="缺纸 / paper out", message="打印失败"),
        _fault(10, "disk_low", "warning", "open", now - timedelta(hours=3), now, 1, "1001", "A",
               message="存储空间不足（剩余 420 MB）"),
        _fault(8, "cover_open", "error", "resolved", now - timedelta(days=2, hours=3), now - timedelta(days=2, hours=2), 1,
               "1002", "B", acked="1002", resolved="1002", note="已合上盖板"),
    ]


def demo_handovers() -> list[Handover]:
    now = _now()
    absence = AbsenceInfo(3, "1001", "张三", now - timedelta(days=3, hours=2), now - timedelta(hours=20), "省政务服务培训")
    return [Handover(absence, (demo_faults()[3],))]


def demo_devices() -> list[DeviceView]:
    now = datetime.now()
    printer = DeviceReading(
        "printer", (condition("paper_out"),), now,
        {"DLE EOT 1": "1a", "DLE EOT 2": "32", "DLE EOT 3": "12", "DLE EOT 4": "7e", "uri": "usb://0416:5011", "profile": "generic-80"},
    )
    disk = DeviceReading("disk", (condition("disk_low", "存储空间不足（剩余 420 MB）"),), now,
                         {"path": "/var/lib/zwfw-kiosk", "free_mb": "420", "total_mb": "30000"})
    database = DeviceReading("database", (), now, {"backend": "sqlite"})
    faults = demo_faults()
    return [
        DeviceView("printer", "打印机", printer, {"slips_printed": 1287, "test_pages": 3}, 2, tuple(faults[:2])),
        DeviceView("disk", "存储空间", disk, {}, 1, (faults[2],)),
        DeviceView("database", "数据库", database, {}, 0, ()),
    ]


def show_staff_pin(shell, item):
    screen = shell.screens["maintainer"]
    screen.open_pin_pad()
    pad = shell.overlays.dialog
    for digit in "1001":
        pad.keys[digit].click()
    pad.buttons["signInButton"].click()  # 下一步: to the PIN (nothing is checked yet)
    for digit in "2468":
        pad.keys[digit].click()


def _signed_in(shell, tab: str, *, admin: bool = False):
    from ui.screenshots import settle

    shell.screens["maintainer"].start(demo_session(shell, admin=admin), tab=tab)
    settle(shell)
    return shell.screens["maintainer"]  # a language switch back to ui.language rebuilt it


def show_maintainer_faults(shell, item):
    _signed_in(shell, "faults")


def show_maintainer_devices(shell, item):
    screen = _signed_in(shell, "devices")
    screen.say("测试页未打印：缺纸", ok=False)


def show_maintainer_info(shell, item):
    _signed_in(shell, "info", admin=True)


def show_maintainer_resolve(shell, item):
    from ui.staff.maintainer import ResolveDialog

    screen = _signed_in(shell, "faults")
    faults = demo_faults()
    screen.show_faults(faults, [], DEMO_NAMES)  # the faults alone behind the dialog
    shell.overlays.open(ResolveDialog(screen, faults[0]))


STAFF_SCREENS = {
    "staff-pin": ("工作人员登录（长按徽标3秒）", show_staff_pin),
    "maintainer-faults": ("维护模式：故障与交接（示例数据）", show_maintainer_faults),
    "maintainer-resolve": ("维护模式：处理完成（示例数据）", show_maintainer_resolve),
    "maintainer-devices": ("维护模式：设备（示例数据）", show_maintainer_devices),
    "maintainer-info": ("维护模式：本机信息（管理员）", show_maintainer_info),
}
