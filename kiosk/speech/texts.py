"""What the terminal says (来有迎声、问有答声、走有送声): the greeting, the farewell, and the
spoken form of an item's notice and of a progress answer. Short sentences, as a person at the
information desk would say them; personal data is never read aloud (the progress answer says the
item and its state, not the applicant).
"""

from __future__ import annotations

from kiosk.catalog import present
from kiosk.i18n import tr


def greeting(center_name: str) -> str:
    return tr("您好，欢迎来到{center}。请点选您要办的事，需要帮助请按“呼叫帮办”。").format(center=center_name)


def farewell() -> str:
    return tr("感谢您的光临，请带好您的证件和物品，慢走。")


def item_notice(item, *, where_hours: str = "") -> str:
    """The key lines of an item's notice: its name, where to go, what to bring."""
    parts = [item.name + tr("。")]
    if item.in_center and item.windows:
        windows = "、".join(tr("{number}号窗口").format(number=w.number) + (f"（{w.zone}）" if w.zone else "") for w in item.windows[:3])
        parts.append(tr("请到{windows}办理。").format(windows=windows))
    elif item.in_center:
        parts.append(tr("本中心办理，请到综合咨询台，工作人员会带您到窗口。"))
    else:
        address = item.location or item.department.address
        parts.append(tr("本事项不在本中心办理，请到{department}，地址：{address}。").format(department=item.department.name, address=address))
    if where_hours:
        parts.append(where_hours)
    required = [m.name for m in present.sorted_materials(item) if m.necessity == "required"]
    if required:
        shown = required[:6]
        more = tr("等{n}样").format(n=len(required)) if len(required) > len(shown) else ""
        parts.append(tr("请带上：{materials}{more}。").format(materials="、".join(shown), more=more))
    parts.append(tr("承诺{limit}办结，{fee}。").format(limit=present.promised_limit_text(item), fee=present.fee_text(item)))
    return "".join(parts)


def progress_answer(view, time_left: str = "") -> str:
    """The progress answer: the item, its state, the time left (no name, no number read out)."""
    parts = [tr("您查询的{item}，当前状态：{status}。").format(item=view.item_name, status=view.status_label)]
    if time_left:
        parts.append(time_left.rstrip("。") + tr("。"))
    return "".join(parts)
