"""Jinja2 filters of the console's pages: times the way the center's staff read them."""

from __future__ import annotations

from datetime import date, datetime, timedelta


def dt(value: datetime | None, fmt: str = "%m-%d %H:%M") -> str:
    return value.strftime(fmt) if value else "—"


def span(delta: timedelta | None) -> str:
    """A duration in words: 3分钟, 2小时5分, 4天."""
    if delta is None:
        return "—"
    seconds = max(0, int(delta.total_seconds()))
    if seconds < 60:
        return f"{seconds}秒"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes}分钟"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours}小时{minutes}分" if minutes else f"{hours}小时"
    return f"{hours // 24}天"


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def weekday(value: date) -> str:
    return "一二三四五六日"[value.weekday()]


#: the audit log's actions as the staff page names them (others are shown as recorded)
AUDIT_LABELS = {
    "console.signin.ok": "控制台登录", "console.signin.failed": "控制台登录失败", "console.signin.locked": "登录被锁定时尝试",
    "console.signin.lockout": "控制台账号锁定", "console.signout": "控制台退出", "console.session.expired": "会话过期",
    "console.csrf": "表单令牌无效", "console.refused": "越权访问被拒绝", "console.password": "设置控制台密码",
    "signin.ok": "终端登录", "signin.failed": "终端登录失败", "signin.lockout": "终端登录锁定", "signout": "终端退出",
    "signin.locked": "终端登录被锁定时尝试", "handover.read": "已读交接",
    "staff.add": "添加人员", "staff.set_pin": "重置 PIN", "staff.enable": "启用人员", "staff.disable": "停用人员",
    "staff.absent": "登记请假", "terminal.assign": "指定 A/B 岗", "help.take": "接单", "help.close": "结束呼叫", "proxy.address": "查看上门地址",
    "fault.acknowledge": "确认故障", "fault.resolve": "解决故障", "fault.reassign": "改派故障",
    "complaint.forward": "转办投诉", "complaint.answer": "答复投诉", "complaint.phone": "查看回访电话",
    "catalog.upload": "上传事项目录", "catalog.publish": "发布事项目录", "progress.upload": "上传办件",
    "progress.publish": "发布办件", "workday.set": "修改工作日", "report.download": "下载报表", "ledger.export": "导出台账",
}


def audit_label(action: str) -> str:
    return AUDIT_LABELS.get(action, action)


def install(env) -> None:
    env.filters.update(dt=dt, span=span, percent=percent, weekday=weekday, audit_label=audit_label)
    env.autoescape = True
