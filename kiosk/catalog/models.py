"""The service catalog: the center, departments, windows, topics and service items.

Field names follow the exchange format kiosk-catalog/1 (docs/catalog-format.md), which mirrors
the national implementation list (GB/T 39554).
"""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.db.base import Base

AUDIENCES = ("natural_person", "legal_person")
LIMIT_UNITS = ("working_day", "natural_day")
MATERIAL_TYPES = ("certificate", "form", "other")
MATERIAL_FORMS = ("paper", "electronic", "both")
NECESSITIES = ("required", "optional", "deferrable")
MATERIAL_SOURCES = ("applicant", "government", "other")
ITEM_TYPES = (
    "行政许可",
    "行政处罚",
    "行政强制",
    "行政征收",
    "行政给付",
    "行政检查",
    "行政确认",
    "行政奖励",
    "行政裁决",
    "其他行政权力",
    "公共服务",
)


class Center(Base):
    """The service center itself: one row."""

    __tablename__ = "center"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(500), default="")
    phone: Mapped[str] = mapped_column(String(100), default="")
    hours: Mapped[str] = mapped_column(String(500), default="")
    #: the center's opening hours as data (kiosk/hours Schedule.to_dict); None: the terminal's [service_hours]
    schedule: Mapped[dict | None] = mapped_column(JSON, nullable=True, default=None)
    #: the catalog file's own synonyms, [{"term": "户籍", "means": ["户口"]}, …] (kiosk/catalog/synonyms.py)
    synonyms: Mapped[list[dict]] = mapped_column(JSON, default=list, server_default=text("'[]'"))


class Department(Base):
    __tablename__ = "department"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(500), default="")
    phone: Mapped[str] = mapped_column(String(100), default="")
    #: true when the department has windows in this center's hall
    in_center: Mapped[bool] = mapped_column(Boolean, default=True)
    #: the department's own hours (Schedule.to_dict); None: the center's
    schedule: Mapped[dict | None] = mapped_column(JSON, nullable=True, default=None)
    position: Mapped[int] = mapped_column(Integer, default=0)

    windows: Mapped[list[Window]] = relationship(back_populates="department")


class Window(Base):
    __tablename__ = "service_window"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    #: the hall area, e.g. 一楼A区 (free text, shown to the citizen)
    zone: Mapped[str] = mapped_column(String(100), default="")
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id", ondelete="RESTRICT"))
    #: the window's own hours (Schedule.to_dict); None: its department's
    schedule: Mapped[dict | None] = mapped_column(JSON, nullable=True, default=None)
    position: Mapped[int] = mapped_column(Integer, default=0)

    department: Mapped[Department] = relationship(back_populates="windows")


class Topic(Base):
    """A life event (我要开办企业) that groups items for browsing."""

    __tablename__ = "topic"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    audience: Mapped[str] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(Integer, default=0)


