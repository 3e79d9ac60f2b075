"""The progress exchange format "kiosk-progress/1": validation and import.

The center's system sends the applications (办件) a terminal may answer questions about. A file
is validated completely before anything is written, every problem reported with its location
(``applications[3].steps[1].finished_at``); a valid file is applied in one transaction. The
format is documented field by field in docs/progress-format.md.

Times are ISO 8601. Without an offset they are China time; with one (``+08:00``, ``Z``) they
are converted to China time. The database keeps naive China times.

A file may carry ``reference_date``: the day its dates were written relative to. Importing
with ``shift_to=<day>`` moves every date and time by (day − reference_date) days, so that
sample data always looks current (``kiosk progress import --shift-to-today``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kiosk import jsonsafe, privacy
from kiosk.catalog.models import ServiceItem
from kiosk.errors import KioskError
from kiosk.exchange_schema import Checker, Kind, Parse, Wording, describe_value
from kiosk.exchange_schema import Field as F
from kiosk.privacy import PrivacyKey
from kiosk.progress.models import CLOSED_STATUSES, STATUS_LABELS, STATUSES, Application, Step
from kiosk.progress.timeutil import CHINA_TZ, china_now
from kiosk.workdays import WorkCalendar

FORMAT = "kiosk-progress/1"


def sample_file() -> Path:
    """The sample center's applications (dates relative to its reference_date)."""
    from kiosk.paths import assets_dir

    return assets_dir() / "sample_center" / "progress.json"

NUMBER_PATTERN = re.compile(r"[A-Z0-9]{4,40}")
#: status names a file may use: the codes, or the Chinese names
STATUS_ALIASES = {**{code: code for code in STATUSES}, **{label: code for code, label in STATUS_LABELS.items()}}


class ProgressFileError(KioskError):
    """A file that cannot be imported; ``problems`` lists every one with its location."""

    def __init__(self, problems: list[str], source: str | None = None):
        self.problems = problems
        self.source = source
        head = f"{source}: " if source else ""
        message = f"{head}{len(problems)} problem(s) (办件数据文件有误):\n" + "\n".join(problems)
        super().__init__(f"办件数据文件有误（{len(problems)} 处）", f"{head}{len(problems)} problem(s)", message=message)


# --- the schema (kiosk.exchange_schema walks it) ----------------------------------------------


STEP = {
    "name": F("str", required=True, non_empty=True, max_length=200),
    "started_at": F("datetime"),
    "finished_at": F("datetime"),
    "staff": F("str", default="", max_length=100),
    "opinion": F("str", default=""),
}
RESULT = {
    "finished_at": F("datetime", required=True),
    "outcome": F("str", required=True, non_empty=True),
    "certificate_name": F("str", default="", max_length=200),
    "certificate_number": F("str", default="", max_length=200),
    "collect": F("str", default=""),
}
APPLICANT = {
    "name": F("str", required=True, non_empty=True, max_length=100),
    "id_number": F("str", required=True, non_empty=True),
    "phone": F("str", default=""),
}
APPLICATION = {
    "number": F("str", required=True, non_empty=True),
    "item_code": F("str", required=True, non_empty=True),
    "applicant": F("obj", required=True, schema=APPLICANT),
    "applied_at": F("datetime", required=True),
    "accepted_at": F("datetime", required=True),
    "department": F("str", required=True, non_empty=True, max_length=200),
    "window": F("str", default="", max_length=100),
    "accepted_by": F("str", required=True, non_empty=True, max_length=100),
    "status": F("str", required=True, non_empty=True),
    "promised_deadline": F("date"),
    "steps": F("list[obj]", default=[], schema=STEP),
    "result": F("obj", schema=RESULT),
}
ROOT = {
    "format": F("str", required=True),
    "reference_date": F("date"),
    "applications": F("list[obj]", required=True, schema=APPLICATION),
}

