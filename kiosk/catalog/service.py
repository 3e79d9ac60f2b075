"""Reading the catalog: one item, the center, and the lists a citizen browses."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from kiosk.catalog.models import Center, Department, ItemTopic, ItemWindow, ServiceItem, Topic, Window
from kiosk.catalog.search import CatalogIndex, SearchHit, catalog_generation

if TYPE_CHECKING:  # pragma: no cover
    from kiosk.db import Database


def _item_query():
    return select(ServiceItem).options(
        selectinload(ServiceItem.materials),
        selectinload(ServiceItem.window_links).joinedload(ItemWindow.window),
        selectinload(ServiceItem.topic_links).joinedload(ItemTopic.topic),
    )


def get_item(session: Session, code: str) -> ServiceItem | None:
    """The item with every field loaded, or None. Codes match exactly, ignoring case and spaces."""
    code = (code or "").strip()
    if not code:
        return None
    item = session.scalars(_item_query().where(ServiceItem.code == code)).unique().first()
    if item is None:
        # case-insensitive by comparison, not LIKE: % and _ in what was typed are characters
        item = session.scalars(_item_query().where(func.upper(ServiceItem.code) == code.upper())).unique().first()
    return item


def get_center(session: Session) -> Center | None:
    return session.scalars(select(Center)).first()


def list_departments(session: Session, *, with_items_only: bool = True) -> list[Department]:
    query = select(Department).order_by(Department.position, Department.code)
    if with_items_only:
        query = query.where(Department.id.in_(select(ServiceItem.department_id)))
    return list(session.scalars(query))


def list_topics(session: Session, audience: str | None = None) -> list[Topic]:
    query = select(Topic).order_by(Topic.position, Topic.code)
    if audience:
        query = query.where(Topic.audience == audience)
    return list(session.scalars(query))


def items_of_department(session: Session, department_code: str) -> list[ServiceItem]:
    query = _item_query().join(ServiceItem.department).where(Department.code == department_code)
    return list(session.scalars(query.order_by(ServiceItem.position)).unique())


def items_of_topic(session: Session, topic_code: str) -> list[ServiceItem]:
    query = (
        _item_query()
        .join(ItemTopic, ItemTopic.item_id == ServiceItem.id)
        .join(Topic, Topic.id == ItemTopic.topic_id)
        .where(Topic.code == topic_code)
        .order_by(ServiceItem.position)
    )
    return list(session.scalars(query).unique())


def items_for_audience(session: Session, audience: str) -> list[ServiceItem]:
    """Items for natural persons (个人办事) or legal persons (法人办事). The audience list is JSON,
    filtered here rather than in SQL to stay portable across databases."""
    items = session.scalars(_item_query().order_by(ServiceItem.position)).unique()
    return [item for item in items if audience in item.audience]


def self_service_items(session: Session) -> list[ServiceItem]:
    query = _item_query().where(ServiceItem.self_service.is_(True)).order_by(ServiceItem.position)
    return list(session.scalars(query).unique())


# --- the catalog as the application offers it ---------------------------------------------------


@dataclass(frozen=True)
class CenterInfo:
    name: str
    address: str
    phone: str
    hours: str


class CatalogService:
    """The catalog for the screens and slips: each call opens its own session and returns
    objects detached from it; the search index is rebuilt when an import changed the catalog."""

    def __init__(self, database: Database):
        self.database = database
        self._index: CatalogIndex | None = None
        self._index_lock = threading.Lock()

    def center(self) -> CenterInfo:
        with self.database.session() as session:
            center = get_center(session)
            if center is None:
                return CenterInfo("政务服务中心", "", "", "")
            return CenterInfo(center.name, center.address, center.phone, center.hours)

    def index(self) -> CatalogIndex:
        """The search index, rebuilt when an import has changed the catalog since it was built."""
        with self._index_lock:
            with self.database.session() as session:
                generation = catalog_generation(session)
                if self._index is None or self._index.generation != generation:
                    self._index = CatalogIndex.load(session)
            return self._index

    def search(self, query: str, limit: int = 30) -> list[SearchHit]:
        return self.index().search(query, limit=limit)

    def item(self, code: str) -> ServiceItem | None:
        with self.database.session() as session:
            return get_item(session, code)

    def item_and_center(self, code: str) -> tuple[ServiceItem, Center | None]:
        """The item (LookupError when there is none) and the center, for a slip."""
        with self.database.session() as session:
            item = get_item(session, code)
            if item is None:
                raise LookupError(f"no item with code {code!r}")
            return item, get_center(session)

    def departments(self) -> list[Department]:
        with self.database.session() as session:
            return list_departments(session)

    def topics(self, audience: str | None = None) -> list[Topic]:
        with self.database.session() as session:
            return list_topics(session, audience)

    def items_of_department(self, code: str) -> list[ServiceItem]:
        with self.database.session() as session:
            return items_of_department(session, code)

    def items_of_topic(self, code: str) -> list[ServiceItem]:
        with self.database.session() as session:
            return items_of_topic(session, code)

    def items_for_audience(self, audience: str) -> list[ServiceItem]:
        with self.database.session() as session:
            return items_for_audience(session, audience)

    def self_service_items(self) -> list[ServiceItem]:
        with self.database.session() as session:
            return self_service_items(session)

    def all_windows(self) -> list[Window]:
        """Every window of the center with its department (全部窗口信息, helper mode), in order."""
        with self.database.session() as session:
            windows = session.scalars(
                select(Window).join(Department, Department.id == Window.department_id)
                .order_by(Department.position, Window.position, Window.number)
            ).all()
            for window in windows:
                _ = window.department.name  # loaded before the session closes
            return list(windows)
