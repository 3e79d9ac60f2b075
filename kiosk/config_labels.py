"""The configuration in plain Chinese, for the maintainer's 本机信息 screen.

Each key of ``Config.redacted()`` gets a Chinese name and its value a Chinese reading
(hall → 大厅, [1, 2, 3, 4, 5] → 周一至周五, 90 → 90 秒); the technical key stays available
for a phone call with the vendor (shown small beside it).
"""

from __future__ import annotations

from typing import Any

from kiosk.i18n import tr

SECTION_LABELS = {
    "terminal": "终端",
    "database": "数据库",
    "paths": "文件位置",
    "printer": "凭条打印机",
    "ui": "界面",
    "logs": "运行日志",
    "service_hours": "工作人员在岗时间",
    "devices": "设备巡检",
    "faults": "故障处理",
    "notify": "故障通知",
    "staff": "工作人员登录",
    "helpers": "帮办代办",
    "speech": "语音播报",
    "idcard": "身份证阅读器",
    "scanner": "扫码器",
    "center": "连接中心",
    "center_server": "中心服务",
    "console": "中心控制台",
}

#: key → (Chinese name, unit shown after a number)
CONFIG_LABELS: dict[str, tuple[str, str]] = {
    "terminal.id": ("终端编号", ""),
    "terminal.name": ("终端名称", ""),
    "terminal.zone": ("所在区域", ""),
    "database.url": ("数据库地址", ""),
    "paths.data_dir": ("数据目录", ""),
    "printer.uri": ("打印机连接", ""),
    "printer.profile": ("打印机型号配置", ""),
    "ui.idle_timeout_seconds": ("无操作返回首页", "秒"),
    "ui.idle_warning_seconds": ("返回首页前提醒", "秒"),
    "ui.attract_after_seconds": ("无人使用时显示待机画面", "秒"),
    "ui.language": ("界面语言", ""),
    "ui.nightly_restart": ("每日自动重启（无人使用时）", ""),
    "logs.max_size_mb": ("日志文件大小上限", "MB"),
    "logs.backup_count": ("日志保留份数", "份"),
    "service_hours.weekdays": ("在岗日", ""),
    "service_hours.periods": ("在岗时段", ""),
    "service_hours.seasons": ("季节时段", ""),
    "service_hours.closed": ("另行休息日", ""),
    "service_hours.hotline": ("非工作时间热线", ""),
    "devices.poll_seconds": ("设备巡检间隔", "秒"),
    "devices.disk_min_free_mb": ("磁盘剩余空间下限", "MB"),
    "faults.escalate_after_minutes": ("故障无人确认升级", "分钟"),
    "faults.reopen_within_minutes": ("故障复发合并时限", "分钟"),
    "notify.webhook_url": ("通知机器人地址", ""),
    "notify.webhook_secret": ("通知机器人加签密钥", ""),
    "notify.timeout_seconds": ("通知超时", "秒"),
    "notify.max_attempts": ("通知重试次数", "次"),
    "staff.session_idle_seconds": ("工作人员无操作退出", "秒"),
    "staff.max_pin_attempts": ("密码错误次数上限", "次"),
    "staff.lockout_minutes": ("登录锁定时间", "分钟"),
    "helpers.reraise_after_minutes": ("呼叫无人接再次提醒", "分钟"),
    "helpers.expire_after_minutes": ("呼叫无人响应结束", "分钟"),
    "helpers.purge_after_days": ("代办个人信息保留", "天"),
    "helpers.waiting_idle_seconds": ("等待帮办时屏幕保留", "秒"),
    "speech.enabled": ("语音播报", ""),
    "speech.volume": ("播报音量", ""),
    "speech.rate": ("播报语速", "字/分钟"),
    "speech.voice": ("中文语音", ""),
    "speech.voice_en": ("英文语音", ""),
    "speech.player": ("播放程序", ""),
    "speech.auto_read": ("自动朗读", ""),
    "idcard.uri": ("读卡器连接", ""),
    "idcard.timeout_ms": ("读卡器应答时限", "毫秒"),
    "idcard.read_timeout_ms": ("读卡时限", "毫秒"),
    "idcard.wait_seconds": ("等待放证时间", "秒"),
    "scanner.uri": ("扫码器连接（串口）", ""),
    "scanner.wedge": ("识别键盘式扫码枪", ""),
    "scanner.max_key_interval_ms": ("扫码按键间隔上限", "毫秒"),
    "scanner.min_length": ("扫码最短长度", "个字符"),
    "scanner.terminator": ("扫码结束键", ""),
    "center.url": ("中心地址", ""),
    "center.ca_file": ("中心证书的根证书", ""),
    "center.push_seconds": ("上传间隔", "秒"),
    "center.pull_seconds": ("下载更新间隔", "秒"),
    "center.heartbeat_seconds": ("心跳间隔", "秒"),
    "center.batch_size": ("每批上传条数", "条"),
    "center.timeout_seconds": ("连接中心超时", "秒"),
    "center_server.database_url": ("中心数据库地址", ""),
    "center_server.silent_after_seconds": ("终端失联判定", "秒"),
    "console.idle_minutes": ("控制台空闲退出", "分钟"),
    "console.max_hours": ("控制台登录有效时长", "小时"),
    "console.max_failures": ("控制台密码错误上限", "次"),
    "console.lockout_minutes": ("控制台锁定时间", "分钟"),
    "console.min_password_length": ("控制台密码最短长度", "位"),
    "console.secure_cookies": ("仅经 HTTPS 发送登录凭据", ""),
    "console.poll_ms": ("呼叫页刷新间隔", "毫秒"),
    "console.audit_terminal": ("审计日志中的控制台名称", ""),
}
_AUTO_READ = {"never": "不自动朗读", "elder": "长辈模式自动朗读", "always": "总是自动朗读"}