_JSON_TYPES = {bool: "true/false", int: "a number", float: "a number", list: "a list", dict: "an object", str: "text"}


def _describe(value: Any, where: str = "") -> str:
    """The value for a message; an applicant's (name, ID number, phone) only by its type, so
    that a phone written as a JSON number is not echoed in full."""
    if "applicant" in where.split(".") or ".applicant" in where:
        return f"the value (personal data, not shown: {_JSON_TYPES.get(type(value), 'a value')})"
    return describe_value(value)


def parse_datetime(text: str) -> datetime:
    """ISO 8601 date and time → naive China time. Raises ValueError (with the reason)."""
    value = text.strip()
    if not re.search(r"\d[T ]\d", value):
        raise ValueError("has no time of day; write it like 2025-11-18T09:30:00+08:00 (缺少时间)")
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(CHINA_TZ).replace(tzinfo=None)
    return parsed


def parse_date(text: str) -> date:
    """YYYY-MM-DD, or a date and time (its China date)."""
    value = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return date.fromisoformat(value)
    if re.search(r"\d[T ]\d", value):
        return parse_datetime(value).date()
    raise ValueError("not a date")


def _moment(parse: Callable[[str], date], example: str) -> Parse:
    """A checker of a date or time written as text: ``parse`` raises ValueError, with a reason
    of its own in brackets or none (then the ISO 8601 ``example`` is given)."""

    def check(value: str, where: str, problems: list[str]) -> date | None:
        try:
            return parse(value)
        except ValueError as exc:
            reason = str(exc) if "(" in str(exc) else f"is not an ISO 8601 {example} (日期格式错误)"
            problems.append(f"{where}: {_describe(value, where)} {reason}")
            return None

    return check


def _is_text(value: Any) -> bool:
    return isinstance(value, str)


_NOT_DATE_TEXT = "{where}: {value} is not {kind} (应为日期时间文本)"
#: texts stripped, null as absent, every problem with its Chinese; an applicant's data never shown
CHECKER = Checker(
    Wording(
        not_kind="{where}: {value} is not {kind} (类型错误)",
        unknown="{where}: unknown field (未知字段)",
        missing="{where}: required field is missing (缺少必填字段)",
        empty="{where}: must not be empty (不能为空)",
        too_long="{where}: longer than {limit} characters (过长)",
    ),
    kinds={
        "datetime": Kind(
            "a date and time", _is_text, _moment(parse_datetime, "date and time, e.g. 2025-11-18T09:30:00+08:00"), _NOT_DATE_TEXT
        ),
        "date": Kind("a date", _is_text, _moment(parse_date, "date, e.g. 2025-11-25"), _NOT_DATE_TEXT),
    },
    describe=_describe,
    null_is_absent=True,
    strip_text=True,
    refuse_nul=False,  # as it always was: a NUL in a text is imported
)


# --- validation ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemLimit:
    """What an application needs of its catalog item."""

    name: str
    limit_value: int
    limit_unit: str


def catalog_limits(session: Session) -> dict[str, ItemLimit]:
    return {
        item.code: ItemLimit(item.name, item.promised_limit_value, item.promised_limit_unit)
        for item in session.scalars(select(ServiceItem))
    }


def normalize_number(text: str) -> str:
    """An application number as typed or scanned → its stored form: upper case, without spaces
    or hyphens. A scanned QR code holding an address (…?number=YC25…) gives its number."""
    value = (text or "").strip()
    match = re.search(r"[?&](?:number|no|bjbh|sblsh)=([A-Za-z0-9\-]+)", value, re.IGNORECASE)
    if match:
        value = match.group(1)
    return re.sub(r"[\s\-]+", "", value).upper()


