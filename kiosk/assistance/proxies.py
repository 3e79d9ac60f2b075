"""Proxy requests (代办): the citizen's details (masked, the phone as a keyed hash), the
materials handed over checked against the item's list, the home-visit address until the purge.
A part of HelperService (service.py)."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from kiosk.assistance.base import HelperBase
from kiosk.assistance.common import (
    MAX_ADDRESS,
    MAX_NAME,
    MAX_NOTES,
    OUTCOMES,
    PROXY_NUMBER,
    PROXY_OUTCOMES,
    PROXY_STATUS_LABELS,
    VISIT_REASONS,
    Helper,
    HelperError,
    ProxyView,
    _call_view,
    _proxy_view,
    proxy_number,
    require_helper,
)
from kiosk.assistance.models import ACTIVE_CALL_STATUSES, LedgerEntry, ProxyMaterial, ProxyRequest
from kiosk.privacy import last4, mask_name, mask_phone, normalize_phone, same_hash

log = logging.getLogger(__name__)


class ProxyRequests(HelperBase):
    # --- proxy requests (代办) --------------------------------------------------------------------------

    @staticmethod
    def check_name(name: str) -> str:
        name = re.sub(r"\s+", "", name or "")
        if not name:
            raise HelperError("请填写群众姓名", "the citizen's name is empty")
        if len(name) > MAX_NAME or re.search(r"[\d\x00-\x1f@#$%^&*=+<>/\\|{}\[\]]", name):
            raise HelperError(f"姓名“{name[:MAX_NAME]}”无效：不能含数字或符号，最多{MAX_NAME}个字",
                              "a name holds no digits or symbols and at most 20 characters")
        return name

    @staticmethod
    def check_phone(phone: str) -> str:
        digits = normalize_phone(phone)
        if re.fullmatch(r"1[3-9]\d{9}", digits) or re.fullmatch(r"0\d{9,11}", digits) or re.fullmatch(r"\d{7,8}", digits):
            return digits
        raise HelperError(
            f"电话号码“{phone}”无效：请填写11位手机号，或带区号的固定电话", "not a mobile (11 digits) or landline number"
        )

    def create_proxy(
        self,
        helper,
        *,
        citizen_name: str,
        phone: str,
        item_code: str,
        handed_over: Iterable[str | int] = (),
        home_visit: bool = False,
        visit_reasons: Iterable[str] = (),
        address: str = "",
        notes: str = "",
        call_id: int | None = None,
    ) -> ProxyView:
        """Record a proxy request (代办) and the materials handed over, checked against the
        item's list. Without a home visit every required material must be handed over (代办
        needs the materials complete, 帮办代办制度 第一条); with one, what is missing is
        collected at the visit. The citizen's name is stored masked and the phone as a keyed
        hash with its last 4 digits; the address only until the purge."""
        helper = Helper.of(helper)
        name = self.check_name(citizen_name)
        digits = self.check_phone(phone)
        reasons = [str(r).strip() for r in visit_reasons or () if str(r).strip()]
        for reason in reasons:
            if reason not in VISIT_REASONS:
                raise HelperError(f"上门原因“{reason}”无效，可选：{'、'.join(VISIT_REASONS)}", f"unknown visit reason {reason!r}")
        address = re.sub(r"\s+", " ", address or "").strip()
        notes = (notes or "").strip()
        if home_visit:
            if not reasons:
                raise HelperError("请选择需要上门服务的原因（如行动不便、高龄）", "give a reason for the home visit")
            if len(address) < 5:
                raise HelperError("请填写上门服务的详细地址", "give the address for the home visit")
            if len(address) > MAX_ADDRESS:
                raise HelperError(f"地址最多{MAX_ADDRESS}个字", f"the address is longer than {MAX_ADDRESS} characters")
        else:
            reasons, address = [], ""
        if len(notes) > MAX_NOTES or "\x00" in notes or "\x00" in address:
            raise HelperError(f"备注最多{MAX_NOTES}字，且不能含无效字符", "notes too long or holding NUL")
        item = self._item(item_code)
        materials = list(item.materials)
        chosen = self._match_materials(materials, handed_over, item.name)
        if not home_visit:
            missing = [m.name for m in materials if m.necessity == "required" and m.position not in chosen]
            if missing:
                raise HelperError(
                    "还缺必要材料：" + "、".join(missing) + "。代办需要材料齐全；请一次性告知群众补齐，或登记上门服务",
                    f"required materials not handed over: {', '.join(missing)}",
                )
        key = self.key  # before writing anything: a damaged key file stops the request
        now = self.clock()
        for _attempt in range(5):
            try:
                with self.database.session() as session:
                    seq = self._next_seq(session, ProxyRequest, now.date())
                    request = ProxyRequest(
                        number=proxy_number(now.date(), seq), day=now.date(), seq=seq, created_at=now,
                        terminal=self.terminal, helper_id=helper.id, helper_name=helper.name[:100],
                        call_id=self._check_id(call_id) if call_id is not None else None,
                        item_code=item.code, item_name=item.name[:300], citizen_name=mask_name(name),
                        phone_masked=mask_phone(digits), phone_last4=last4(digits), phone_hash=key.hash_phone(digits),
                        home_visit=bool(home_visit), visit_reasons=reasons, address=address or None, notes=notes,
                        status="open", closed_by="", outcome="",
                        materials=[
                            ProxyMaterial(position=m.position, name=m.name[:500], necessity=m.necessity, copies=m.copies,
                                          handed_over=m.position in chosen)
                            for m in materials
                        ],
                    )
                    session.add(request)
                    session.flush()
                    call_view = None
                    if request.call_id is not None:
                        call = self._get_call(session, request.call_id)
                        if call.status in ACTIVE_CALL_STATUSES:
                            if call.taken_by is None:
                                call.taken_by, call.taken_by_name, call.taken_at = helper.id, helper.name[:100], now
                            call.status, call.ended_at, call.ended_by = "closed", now, helper.id
                            session.add(LedgerEntry(
                                at=call.raised_at, helper_id=helper.id, helper_name=helper.name[:100],
                                terminal=call.terminal, item_code=call.item_code, item_name=call.item_name,
                                help_types=["proxy"], outcome="to_proxy", notes=request.number, call_id=call.id,
                                finished_at=now,
                            ))
                            call_view = _call_view(call)
                    types = ["proxy"] + (["home_visit"] if home_visit else [])
                    session.add(LedgerEntry(
                        at=now, helper_id=helper.id, helper_name=helper.name[:100], terminal=self.terminal,
                        item_code=item.code, item_name=item.name[:300], help_types=types, outcome="proxy_open",
                        notes="", call_id=request.call_id, proxy_id=request.id,
                    ))
                    view = _proxy_view(request)
                break
            except IntegrityError:
                continue
        else:
            raise HelperError("代办申请未能保存，请重试", "could not store the proxy request (number clash)")
        self.audit(helper.id, "proxy.create", view.number, f"{view.item_code} home_visit={view.home_visit}")
        if call_view is not None:
            self.audit(helper.id, "help.close", f"call {call_view.number}", f"代办 {OUTCOMES['to_proxy']} {view.number}")
        lines = [
            f"事项：{view.item_name}",
            f"代办员：{helper.name}　登记终端：{self.terminal_name}",
            f"材料：已交 {len(view.handed_over)} 项，未交 {len(view.not_handed_over)} 项",
        ]
        if view.home_visit:
            lines.append(f"需上门服务（{'、'.join(view.visit_reasons)}），地址：{view.address_masked}（完整地址见帮办模式）")
        self._notify("proxy_request", f"【代办申请】{view.number}" + ("（上门服务）" if view.home_visit else ""), lines, now)
        return view

    def _item(self, code: str):
        from kiosk.catalog import service as catalog

        code = (code or "").strip()
        if not code:
            raise HelperError("请选择代办的事项", "choose the item")
        with self.database.session() as session:
            item = catalog.get_item(session, code)
            if item is None:
                raise HelperError(f"事项编码“{code}”不在事项目录中", f"no item {code!r} in the catalog")
            return item

    @staticmethod
    def _match_materials(materials, handed_over, item_name: str) -> set[int]:
        """Positions of the materials handed over, given by name or by number in the item's
        list (1 is the first)."""
        by_name = {m.name: m.position for m in materials}
        chosen: set[int] = set()
        for value in handed_over or ():
            if isinstance(value, int) and not isinstance(value, bool):
                if not 1 <= value <= len(materials):
                    raise HelperError(f"事项“{item_name}”没有第 {value} 项材料", f"no material number {value}")
                chosen.add(materials[value - 1].position)
                continue
            text = str(value).strip()
            if text in by_name:
                chosen.add(by_name[text])
            else:
                raise HelperError(f"“{text}”不是事项“{item_name}”的申请材料", f"{text!r} is not a material of the item")
        return chosen

    def _get_proxy(self, session, number: str) -> ProxyRequest:
        text = re.sub(r"\s+", "", number or "").upper()
        if not PROXY_NUMBER.fullmatch(text):
            raise HelperError(f"代办编号“{number}”格式不对，应为 DB-年月日-序号，如 DB-20260302-001",
                              f"not a proxy number like DB-20260302-001: {number!r}")
        request = session.scalar(select(ProxyRequest).where(ProxyRequest.number == text))
        if request is None:
            raise HelperError(f"没有编号为 {text} 的代办申请", f"no proxy request {text}")
        return request

    def proxy(self, number: str) -> ProxyView:
        with self.database.session() as session:
            return _proxy_view(self._get_proxy(session, number))

    def find_proxy(self, number: str, verification: str) -> ProxyView | None:
        """A citizen following up: the number and the phone's last 4 digits (or the whole
        phone). None when the pair does not match (never saying which part was wrong)."""
        verification = normalize_phone(verification)
        with self.database.session() as session:
            try:
                request = self._get_proxy(session, number)
            except HelperError:
                return None
            if request.purged_at is not None or not request.phone_last4:
                return None
            if len(verification) == 4:
                ok = same_hash(verification, request.phone_last4)
            else:
                ok = same_hash(self.key.hash_phone(verification), request.phone_hash)
            return _proxy_view(request) if ok else None

    def proxies(self, status: str | None = "open", *, limit: int | None = 200) -> list[ProxyView]:
        with self.database.session() as session:
            query = select(ProxyRequest).order_by(ProxyRequest.created_at.desc(), ProxyRequest.id.desc())
            if status not in (None, "all"):
                if status not in PROXY_STATUS_LABELS:
                    raise HelperError(f"状态“{status}”无效，可选：open、closed、all", f"unknown status {status!r}")
                query = query.where(ProxyRequest.status == status)
            if limit:
                query = query.limit(limit)
            return [_proxy_view(r) for r in session.scalars(query)]

    def proxies_for(self, session, status: str | None = "open") -> list[ProxyView]:
        """Helper mode's list (a signed-in helper or admin only)."""
        require_helper(session)
        return self.proxies(status)

    def full_address(self, number: str, helper) -> str:
        """The whole home-visit address, for the helper who goes there; every look is audited."""
        helper = Helper.of(helper)
        with self.database.session() as session:
            request = self._get_proxy(session, number)
            if not request.address:
                raise HelperError(f"代办申请 {request.number} 没有上门地址（或已按规定删除）",
                                  f"{request.number} has no address (none given, or purged)")
            address = request.address
        self.audit(helper.id, "proxy.address", number, "full address shown")
        return address

    def close_proxy(self, number: str, helper, *, outcome: str = "proxy_done", notes: str = "") -> ProxyView:
        """The proxy request is finished: its ledger entry gets the outcome. The personal data
        stays until the purge (helpers.purge_after_days after today)."""
        helper = Helper.of(helper)
        _types, outcome, notes = self._check_case(("proxy",), outcome, notes, PROXY_OUTCOMES)
        now = self.clock()
        with self.database.session() as session:
            request = self._get_proxy(session, number)
            if request.status != "open":
                raise HelperError(f"代办申请 {request.number} 已结束（{OUTCOMES.get(request.outcome, request.outcome)}）",
                                  f"{request.number} is closed already")
            request.status, request.closed_at, request.closed_by, request.outcome = "closed", now, helper.id, outcome
            if notes:
                request.notes = (request.notes + "；" + notes).strip("；")[:1000]
            for entry in session.scalars(select(LedgerEntry).where(LedgerEntry.proxy_id == request.id)):
                entry.outcome, entry.finished_at = outcome, now
                if notes:
                    entry.notes = (entry.notes + "；" + notes).strip("；")[:1000]
            view = _proxy_view(request)
        self.audit(helper.id, "proxy.close", view.number, OUTCOMES[outcome])
        return view

    def purge(self, *, older_than_days: int | None = None) -> int:
        """Erase the personal data of proxy requests closed more than ``older_than_days``
        (helpers.purge_after_days) ago: name, phone, address, visit reasons, notes. The number,
        item, materials and ledger entry stay. Returns how many requests were purged."""
        days = self.config.purge_after_days if older_than_days is None else older_than_days
        if days < 0:
            raise HelperError("天数不能为负", "days must not be negative")
        now = self.clock()
        with self.database.session() as session:
            rows = session.scalars(
                select(ProxyRequest).where(
                    ProxyRequest.status == "closed", ProxyRequest.purged_at.is_(None),
                    ProxyRequest.closed_at <= now - timedelta(days=days),
                )
            ).all()
            for request in rows:
                request.citizen_name = ""
                request.phone_masked = request.phone_last4 = request.phone_hash = ""
                request.address = None
                request.visit_reasons = []
                request.notes = ""
                request.purged_at = now
            count = len(rows)
        if count:
            log.info("purged the personal data of %d closed proxy request(s)", count)
        return count
