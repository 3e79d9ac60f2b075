"""The ledger (帮办代办台账): every case ends in one entry, with help without a call; the
day's summary per helper; CSV. A part of HelperService (service.py); read_ledger() reads it
without one (the reports)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import IO

from sqlalchemy import select

from kiosk.assistance.base import HelperBase
from kiosk.assistance.common import (
    CALL_OUTCOMES,
    CSV_FIELDS,
    HELP_TYPES,
    OUTCOMES,
    CallView,
    Helper,
    HelperError,
    HelperSummary,
    LedgerView,
    ProxyView,
    call_number,
    help_types_text,
    ledger_view,
    require_helper,
)
from kiosk.assistance.models import HelpCall, LedgerEntry, ProxyRequest
from kiosk.db import Database


def read_ledger(database: Database, start: datetime, end: datetime, *, helper_id: str | None = None) -> list[LedgerView]:
    """The ledger's entries with start <= time < end, oldest first (of every terminal)."""
    if end <= start:
        raise HelperError("结束日期应晚于开始日期", "the end must come after the start")
    with database.session() as session:
        query = (
            select(LedgerEntry, HelpCall.seq, ProxyRequest.number)
            .outerjoin(HelpCall, HelpCall.id == LedgerEntry.call_id)
            .outerjoin(ProxyRequest, ProxyRequest.id == LedgerEntry.proxy_id)
            .where(LedgerEntry.at >= start, LedgerEntry.at < end)
            .order_by(LedgerEntry.at, LedgerEntry.id)
        )
        if helper_id:
            query = query.where(LedgerEntry.helper_id == helper_id)
        return [
            ledger_view(entry, call_no=call_number(seq) if seq is not None else "", proxy_no=number or "")
            for entry, seq, number in session.execute(query)
        ]


class Ledger(HelperBase):
    # --- help without a call, and the checks every case goes through ---------------------------------

    def record_help(self, helper, *, help_types: Iterable[str], outcome: str = "resolved", item_code: str = "",
                    item_name: str = "", notes: str = "") -> LedgerView:
        """Help given without a call (a citizen came to the red vest directly): into the ledger."""
        helper = Helper.of(helper)
        types, outcome, notes = self._check_case(help_types, outcome, notes, CALL_OUTCOMES)
        now = self.clock()
        with self.database.session() as session:
            entry = LedgerEntry(
                at=now, helper_id=helper.id, helper_name=helper.name[:100], terminal=self.terminal,
                item_code=(item_code or "")[:64], item_name=(item_name or "")[:300], help_types=list(types),
                outcome=outcome, notes=notes, finished_at=now,
            )
            session.add(entry)
            session.flush()
            view = self._ledger_view(entry)
        self.audit(helper.id, "help.record", item_code or "-", f"{help_types_text(types)} {OUTCOMES[outcome]}")
        return view


    # --- the ledger ------------------------------------------------------------------------------------

    def ledger(self, start: datetime, end: datetime, *, helper_id: str | None = None) -> list[LedgerView]:
        """Entries with start <= time < end, oldest first."""
        return read_ledger(self.database, start, end, helper_id=helper_id)

    @staticmethod
    def write_csv(entries: Iterable[LedgerView], out: IO[str]) -> int:
        """The ledger as CSV, Chinese help types and outcomes (open the file with a BOM so
        Excel and WPS read it)."""
        writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, extrasaction="ignore")
        writer.writeheader()
        count = 0
        for entry in entries:
            writer.writerow({k: ("" if v is None else v) for k, v in entry.to_dict().items()})
            count += 1
        return count

    # --- helper mode's reads (a signed-in helper or admin only) -------------------------------------

    def summary_for(self, session, day: date) -> list[HelperSummary]:
        require_helper(session)
        return self.summary(day)

    def ledger_day(self, session, day: date) -> tuple[list[HelperSummary], list[LedgerView]]:
        """(the day's summary per helper, the day's entries) for helper mode's 台账 page."""
        require_helper(session)
        start = datetime.combine(day, datetime.min.time())
        return self.summary(day), self.ledger(start, start + timedelta(days=1))

    def summary(self, day: date) -> list[HelperSummary]:
        """Each helper's cases on ``day``: by help type and outcome, calls and proxy requests,
        the mean time until they took a call; the calls nobody took last (helper_id "")."""
        start = datetime.combine(day, datetime.min.time())
        entries = self.ledger(start, start + timedelta(days=1))
        with self.database.session() as session:
            taken = {
                c.id: (c.taken_at - c.raised_at)
                for c in session.scalars(
                    select(HelpCall).where(HelpCall.raised_at >= start, HelpCall.raised_at < start + timedelta(days=1),
                                           HelpCall.taken_at.is_not(None))
                )
            }
        people: dict[str, dict] = {}
        for entry in entries:
            person = people.setdefault(entry.helper_id, {
                "name": entry.helper_name, "cases": 0, "types": {}, "outcomes": {}, "calls": 0, "proxies": 0, "waits": [],
            })
            person["cases"] += 1
            for key in entry.help_types:
                person["types"][key] = person["types"].get(key, 0) + 1
            person["outcomes"][entry.outcome] = person["outcomes"].get(entry.outcome, 0) + 1
            call_id = entry.call_id
            if call_id is not None and not entry.proxy_number:
                person["calls"] += 1
                if entry.helper_id and call_id in taken:
                    person["waits"].append(taken[call_id])
            if entry.proxy_number:
                person["proxies"] += 1
        out = []
        for helper_id, p in people.items():
            waits = p["waits"]
            mean = sum(waits, timedelta(0)) / len(waits) if waits else None
            types = {k: p["types"][k] for k in HELP_TYPES if k in p["types"]}
            out.append(HelperSummary(helper_id, p["name"], p["cases"], types, dict(p["outcomes"]), p["calls"], p["proxies"],
                                     timedelta(seconds=round(mean.total_seconds())) if mean is not None else None))
        out.sort(key=lambda s: (s.helper_id == "", -s.cases, s.helper_id))
        return out