def validate(
    document: Any,
    items: Mapping[str, ItemLimit] | None = None,
    *,
    calendar: WorkCalendar | None = None,
    shift_to: date | None = None,
) -> dict[str, Any]:
    """Validate a parsed document; return it normalised (times parsed, shifted when
    ``shift_to`` is given) or raise ProgressFileError listing every problem.
    With ``items`` (code → ItemLimit, from the catalog) every item_code must be in it."""
    problems: list[str] = jsonsafe.value_problems(document)
    if problems:  # what could not be stored, before any field is looked at
        raise ProgressFileError(problems)
    if not isinstance(document, dict):
        raise ProgressFileError(["(root): the file must hold a JSON object (文件内容应为JSON对象)"])
    data = CHECKER.check_object(document, ROOT, "", problems)
    if data.get("format") is not None and data["format"] != FORMAT:
        problems.append(f"format: {_describe(data['format'])} is not {FORMAT!r} (格式标识错误)")
    if shift_to is not None and document.get("reference_date") is None:
        problems.append("reference_date: required to shift the dates (--shift-to-today) (平移日期需要 reference_date)")
    seen: dict[str, int] = {}
    raw_applications = document.get("applications")
    for i, entry in enumerate(data.get("applications") or []):
        if entry:
            raw = raw_applications[i] if isinstance(raw_applications[i], dict) else {}
            _check_application(entry, raw, f"applications[{i}]", items, seen, i, problems)
    if problems:
        raise ProgressFileError(problems)
    if shift_to is not None:
        _shift(data, timedelta(days=(shift_to - data["reference_date"]).days))
    if calendar is not None:
        _check_deadlines(data, items, calendar, problems)
        if problems:
            raise ProgressFileError(problems)
    return data


def _check_application(a: dict, raw: dict, where: str, items, seen: dict[str, int], index: int, problems: list[str]) -> None:
    number = a.get("number")
    if isinstance(number, str) and number:
        key = number.upper()
        if not NUMBER_PATTERN.fullmatch(key):
            problems.append(f"{where}.number: {_describe(number)} must be 4 to 40 letters and digits (办件编号应为4-40位字母或数字)")
        elif key in seen:
            problems.append(f"{where}.number: duplicate {_describe(number)} (first at applications[{seen[key]}]) (办件编号重复)")
        else:
            seen[key] = index
        a["number"] = key
    code = a.get("item_code")
    if items is not None and isinstance(code, str) and code and code not in items:
        problems.append(f"{where}.item_code: {_describe(code)} is not an item of the catalog; import the catalog first (事项编码不在事项目录中)")
    status = a.get("status")
    if isinstance(status, str) and status:
        if status not in STATUS_ALIASES:
            names = ", ".join(f"{c} ({STATUS_LABELS[c]})" for c in STATUSES)
            problems.append(f"{where}.status: {_describe(status)} is not one of {names} (办件状态无效)")
        else:
            a["status"] = STATUS_ALIASES[status]
    applicant = a.get("applicant")
    if applicant:
        id_number = applicant.get("id_number")
        if isinstance(id_number, str) and id_number:
            problem = privacy.id_number_problem(id_number)
            if problem:
                problems.append(f"{where}.applicant.id_number: {problem}")  # the number itself is not repeated
        phone = applicant.get("phone")
        if isinstance(phone, str) and phone and not 7 <= len(privacy.normalize_phone(phone)) <= 15:
            problems.append(f"{where}.applicant.phone: is not a phone number of 7 to 15 digits (电话号码无效)")

    applied, accepted = a.get("applied_at"), a.get("accepted_at")
    if isinstance(applied, datetime) and isinstance(accepted, datetime) and accepted < applied:
        problems.append(f"{where}.accepted_at: {accepted:%Y-%m-%d %H:%M} is before applied_at {applied:%Y-%m-%d %H:%M} (受理时间早于申请时间)")
    deadline = a.get("promised_deadline")
    if isinstance(deadline, date) and isinstance(accepted, datetime) and deadline < accepted.date():
        problems.append(f"{where}.promised_deadline: {deadline} is before the acceptance day {accepted.date()} (承诺办结日期早于受理日期)")

    previous_start = None
    for j, step in enumerate(a.get("steps") or []):
        if not step:
            continue
        started, finished = step.get("started_at"), step.get("finished_at")
        at = f"{where}.steps[{j}]"
        if finished is not None and started is None:
            problems.append(f"{at}.finished_at: given, but started_at is missing (环节有结束时间但没有开始时间)")
        if isinstance(started, datetime) and isinstance(finished, datetime) and finished < started:
            problems.append(f"{at}.finished_at: {finished:%Y-%m-%d %H:%M} is before started_at {started:%Y-%m-%d %H:%M} (结束早于开始)")
        if isinstance(started, datetime):
            if previous_start is not None and started < previous_start:
                problems.append(f"{at}.started_at: {started:%Y-%m-%d %H:%M} is before the previous step's start; list steps in order (环节应按时间顺序排列)")
            previous_start = started

    status, result = a.get("status"), a.get("result")
    if status in CLOSED_STATUSES and raw.get("result") is None:
        problems.append(f"{where}.result: required when the status is {status} ({STATUS_LABELS[status]}) (办结、不予受理、已送达的办件须有办理结果)")
    if status in STATUSES and status not in CLOSED_STATUSES and result:
        problems.append(f"{where}.result: given, but the status {status} ({STATUS_LABELS[status]}) is not finished (未办结的办件不应有办理结果)")
    if result and isinstance(result.get("finished_at"), datetime) and isinstance(accepted, datetime) and result["finished_at"] < accepted:
        problems.append(f"{where}.result.finished_at: {result['finished_at']:%Y-%m-%d %H:%M} is before accepted_at (办结时间早于受理时间)")


