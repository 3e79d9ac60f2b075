"""The catalog exchange format "kiosk-catalog/1": validation, import and export.

A file is validated completely before anything is written; every problem is reported with its
location (``items[12].materials[3].necessity``). A valid file is applied in one transaction.
The format is documented field by field in docs/catalog-format.md.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, object_session

from kiosk import jsonsafe
from kiosk.catalog import search_text, synonyms
from kiosk.errors import KioskError
from kiosk.exchange_schema import Checker, Kind, describe_value
from kiosk.exchange_schema import Field as F
from kiosk.hours.schedule import Schedule, ScheduleError
from kiosk.catalog.models import (
    AUDIENCES,
    ITEM_TYPES,
    LIMIT_UNITS,
    MATERIAL_FORMS,
    MATERIAL_SOURCES,
    MATERIAL_TYPES,
    NECESSITIES,
    CatalogState,
    Center,
    Department,
    ItemTopic,
    ItemWindow,
    Material,
    ServiceItem,
    Topic,
    Window,
)

FORMAT = "kiosk-catalog/1"


class CatalogError(KioskError):
    """A file that cannot be imported; ``problems`` lists every one with its location."""

    def __init__(self, problems: list[str], source: str | None = None):
        self.problems = problems
        self.source = source
        head = f"{source}: " if source else ""
        message = f"{head}{len(problems)} problem(s) (目录文件有误):\n" + "\n".join(problems)
        super().__init__(f"目录文件有误（{len(problems)} 处）", f"{head}{len(problems)} problem(s)", message=message)


# --- the schema (kiosk.exchange_schema walks it) ----------------------------------------------


LIMIT = {
    "value": F("int", required=True, minimum=0),
    "unit": F("str", required=True, choices=LIMIT_UNITS),
    "note": F("str", default=""),
}
MATERIAL = {
    "name": F("str", required=True, non_empty=True, max_length=500),
    "type": F("str", required=True, choices=MATERIAL_TYPES),
    "form": F("str", required=True, choices=MATERIAL_FORMS),
    "necessity": F("str", required=True, choices=NECESSITIES),
    "copies": F("int", default=1, minimum=0),
    "spec": F("str", default=""),
    "source": F("str", default="applicant", choices=MATERIAL_SOURCES),
    "notes": F("str", default=""),
}
ITEM = {
    "code": F("str", required=True, non_empty=True, max_length=64),
    "name": F("str", required=True, non_empty=True, max_length=300),
    "type": F("str", required=True, choices=ITEM_TYPES),
    "department": F("str", required=True, non_empty=True, max_length=64),
    "audience": F("list[str]", required=True, choices=AUDIENCES, non_empty=True),
    "basic_code": F("str", default="", max_length=64),
    "version": F("str", default="", max_length=32),
    "basis": F("str", default=""),
    "conditions": F("str", default=""),
    "legal_limit": F("obj", required=True, schema=LIMIT),
    "promised_limit": F("obj", required=True, schema=LIMIT),
    "visits": F("int", default=1, minimum=0),
    "fee": F(
        "obj",
        default={"charged": False, "standard": "", "basis": ""},
        schema={"charged": F("bool", required=True), "standard": F("str", default=""), "basis": F("str", default="")},
    ),
    "location": F("str", default=""),
    "hours": F("str", default=""),
    "consult_phone": F("str", default="", max_length=100),
    "complaint_phone": F("str", default="", max_length=100),
    "online": F(
        "obj",
        default={"supported": False, "pc_url": "", "mobile_url": ""},
        schema={
            "supported": F("bool", required=True),
            "pc_url": F("str", default="", max_length=1000),
            "mobile_url": F("str", default="", max_length=1000),
        },
    ),
    "in_center": F("bool", required=True),
    "self_service": F("bool", required=True),
    "self_service_point": F(
        "obj",
        default={"machine": "", "zone": "", "bring": [], "all_hours": False},
        schema={
            "machine": F("str", default=""),
            "zone": F("str", default=""),
            "bring": F("list[str]", default=[]),
            "all_hours": F("bool", default=False),
        },
    ),
    "windows": F("list[str]", default=[]),
    "procedure": F("list[str]", default=[]),
    "faq": F("list[obj]", default=[], schema={"q": F("str", required=True, non_empty=True), "a": F("str", required=True)}),
    "topics": F("list[str]", default=[]),
    "keywords": F("list[str]", default=[]),
    "materials": F("list[obj]", required=True, schema=MATERIAL),
}
ROOT = {
    "format": F("str", required=True),
    "center": F(
        "obj",
        required=True,
        schema={
            "name": F("str", required=True, non_empty=True, max_length=200),
            "address": F("str", default="", max_length=500),
            "phone": F("str", default="", max_length=100),
            "hours": F("str", default="", max_length=500),
            "schedule": F("schedule"),
        },
    ),
    "departments": F(
        "list[obj]",
        required=True,
        schema={
            "code": F("str", required=True, non_empty=True, max_length=64),
            "name": F("str", required=True, non_empty=True, max_length=200),
            "address": F("str", default="", max_length=500),
            "phone": F("str", default="", max_length=100),
            "in_center": F("bool", required=True),
            "schedule": F("schedule"),
        },
    ),
    "windows": F(
        "list[obj]",
        default=[],
        schema={
            "number": F("str", required=True, non_empty=True, max_length=32),
            "name": F("str", required=True, non_empty=True, max_length=200),
            "zone": F("str", default="", max_length=100),
            "department": F("str", required=True, non_empty=True, max_length=64),
            "schedule": F("schedule"),
        },
    ),
    "topics": F(
        "list[obj]",
        default=[],
        schema={
            "code": F("str", required=True, non_empty=True, max_length=64),
            "name": F("str", required=True, non_empty=True, max_length=200),
            "audience": F("str", required=True, choices=AUDIENCES),
        },
    ),
    "items": F("list[obj]", required=True, schema=ITEM),
    "synonyms": F(
        "list[obj]",
        default=[],
        schema={
            "term": F("str", required=True, non_empty=True, max_length=50),
            "means": F("list[str]", required=True),
        },
    ),
}


def _schedule(value: dict[str, Any], where: str, problems: list[str]) -> dict[str, Any] | None:
    try:
        return Schedule.from_dict(value).to_dict()
    except ScheduleError as exc:
        key = "" if exc.key.startswith("(") else f".{exc.key}"
        problems.append(f"{where}{key}: {exc.problem}")
        return None


#: the base kinds with the catalog's plain wording, and opening hours (kiosk.hours.schedule)
CHECKER = Checker(
    kinds={"schedule": Kind('an object like {"periods": ["08:30-12:00"]}', lambda v: isinstance(v, dict), _schedule)}
)


def validate(document: Any) -> dict[str, Any]:
    """Validate a parsed catalog document; return it normalised or raise CatalogError."""
    problems: list[str] = jsonsafe.value_problems(document)
    if problems:  # what could not be stored, before any field is looked at
        raise CatalogError(problems)
    if not isinstance(document, dict):
        raise CatalogError(["(root): the file must hold a JSON object"])
    data = CHECKER.check_object(document, ROOT, "", problems)
    if data.get("format") is not None and data["format"] != FORMAT:
        problems.append(f"format: {describe_value(data['format'])} is not {FORMAT!r}")
    _check_references(data, problems)
    if problems:
        raise CatalogError(problems)
    return data


def _check_references(data: dict[str, Any], problems: list[str]) -> None:
    def unique(section: str, key: str) -> set[str]:
        seen: dict[str, int] = {}
        for i, entry in enumerate(data.get(section) or []):
            if not entry or not isinstance(entry.get(key), str):
                continue
            value = entry[key]
            if value in seen:
                problems.append(f"{section}[{i}].{key}: duplicate {describe_value(value)} (first at {section}[{seen[value]}])")
            else:
                seen[value] = i
        return set(seen)

    departments = unique("departments", "code")
    windows = unique("windows", "number")
    topics = unique("topics", "code")
    unique("items", "code")

    for i, window in enumerate(data.get("windows") or []):
        if window and isinstance(window.get("department"), str) and window["department"] not in departments:
            problems.append(f"windows[{i}].department: {describe_value(window['department'])} is not a department code")
    for i, item in enumerate(data.get("items") or []):
        if not item:
            continue
        where = f"items[{i}]"
        if isinstance(item.get("department"), str) and item["department"] not in departments:
            problems.append(f"{where}.department: {describe_value(item['department'])} is not a department code")
        for j, number in enumerate(item.get("windows") or []):
            if number not in windows:
                problems.append(f"{where}.windows[{j}]: {describe_value(number)} is not a window number")
        for j, code in enumerate(item.get("topics") or []):
            if code not in topics:
                problems.append(f"{where}.topics[{j}]: {describe_value(code)} is not a topic code")
        for key in ("legal_limit", "promised_limit"):
            limit = item.get(key)
            if limit and isinstance(limit.get("value"), int) and limit["value"] > 3650:
                problems.append(f"{where}.{key}.value: {limit['value']} is more than ten years")
        online = item.get("online")
        if online and online.get("supported") and not (online.get("pc_url") or online.get("mobile_url")):
            problems.append(f"{where}.online: supported is true but neither pc_url nor mobile_url is given")
        legal, promised = item.get("legal_limit"), item.get("promised_limit")
        if (
            legal
            and promised
            and legal.get("unit") == promised.get("unit")
            and isinstance(legal.get("value"), int)
            and isinstance(promised.get("value"), int)
            and legal["value"] > 0
            and promised["value"] > legal["value"]
        ):
            problems.append(
                f"{where}.promised_limit.value: {promised['value']} is longer than legal_limit.value {legal['value']}"
            )


def read_file(path: str | Path) -> dict[str, Any]:
    """Read and validate a catalog file; CatalogError for any problem, located."""
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")  # Notepad and Excel write a BOM
    except FileNotFoundError:
        raise CatalogError(["(file): not found (文件不存在)"], source) from None
    except UnicodeDecodeError as exc:
        raise CatalogError([f"(file): not UTF-8 text at byte {exc.start} (文件不是UTF-8编码)"], source) from None
    except OSError as exc:
        raise CatalogError([f"(file): cannot be read: {exc.strerror} (无法读取)"], source) from None
    try:
        document = jsonsafe.loads(text)
    except jsonsafe.JsonProblem as exc:
        raise CatalogError([str(exc)], source) from None
    try:
        return validate(document)
    except CatalogError as exc:
        raise CatalogError(exc.problems, source) from None


# --- applying a validated document --------------------------------------------------------


@dataclass
class ImportSummary:
    departments: int = 0
    windows: int = 0
    topics: int = 0
    items_added: int = 0
    items_updated: int = 0
    items_removed: int = 0
    removed_codes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"部门 {self.departments}，窗口 {self.windows}，主题 {self.topics}；"
            f"事项 新增 {self.items_added}，更新 {self.items_updated}，删除 {self.items_removed}"
        )


def apply(session: Session, data: dict[str, Any], *, replace: bool = False, progress: Callable[[int], None] | None = None) -> ImportSummary:
    """Write a validated document. Items are matched by code; ``replace`` removes the items
    the file does not contain. The caller's session transaction makes it all-or-nothing."""
    summary = ImportSummary()

    center = session.scalars(select(Center)).first() or Center()
    c = data["center"]
    center.name, center.address, center.phone, center.hours = c["name"], c["address"], c["phone"], c["hours"]
    center.schedule = c["schedule"]
    center.synonyms = [{"term": s["term"], "means": list(s["means"])} for s in data["synonyms"]]
    session.add(center)
    synonym_table = synonyms.merged(center.synonyms)

    departments = {d.code: d for d in session.scalars(select(Department))}
    for position, d in enumerate(data["departments"]):
        dept = departments.get(d["code"]) or Department(code=d["code"])
        dept.name, dept.address, dept.phone, dept.in_center = d["name"], d["address"], d["phone"], d["in_center"]
        dept.schedule = d["schedule"]
        dept.position = position
        departments[d["code"]] = dept
        session.add(dept)
    summary.departments = len(data["departments"])
    session.flush()

    windows = {w.number: w for w in session.scalars(select(Window))}
    for position, w in enumerate(data["windows"]):
        window = windows.get(w["number"]) or Window(number=w["number"])
        window.name, window.zone, window.schedule = w["name"], w["zone"], w["schedule"]
        window.department = departments[w["department"]]
        window.position = position
        windows[w["number"]] = window
        session.add(window)
    summary.windows = len(data["windows"])

    topics = {t.code: t for t in session.scalars(select(Topic))}
    for position, t in enumerate(data["topics"]):
        topic = topics.get(t["code"]) or Topic(code=t["code"])
        topic.name, topic.audience, topic.position = t["name"], t["audience"], position
        topics[t["code"]] = topic
        session.add(topic)
    summary.topics = len(data["topics"])
    session.flush()

    existing = {item.code: item for item in session.scalars(select(ServiceItem))}
    for position, entry in enumerate(data["items"]):
        item = existing.get(entry["code"])
        if item is None:
            item = ServiceItem(code=entry["code"])
            session.add(item)
            summary.items_added += 1
        else:
            summary.items_updated += 1
        _fill_item(item, entry, position, departments, windows, topics, synonym_table)
        if progress and position % 500 == 0:
            progress(position)

    if replace:
        wanted = {entry["code"] for entry in data["items"]}
        gone = sorted(code for code in existing if code not in wanted)
        if gone:
            session.execute(delete(ServiceItem).where(ServiceItem.code.in_(gone)))
        summary.items_removed = len(gone)
        summary.removed_codes = gone

    state = session.get(CatalogState, 1) or CatalogState(id=1, generation=0)
    state.generation += 1
    session.add(state)
    session.flush()
    return summary