class ItemWindow(Base):
    __tablename__ = "item_window"

    item_id: Mapped[int] = mapped_column(ForeignKey("service_item.id", ondelete="CASCADE"), primary_key=True)
    window_id: Mapped[int] = mapped_column(ForeignKey("service_window.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    window: Mapped[Window] = relationship(lazy="joined")


class ItemTopic(Base):
    __tablename__ = "item_topic"

    item_id: Mapped[int] = mapped_column(ForeignKey("service_item.id", ondelete="CASCADE"), primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    topic: Mapped[Topic] = relationship(lazy="joined")


class ServiceItem(Base):
    """A government service item (政务服务事项) with its one-time notification content."""

    __tablename__ = "service_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)  # 实施编码
    basic_code: Mapped[str] = mapped_column(String(64), default="")  # 基本编码
    version: Mapped[str] = mapped_column(String(32), default="")
    name: Mapped[str] = mapped_column(String(300))
    type: Mapped[str] = mapped_column(String(32))
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id", ondelete="RESTRICT"))
    audience: Mapped[list[str]] = mapped_column(JSON, default=list)
    basis: Mapped[str] = mapped_column(Text, default="")  # 设定依据
    conditions: Mapped[str] = mapped_column(Text, default="")  # 受理条件

    legal_limit_value: Mapped[int] = mapped_column(Integer)
    legal_limit_unit: Mapped[str] = mapped_column(String(16))
    legal_limit_note: Mapped[str] = mapped_column(Text, default="")
    promised_limit_value: Mapped[int] = mapped_column(Integer)
    promised_limit_unit: Mapped[str] = mapped_column(String(16))
    promised_limit_note: Mapped[str] = mapped_column(Text, default="")

    visits: Mapped[int] = mapped_column(Integer, default=1)  # 到办事现场次数
    fee_charged: Mapped[bool] = mapped_column(Boolean, default=False)
    fee_standard: Mapped[str] = mapped_column(Text, default="")
    fee_basis: Mapped[str] = mapped_column(Text, default="")

    location: Mapped[str] = mapped_column(Text, default="")
    hours: Mapped[str] = mapped_column(Text, default="")
    consult_phone: Mapped[str] = mapped_column(String(100), default="")
    complaint_phone: Mapped[str] = mapped_column(String(100), default="")

    online_supported: Mapped[bool] = mapped_column(Boolean, default=False)
    online_pc_url: Mapped[str] = mapped_column(String(1000), default="")
    online_mobile_url: Mapped[str] = mapped_column(String(1000), default="")

    in_center: Mapped[bool] = mapped_column(Boolean, default=True)  # 是否进驻政务大厅
    self_service: Mapped[bool] = mapped_column(Boolean, default=False)  # 是否支持终端办理
    #: where and how it is done by self-service (自助办理点): {"machine", "zone", "bring": [...], "all_hours"}
    self_service_point: Mapped[dict | None] = mapped_column(JSON, nullable=True, default=dict)

    procedure: Mapped[list[str]] = mapped_column(JSON, default=list)
    faq: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)

    # Derived at import for search: the name's pinyin, its initials, and the keywords' pinyin.
    search_pinyin: Mapped[str] = mapped_column(Text, default="")
    search_initials: Mapped[str] = mapped_column(Text, default="")
    search_keywords: Mapped[str] = mapped_column(Text, default="")

    position: Mapped[int] = mapped_column(Integer, default=0)

    department: Mapped[Department] = relationship(lazy="joined")
    materials: Mapped[list[Material]] = relationship(
        back_populates="item", order_by="Material.position", cascade="all, delete-orphan"
    )
    window_links: Mapped[list[ItemWindow]] = relationship(
        order_by="ItemWindow.position", cascade="all, delete-orphan"
    )
    topic_links: Mapped[list[ItemTopic]] = relationship(order_by="ItemTopic.position", cascade="all, delete-orphan")

    @property
    def windows(self) -> list[Window]:
        return [link.window for link in self.window_links]

    @property
    def topics(self) -> list[Topic]:
        return [link.topic for link in self.topic_links]

    @property
    def required_materials(self) -> list[Material]:
        return [m for m in self.materials if m.necessity == "required"]


class Material(Base):
    """One application material (申请材料) of an item."""

    __tablename__ = "item_material"
    __table_args__ = (UniqueConstraint("item_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("service_item.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(500))
    type: Mapped[str] = mapped_column(String(16))  # certificate | form | other
    form: Mapped[str] = mapped_column(String(16))  # paper | electronic | both
    necessity: Mapped[str] = mapped_column(String(16))  # required | optional | deferrable
    copies: Mapped[int] = mapped_column(Integer, default=1)
    spec: Mapped[str] = mapped_column(Text, default="")  # 纸质规格
    source: Mapped[str] = mapped_column(String(16), default="applicant")
    notes: Mapped[str] = mapped_column(Text, default="")  # 填报须知

    item: Mapped[ServiceItem] = relationship(back_populates="materials")


class CatalogState(Base):
    """A counter bumped by every import, so that a running kiosk can notice a new catalog."""

    __tablename__ = "catalog_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    generation: Mapped[int] = mapped_column(Integer, default=0)