def _shift(data: dict, delta: timedelta) -> None:
    def move(value):
        return value + delta if isinstance(value, (date, datetime)) else value

    data["reference_date"] = move(data["reference_date"])
    for a in data["applications"]:
        for key in ("applied_at", "accepted_at", "promised_deadline"):
            a[key] = move(a[key])
        for step in a["steps"]:
            step["started_at"], step["finished_at"] = move(step["started_at"]), move(step["finished_at"])
        if a["result"]:
            a["result"]["finished_at"] = move(a["result"]["finished_at"])


def _check_deadlines(data: dict, items, calendar: WorkCalendar, problems: list[str]) -> None:
    """Every deadline must be computable (the calendar supports 1901–2099)."""
    for i, a in enumerate(data["applications"]):
        try:
            if a["promised_deadline"] is not None:
                calendar.progress(a["promised_deadline"], a["accepted_at"].date())
            elif items is not None:
                limit = items[a["item_code"]]
                calendar.deadline(a["accepted_at"], limit.limit_value, limit.limit_unit)
        except ValueError as exc:
            problems.append(f"applications[{i}].accepted_at: the deadline cannot be computed: {exc} (无法计算承诺办结日期)")


def parse_text(text: str, source: str | None = None) -> Any:
    try:
        return jsonsafe.loads(text)
    except jsonsafe.JsonProblem as exc:
        raise ProgressFileError([str(exc)], source) from None


def read_document(path: str | Path) -> Any:
    """The parsed JSON of a file; ProgressFileError when it cannot be read or parsed."""
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")  # Notepad and Excel write a BOM
    except FileNotFoundError:
        raise ProgressFileError(["(file): not found (文件不存在)"], source) from None
    except UnicodeDecodeError as exc:
        raise ProgressFileError([f"(file): not UTF-8 text at byte {exc.start} (文件不是UTF-8编码)"], source) from None
    except IsADirectoryError:
        raise ProgressFileError(["(file): is a folder, not a file (不是文件)"], source) from None
    except OSError as exc:
        raise ProgressFileError([f"(file): cannot be read: {exc.strerror} (无法读取)"], source) from None
    return parse_text(text, source)