def _fill_item(item: ServiceItem, e: dict[str, Any], position: int, departments, windows, topics, synonym_table) -> None:
    item.name = e["name"]
    item.type = e["type"]
    item.department = departments[e["department"]]
    item.audience = list(e["audience"])
    item.basic_code, item.version = e["basic_code"], e["version"]
    item.basis, item.conditions = e["basis"], e["conditions"]
    item.legal_limit_value = e["legal_limit"]["value"]
    item.legal_limit_unit = e["legal_limit"]["unit"]
    item.legal_limit_note = e["legal_limit"]["note"]
    item.promised_limit_value = e["promised_limit"]["value"]
    item.promised_limit_unit = e["promised_limit"]["unit"]
    item.promised_limit_note = e["promised_limit"]["note"]
    item.visits = e["visits"]
    item.fee_charged, item.fee_standard, item.fee_basis = e["fee"]["charged"], e["fee"]["standard"], e["fee"]["basis"]
    item.location, item.hours = e["location"], e["hours"]
    item.consult_phone, item.complaint_phone = e["consult_phone"], e["complaint_phone"]
    item.online_supported = e["online"]["supported"]
    item.online_pc_url, item.online_mobile_url = e["online"]["pc_url"], e["online"]["mobile_url"]
    item.in_center, item.self_service = e["in_center"], e["self_service"]
    item.self_service_point = dict(e["self_service_point"])
    item.procedure = list(e["procedure"])
    item.faq = [{"q": f["q"], "a": f["a"]} for f in e["faq"]]
    item.keywords = list(e["keywords"])
    item.position = position
    item.search_pinyin, item.search_initials = search_text.name_readings(item.name)
    # the synonyms that apply are searched like keywords, but are not the item's keywords (export)
    item.search_keywords = search_text.keyword_text(
        item.keywords + synonyms.extra_keywords(item.name, item.keywords, synonym_table)
    )

    # Children are rebuilt: simpler than diffing, and an item has a few dozen rows at most. The
    # old rows are deleted first (flush), as the new ones reuse their (item, position) keys.
    session = object_session(item)
    if item.id is not None:
        item.materials.clear()
        item.window_links.clear()
        item.topic_links.clear()
        session.flush()
    for i, m in enumerate(e["materials"]):
        item.materials.append(
            Material(
                position=i,
                name=m["name"],
                type=m["type"],
                form=m["form"],
                necessity=m["necessity"],
                copies=m["copies"],
                spec=m["spec"],
                source=m["source"],
                notes=m["notes"],
            )
        )
    for i, number in enumerate(dict.fromkeys(e["windows"])):
        item.window_links.append(ItemWindow(window=windows[number], position=i))
    for i, code in enumerate(dict.fromkeys(e["topics"])):
        item.topic_links.append(ItemTopic(topic=topics[code], position=i))


