"""What a citizen can choose: the national five rating levels (好差评), the reasons of a poor
rating, complaint and suggestion subjects, and prepared phrases per subject.

Codes are stable: they are stored in the database and exported in the reports
(docs/reports.md). Labels are what the citizen reads.
"""

from __future__ import annotations

from dataclasses import dataclass

# --- rating levels ----------------------------------------------------------------------------

#: 评价等级 as the provincial 好差评 interfaces number it (satisfaction / levelCode):
#: 5 非常满意 … 1 非常不满意. GB/T 39046-2020 A.8 numbers the same levels the other way round
#: (满意度代码 1 非常满意 … 5 非常不满意); the ratings report gives both (docs/reports.md).
LEVELS: dict[int, str] = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}
#: 差评: the levels that get reasons, an optional callback phone, and a notification
POOR_LEVELS = frozenset({1, 2})
#: 好评 for the satisfaction rate (满意率): 基本满意 and better
GOOD_LEVELS = frozenset({3, 4, 5})


def level_label(level: int) -> str:
    return LEVELS.get(level, str(level))


def stars(level: int) -> str:
    """The 好差评 mark: ★ per level (☆ for the rest), 5 in all."""
    return "★" * level + "☆" * (5 - level)


def gbt39046_code(level: int) -> int:
    """满意度代码 of GB/T 39046-2020 table A.8 (1 非常满意 … 5 非常不满意)."""
    return 6 - level


# --- reasons of a poor rating -------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    code: str
    label: str
    #: the national on-site indicator (线下评价二级指标) it belongs to
    indicator: str


REASONS: tuple[Reason, ...] = (
    Reason("slow", "办理慢、等候时间长", "服务效率"),
    Reason("attitude", "服务态度不好", "服务态度"),
    Reason("unclear", "指引、告知不清楚", "服务水平"),
    Reason("repeated_materials", "材料反复要求、多次跑腿", "服务水平"),
    Reason("terminal_fault", "自助终端故障或不好用", "服务水平"),
    Reason("not_done", "事情没有办成", "整体满意度"),
    Reason("other", "其他原因", "整体满意度"),
)
REASONS_BY_CODE = {r.code: r for r in REASONS}


def reason_labels(codes) -> list[str]:
    return [REASONS_BY_CODE[c].label if c in REASONS_BY_CODE else c for c in codes]


# --- complaints and suggestions -------------------------------------------------------------------

KINDS: dict[str, str] = {"complaint": "投诉", "suggestion": "建议"}
#: the number's prefix: TS-20260302-001 (投诉), JY-20260302-001 (建议)
NUMBER_PREFIXES = {"complaint": "TS", "suggestion": "JY"}

#: 咨询引导制度 第四条: 工作效率、服务态度和服务质量; and this terminal, and the hall itself
SUBJECTS: dict[str, str] = {
    "efficiency": "工作效率",
    "attitude": "服务态度",
    "quality": "服务质量",
    "terminal": "本台自助终端",
    "hall": "大厅环境和设施",
}

#: prepared phrases, so that a complaint or suggestion can be made by touch alone
PHRASES: dict[tuple[str, str], tuple[str, ...]] = {
    ("complaint", "efficiency"): (
        "排队等候时间太长",
        "窗口办理速度慢",
        "超过承诺时限还没有办结",
        "同一件事跑了好几次",
    ),
    ("complaint", "attitude"): (
        "工作人员态度生硬",
        "问问题没人理",
        "工作人员推诿，让我找别的窗口",
        "窗口工作人员不在岗",
    ),
    ("complaint", "quality"): (
        "一次性告知不完整，材料反复要求",
        "工作人员解释不清楚",
        "办事指南和窗口要求不一致",
        "办理结果有错误",
    ),
    ("complaint", "terminal"): (
        "打印不出凭条",
        "屏幕点了没反应",
        "找不到要办的事项",
        "操作太复杂，看不懂",
    ),
    ("complaint", "hall"): (
        "座位太少",
        "找不到办事窗口",
        "卫生间不干净",
        "大厅太吵、太热或太冷",
    ),
    ("suggestion", "efficiency"): (
        "建议高峰时段多开窗口",
        "建议增加预约办理",
        "建议更多事项能在网上办",
        "建议缩短办理时限",
    ),
    ("suggestion", "attitude"): (
        "建议对老年人多些耐心",
        "建议主动引导办事群众",
        "表扬窗口工作人员",
    ),
    ("suggestion", "quality"): (
        "建议把办事指南写得更清楚",
        "建议一次告知所有材料",
        "建议提供表格填写样本",
    ),
    ("suggestion", "terminal"): (
        "建议增加自助终端",
        "建议字再大一些",
        "建议能用语音操作",
        "建议能用身份证直接查询",
    ),
    ("suggestion", "hall"): (
        "建议增加座位",
        "建议增设老年人和残疾人服务",
        "建议增加指示标识",
        "建议提供复印、饮水等便民服务",
    ),
}

#: status code → what it means, in the order a case goes through them
STATUSES: dict[str, str] = {"received": "已受理", "forwarded": "已转办", "answered": "已答复"}
OPEN_STATUSES = ("received", "forwarded")

#: the longest text a citizen (or a helper for them) may type
MAX_TEXT = 200


def phrases(kind: str, subject: str) -> tuple[str, ...]:
    return PHRASES.get((kind, subject), ())