def read_file(
    path: str | Path,
    items: Mapping[str, ItemLimit] | None = None,
    *,
    calendar: WorkCalendar | None = None,
    shift_to: date | None = None,
) -> dict[str, Any]:
    """Read and validate a progress file; ProgressFileError for any problem, located."""
    document = read_document(path)
    try:
        return validate(document, items, calendar=calendar, shift_to=shift_to)
    except ProgressFileError as exc:
        raise ProgressFileError(exc.problems, str(path)) from None


# --- applying a validated document -------------------------------------------------------------


@dataclass
class ImportSummary:
    added: int = 0
    updated: int = 0
    removed: int = 0
    removed_numbers: list[str] = field(default_factory=list)
    shifted_days: int | None = None

    def __str__(self) -> str:
        text = f"办件 新增 {self.added}，更新 {self.updated}，删除 {self.removed}"
        if self.shifted_days is not None:
            text += f"；日期平移 {self.shifted_days:+d} 天"
        return text


def apply(
    session: Session,
    data: dict[str, Any],
    items: Mapping[str, ItemLimit],
    key: PrivacyKey,
    *,
    replace: bool = False,
    now: datetime | None = None,
) -> ImportSummary:
    """Write a validated document (validate() with the same ``items``). Applications are
    matched by number; ``replace`` removes those the file does not contain. The caller's
    session transaction makes it all-or-nothing."""
    now = now or china_now()
    summary = ImportSummary()
    existing = {a.number: a for a in session.scalars(select(Application))}
    for entry in data["applications"]:
        application = existing.get(entry["number"])
        if application is None:
            application = Application(number=entry["number"])
            session.add(application)
            summary.added += 1
        else:
            application.steps.clear()
            session.flush()
            summary.updated += 1
        _fill(application, entry, items[entry["item_code"]], key, now)
    if replace:
        wanted = {entry["number"] for entry in data["applications"]}
        gone = sorted(number for number in existing if number not in wanted)
        if gone:
            session.execute(delete(Step).where(Step.application_id.in_([existing[n].id for n in gone])))
            session.execute(delete(Application).where(Application.number.in_(gone)))
        summary.removed, summary.removed_numbers = len(gone), gone
    session.flush()
    return summary


def _fill(a: Application, e: dict[str, Any], item: ItemLimit, key: PrivacyKey, now: datetime) -> None:
    applicant = e["applicant"]
    id_number = privacy.normalize_id_number(applicant["id_number"])
    phone = privacy.normalize_phone(applicant["phone"])
    a.item_code = e["item_code"]
    a.item_name = item.name
    a.limit_value, a.limit_unit = item.limit_value, item.limit_unit
    a.applicant_name = privacy.mask_name(applicant["name"])
    a.applicant_id_masked = privacy.mask_id_number(id_number)
    a.applicant_id_last4 = privacy.last4(id_number)
    a.applicant_id_hash = key.hash_id_number(id_number)
    a.applicant_phone_masked = privacy.mask_phone(phone)
    a.applicant_phone_last4 = privacy.last4(phone)
    a.applicant_phone_hash = key.hash_phone(phone) if phone else ""
    a.applied_at, a.accepted_at = e["applied_at"], e["accepted_at"]
    a.department, a.window = e["department"], e["window"]
    a.accepted_by = privacy.mask_name(e["accepted_by"])
    a.status = e["status"]
    a.promised_deadline = e["promised_deadline"]
    result = e["result"] or {}
    a.result_finished_at = result.get("finished_at")
    a.result_outcome = result.get("outcome", "")
    a.result_certificate_name = result.get("certificate_name", "")
    a.result_certificate_number = result.get("certificate_number", "")
    a.result_collect = result.get("collect", "")
    a.imported_at = now
    for position, s in enumerate(e["steps"]):
        a.steps.append(
            Step(
                position=position,
                name=s["name"],
                started_at=s["started_at"],
                finished_at=s["finished_at"],
                staff=privacy.mask_name(s["staff"]),
                opinion=s["opinion"],
            )
        )
