"""What every slip shares: the header (the center's name, the title, a double rule) and the
footer (terminal, time, the center's address, the cut)."""

from __future__ import annotations

from datetime import datetime

from drivers.printer.document import Document
from kiosk.i18n import tr

DEFAULT_CENTER_NAME = "政务服务中心"


def start_slip(title: str, key: str, center_name: str, *, subtitle: str = "") -> Document:
    """A new slip named ``title-key``: the center's name, the title large, ``subtitle`` under it."""
    doc = Document(f"{title}-{key}")
    doc.text(center_name or tr(DEFAULT_CENTER_NAME), bold=True, size=2, align="center", fit=True)
    doc.text(title, bold=True, height=2, width=2, align="center", fit=True)
    if subtitle:
        doc.text(subtitle, align="center")
    doc.rule("=")
    return doc


def section(doc: Document, title: str) -> None:
    """A heading inside a slip: 【办理时限】 (``title`` already translated)."""
    doc.text(tr("【{title}】").format(title=title), bold=True)


def with_detail(name: str, detail: str) -> str:
    """名称（说明）, or "name (detail)" in English; ``name`` alone without a detail."""
    return tr("{name}（{detail}）").format(name=name, detail=detail) if detail else name


def end_slip(doc: Document, *, terminal_id: str, printed_at: datetime, center_address: str = "",
             time_label: str = "") -> Document:
    """The footer: this terminal, the time (``time_label``, translated; default 打印时间), the
    center's address, then the cut."""
    doc.columns(tr("终端编号"), terminal_id)
    doc.columns(time_label or tr("打印时间"), printed_at.strftime("%Y-%m-%d %H:%M"))
    if center_address:
        doc.text(center_address, align="center")
    doc.cut()
    return doc
