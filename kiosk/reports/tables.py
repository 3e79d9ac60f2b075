"""The center's reports, one function each: ratings (好差评, in the shape the provincial
好差评 system takes), complaints and suggestions, device faults, and the helpers' ledger.

Each takes the database, a Period and ReportOptions and returns a Report (rows and column
definitions). docs/reports.md documents every column and where it comes from.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from kiosk.db import Database
from kiosk.devices.faults import ROLE_NAMES, STATUS_LABELS
from kiosk.devices.kinds import SEVERITY_LABELS, device_label, kind_info
from kiosk.devices.models import DeviceFault
from kiosk.feedback.choices import KINDS, REASONS_BY_CODE, STATUSES, SUBJECTS, gbt39046_code, level_label
from kiosk.feedback.models import Complaint, Rating
from kiosk.assistance.ledger import read_ledger
from kiosk.privacy import mask_phone
from kiosk.reports.base import Column, Period, Report

#: 评价渠道 of GB/T 39046-2020 table 9 (item 2) for a self-service terminal in the hall, and
#: its code in the provincial interfaces' channel field (pf: 政务大厅其他终端 = 5)
CHANNEL = "政务大厅其他终端"
CHANNEL_CODE = "5"
SOURCE_LABELS = {"print": "打印凭条后", "progress": "查询进度后", "tile": "评价建议按钮", "": ""}


@dataclass(frozen=True)
class ReportOptions:
    #: only this terminal's records (None: every terminal in the database)
    terminal: str | None = None
    #: callback phones masked (138****5678) instead of in full, for files passed around
    masked: bool = False
    #: 行政区划代码 of the center (e.g. 411481), for the ratings report
    area_code: str = ""


def _phone(value: str, options: ReportOptions) -> str:
    return mask_phone(value) if options.masked else value


# --- ratings (好差评) ---------------------------------------------------------------------------------

RATING_COLUMNS = (
    Column("id", "评价编号", "int", 10),
    Column("channel", "评价渠道", width=18),
    Column("channel_code", "评价渠道代码", width=12),
    Column("terminal", "终端编号", width=14),
    Column("rated_at", "评价时间", "datetime", 20),
    Column("level", "评价等级", "int", 10),
    Column("level_zh", "满意度", width=12),
    Column("gbt_code", "满意度代码", "int", 12),
    Column("assess_number", "评价次数", "int", 10),
    Column("item_code", "事项编码", width=28),
    Column("item_name", "事项名称", width=30),
    Column("reasons_zh", "差评原因", width=40),
    Column("reasons", "差评原因代码", width=24),
    Column("indicators", "测评指标", width=20),
    Column("phone", "整改回访电话", width=16),
    Column("area_code", "行政区划代码", width=14),
    Column("source", "评价时机", width=14),
)


def ratings_report(database: Database, period: Period, options: ReportOptions = ReportOptions()) -> Report:
    query = select(Rating).where(Rating.rated_at >= period.start, Rating.rated_at < period.end)
    if options.terminal:
        query = query.where(Rating.terminal == options.terminal)
    rows = []
    with database.session() as session:
        for r in session.scalars(query.order_by(Rating.rated_at, Rating.id)):
            reasons = [c for c in (r.reasons or ())]
            known = [REASONS_BY_CODE[c] for c in reasons if c in REASONS_BY_CODE]
            indicators = list(dict.fromkeys(reason.indicator for reason in known if reason.indicator))
            rows.append({
                "id": r.id,
                "channel": CHANNEL,
                "channel_code": CHANNEL_CODE,
                "terminal": r.terminal,
                "rated_at": r.rated_at,
                "level": r.level,
                "level_zh": level_label(r.level),
                "gbt_code": gbt39046_code(r.level),
                "assess_number": 1,
                "item_code": r.item_code,
                "item_name": r.item_name,
                "reasons_zh": [reason.label for reason in known],
                "reasons": ",".join(reasons),
                "indicators": indicators,
                "phone": _phone(r.phone, options),
                "area_code": options.area_code,
                "source": SOURCE_LABELS.get(r.source, r.source),
            })
    notes = (
        "评价等级：5 非常满意、4 满意、3 基本满意、2 不满意、1 非常不满意（与省级好差评接口的整体满意度一致）；"
        "满意度代码按 GB/T 39046-2020 表 A.8：1 非常满意 … 5 非常不满意。",
        "评价渠道：自助终端记为“政务大厅其他终端”（渠道代码 5）。评价人、证件号码、办件编号不采集，列中不出现。",
        "差评原因代码为本终端的代码（见 docs/reports.md），上报前请按本省好差评系统的测评内容代码对照转换。",
        "整改回访电话为个人信息：仅用于回访，文件勿外传；--masked 导出遮挡后的号码。",
    )
    return Report("ratings", "好差评评价数据", period, RATING_COLUMNS, tuple(rows), notes)


# --- complaints and suggestions -----------------------------------------------------------------------

COMPLAINT_COLUMNS = (
    Column("number", "编号", width=18),
    Column("kind", "类型", width=8),
    Column("subject", "投诉建议方面", width=16),
    Column("text", "内容", width=50),
    Column("source", "来源", width=16),
    Column("terminal", "终端编号", width=14),
    Column("item_code", "事项编码", width=28),
    Column("item_name", "事项名称", width=30),
    Column("created_at", "提交时间", "datetime", 20),
    Column("status", "处理状态", width=10),
    Column("forwarded_to", "承办单位", width=24),
    Column("forwarded_by", "转办人", width=12),
    Column("forwarded_at", "转办时间", "datetime", 20),
    Column("answer", "答复内容", width=50),
    Column("answered_by", "答复人", width=12),
    Column("answered_at", "答复时间", "datetime", 20),
    Column("days", "用时（天）", "int", 10),
    Column("phone", "回访电话", width=16),
)


def complaints_report(database: Database, period: Period, options: ReportOptions = ReportOptions()) -> Report:
    query = select(Complaint).where(Complaint.created_at >= period.start, Complaint.created_at < period.end)
    if options.terminal:
        query = query.where(Complaint.terminal == options.terminal)
    rows = []
    with database.session() as session:
        for c in session.scalars(query.order_by(Complaint.created_at, Complaint.id)):
            rows.append({
                "number": c.number,
                "kind": KINDS.get(c.kind, c.kind),
                "subject": SUBJECTS.get(c.subject, c.subject),
                "text": c.text,
                "source": "自助终端",
                "terminal": c.terminal,
                "item_code": c.item_code,
                "item_name": c.item_name,
                "created_at": c.created_at,
                "status": STATUSES.get(c.status, c.status),
                "forwarded_to": c.forwarded_to,
                "forwarded_by": c.forwarded_by,
                "forwarded_at": c.forwarded_at,
                "answer": c.answer,
                "answered_by": c.answered_by,
                "answered_at": c.answered_at,
                "days": (c.answered_at - c.created_at).days if c.answered_at else None,
                "phone": _phone(c.phone, options),
            })
    notes = (
        "按提交时间统计；处理状态：已受理 → 已转办 → 已答复。",
        "回访电话为个人信息：仅用于回复，文件勿外传；--masked 导出遮挡后的号码。答复后 90 天自动删除。",
    )
    return Report("complaints", "投诉建议登记", period, COMPLAINT_COLUMNS, tuple(rows), notes)


# --- device faults ----------------------------------------------------------------------------------------

FAULT_COLUMNS = (
    Column("id", "故障编号", "int", 10),
    Column("terminal", "终端编号", width=14),
    Column("device", "设备", width=10),
    Column("kind", "故障类型", width=16),
    Column("kind_zh", "故障", width=20),
    Column("severity", "严重程度", width=10),
    Column("status", "状态", width=12),
    Column("first_seen", "首次发现", "datetime", 20),
    Column("last_seen", "最近发现", "datetime", 20),
    Column("count", "次数", "int", 8),
    Column("assigned", "负责人", width=14),
    Column("acknowledged_by", "确认人", width=12),
    Column("acknowledged_at", "确认时间", "datetime", 20),
    Column("resolved_by", "处理人", width=12),
    Column("resolved_at", "处理时间", "datetime", 20),
    Column("minutes", "持续（分钟）", "int", 12),
    Column("note", "处理情况", width=30),
)


def faults_report(database: Database, period: Period, options: ReportOptions = ReportOptions()) -> Report:
    """Faults that were open at some moment of the period (began before its end, last seen
    after its start)."""
    query = select(DeviceFault).where(DeviceFault.first_seen < period.end, DeviceFault.last_seen >= period.start)
    if options.terminal:
        query = query.where(DeviceFault.terminal == options.terminal)
    rows = []
    with database.session() as session:
        for f in session.scalars(query.order_by(DeviceFault.first_seen, DeviceFault.id)):
            ended = f.resolved_at or (f.last_seen if f.status in ("resolved", "auto_resolved") else None)
            rows.append({
                "id": f.id,
                "terminal": f.terminal,
                "device": device_label(f.device),
                "kind": f.kind,
                "kind_zh": f.message or kind_info(f.kind).zh,
                "severity": SEVERITY_LABELS.get(f.severity, f.severity),
                "status": STATUS_LABELS.get(f.status, f.status),
                "first_seen": f.first_seen,
                "last_seen": f.last_seen,
                "count": f.count,
                "assigned": (f"{f.assigned_to}（{ROLE_NAMES.get(f.assigned_role, f.assigned_role)}）"
                             if f.assigned_to else ""),
                "acknowledged_by": f.acknowledged_by or "",
                "acknowledged_at": f.acknowledged_at,
                "resolved_by": f.resolved_by or "",
                "resolved_at": f.resolved_at,
                "minutes": int((ended - f.first_seen).total_seconds() // 60) if ended else None,
                "note": f.note,
            })
    notes = ("包括时间段内任一时刻未恢复的故障（开始于时间段结束前、最近发现于时间段开始后）。",)
    return Report("faults", "设备故障记录", period, FAULT_COLUMNS, tuple(rows), notes)


# --- the helpers' ledger ---------------------------------------------------------------------------------

LEDGER_COLUMNS = (
    Column("id", "序号", "int", 8),
    Column("at", "时间", "datetime", 20),
    Column("helper_id", "帮办人员工号", width=12),
    Column("helper_name", "帮办人员", width=12),
    Column("terminal", "终端编号", width=14),
    Column("item_code", "事项编码", width=28),
    Column("item_name", "事项名称", width=30),
    Column("help_types", "帮办类型", width=24),
    Column("outcome", "办理结果", width=14),
    Column("notes", "备注", width=30),
    Column("call_number", "呼叫编号", width=10),
    Column("proxy_number", "代办编号", width=18),
    Column("finished_at", "完成时间", "datetime", 20),
)


def ledger_entries(database: Database, period: Period, terminal: str | None = None):
    """The helpers' ledger (kiosk.assistance) of the period, oldest first."""
    entries = read_ledger(database, period.start, period.end)
    return [e for e in entries if not terminal or e.terminal == terminal]


def ledger_report(database: Database, period: Period, options: ReportOptions = ReportOptions()) -> Report:
    """The helpers' ledger (帮办代办台账): every help call and proxy request, no personal data."""
    rows = []
    for e in ledger_entries(database, period, options.terminal):
        rows.append({
            "id": e.id,
            "at": e.at,
            "helper_id": e.helper_id,
            "helper_name": e.helper_name,
            "terminal": e.terminal,
            "item_code": e.item_code,
            "item_name": e.item_name,
            "help_types": e.help_types_zh,
            "outcome": e.outcome_zh,
            "notes": e.notes,
            "call_number": e.call_number,
            "proxy_number": e.proxy_number,
            "finished_at": e.finished_at,
        })
    notes = ("帮办代办制度 第六条：帮办代办工作完成后，及时将办理情况记入台账。台账不含群众个人信息。",)
    return Report("ledger", "帮办代办台账", period, LEDGER_COLUMNS, tuple(rows), notes)