_ZONES = {"hall": "大厅", "24h": "24小时自助区"}
_LANGUAGES = {"zh_CN": "简体中文", "en": "English（英文）"}
_WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


def label(key: str) -> str:
    """The Chinese name of a key (the key itself when it has none yet)."""
    return tr(CONFIG_LABELS[key][0]) if key in CONFIG_LABELS else key


def value_text(key: str, value: Any) -> str:
    """A value as a person reads it."""
    if value in ("", None, []):
        return tr("（未设置）") if key.startswith("notify.") else tr("（无）")
    if key == "terminal.zone":
        return tr(_ZONES.get(value, value))
    if key == "scanner.wedge":
        return tr("开启") if value else tr("关闭")
    if key == "scanner.terminator":
        return {"enter": tr("回车"), "tab": tr("Tab 键")}.get(value, value)
    if key == "speech.enabled":
        return tr("开启") if value else tr("关闭")
    if key == "speech.auto_read":
        return tr(_AUTO_READ.get(value, value))
    if key == "ui.language":
        return tr(_LANGUAGES.get(value, value))
    if key == "ui.nightly_restart":
        return tr("{time} 之后").format(time=value) if value else tr("不重启")
    if key == "console.secure_cookies":
        return tr({"auto": "经 HTTPS 访问时", "always": "总是", "never": "从不"}.get(value, value))
    if key == "service_hours.weekdays":
        return weekdays_text(value)
    if key == "service_hours.seasons":
        return tr("；").join(tr("{start} 至 {end}：{periods}").format(start=s["from"], end=s["to"], periods=tr("、").join(s["periods"]))
                             for s in value)
    if isinstance(value, list):
        return tr("、").join(str(v) for v in value)
    unit = CONFIG_LABELS.get(key, ("", ""))[1]
    return f"{value} {tr(unit)}" if unit else str(value)


def weekdays_text(days) -> str:
    """[1, 2, 3, 4, 5] → 周一至周五; [1, 3] → 周一、周三."""
    days = sorted(days)
    if len(days) >= 3 and days == list(range(days[0], days[-1] + 1)):
        return tr("{first}至{last}").format(first=tr(_WEEKDAYS[days[0] - 1]), last=tr(_WEEKDAYS[days[-1] - 1]))
    return tr("、").join(tr(_WEEKDAYS[d - 1]) for d in days)


def described(config) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """The configuration by section: [(section name, [(Chinese name, value text, key)])]."""
    sections: dict[str, list[tuple[str, str, str]]] = {}
    for key, value in config.redacted().items():
        section = key.split(".", 1)[0]
        sections.setdefault(section, []).append((label(key), value_text(key, value), key))
    return [(tr(SECTION_LABELS.get(name, name)), rows) for name, rows in sections.items()]