# --- export ---------------------------------------------------------------------------------


def export(session: Session) -> dict[str, Any]:
    """The whole catalog as a kiosk-catalog/1 document (deterministic: export → import → export is identical)."""
    center = session.scalars(select(Center)).first()
    if center is None:
        raise CatalogError(["(database): the catalog is empty, there is nothing to export (目录为空)"])
    departments = session.scalars(select(Department).order_by(Department.position, Department.code)).all()
    windows = session.scalars(select(Window).order_by(Window.position, Window.number)).all()
    topics = session.scalars(select(Topic).order_by(Topic.position, Topic.code)).all()
    items = session.scalars(select(ServiceItem).order_by(ServiceItem.position, ServiceItem.code)).unique().all()
    return {
        "format": FORMAT,
        "center": _with_schedule(
            {"name": center.name, "address": center.address, "phone": center.phone, "hours": center.hours}, center
        ),
        "departments": [
            _with_schedule(
                {"code": d.code, "name": d.name, "address": d.address, "phone": d.phone, "in_center": d.in_center}, d
            )
            for d in departments
        ],
        "windows": [
            _with_schedule({"number": w.number, "name": w.name, "zone": w.zone, "department": w.department.code}, w)
            for w in windows
        ],
        "topics": [{"code": t.code, "name": t.name, "audience": t.audience} for t in topics],
        "items": [item_to_dict(item) for item in items],
    } | ({"synonyms": [dict(s) for s in center.synonyms]} if center.synonyms else {})


