"""Reading the catalog: one item, the center, and the lists a citizen browses."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from kiosk.catalog.models import Center, Department, ItemTopic, ItemWindow, ServiceItem, Topic


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
