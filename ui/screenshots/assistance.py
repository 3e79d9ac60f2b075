"""Helper screens for `kiosk screenshot` and docs/screens, with sample data held in memory: a
screenshot never raises a call, signs anyone in or records a case in the terminal's database
(the proxy form reads the catalog, nothing more). The people are invented."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from kiosk.assistance import CallView, HelperSummary, LedgerView, MaterialView, ProxyView
from kiosk.staff import StaffSession

HELPER_ID, HELPER_NAME = "2001", "刘红梅"


def _now() -> datetime:
    return datetime.now().replace(second=0, microsecond=0)


def demo_session(shell) -> StaffSession:
    return StaffSession(HELPER_ID, HELPER_NAME, ("helper",), "", shell.config.terminal.id, _now())


def _call(id_, number, status, minutes_ago, *, terminal="YC-HALL-01", terminal_name="大厅自助终端 1 号", screen_label="",
          item_name="", raises=1, taken=False) -> CallView:
    raised = _now() - timedelta(minutes=minutes_ago)
    return CallView(
        id_, number, raised.date(), terminal, terminal_name, "item" if item_name else "home", screen_label or "首页", "",
        item_name, status, raised, raised + timedelta(minutes=3 * (raises - 1)), raises,
        HELPER_ID if taken else None, HELPER_NAME if taken else "", raised + timedelta(minutes=2) if taken else None,
        None, "",
    )


def demo_calls(services) -> list[CallView]:
    terminal, name = services.config.terminal.id, services.config.terminal.name
    return [
        _call(-3, "014", "open", 4, terminal=terminal, terminal_name=name, screen_label="事项一次性告知",
              item_name="个体工商户设立登记", raises=2),
        _call(-2, "012", "taken", 9, terminal="YC-24H-01", terminal_name="24小时自助终端 1 号", screen_label="进度查询", taken=True),
        _call(-1, "011", "open", 1, terminal="YC-HALL-02", terminal_name="大厅自助终端 2 号"),
    ]


def _materials(item, handed: int) -> tuple[MaterialView, ...]:
    if item is None:
        return (MaterialView(1, "申请书", "required", 1, True),)
    return tuple(MaterialView(m.position, m.name, m.necessity, m.copies, index < handed) for index, m in enumerate(item.materials))


def demo_proxies(services) -> list[ProxyView]:
    item = _sample_item(services)
    now = _now()
    code, name = (item.code, item.name) if item else ("", "个体工商户设立登记")
    return [
        ProxyView(-2, f"DB-{now:%Y%m%d}-003", now - timedelta(minutes=25), services.config.terminal.id, HELPER_ID, HELPER_NAME,
                  None, code, name, "王*明", "138****5678", True, ("行动不便", "高龄"), "河南省永城市东城区****", "", "open",
                  None, "", "", None, _materials(item, 1)),
        ProxyView(-1, f"DB-{now:%Y%m%d}-002", now - timedelta(hours=2), services.config.terminal.id, "2002", "赵建国",
                  None, code, name, "李*", "139****0021", False, (), "", "", "open", None, "", "", None,
                  _materials(item, 9)),
    ]


def demo_ledger() -> tuple[list[HelperSummary], list[LedgerView]]:
    day = datetime.combine(date.today(), datetime.min.time())
    summary = [
        HelperSummary(HELPER_ID, HELPER_NAME, 6, {"online": 2, "mobile": 1, "forms": 2, "progress": 1, "proxy": 1, "home_visit": 1},
                      {"resolved": 3, "guided": 2, "proxy_open": 1}, 5, 1, timedelta(minutes=3)),
        HelperSummary("2002", "赵建国", 3, {"register": 1, "selfservice": 2, "upload": 1}, {"resolved": 2, "unresolved": 1},
                      3, 0, timedelta(minutes=2)),
        HelperSummary("", "", 1, {}, {"cancelled": 1}, 1, 0, None),
    ]
    entries = [
        LedgerView(1, day + timedelta(hours=8, minutes=42), HELPER_ID, HELPER_NAME, "YC-HALL-01", "", "公司变更登记",
                   ("online", "forms"), "resolved", "", "001"),
        LedgerView(2, day + timedelta(hours=9, minutes=5), "2002", "赵建国", "YC-24H-01", "", "", ("selfservice",), "resolved", "",
                   "002"),
        LedgerView(3, day + timedelta(hours=9, minutes=31), "", "", "YC-HALL-01", "", "", (), "cancelled", "", "003"),
        LedgerView(4, day + timedelta(hours=10, minutes=2), HELPER_ID, HELPER_NAME, "YC-HALL-01", "", "个体工商户设立登记",
                   ("proxy", "home_visit"), "proxy_open", "", "", f"DB-{day:%Y%m%d}-003"),
    ]
    return summary, entries


def _sample_item(services):
    for entry in services.catalog_index().entries:
        item = services.item(entry.code)
        if item is not None and item.in_center and len(item.materials) >= 3 and any(m.necessity != "required" for m in item.materials):
            return item
    entries = services.catalog_index().entries
    return services.item(entries[0].code) if entries else None


def _signed_in(shell, tab: str = "calls"):
    from ui.screenshots import settle

    shell.helper_mode.start(demo_session(shell), tab=tab)
    settle(shell)
    return shell.screens["helper"]


def _layout(shell) -> None:
    from ui.qt import QApplication

    for _ in range(4):  # rows added after the last settle get their final size
        QApplication.processEvents()


def show_helper_called(shell, item):
    from ui.screenshots import _default_item, settle

    shell.go("item", code=item or _default_item(shell))
    settle(shell)
    shell.call_helper()  # the sample services raise call 007, raised 75 seconds ago (fakes.py)


def show_helper_after_hours(shell, item):
    """呼叫帮办 at 19:00 on a weekday: nobody on duty (kiosk/hours, a fixed evening)."""
    from datetime import datetime

    from kiosk.clock import ManualClock
    from kiosk.hours import ServiceTimes
    from kiosk.workdays import default_calendar

    shell.home()
    times = ServiceTimes.from_config(shell.config, default_calendar(), ManualClock(datetime(2026, 12, 2, 19, 0)),
                                     center_phone=shell.center.phone)
    shell.help_calls.show_after_hours(times.help_answer())


def show_helper_calls(shell, item):
    _signed_in(shell)
    _layout(shell)


def show_helper_close(shell, item):
    from ui.assistance.desk import CloseCallDialog

    desk = _signed_in(shell)
    dialog = CloseCallDialog(desk, desk.calls[0])
    dialog.types.set_selected(["online", "forms"])
    shell.overlays.open(dialog)


def show_helper_proxy(shell, item):
    from ui.screenshots import settle

    _signed_in(shell)
    sample = shell.services.item(item) if item else _sample_item(shell.services)
    form = shell.go("helper-proxy", call_id=-1, call_number="014", code=sample.code if sample else "")
    settle(shell)
    form.select(form.name_field)
    for syllable, char in (("wang", "王"), ("xiao", "小")):
        for key in syllable:
            form.keyboard.keys[key].click()
        form.candidates.keys[form.candidates.shown.index(char)].click()
    for key in "ming":
        form.keyboard.keys[key].click()
    form.phone_field.setText("13812345678")
    toggles = list(form.toggles.values())
    for toggle in toggles[:1]:
        toggle.setChecked(True)
    form.visit_toggle.setChecked(True)
    form.reasons.set_selected(["行动不便", "高龄"])
    form.address_field.setText("永城市东城区光明路12号")
    _layout(shell)


def show_helper_proxies(shell, item):
    _signed_in(shell, "proxies")
    _layout(shell)


def show_helper_ledger(shell, item):
    _signed_in(shell, "ledger")
    _layout(shell)


def show_helper_item(shell, item):
    from ui.screenshots import _default_item, settle

    _signed_in(shell)
    shell.go("item", code=item or _default_item(shell))
    settle(shell)
    _layout(shell)


def show_helper_receipt(shell, item):
    from kiosk.slips.proxy import build_proxy_receipt
    from ui.widgets.qr import pil_to_pixmap

    _signed_in(shell, "proxies")
    request = demo_proxies(shell.services)[0]
    center = shell.center
    document = build_proxy_receipt(request, center.name, terminal_id=shell.config.terminal.id, printed_at=_now(),
                                   center_phone=center.phone, center_address=center.address)
    image = shell.services.printing.preview(document)
    shell.overlays.show_preview("代办受理回执", pil_to_pixmap(image), lambda: None)


HELPER_SCREENS = {
    "helper-called": ("呼叫帮办：工作人员马上到", show_helper_called),
    "helper-after-hours": ("呼叫帮办：非工作时间（无人值班，热线，登记）", show_helper_after_hours),
    "helper-calls": ("帮办模式：呼叫（示例数据）", show_helper_calls),
    "helper-close": ("帮办模式：结束呼叫，记入台账（示例数据）", show_helper_close),
    "helper-proxy": ("帮办模式：新建代办申请（示例数据）", show_helper_proxy),
    "helper-proxies": ("帮办模式：代办申请（示例数据）", show_helper_proxies),
    "helper-receipt": ("帮办模式：代办受理回执预览（示例数据）", show_helper_receipt),
    "helper-ledger": ("帮办模式：台账日汇总（示例数据）", show_helper_ledger),
    "helper-item": ("帮办模式下的事项页：打印多份、全部窗口信息", show_helper_item),
}