def _self_service_point(item: ServiceItem) -> dict[str, Any]:
    point = item.self_service_point or {}
    return {
        "machine": point.get("machine", ""),
        "zone": point.get("zone", ""),
        "bring": list(point.get("bring", [])),
        "all_hours": bool(point.get("all_hours", False)),
    }


def _with_schedule(entry: dict[str, Any], row) -> dict[str, Any]:
    """``schedule`` is the one optional field written only when set (absent = inherited hours)."""
    if row.schedule:
        entry["schedule"] = row.schedule
    return entry


def item_to_dict(item: ServiceItem) -> dict[str, Any]:
    return {
        "code": item.code,
        "basic_code": item.basic_code,
        "version": item.version,
        "name": item.name,
        "type": item.type,
        "department": item.department.code,
        "audience": list(item.audience),
        "basis": item.basis,
        "conditions": item.conditions,
        "legal_limit": {"value": item.legal_limit_value, "unit": item.legal_limit_unit, "note": item.legal_limit_note},
        "promised_limit": {
            "value": item.promised_limit_value,
            "unit": item.promised_limit_unit,
            "note": item.promised_limit_note,
        },
        "visits": item.visits,
        "fee": {"charged": item.fee_charged, "standard": item.fee_standard, "basis": item.fee_basis},
        "location": item.location,
        "hours": item.hours,
        "consult_phone": item.consult_phone,
        "complaint_phone": item.complaint_phone,
        "online": {"supported": item.online_supported, "pc_url": item.online_pc_url, "mobile_url": item.online_mobile_url},
        "in_center": item.in_center,
        "self_service": item.self_service,
        "self_service_point": _self_service_point(item),
        "windows": [w.number for w in item.windows],
        "procedure": list(item.procedure),
        "faq": [{"q": f["q"], "a": f["a"]} for f in item.faq],
        "topics": [t.code for t in item.topics],
        "keywords": list(item.keywords),
        "materials": [
            {
                "name": m.name,
                "type": m.type,
                "form": m.form,
                "necessity": m.necessity,
                "copies": m.copies,
                "spec": m.spec,
                "source": m.source,
                "notes": m.notes,
            }
            for m in item.materials
        ],
    }


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
